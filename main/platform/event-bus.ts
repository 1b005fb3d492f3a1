/**
 * The one typed domain-event bus of the main process.
 *
 * Features announce what happened in their own words ("a refresh token was refused", "a
 * site was saved"); they never emit the renderer's IPC channels and never call each other
 * back. main/app subscribes once and turns events into IPC events, Activity entries, banners
 * and notifications, so a background outcome is recorded exactly like a requested one.
 *
 * Delivery is synchronous and in subscription order. A subscriber that throws is logged and
 * skipped: one broken listener must not stop the others or the feature that emitted.
 */
import type { HealthChange, HealthReport } from '../../common/health-models';
import type { ConnectionDto, ReauthorizationCause, SignInFinished, SiteProfileDto } from '../../common/models';
import type { SyncProgressDto, SyncRunDto } from '../../common/sync-models';
import type { OrdersProgressDto, OrdersReconcileDto, OrdersRunDto } from '../../common/orders-models';
import type { ChangeFeedStatusDto } from '../../common/change-feed-models';
import { silentLogger, type Logger } from './logger';

export interface DomainEvents {
  /** The set of connections or one connection's state changed. */
  'connections.changed': { readonly connections: readonly ConnectionDto[] };
  /** Site profiles were added, changed or removed. */
  'sites.changed': { readonly sites: readonly SiteProfileDto[] };
  'site.saved': { readonly site: SiteProfileDto; readonly created: boolean };
  'site.deleted': { readonly siteId: string; readonly name: string };
  /** A manual sync of the site finished: its "Last sync" time moved (no health check needed). */
  'site.synced': { readonly siteId: string; readonly at: string };
  'settings.saved': Record<string, never>;
  'sign-in.started': { readonly flowId: string; readonly loginUrl: string; readonly reauthorizeConnectionId?: string };
  'sign-in.finished': SignInFinished;
  /** A token refresh succeeded (keep-alive windows restart). */
  'connection.refreshed': { readonly connectionId: string; readonly rotated: boolean };
  /**
   * Salesforce refused a refresh token. The connection is already marked
   * needs-reauthorization with a generic guess; health diagnoses the real cause.
   */
  'connection.refresh-refused': { readonly connection: ConnectionDto; readonly oauthError: string; readonly description: string };
  /** Health (or anyone who can tell) found why a connection lost its authorization. */
  'connection.diagnosed': { readonly connection: ConnectionDto; readonly cause: ReauthorizationCause; readonly detail: string };
  'connection.disconnected': { readonly connectionId: string; readonly username: string; readonly revokedAtSalesforce: boolean; readonly message: string };
  'health.changed': { readonly report: HealthReport; readonly changes: readonly HealthChange[] };
  /** A health check finished (scheduled, triggered by a change, or asked for). */
  'health.checked': { readonly report: HealthReport; readonly trigger: 'scheduled' | 'change' | 'request' | 'startup' };
  /** A sync's progress (already throttled by the sync). */
  'sync.progress': SyncProgressDto;
  /** A sync run ended: completed, cancelled or stopped (the run says which and why). */
  'sync.finished': { readonly run: SyncRunDto; readonly siteName: string };
  /** An orders run's progress (already throttled). */
  'orders.progress': OrdersProgressDto;
  /** An orders run ended: completed, cancelled or stopped. */
  'orders.finished': { readonly run: OrdersRunDto; readonly siteName: string };
  /** A reconciliation of a site's WooCommerce orders against Salesforce finished. */
  'orders.reconciled': { readonly report: OrdersReconcileDto; readonly siteName: string };
  /** A site's live change feed changed state, counts or position (a few a second at most). */
  'changes.status': ChangeFeedStatusDto;
  /** Something the admin should see in the Activity page that fits no other event. */
  'activity.note': { readonly level: 'info' | 'warning' | 'error'; readonly area: 'auth' | 'sites' | 'health' | 'sync' | 'app'; readonly message: string };
}

export type DomainEventName = keyof DomainEvents;
export type DomainListener<E extends DomainEventName> = (payload: DomainEvents[E]) => void;

export class EventBus {
  readonly #listeners = new Map<DomainEventName, Set<DomainListener<never>>>();
  readonly #log: Logger;

  constructor(log: Logger = silentLogger) {
    this.#log = log;
  }

  emit<E extends DomainEventName>(name: E, payload: DomainEvents[E]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        (listener as DomainListener<E>)(payload);
      } catch (error) {
        this.#log.error('an event listener failed', { event: name, error });
      }
    }
  }

  /** Returns the unsubscribe function. */
  on<E extends DomainEventName>(name: E, listener: DomainListener<E>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as DomainListener<never>);
    return () => set.delete(listener as DomainListener<never>);
  }
}
