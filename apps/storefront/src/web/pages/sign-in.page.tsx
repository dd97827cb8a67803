import { SignInForm } from '../components/sign-in-form.component';
import { navigate } from '../router/location.store';
import { useStore } from '../state/use-store.hook';
import { sessionExpiredStore } from '../session/session.store';
import { PageTitle } from '../components/page-title.component';

export function SignInPage({ next }: { next: string }) {
  const expired = useStore(sessionExpiredStore);
  return (
    <section class="narrow">
      <PageTitle>Sign in</PageTitle>
      {expired ? (
        <p class="notice" role="status">
          Your session has ended. Please sign in again.
        </p>
      ) : null}
      <SignInForm onSignedIn={() => navigate(next, { replace: true })} />
    </section>
  );
}
