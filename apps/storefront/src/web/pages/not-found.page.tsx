import { PageTitle } from '../components/page-title.component';
import { Link } from '../router/link.component';

export function NotFoundPage() {
  return (
    <section>
      <PageTitle>Page not found</PageTitle>
      <p>There is no page at this address.</p>
      <p>
        <Link href="/">Go to the products</Link>
      </p>
    </section>
  );
}
