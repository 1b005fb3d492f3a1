/**
 * The sync as a feature module: `sync:plan` (the dry-run preview), `sync:start` (answers
 * once the run is recorded; the run goes on in the background), `sync:cancel`, `sync:runs`,
 * `sync:run` (a run and a page of its records). Progress and the outcome are announced on
 * the bus (`sync.progress`, `sync.finished`); main/app turns them into the renderer's
 * `sync:progress` event and Activity entries.
 *
 * Ports from main/app: the WordPress users (`readUsers`, made of main/wordpress's client)
 * and, optionally, the site's cached describe (`describe`, from the fields feature).
 */
import { AppError } from '../../common/errors';
import { DEFAULT_MATCH_KEY, type SalesforceFieldDto } from '../../common/fields-models';
import type { SiteProfileDto } from '../../common/models';
import type { PullOptionsDto, SyncRecordDto, SyncRunDto } from '../../common/sync-models';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { LocalDatabase } from '../platform/local-database';
import { silentLogger, type Logger } from '../platform/logger';
import type { ConnectionRegistry } from '../salesforce/connection-registry';
import { textRequestsOf } from '../salesforce/salesforce-text';
import type { LookupApi } from './key-lookup';
import type { FieldChange, PushSettings } from './push-planner';
import { SyncService, type ReadUsers, type SyncServiceOptions } from './sync-service';
import type { RecordRow } from './sync-journal';

export type SyncChannel = 'sync:plan' | 'sync:start' | 'sync:cancel' | 'sync:runs' | 'sync:run';

export interface SyncModuleOptions extends Pick<SyncServiceOptions, 'concurrency' | 'bulkThreshold' | 'apiShare' | 'retry' | 'pollIntervalMs' | 'progressIntervalMs'> {
  readonly db: LocalDatabase;
  readonly bus: EventBus;
  readonly registry: Pick<ConnectionRegistry, 'open' | 'meter'>;
  readonly site: (siteId: string) => SiteProfileDto | undefined;
  readonly readUsers: ReadUsers;
  /** WordPress user writes for the pull (the WordPress client). */
  readonly writeUsers?: SyncServiceOptions['writeUsers'];
  /** Push choices from the app's settings, read at each plan and run (not at start-up). */
  readonly pushOptions?: () => Pick<PushSettings, 'removeTopics' | 'truncateLongValues'>;
  /** The object's fields from the field cache, when it is current for the site. */
  readonly describe?: (siteId: string) => readonly SalesforceFieldDto[] | undefined;
  readonly log?: Logger;
}

export interface SyncModule extends FeatureModule<SyncChannel> {
  readonly service: SyncService;
}

export function pushSettingsOf(site: SiteProfileDto, fields?: readonly SalesforceFieldDto[]): PushSettings {
  return {
    objectType: site.objectType,
    fieldMapping: site.fieldMapping,
    matchKey: site.matchKey ?? DEFAULT_MATCH_KEY,
    fieldDefaults: site.fieldDefaults ?? [],
    recordTypeId: site.recordTypeId ?? null,
    sendEmptyValues: site.sendEmptyValues ?? false,
    tagMode: site.tagMode,
    tagField: site.tagField,
    ...(fields ? { fields } : {}),
  };
}

