import { Component, type ComponentChildren } from 'preact';

interface State {
  error: Error | null;
}

/** A page that throws while rendering shows what happened and a way out, never a blank screen. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section class="alert" role="alert" aria-labelledby="crash-title">
        <h1 id="crash-title">Something went wrong on this page</h1>
        <p class="alert-detail">{error.message}</p>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>{' '}
          <a href="/">Go to the products</a>
        </p>
      </section>
    );
  }
}
