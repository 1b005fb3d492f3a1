import { useSyncExternalStore } from 'react';
import { parseRoute, type RouteId } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function snapshot(): RouteId {
  return parseRoute(window.location.hash);
}

/** The current page, read from `location.hash` (`#/sites`, `#/connections`, …). */
export function useHashRoute(): RouteId {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function navigate(id: RouteId): void {
  window.location.hash = `#/${id}`;
}
