/** The storefront's pages (docs/contract.md): every one has a URL that can be shared. */
export type Route =
  | { name: 'products'; query: string; category: string }
  | { name: 'product'; id: string }
  | { name: 'cart' }
  | { name: 'checkout' }
  | { name: 'orders' }
  | { name: 'order'; id: string }
  | { name: 'waiting-room'; ticketId: string }
  | { name: 'sign-in'; next: string }
  | { name: 'admin' }
  | { name: 'not-found' };

/** Only same-site paths may be a sign-in's destination: never an open redirect. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function matchRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/') return { name: 'products', query: params.get('q')?.trim() ?? '', category: params.get('category')?.trim() ?? '' };
  if (path === '/cart') return { name: 'cart' };
  if (path === '/checkout') return { name: 'checkout' };
  if (path === '/orders') return { name: 'orders' };
  if (path === '/admin') return { name: 'admin' };
  if (path === '/signin') return { name: 'sign-in', next: safeNext(params.get('next')) };
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) return { name: 'product', id: decodeURIComponent(product[1]) };
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) return { name: 'order', id: decodeURIComponent(order[1]) };
  const ticket = /^\/waiting-room\/([^/]+)$/.exec(path);
  if (ticket) return { name: 'waiting-room', ticketId: decodeURIComponent(ticket[1]) };
  return { name: 'not-found' };
}

/** `/signin?next=…`, back to where the customer was. */
export function signInHref(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}
