import { useEffect, useRef } from 'preact/hooks';
import { itemCount } from './cart/cart.model';
import { cartStore } from './cart/cart.store';
import { Announcer } from './components/announcer.component';
import { ErrorBoundary } from './components/error-boundary.component';
import { AdminPage } from './pages/admin.page';
import { CartPage } from './pages/cart.page';
import { CheckoutPage } from './pages/checkout.page';
import { NotFoundPage } from './pages/not-found.page';
import { OrderPage } from './pages/order.page';
import { OrdersPage } from './pages/orders.page';
import { ProductPage } from './pages/product.page';
import { ProductListPage } from './pages/product-list.page';
import { SignInPage } from './pages/sign-in.page';
import { WaitingRoomPage } from './pages/waiting-room.page';
import { Link } from './router/link.component';
import { locationStore, navigate } from './router/location.store';
import { matchRoute, type Route, signInHref } from './router/route.matcher';
import { sessionStore, signOut } from './session/session.store';
import { useStore } from './state/use-store.hook';

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'products':
      return <ProductListPage query={route.query} category={route.category} />;
    case 'product':
      return <ProductPage id={route.id} />;
    case 'cart':
      return <CartPage />;
    case 'checkout':
      return <CheckoutPage />;
    case 'orders':
      return <OrdersPage />;
    case 'order':
      return <OrderPage id={route.id} />;
    case 'waiting-room':
      return <WaitingRoomPage ticketId={route.ticketId} />;
    case 'sign-in':
      return <SignInPage next={route.next} />;
    case 'admin':
      return <AdminPage />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

function Header({ pathname }: { pathname: string }) {
  const session = useStore(sessionStore);
  const count = itemCount(useStore(cartStore));
  const current = (href: string) => (pathname === href ? ({ 'aria-current': 'page' } as const) : {});
  return (
    <header class="site-header">
      <div class="bar">
        <Link href="/" class="brand">
          Shop
        </Link>
        <nav aria-label="Main">
          <ul class="nav-list">
            <li>
              <Link href="/" {...current('/')}>
                Products
              </Link>
            </li>
            <li>
              <Link href="/cart" {...current('/cart')} data-testid="cart-link">
                Cart{count ? ` (${count})` : ''}
              </Link>
            </li>
            <li>
              <Link href="/orders" {...current('/orders')}>
                My orders
              </Link>
            </li>
          </ul>
        </nav>
        <div class="account">
          {session ? (
            <>
              <span class="muted" data-testid="signed-in-as">
                {session.customerId}
              </span>
              <button
                type="button"
                class="button-link"
                onClick={() => {
                  signOut();
                  navigate('/');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <Link href={signInHref(pathname === '/signin' ? '/' : pathname)}>Sign in</Link>
          )}
        </div>
      </div>
    </header>
  );
}

export function App() {
  const location = useStore(locationStore);
  const route = matchRoute(location.pathname, location.search);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After an in-app navigation, focus goes to the new page's heading (as a page load would start there) and scroll to top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const heading = main.current?.querySelector<HTMLElement>('h1');
    (heading ?? main.current)?.focus();
  }, [location.pathname, location.search]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header pathname={location.pathname} />
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBoundary key={location.pathname}>
          <Page route={route} />
        </ErrorBoundary>
      </main>
      <Announcer />
      <footer class="site-footer">
        <p class="muted">
          A demo shop on an open-source microservice platform. Payments are simulated. <Link href="/admin">Operator console</Link>
        </p>
      </footer>
    </>
  );
}
