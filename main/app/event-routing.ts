/**
 * The one place domain events become what the admin sees: IPC events for the renderer,
 * Activity entries, banners and desktop notifications. Features say what happened; this
 * decides how it is shown — so a background outcome (a refresh token refused at 3 a.m., a
 * scheduled check that found a problem) is recorded exactly like one the admin asked for.
 */
import type { EventBus } from '../platform/event-bus';
import { connectionDtos, siteDtos } from '../platform/profile-dtos';
import type { ProfileStore } from '../platform/profile-store';
import type { ActivityLog } from './activity-log';
import type { EventSink } from './event-hub';
import { reportHealthChanges } from './health-alerts';

export interface EventRoutingTargets {
  readonly bus: EventBus;
  readonly store: ProfileStore;
  readonly emit: EventSink;
  readonly activity: ActivityLog;
  readonly notify?: (title: string, body: string) => void;
}

export function routeDomainEvents(targets: EventRoutingTargets): () => void {
  const { bus, emit, activity, store } = targets;
  // Connections list their sites and sites show their connection's time: when either set
  // changes, both lists go out, so the renderer never pairs a new list with a stale one.
  const sendLists = (): void => {
    emit('connections:changed', connectionDtos(store));
    emit('sites:changed', siteDtos(store));
  };
  const offs = [
    bus.on('connections.changed', sendLists),
    bus.on('sites.changed', sendLists),
    bus.on('site.synced', sendLists),
    bus.on('site.saved', ({ site }) => activity.add('info', 'sites', `Site profile "${site.name}" saved.`)),
    bus.on('site.deleted', ({ name }) => activity.add('info', 'sites', `Site profile "${name}" deleted.`)),
    bus.on('settings.saved', () => activity.add('info', 'app', 'Settings saved.')),
    bus.on('sign-in.started', () => activity.add('info', 'auth', 'Sign-in started: waiting for Salesforce in the browser.')),
    bus.on('sign-in.finished', (finished) => {
      emit('auth:finished', finished);
      if (finished.ok && finished.connection) activity.add('info', 'auth', `Signed in to Salesforce as ${finished.connection.username}.`);
      else if (finished.error) activity.add(finished.error.code === 'AUTH_CANCELLED' ? 'info' : 'warning', 'auth', `Sign-in did not finish: ${finished.error.message}`);
      for (const lost of finished.revokedBySignIn ?? []) {
        activity.add('warning', 'auth', `Salesforce revoked the ${lost.appName} approval of ${lost.username} authorized ${lost.authorizedAt}, which belonged to ${lost.belongedTo}: ${lost.username} was at the approval cap.`);
      }
    }),
    bus.on('connection.refresh-refused', ({ connection }) =>
      activity.add('error', 'auth', `Salesforce no longer accepts the authorization of ${connection.username}: reauthorize it on the Connections page.`),
    ),
    bus.on('connection.diagnosed', ({ connection, detail }) => activity.add('info', 'health', `Why ${connection.username} lost its authorization: ${detail}`)),
    bus.on('connection.disconnected', ({ revokedAtSalesforce, message }) => activity.add(revokedAtSalesforce ? 'info' : 'warning', 'auth', message)),
    bus.on('health.changed', ({ report, changes }) => {
      emit('health:changed', { report, changes });
      reportHealthChanges(changes, { emit, activity, ...(targets.notify ? { notify: targets.notify } : {}) });
    }),
    bus.on('health.checked', ({ report, trigger }) => {
      if (trigger === 'request') return; // the page that asked shows the result
      const problems = report.cards.filter((card) => card.severity !== 'ok' && card.severity !== 'unknown').length;
      activity.add(
        report.status === 'error' || problems > 0 ? 'warning' : 'info',
        'health',
        `Health check (${trigger === 'change' ? 'after a change' : 'scheduled'}) finished: ${report.cards.length} site${report.cards.length === 1 ? '' : 's'}, ${problems === 0 ? 'no problems' : `${problems} need${problems === 1 ? 's' : ''} attention`}.`,
      );
    }),
    bus.on('activity.note', ({ level, area, message }) => activity.add(level, area, message)),
    bus.on('sync.progress', (progress) => emit('sync:progress', progress)),
    bus.on('sync.finished', ({ run, siteName }) => {
      const counts = `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed${run.invalid + run.conflict > 0 ? `, ${run.invalid} invalid, ${run.conflict} conflicts` : ''}; ${run.apiCalls} API calls`;
      if (run.state === 'completed') activity.add(run.failed > 0 ? 'warning' : 'info', 'sync', `Sync of "${siteName}" finished: ${counts}.`);
      else if (run.state === 'cancelled') activity.add('info', 'sync', `Sync of "${siteName}" cancelled: ${counts}.`);
      else activity.add('error', 'sync', `Sync of "${siteName}" stopped: ${run.message ?? run.errorCode ?? 'unknown error'} (${counts}).`);
    }),
    bus.on('orders.progress', (progress) => emit('orders:progress', progress)),
    bus.on('changes.status', (status) => emit('changes:updated', status)),
    bus.on('orders.reconciled', ({ report, siteName }) => {
      const c = report.counts;
      activity.add(c.missing + c.failed + c['total-differs'] > 0 ? 'warning' : 'info', 'sync', `Orders of "${siteName}" reconciled: ${c.ok} match, ${c.missing} missing in Salesforce, ${c.failed} failed, ${c['total-differs']} with a different total.`);
    }),
    bus.on('orders.finished', ({ run, siteName }) => {
      const counts = `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed${run.invalid + run.locked > 0 ? `, ${run.invalid} not sendable, ${run.locked} activated and different` : ''}; ${run.apiCalls} API calls`;
      const what = run.kind === 'replay' ? 'Order replay' : 'Orders';
      if (run.state === 'completed') activity.add(run.failed > 0 ? 'warning' : 'info', 'sync', `${what} of "${siteName}" sent: ${counts}.`);
      else if (run.state === 'cancelled') activity.add('info', 'sync', `${what} of "${siteName}" cancelled: ${counts}.`);
      else activity.add('error', 'sync', `${what} of "${siteName}" stopped: ${run.message ?? run.errorCode ?? 'unknown error'} (${counts}).`);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
