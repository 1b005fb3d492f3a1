/**
 * WooCommerce orders as a feature module: `orders:settings` / `orders:save-settings` (the
 * site's order settings), `orders:plan` (the dry-run preview), `orders:send` (answers once the
 * run is recorded; a replay names its orders), `orders:cancel`, `orders:runs`, `orders:run`
 * (a run and a page of its per-order outcomes), `orders:reconcile`. Progress and the outcome
 * go on the bus (`orders.progress`, `orders.finished`); main/app routes them.
 *
 * Ports from main/app: the WooCommerce orders (`readOrders`, made of main/wordpress's
 * client) and the site's stored order settings (`loadSettings`/`saveSettings`, the profile).
 */
import { AppError } from '../../common/errors';
import type { SiteProfileDto } from '../../common/models';
import { withOrderDefaults, type OrderSettings, type OrdersRunPageDto, type StoredOrderSettings } from '../../common/orders-models';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { LocalDatabase } from '../platform/local-database';
import { silentLogger, type Logger } from '../platform/logger';
import type { ConnectionRegistry } from '../salesforce/connection-registry';
import type { OrdersApi } from './order-lookups';
import { orderRecordDto } from './orders-journal';
import { OrdersService, type OrdersServiceOptions, type ReadOrders } from './orders-service';

export type OrdersChannel = 'orders:settings' | 'orders:save-settings' | 'orders:plan' | 'orders:send' | 'orders:cancel' | 'orders:runs' | 'orders:run' | 'orders:reconcile';

export interface OrdersModuleOptions extends Pick<OrdersServiceOptions, 'concurrency' | 'retry' | 'rowsLimit'> {
  readonly db: LocalDatabase;
  readonly bus: EventBus;
  readonly registry: Pick<ConnectionRegistry, 'open' | 'meter'>;
  readonly site: (siteId: string) => SiteProfileDto | undefined;
  readonly readOrders: ReadOrders;
  readonly loadSettings: (siteId: string) => StoredOrderSettings | undefined;
  readonly saveSettings: (siteId: string, settings: OrderSettings) => void;
  readonly log?: Logger;
}

export interface OrdersModule extends FeatureModule<OrdersChannel> {
  readonly service: OrdersService;
}

export function createOrdersModule(options: OrdersModuleOptions): OrdersModule {
  const log = options.log ?? silentLogger;
  const siteOf = (siteId: string): SiteProfileDto => {
    const site = options.site(siteId);
    if (site === undefined) throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list and try again.' });
    return site;
  };
  const service = new OrdersService({
    db: options.db,
    readOrders: options.readOrders,
    settingsFor: (siteId) => {
      const site = siteOf(siteId);
      if (site.connectionId === null) throw new AppError('INVALID_REQUEST', `“${site.name}” has no Salesforce connection.`, { hint: 'Choose a connection for the site on the Sites page, then send orders.' });
      return withOrderDefaults(options.loadSettings(siteId));
    },
    salesforceFor: async (siteId) => {
      const connection = await options.registry.open(siteOf(siteId).connectionId ?? '');
      return { request: connection.request.bind(connection) as OrdersApi['request'] };
    },
    forSite: (siteId, work) => options.registry.meter.forSite(siteId, work),
    onProgress: (progress) => options.bus.emit('orders.progress', progress),
    onFinished: (run) => options.bus.emit('orders.finished', { run, siteName: options.site(run.siteId)?.name ?? run.siteId }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.rowsLimit === undefined ? {} : { rowsLimit: options.rowsLimit }),
  });
  return {
    service,
    handlers: {
      'orders:settings': ({ siteId }) => {
        siteOf(siteId);
        return withOrderDefaults(options.loadSettings(siteId));
      },
      'orders:save-settings': ({ siteId, settings }) => {
        siteOf(siteId);
        const merged = withOrderDefaults({ ...options.loadSettings(siteId), ...settings });
        if (merged.accountStrategy === 'default-account' && !merged.defaultAccountId) {
          throw new AppError('INVALID_REQUEST', 'Putting every order on one Account needs that Account.', { hint: 'Enter the default Account’s Salesforce id, or choose another Account strategy.' });
        }
        if (merged.dateMode === 'range' && merged.dateFrom && merged.dateTo && merged.dateFrom > merged.dateTo) {
          throw new AppError('INVALID_REQUEST', `The date range starts (${merged.dateFrom}) after it ends (${merged.dateTo}).`, { hint: 'Swap the dates.' });
        }
        options.saveSettings(siteId, merged);
        return merged;
      },
      'orders:plan': ({ siteId, orderIds, since }) => service.plan(siteId, { ...(orderIds ? { orderIds } : {}), ...(since ? { since } : {}) }),
      'orders:send': ({ siteId, orderIds, since }) =>
        new Promise((resolve, reject) => {
          // Answers as soon as the run is recorded (or refused before it); the run goes on
          // and reports through the bus.
          service.send(siteId, { ...(orderIds ? { orderIds } : {}), ...(since ? { since } : {}), onRunStarted: (runId) => resolve({ runId }) }).then(
            (run) => resolve({ runId: run.id }),
            (error: unknown) => {
              reject(error instanceof Error ? error : new Error(String(error)));
              log.warn('An orders run ended early.', { siteId, error });
            },
          );
        }),
      'orders:cancel': ({ siteId }) => ({ cancelled: service.cancel(siteId) }),
      'orders:runs': ({ siteId, limit }) => service.runs(siteId, limit),
      'orders:run': ({ runId, outcome, offset, limit }) => {
        const run = service.run(runId);
        if (run === undefined) throw new AppError('NOT_FOUND', 'That orders run is not in the history.', { hint: 'Reload the Orders page.' });
        const page = service.journal.records(runId, { ...(outcome ? { outcome } : {}), offset: offset ?? 0, limit: limit ?? 200 });
        return { run, total: page.total, records: page.rows.map(orderRecordDto) } satisfies OrdersRunPageDto;
      },
      'orders:reconcile': async ({ siteId }) => {
        const report = await service.reconcile(siteId);
        // Kept with the runs' history in Activity: what was found, when.
        options.bus.emit('orders.reconciled', { report, siteName: options.site(siteId)?.name ?? siteId });
        return report;
      },
    },
    start() {},
    async stop() {
      await service.stopAll();
    },
  };
}
