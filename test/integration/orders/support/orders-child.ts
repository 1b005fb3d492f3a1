/**
 * An orders run in its own process, for the kill-and-resume test: the parent SIGKILLs it at
 * chosen points and starts it again on the same database. Prints `sending <stage> <batch id>`
 * when a batch is journaled (before it leaves) and `done <run JSON>` at the end.
 *
 * argv[2]: JSON {dbFile, instanceUrl, accessToken, version, orders, keyField, activate}
 */
import { Connection } from 'jsforce';
import { openLocalDatabase } from '../../../../main/platform/local-database';
import type { OrdersApi } from '../../../../main/orders/order-lookups';
import { OrdersService } from '../../../../main/orders/orders-service';
import { manyOrders, ordersSource, USD_SETTINGS } from './orders-harness';

interface ChildConfig {
  readonly dbFile: string;
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly version: string;
  readonly orders: number;
  readonly activate: boolean;
  /** Orders per window (default the service's): small windows put the kills across window boundaries. */
  readonly windowSize?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const conn = new Connection({ instanceUrl: config.instanceUrl, accessToken: config.accessToken, version: config.version });
const api: OrdersApi = { request: conn.request.bind(conn) as OrdersApi['request'] };
const orders = manyOrders(config.orders);
const service = new OrdersService({
  db: openLocalDatabase(config.dbFile),
  readOrders: ordersSource(() => orders),
  settingsFor: () => ({ ...USD_SETTINGS, activate: config.activate }),
  salesforceFor: () => Promise.resolve(api),
  concurrency: 2,
  ...(config.windowSize ? { windowSize: config.windowSize } : {}),
  retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
  beforeSend: (stage, batchId) => {
    process.stdout.write(`sending ${stage} ${batchId}\n`);
  },
});
const run = await service.send('site1');
process.stdout.write(`done ${JSON.stringify(run)}\n`);
