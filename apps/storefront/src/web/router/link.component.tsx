import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { navigate } from './location.store';

interface Props {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
  'data-testid'?: string;
}

/** A real link (open in a new tab, copy the address) that moves inside the app without a reload. */
export function Link({ href, children, ...rest }: Props) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
