import { useEffect, useRef, type JSX, type MouseEvent } from 'react';
import { ActivityPage } from '../features/activity/activity-page';
import { ConnectionsPage } from '../features/connections/connections-page';
import { FieldsPage } from '../features/fields/fields-page';
import { HealthPage } from '../features/health/health-page';
import { OrdersPage } from '../features/orders/orders-page';
import { OutboundPage } from '../features/outbound/outbound-page';
import { SettingsPage } from '../features/settings/settings-page';
import { SitesPage } from '../features/sites/sites-page';
import { SyncPage } from '../features/sync/sync-page';
import { ErrorNotice } from '../ui/error-notice';
import { useApp } from './app-context';
import { BannerRegion } from './banner-region';
import { ROUTES, routeHref, routeLabel, type RouteId } from './routes';
import { useHashRoute } from './use-hash-route';

const PAGES: { readonly [R in RouteId]: () => JSX.Element } = {
  sites: SitesPage,
  connections: ConnectionsPage,
  health: HealthPage,
  fields: FieldsPage,
  sync: SyncPage,
  outbound: OutboundPage,
  orders: OrdersPage,
  activity: ActivityPage,
  settings: SettingsPage,
};

export function AppShell() {
  const route = useHashRoute();
  const { appInfo, appInfoError } = useApp();
  const main = useRef<HTMLElement>(null);
  const shownRoute = useRef<RouteId | undefined>(undefined);
  const Page = PAGES[route];

  useEffect(() => {
    document.title = `${routeLabel(route)} · ForceSites`;
    // After the admin changes page, move focus to the new page's heading so keyboard and
    // screen-reader users land on it; leave focus alone on first load.
    if (shownRoute.current !== undefined && shownRoute.current !== route) {
      main.current?.querySelector<HTMLElement>('h1')?.focus();
    }
    shownRoute.current = route;
  }, [route]);

  function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
    // A plain #main link would replace the #/page route.
    event.preventDefault();
    main.current?.focus();
  }

  return (
    <div className="app">
      <a href="#main" className="skip-link" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="app-header">
        <span className="app-name">ForceSites</span>
        {appInfo?.demo === true && (
          <span className="badge badge-demo" title="This window is connected to the built-in demo org, not a real Salesforce org.">
            Demo org
          </span>
        )}
        {appInfo !== undefined && (
          <span className="app-meta">
            {appInfo.edition === 'browser' ? 'Browser edition' : 'Desktop'} · v{appInfo.version}
          </span>
        )}
      </header>
      <div className="app-body">
        <nav className="app-nav" aria-label="Main">
          <ul>
            {ROUTES.map((item) => (
              <li key={item.id}>
                <a href={routeHref(item.id)} className="nav-link" aria-current={item.id === route ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1} className="app-main">
          <BannerRegion />
          {appInfoError !== undefined && <ErrorNotice error={appInfoError} title="ForceSites could not start this window." />}
          <Page />
        </main>
      </div>
    </div>
  );
}
