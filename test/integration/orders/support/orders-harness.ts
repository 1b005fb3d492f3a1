/**
 * What the orders tests share: WooCommerce-shaped orders, an in-process orders source (pages
 * of 100 as WooCommerce serves them, filtered by status and date like the REST API), a
 * Salesforce API through the ConnectionRegistry (the guarded, metered transport in the path)
 * and an OrdersService over a fresh local database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from '../../../../common/orders-models';
import type { WooLineItem, WooOrder } from '../../../../common/wordpress-models';
import { localDatabasePath, openLocalDatabase, type LocalDatabase } from '../../../../main/platform/local-database';
import { ProfileStore } from '../../../../main/platform/profile-store';
import type { OrdersApi } from '../../../../main/orders/order-lookups';
import { OrdersService, type OrdersServiceOptions, type ReadOrders } from '../../../../main/orders/orders-service';
import { connectionsUnderTest } from '../../../fakes/connections-under-test';
import { InMemorySecretStore } from '../../../fakes/in-memory-secret-store';
import type { RunningEmulator } from '../../../salesforce-emulator';
import { connectWithPkce } from '../../../salesforce-emulator/test-support';

export function line(id: number, overrides: Partial<WooLineItem> = {}): WooLineItem {
  return { id, name: `Product ${id}`, productId: 1000 + id, variationId: 0, quantity: 1, subtotal: '10.00', total: '10.00', sku: `SKU-${id}`, price: 10, ...overrides };
}

export function wooOrder(id: number, overrides: Partial<WooOrder> = {}): WooOrder {
  return {
    id,
    number: String(id),
    status: 'completed',
    currency: 'USD',
    dateCreatedGmt: '2026-03-01T10:00:00',
    datePaidGmt: '2026-03-01T10:05:00',
    dateCompletedGmt: null,
    total: '10.00',
    totalTax: '0.00',
    shippingTotal: '0.00',
    discountTotal: '0.00',
    customerId: 0,
    billing: { firstName: `First${id}`, lastName: `Last${id}`, company: '', email: `buyer${id}@example.org`, phone: '', address1: `${id} Main St`, address2: '', city: 'Springfield', state: 'IL', postcode: '62701', country: 'US' },
    lineItems: [line(1)],
    refunds: [],
    ...overrides,
  };
}

/** N orders over `products` distinct products, 1–2 lines each, buyers shared by every `buyersEvery` orders. */
export function manyOrders(count: number, options: { products?: number; start?: number } = {}): WooOrder[] {
  const products = options.products ?? 20;
  return Array.from({ length: count }, (_, i) => {
    const id = (options.start ?? 1) + i;
    const first = (id % products) + 1;
    const lines = [line(id * 10 + 1, { name: `Product ${first}`, productId: 1000 + first, sku: `SKU-${first}`, quantity: 1 + (id % 3), price: 5, total: String(5 * (1 + (id % 3))) + '.00' })];
    if (id % 2 === 0) {
      const second = ((id + 7) % products) + 1;
      if (second !== first) lines.push(line(id * 10 + 2, { name: `Product ${second}`, productId: 1000 + second, sku: `SKU-${second}`, quantity: 1, price: 12.5, total: '12.50' }));
    }
    const total = lines.reduce((sum, l) => sum + Number(l.total), 0).toFixed(2);
    return wooOrder(id, { lineItems: lines, total });
  });
}

export function ordersSource(orders: () => readonly WooOrder[], pageSize = 100): ReadOrders {
  return async function* (_siteId, query, signal) {
    const all = orders().filter((o) => query.statuses.includes(o.status) && (!query.after || `${o.dateCreatedGmt}Z` > query.after));
    for (let start = 0; start < all.length; start += pageSize) {
      signal.throwIfAborted();
      yield { items: all.slice(start, start + pageSize), total: all.length };
    }
  };
}

/** The emulator admin's API through the ConnectionRegistry, and the registry's per-site meter. */
export async function registryApi(emu: RunningEmulator, requestTimeoutMs = 10_000): Promise<{ api: OrdersApi; forSite: OrdersServiceOptions['forSite']; accessToken: string; instanceUrl: string; version: string }> {
  const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
  const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-orders-')) });
  const h = connectionsUnderTest({ store, secrets: new InMemorySecretStore(), requestTimeoutMs: () => requestTimeoutMs });
  const identity = { orgId: conn.userInfo!.organizationId, userId: conn.userInfo!.id, username: emu.users[0]!.username, displayName: 'Admin' };
  const dto = await h.registry.register({
    loginUrl: emu.loginUrl, clientId: emu.clientId, clientSecret: undefined, newClientSecret: undefined, callbackPort: 1717,
    instanceUrl: conn.instanceUrl, apiVersion: conn.version, accessToken: conn.accessToken!, refreshToken: conn.refreshToken!, issuedAt: undefined, identity, reauthorizeConnectionId: undefined,
  });
  const jsforce = await h.registry.open(dto.id);
  return {
    api: { request: jsforce.request.bind(jsforce) as OrdersApi['request'] },
    forSite: (siteId, work) => h.registry.meter.forSite(siteId, work),
    accessToken: conn.accessToken!,
    instanceUrl: conn.instanceUrl,
    version: conn.version,
  };
}

export function freshDatabase(): LocalDatabase {
  return openLocalDatabase(localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-ordersdb-'))));
}

export const USD_SETTINGS: OrderSettings = { ...DEFAULT_ORDER_SETTINGS, orgCurrency: 'USD' };

export interface OrdersUnderTest {
  readonly service: OrdersService;
  readonly db: LocalDatabase;
  orders: WooOrder[];
  settings: OrderSettings;
}

export function ordersUnderTest(api: OrdersApi, options: Partial<OrdersServiceOptions> & { orders?: WooOrder[]; settings?: OrderSettings } = {}): OrdersUnderTest {
  const db = options.db ?? freshDatabase();
  const state = { orders: options.orders ?? [], settings: options.settings ?? USD_SETTINGS };
  const service = new OrdersService({
    readOrders: ordersSource(() => state.orders),
    settingsFor: () => state.settings,
    salesforceFor: () => Promise.resolve(api),
    retry: { attempts: 6, baseDelayMs: 20, maxDelayMs: 200 },
    ...options,
    db,
  });
  return Object.assign(state, { service, db });
}

export function addOrderKeyField(emu: RunningEmulator): void {
  emu.handle.addCustomField(undefined, 'Order', { name: 'WC_Order_Id__c', label: 'WooCommerce Order Id', type: 'string', length: 80, externalId: true, unique: true });
}

export type Row = Record<string, unknown>;

export function rows(emu: RunningEmulator, sobject: string): Row[] {
  return emu.handle.records(undefined, sobject) as Row[];
}

/** Products and their active standard entries, as an admin would have them. */
export function seedProducts(emu: RunningEmulator, count: number, price = 5): string[] {
  const ids = emu.handle.seed(undefined, 'Product2', Array.from({ length: count }, (_, i) => ({ Name: `Product ${i + 1}`, ProductCode: `SKU-${i + 1}`, IsActive: true })));
  const standard = String(rows(emu, 'Pricebook2').find((b) => b['IsStandard'] === true)!['Id']);
  emu.handle.seed(undefined, 'PricebookEntry', ids.map((id) => ({ Pricebook2Id: standard, Product2Id: id, UnitPrice: price, IsActive: true })));
  return ids;
}

export function standardBook(emu: RunningEmulator): string {
  return String(rows(emu, 'Pricebook2').find((b) => b['IsStandard'] === true)!['Id']);
}
