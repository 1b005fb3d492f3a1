/**
 * Turns health changes into what the admin notices: an in-app banner (both editions), an
 * Activity entry, and a desktop notification where the edition has one. A site that
 * recovers withdraws its banner.
 */
import type { HealthChange } from '../../common/health-models';
import type { ActivityLog } from './activity-log';
import type { EventSink } from './event-hub';

export interface HealthAlertTargets {
  readonly emit: EventSink;
  readonly activity: ActivityLog;
  readonly notify?: (title: string, body: string) => void;
}

/** The monitor's messages usually name the site already; name it once. */
function sentence(change: HealthChange): string {
  return change.message.startsWith(change.siteName) ? change.message : `${change.siteName}: ${change.message}`;
}

export function reportHealthChanges(changes: readonly HealthChange[], targets: HealthAlertTargets): void {
  for (const change of changes) {
    const bannerId = `health:${change.siteId}`;
    if (change.to === 'ok') {
      targets.emit('app:banner-cleared', { id: bannerId });
      if (change.from !== null && change.from !== 'ok') targets.activity.add('info', 'health', sentence(change));
      continue;
    }
    if (change.to === 'unknown') continue;
    const level = change.to === 'error' ? 'error' : 'warning';
    targets.emit('app:banner', { id: bannerId, level, message: sentence(change) });
    targets.activity.add(level, 'health', sentence(change));
    targets.notify?.(`ForceSites: ${change.siteName}`, change.message);
  }
}
