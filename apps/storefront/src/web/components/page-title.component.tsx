import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/**
 * The page's h1. It takes focus after an in-app navigation (the app moves
 * focus there, see app.component.tsx) and names the browser tab.
 */
export function PageTitle({ children, title }: { children: ComponentChildren; title?: string }) {
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    if (text) document.title = `${text} · Shop`;
  }, [text]);
  return (
    <h1 tabIndex={-1} class="page-title">
      {children}
    </h1>
  );
}
