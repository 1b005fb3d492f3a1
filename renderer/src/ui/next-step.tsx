import { routeHref } from '../app/routes';
import type { SetupProgress } from '../app/use-setup-progress';

/**
 * The step the admin must take before a page can show anything, or undefined when the
 * connections and sites it needs exist.
 */
export function NextStep({ progress, needs }: { readonly progress: SetupProgress; readonly needs: 'connection' | 'site' }) {
  if (progress.loading) return null;
  if (progress.connections === 0) {
    return (
      <p className="next-step">
        <strong>Next step:</strong> add a connection first. <a href={routeHref('connections')}>Go to Connections</a>
      </p>
    );
  }
  if (needs === 'site' && progress.connectedSites === 0) {
    return (
      <p className="next-step">
        <strong>Next step:</strong> add a site that uses one of your connections. <a href={routeHref('sites')}>Go to Sites</a>
      </p>
    );
  }
  return null;
}