export function createSyncModule(options: SyncModuleOptions): SyncModule {
  const log = options.log ?? silentLogger;
  const siteOf = (siteId: string): SiteProfileDto => {
    const site = options.site(siteId);
    if (site === undefined) throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list and try again.' });
    return site;
  };
  const service = new SyncService({
    db: options.db,
    readUsers: options.readUsers,
    settingsFor: (siteId) => {
      const site = siteOf(siteId);
      if (site.connectionId === null) throw new AppError('INVALID_REQUEST', `“${site.name}” has no Salesforce connection.`, { hint: 'Choose a connection for the site on the Sites page, then sync.' });
      return { ...pushSettingsOf(site, options.describe?.(siteId)), ...options.pushOptions?.() };
    },
    salesforceFor: async (siteId) => {
      const site = siteOf(siteId);
      const connection = await options.registry.open(site.connectionId ?? '');
      const api: LookupApi = { request: connection.request.bind(connection) as LookupApi['request'], requestText: textRequestsOf(connection), instanceUrl: connection.instanceUrl, version: connection.version };
      return api;
    },
    forSite: (siteId, work) => options.registry.meter.forSite(siteId, work),
    onProgress: (progress) => options.bus.emit('sync.progress', progress),
    onFinished: (run) => options.bus.emit('sync.finished', { run, siteName: options.site(run.siteId)?.name ?? run.siteId }),
    ...(options.writeUsers ? { writeUsers: options.writeUsers } : {}),
    ...pick(options),
  });
  const DEFAULT_PULL: PullOptionsDto = { filter: { kind: 'all' }, role: 'subscriber' };
  /** A direction with nothing mapped for it would do nothing (push) or import empty users (pull). */
  const requireMapping = (siteId: string, direction: 'push' | 'pull'): void => {
    const site = siteOf(siteId);
    if (site.fieldMapping.some((entry) => entry.direction === 'both' || entry.direction === direction)) return;
    throw new AppError('INVALID_REQUEST', `“${site.name}” maps no field ${direction === 'push' ? 'from WordPress to Salesforce' : 'from Salesforce to WordPress'}.`, {
      hint: 'Map at least the e-mail and the name on the Fields page, then sync.',
    });
  };
  return {
    service,
    handlers: {
      'sync:plan': ({ siteId, direction, pull, retryRefused }) => {
        requireMapping(siteId, direction ?? 'push');
        return direction === 'pull' ? service.planPull(siteId, pull ?? DEFAULT_PULL) : service.plan(siteId, undefined, { retryRefused: retryRefused === true });
      },
      'sync:start': ({ siteId, confirmed, direction, pull, retryRefused }) =>
        new Promise((resolve, reject) => {
          requireMapping(siteId, direction ?? 'push');
          // Answers as soon as the run is recorded (or refused before: busy, WordPress down,
          // confirmation needed); the run itself goes on and reports through the bus.
          const onRunStarted = (runId: string): void => resolve({ runId });
          const running = direction === 'pull' ? service.startPull(siteId, { ...(pull ?? DEFAULT_PULL), onRunStarted }) : service.start(siteId, { confirmed: confirmed === true, retryRefused: retryRefused === true, onRunStarted });
          running.then(
            (run) => resolve({ runId: run.id }),
            (error: unknown) => {
              reject(error instanceof Error ? error : new Error(String(error)));
              log.warn('A sync ended early.', { siteId, error });
            },
          );
        }),
      'sync:cancel': ({ siteId }) => ({ cancelled: service.cancel(siteId) }),
      'sync:runs': ({ siteId, limit }) => service.runs(siteId, limit),
      'sync:run': ({ runId, outcome, search, offset, limit }) => {
        const run = service.run(runId);
        if (run === undefined) throw new AppError('NOT_FOUND', 'That sync run is not in the history.', { hint: 'Reload the Activity page.' });
        const page = service.journal.records(runId, { ...(outcome ? { outcome } : {}), ...(search ? { search } : {}), offset: offset ?? 0, limit: limit ?? 200 });
        return { run, total: page.total, records: page.rows.map(recordDto) } satisfies { run: SyncRunDto; total: number; records: SyncRecordDto[] };
      },
    },
    start() {},
    async stop() {
      await service.stopAll();
    },
  };
}

function pick(options: SyncModuleOptions): Partial<SyncServiceOptions> {
  const { concurrency, bulkThreshold, apiShare, retry, pollIntervalMs, progressIntervalMs } = options;
  return Object.fromEntries(Object.entries({ concurrency, bulkThreshold, apiShare, retry, pollIntervalMs, progressIntervalMs }).filter(([, value]) => value !== undefined));
}

export function recordDto(row: RecordRow): SyncRecordDto {
  return {
    wpUserId: row.wp_user_id,
    matchValue: row.match_value,
    salesforceId: row.salesforce_id,
    outcome: row.outcome,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    changes: row.changes === null ? [] : (JSON.parse(row.changes) as FieldChange[]),
  };
}
