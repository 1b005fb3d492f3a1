/**
 * What goes wrong between ForceSites and Salesforce during an orders run, against the
 * emulator: answers lost after Salesforce committed (found again by key, never sent twice),
 * 503s and dropped connections (retried with jitter), the org running out of API requests
 * (the run stops, journal intact, the next run finishes), and Salesforce refusing records
 * that changed after the plan (its own error per order; the next run completes them). Also
 * which orders a run reads: since the last completed run, or a date range.
 */
import { describe, expect, it } from 'vitest';
import type { OrdersApi } from '../../../main/orders/order-lookups';
import type { SalesforceRequest } from '../../../main/salesforce/salesforce-api';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { line, manyOrders, ordersUnderTest, registryApi, rows, seedProducts, USD_SETTINGS, wooOrder, type Row } from './support/orders-harness';

const emu = useEmulator();

function expectOncePerOrder(ids: readonly number[]): Row[] {
  const orders = rows(emu, 'Order');
  for (const id of ids) expect(orders.filter((o) => o['OrderReferenceNumber'] === String(id)), `order ${id}`).toHaveLength(1);
  expect(orders).toHaveLength(ids.length);
  return orders;
}

/** The API, except that the answers of the first write matching `lose` vanish after Salesforce committed it. */
function losingAnswers(api: OrdersApi, lose: (request: SalesforceRequest) => boolean): { api: OrdersApi; lost: () => number } {
  let lost = 0;
  return {
    lost: () => lost,
    api: {
      request: async <T,>(request: string | SalesforceRequest): Promise<T> => {
        const answer = await api.request<T>(request);
        if (typeof request === 'object' && lost === 0 && lose(request)) {
          lost += 1;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return answer;
      },
    },
  };
}

const isCreateOf = (sobject: string) => (request: SalesforceRequest) => request.method === 'POST' && request.url === '/composite/sobjects' && (request.body ?? '').includes(`"type":"${sobject}"`);

describe('orders when Salesforce misbehaves', () => {
  it('a lost answer to an Orders create is found by key, not sent again', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const wrapped = losingAnswers(api, isCreateOf('Order'));
    const t = ordersUnderTest(wrapped.api, { orders: manyOrders(250) });
    emu.handle.clearRequestLog();
    const run = await t.service.send('site1');
    expect(wrapped.lost()).toBe(1);
    expect(run).toMatchObject({ state: 'completed', created: 250, failed: 0 });
    const orders = expectOncePerOrder(t.orders.map((o) => o.id));
    // Two Order creates (200 + 50), each sent once: the lost one was found, not repeated.
    const creates = emu.handle.requestLog({ kind: 'composite' }).entries.filter((e) => e.method === 'POST');
    expect(creates.length).toBe(2 /* Accounts */ + 2 /* Contacts */ + 2 /* Orders */ + Math.ceil(rows(emu, 'OrderItem').length / 200));
    for (const order of orders) expect(rows(emu, 'OrderItem').filter((i) => i['OrderId'] === order['Id']).length).toBeGreaterThan(0);
  });

  it('a lost answer to an OrderItem create is found by its WooCommerce line, not duplicated', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const wrapped = losingAnswers(api, isCreateOf('OrderItem'));
    const t = ordersUnderTest(wrapped.api, { orders: manyOrders(150) });
    const run = await t.service.send('site1');
    expect(wrapped.lost()).toBe(1);
    expect(run).toMatchObject({ created: 150, failed: 0 });
    const items = rows(emu, 'OrderItem');
    expect(items).toHaveLength(t.orders.reduce((sum, o) => sum + o.lineItems.length, 0));
    expect(new Set(items.map((i) => `${String(i['OrderId'])}|${String(i['Description'])}`)).size).toBe(items.length);
  });

  it('503s and dropped connections are retried with back-off; every order ends up in Salesforce once', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const t = ordersUnderTest(api, { orders: manyOrders(300), retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 40 } });
    emu.handle.setFaults({ seed: 7, error503Rate: 0.2, dropRate: 0.1 });
    const run = await t.service.send('site1');
    emu.handle.clearFaults();
    expect(run).toMatchObject({ state: 'completed', created: 300, failed: 0 });
    expectOncePerOrder(t.orders.map((o) => o.id));
    expect(emu.handle.requestLog().entries.some((e) => e.status === 503)).toBe(true);
  });

  it('stops when the org runs out of API requests, keeps the journal, and the next run finishes without duplicates', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const t = ordersUnderTest(api, { orders: manyOrders(450) });
    const used = emu.handle.apiCalls().total;
    emu.handle.configureOrg(undefined, { dailyApiMax: used + 12 });
    await expect(t.service.send('site1')).rejects.toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', hint: expect.stringMatching(/journal saved/) });
    const stopped = t.service.runs('site1')[0]!;
    expect(stopped).toMatchObject({ state: 'failed', errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(rows(emu, 'Order').length).toBeLessThan(450);
    emu.handle.configureOrg(undefined, { dailyApiMax: 1_000_000 });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ state: 'completed', failed: 0 });
    expectOncePerOrder(t.orders.map((o) => o.id));
    expect(rows(emu, 'OrderItem')).toHaveLength(t.orders.reduce((sum, o) => sum + o.lineItems.length, 0));
  });

  it('records Salesforce’s own refusal when a price book entry is switched off after the plan, and completes the order once it is back on', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 1);
    const entry = rows(emu, 'PricebookEntry')[0]!;
    const json = () => ({ 'content-type': 'application/json' });
    const t = ordersUnderTest(api, {
      orders: [wooOrder(1, { lineItems: [line(1, { sku: 'SKU-1' })] })],
      beforeSend: async (stage) => {
        if (stage === 'order-items') await api.request({ method: 'PATCH', url: `/sobjects/PricebookEntry/${String(entry['Id'])}`, headers: json(), body: JSON.stringify({ IsActive: false }) });
      },
    });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ failed: 1 });
    const [record] = t.service.journal.records(run.id).rows;
    expect(record).toMatchObject({ outcome: 'failed', error_code: 'FIELD_INTEGRITY_EXCEPTION' });
    expect(record!.error_message).toMatch(/^The Order is in Salesforce, but not all of its products: Line 1: .*inactive/);
    expect(rows(emu, 'OrderItem')).toHaveLength(0);

    await api.request({ method: 'PATCH', url: `/sobjects/PricebookEntry/${String(entry['Id'])}`, headers: json(), body: JSON.stringify({ IsActive: true }) });
    const retry = ordersUnderTest(api, { db: t.db, orders: t.orders });
    expect(await retry.service.send('site1')).toMatchObject({ updated: 1, failed: 0 });
    expect(rows(emu, 'OrderItem')).toHaveLength(1);
    expectOncePerOrder([1]);
  });

  it('records ENTITY_IS_LOCKED when someone activates the order before its new products arrive', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 2);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { lineItems: [line(1, { sku: 'SKU-1' })] })] });
    await t.service.send('site1');
    const order = rows(emu, 'Order')[0]!;
    t.orders = [wooOrder(1, { lineItems: [line(1, { sku: 'SKU-1' }), line(2, { sku: 'SKU-2' })], total: '20.00' })];
    const u = ordersUnderTest(api, {
      db: t.db,
      orders: t.orders,
      beforeSend: async (stage) => {
        if (stage === 'order-items') await api.request({ method: 'PATCH', url: `/sobjects/Order/${String(order['Id'])}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Status: 'Activated' }) });
      },
    });
    const run = await u.service.send('site1');
    expect(t.service.journal.records(run.id).rows[0]).toMatchObject({ outcome: 'failed', error_code: 'ENTITY_IS_LOCKED' });
    expect(rows(emu, 'OrderItem')).toHaveLength(1);
    // Now the plan sees it activated: reported, never touched.
    expect((await u.service.plan('site1')).rows[0]).toMatchObject({ class: 'locked' });
  });

  it('Cancel stops after the batches in flight; the run says so and the next run finishes the rest once', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const holder: { service?: { cancel(siteId: string): boolean } } = {};
    let cancelled = false;
    const t = ordersUnderTest(api, {
      orders: manyOrders(450),
      concurrency: 1,
      beforeSend: (stage, batchId) => {
        if (!cancelled && stage === 'orders' && batchId > 0 && rows(emu, 'Order').length > 0) cancelled = holder.service?.cancel('site1') ?? false;
      },
    });
    holder.service = t.service;
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ state: 'cancelled', errorCode: 'CANCELLED' });
    // The batch being sent when Cancel came finishes; no later batch, no items stage.
    expect(rows(emu, 'Order').length).toBe(400);
    expect(rows(emu, 'OrderItem')).toHaveLength(0);
    const rest = await t.service.send('site1');
    expect(rest).toMatchObject({ state: 'completed', created: 50, updated: 400, failed: 0 });
    expect(rows(emu, 'OrderItem')).toHaveLength(t.orders.reduce((sum, o) => sum + o.lineItems.length, 0));
    expectOncePerOrder(t.orders.map((o) => o.id));
  });

  it('reads only the orders created since the last completed run, or in the date range', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 2);
    const t = ordersUnderTest(api, { orders: [wooOrder(1), wooOrder(2, { dateCreatedGmt: '2026-05-10T08:00:00' })], settings: { ...USD_SETTINGS, dateMode: 'since-last-sync' } });
    expect(await t.service.send('site1')).toMatchObject({ total: 2, created: 2 });
    t.orders = [...t.orders, wooOrder(3, { dateCreatedGmt: '2099-01-01T00:00:00' })];
    expect(await t.service.send('site1')).toMatchObject({ total: 1, created: 1 });

    t.settings = { ...USD_SETTINGS, dateMode: 'range', dateFrom: '2026-05-01', dateTo: '2026-05-31' };
    const plan = await t.service.plan('site1');
    expect(plan.rows.map((r) => r.wooOrderId)).toEqual([2]);
    expect((await t.service.plan('site1', { since: '2026-03-01' })).orders).toBe(3);
  });
});
