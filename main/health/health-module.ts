/**
 * Token health as a feature module: its IPC handlers, and the events it listens to.
 *
 * - 'connection.refresh-refused' → diagnose with a census through another connection of the
 *   org and announce 'connection.diagnosed' (the registry records the cause);
 * - 'connection.refreshed' → the keep-alive window of that connection restarts;
 * - 'connections.changed' / 'sites.changed' → a check soon (debounced), so the Health page
 *   never shows a report older than the sites and connections it describes;
 * - every Salesforce call the meter sees → the rolling 24-hour call counts.
 *
 * The sign-in preflight is exposed as `signInPreflight` for main/app to hand to sign-in.
 */
import type { HealthReport } from '../../common/health-models';
import type { ConnectionDto, RevokedBySignIn, SiteProfileDto } from '../../common/models';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import { silentLogger, type Logger } from '../platform/logger';
import type { ProfileStore } from '../platform/profile-store';
import type { Timers } from '../platform/timers';
import type { ConnectionRegistry } from '../salesforce/connection-registry';
import { preflightHook, type PreflightHookContext, type PreflightSnapshot } from './connection-hooks';
import { HealthService } from './health-service';

export type HealthChannel = 'health:report' | 'health:check' | 'health:census' | 'health:revoke-approval' | 'auth:preflight';

export interface HealthModuleOptions {
  readonly registry: ConnectionRegistry;
  readonly store: ProfileStore;
  /** The site profiles (the sites feature's list, wired by main/app). */
  readonly listSites: () => readonly SiteProfileDto[];
  readonly bus: EventBus;
  readonly timers: Timers;
  readonly logger?: Logger;
  readonly isOnline?: () => boolean;
  /** Run scheduled checks (default true; tests drive checks by hand). */
  readonly schedule?: boolean;
  /** How long after a change of sites or connections the follow-up check runs (default 2 s). */
  readonly changeDebounceMs?: number;
  readonly now?: () => number;
  /** Deadline for one health run (default: four request deadlines, at least a minute). */
  readonly runTimeoutMs?: number;
}

export interface HealthModule extends FeatureModule<HealthChannel> {
  readonly service: HealthService;
  /** For sign-in: refuses a sign-in that would evict an approval the admin did not acknowledge. */
  readonly signInPreflight: (context: PreflightHookContext) => Promise<PreflightSnapshot>;
  /** For sign-in, once it finished: the approvals Salesforce revoked because of it. */
  readonly afterSignIn: (connection: ConnectionDto, snapshot: unknown) => Promise<readonly RevokedBySignIn[]>;
}

export function createHealthModule(options: HealthModuleOptions): HealthModule {
  const { registry, bus } = options;
  const logger = options.logger ?? silentLogger;
  const service: HealthService = new HealthService({
    ports: {
      listSites: async () => options.listSites(),
      listConnections: async () => registry.list(),
      openConnection: (connectionId) => registry.open(connectionId),
      settings: async () => options.store.getSettings(),
      refreshConnection: (connectionId) => registry.refresh(connectionId),
    },
    sink: { changed: (report, changes) => bus.emit('health.changed', { report: withFreshness(report), changes }) },
    timers: options.timers,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.isOnline ? { isOnline: options.isOnline } : {}),
    ...(options.runTimeoutMs === undefined ? {} : { runTimeoutMs: options.runTimeoutMs }),
  });

  const debounceMs = options.changeDebounceMs ?? 2_000;
  const now = options.now ?? Date.now;
  let pendingCheck: unknown;
  let started = false;
  // When the set of sites or connections (not just a state) last changed: a report older
  // than that describes sites that may no longer be there.
  let shape = '';
  let shapeChangedAt = 0;
  const shapeOf = (): string =>
    JSON.stringify([registry.list().map((c) => c.id).sort(), options.listSites().map((s) => `${s.id}:${s.connectionId ?? ''}`).sort()]);
  const withFreshness = (report: HealthReport): HealthReport => {
    const generated = Date.parse(report.generatedAt);
    const outdated = report.status === 'never-checked' ? options.listSites().length > 0 : shapeChangedAt > generated;
    return outdated ? { ...report, outdated: true } : report;
  };
  const checkSoon = (): void => {
    if (!started) return;
    const next = shapeOf();
    if (next !== shape) {
      shape = next;
      shapeChangedAt = now();
    }
    options.timers.clearTimeout(pendingCheck);
    pendingCheck = options.timers.setTimeout(() => {
      pendingCheck = undefined;
      void service.check({ fresh: true }).then(
        (report) => bus.emit('health.checked', { report, trigger: 'change' }),
        () => undefined,
      );
    }, debounceMs);
  };

  const unsubscribe: (() => void)[] = [];
  const run = async (trigger: 'request'): Promise<HealthReport> => {
    const report = withFreshness(await service.check({ fresh: true }));
    bus.emit('health.checked', { report, trigger });
    return report;
  };

  return {
    service,
    signInPreflight: preflightHook((request) => service.preflightWithCensus(request), { logger, enforce: true }),
    afterSignIn: async (connection, snapshot) => {
      const before = (snapshot as PreflightSnapshot | undefined)?.census ?? null;
      return service.revokedBySignIn(connection, before);
    },
    handlers: {
      'health:report': () => withFreshness(service.report()),
      'health:check': () => run('request'),
      'health:census': ({ connectionId }) => service.takeCensus(connectionId),
      'health:revoke-approval': (request) => service.revokeApproval(request),
      'auth:preflight': (request) => service.preflight(request),
    },
    start() {
      if (started) return;
      started = true;
      shape = shapeOf();
      unsubscribe.push(
        bus.on('connection.refresh-refused', ({ connection }) => {
          void service.explainInvalidGrant(connection).then(
            (explanation) => {
              if (explanation.cause !== 'unknown') bus.emit('connection.diagnosed', { connection, cause: explanation.cause, detail: explanation.detail });
            },
            (error: unknown) => logger.warn('could not explain a refused authorization', { connectionId: connection.id, error }),
          );
        }),
        bus.on('connection.refreshed', ({ connectionId }) => service.noteRefreshed(connectionId)),
        bus.on('connections.changed', checkSoon),
        bus.on('sites.changed', checkSoon),
        registry.meter.onCall(({ connectionId, siteId }) => service.countCall(connectionId, siteId)),
      );
      if (options.schedule ?? true) service.start();
    },
    async stop() {
      started = false;
      options.timers.clearTimeout(pendingCheck);
      for (const off of unsubscribe.splice(0)) off();
      service.stop();
    },
  };
}
