/** The pages of the app, in navigation order. The hash is `#/<id>` so tests can open a page directly. */
export const ROUTES = [
  { id: 'sites', label: 'Sites' },
  { id: 'connections', label: 'Connections' },
  { id: 'health', label: 'Health' },
  { id: 'fields', label: 'Fields' },
  { id: 'sync', label: 'Sync' },
  { id: 'outbound', label: 'Outbound messages' },
  { id: 'orders', label: 'Orders' },
  { id: 'activity', label: 'Activity' },
  { id: 'settings', label: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export const DEFAULT_ROUTE: RouteId = 'sites';

export function routeHref(id: RouteId): string {
  return `#/${id}`;
}

export function parseRoute(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  const route = ROUTES.find((candidate) => candidate.id === id);
  return route === undefined ? DEFAULT_ROUTE : route.id;
}

export function routeLabel(id: RouteId): string {
  return ROUTES.find((route) => route.id === id)?.label ?? id;
}
