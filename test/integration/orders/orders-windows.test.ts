/**
 * Orders are streamed like the users sync (issue 14): pages are read and a window of orders is
 * planned and written before the next pages are read. These tests use small windows (200) so a
 * few hundred orders span several, and check what crosses a window boundary: one Order per
 * WooCommerce order, a buyer seen in two windows becomes one Contact, a product created in the
 * first window is reused (not created again) in the next, the API budget holds, the dry run
 * counts each new record once, and the first window is in Salesforce before the last page is read.
 */
import { describe, expect, it } from 'vitest';
import type { OrdersProgressDto } from '../../../common/orders-models';
import type { WooOrder } from '../../../common/wordpress-models';
import type { ReadOrders } from '../../../main/orders/orders-service';
import { WordpressError } from '../../../main/wordpress/wordpress-errors';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { line, manyOrders, ordersUnderTest, registryApi, rows, seedProducts, USD_SETTINGS, wooOrder } from './support/orders-harness';

const emu = useEmulator();

/** Pages of 100 that record, for each page asked for, how many Orders Salesforce held at that moment. */
function watchedSource(orders: readonly WooOrder[]): { readOrders: ReadOrders; ordersInSalesforceWhenAsked: number[] } {
  const ordersInSalesforceWhenAsked: number[] = [];
  const readOrders: ReadOrders = async function* (_siteId, _query, signal) {
    for (let start = 0; start < orders.length; start += 100) {
      signal.throwIfAborted();
      ordersInSalesforceWhenAsked.push(rows(emu, 'Order').length);
      yield { items: orders.slice(start, start + 100), total: orders.length };
    }
  };
  return { readOrders, ordersInSalesforceWhenAsked };
}

describe('orders in windows', () => {
  it('writes window by window: one Order each, one Contact per buyer and one Product2 per new SKU across windows, within the API budget', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const orders = manyOrders(450);
    // The same buyer in the first and the last window; a new SKU in the first, third and last.
    orders[0] = { ...orders[0]!, billing: { ...orders[0]!.billing, email: 'repeat@example.org' } };
    orders[449] = { ...orders[449]!, billing: { ...orders[449]!.billing, email: 'Repeat@Example.org' } };
    for (const index of [5, 250, 440]) {
      orders[index] = { ...orders[index]!, lineItems: [line(90_000 + index, { name: 'Brand new mug', sku: 'NEW-MUG', price: 7, total: '7.00' })], total: '7.00' };
    }
    const source = watchedSource(orders);
    const progress: OrdersProgressDto[] = [];
    const t = ordersUnderTest(api, { orders, readOrders: source.readOrders, windowSize: 200, onProgress: (event) => progress.push(event), settings: { ...USD_SETTINGS, accountStrategy: 'default-account', defaultAccountId: emu.handle.seed(undefined, 'Account', [{ Name: 'Web shop' }])[0]! } });

    emu.handle.resetApiCalls();
    const run = await t.service.send('site1');
    const calls = emu.handle.apiCalls().total;
    expect(run).toMatchObject({ state: 'completed', total: 450, created: 450, failed: 0 });
    expect(calls).toBeLessThanOrEqual(6 * Math.ceil(450 / 200) + 10);
    expect(run.apiCalls).toBe(calls);

    const keys = rows(emu, 'Order').map((order) => order['OrderReferenceNumber']);
    expect(new Set(keys).size).toBe(450);
    expect(keys).toHaveLength(450);
    expect(rows(emu, 'Contact').filter((c) => String(c['Email']).toLowerCase() === 'repeat@example.org')).toHaveLength(1);
    expect(rows(emu, 'Contact')).toHaveLength(449);
    expect(rows(emu, 'Product2').filter((p) => p['ProductCode'] === 'NEW-MUG')).toHaveLength(1);
    expect(rows(emu, 'PricebookEntry')).toHaveLength(21);
    const newMug = rows(emu, 'Product2').find((p) => p['ProductCode'] === 'NEW-MUG')!['Id'];
    expect(rows(emu, 'OrderItem').filter((item) => item['Product2Id'] === newMug)).toHaveLength(3);

    // Streamed: pages 3 and 4 were asked for only after the first window (200 orders) was in
    // Salesforce, page 5 after the second; the first two pages before anything was written.
    expect(source.ordersInSalesforceWhenAsked).toEqual([0, 0, 200, 200, 400]);
    // Progress says where the whole run is, beside each window's phase.
    expect(progress.at(-1)).toMatchObject({ phase: 'done', ordersDone: 450, ordersTotal: 450 });
    expect(progress.some((event) => event.phase === 'orders' && event.ordersDone === 200 && event.ordersTotal === 450)).toBe(true);

    const again = await t.service.send('site1');
    expect(again).toMatchObject({ unchanged: 450, created: 0, updated: 0, failed: 0 });

    // Reconciliation goes window by window too: every order found, none differing.
    const report = await t.service.reconcile('site1');
    expect(report).toMatchObject({ orders: 450, counts: { ok: 450, missing: 0, failed: 0, 'total-differs': 0 }, rows: [] });
  });

  it('the dry run reads every window, writes nothing, and counts a buyer or product that spans windows once', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const orders = manyOrders(450);
    orders[0] = { ...orders[0]!, billing: { ...orders[0]!.billing, email: 'repeat@example.org' } };
    orders[449] = { ...orders[449]!, billing: { ...orders[449]!.billing, email: 'repeat@example.org' } };
    orders[5] = { ...orders[5]!, lineItems: [line(90_005, { name: 'Brand new mug', sku: 'NEW-MUG' })] };
    orders[440] = { ...orders[440]!, lineItems: [line(90_440, { name: 'Brand new mug', sku: 'NEW-MUG' })] };
    const t = ordersUnderTest(api, { orders, windowSize: 200, rowsLimit: 300 });
    const plan = await t.service.plan('site1');
    expect(plan.orders).toBe(450);
    expect(plan.counts).toMatchObject({ create: 450 });
    expect(plan.creates).toMatchObject({ contacts: 449, products: 1, pricebookEntries: 1 });
    expect(plan.rows).toHaveLength(300);
    expect(plan.rowsTruncated).toBe(true);
    expect(plan.rows.map((row) => row.wooOrderId)).toEqual(orders.slice(0, 300).map((order) => order.id));
    expect(rows(emu, 'Order')).toHaveLength(0);
    expect(rows(emu, 'Contact')).toHaveLength(0);

    // Missing everywhere: reconciliation lists them across windows, capped at the rows limit.
    const report = await t.service.reconcile('site1');
    expect(report).toMatchObject({ orders: 450, counts: { missing: 450 }, rowsTruncated: true });
    expect(report.rows).toHaveLength(300);
    expect(report.rows.map((row) => row.wooOrderId)).toEqual(orders.slice(0, 300).map((order) => order.id));
  });

  it('a page WooCommerce refuses after some windows were written fails the run with the reason, and the next run completes the rest', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const orders = manyOrders(450);
    let refuse = true;
    const readOrders: ReadOrders = async function* (_siteId, _query, signal) {
      for (let start = 0; start < orders.length; start += 100) {
        signal.throwIfAborted();
        if (refuse && start === 300) throw new WordpressError('server-error', 'shop.example.org failed with HTTP 503 while listing WooCommerce orders (page 4).', { status: 503, hint: 'Try again in a few minutes.' });
        yield { items: orders.slice(start, start + 100), total: orders.length };
      }
    };
    const t = ordersUnderTest(api, { orders, readOrders, windowSize: 200 });
    await expect(t.service.send('site1')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('HTTP 503') });
    const [failed] = t.service.runs('site1');
    expect(failed).toMatchObject({ state: 'failed', created: 200, errorCode: 'NETWORK_ERROR', message: expect.stringContaining('page 4') });
    expect(rows(emu, 'Order')).toHaveLength(200);

    refuse = false;
    const rest = await t.service.send('site1');
    expect(rest).toMatchObject({ state: 'completed', created: 250, unchanged: 200, failed: 0 });
    expect(new Set(rows(emu, 'Order').map((order) => order['OrderReferenceNumber'])).size).toBe(450);
  });

  it('a window boundary does not split what belongs together: a replay of two orders in different windows', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const orders = [...manyOrders(300), wooOrder(301, { lineItems: [line(3011, { name: 'Product 1', sku: 'SKU-1' })] })];
    const t = ordersUnderTest(api, { orders, windowSize: 200 });
    const run = await t.service.send('site1', { orderIds: [2, 301] });
    expect(run).toMatchObject({ kind: 'replay', total: 2, created: 2 });
    expect(rows(emu, 'Order').map((order) => order['OrderReferenceNumber']).sort()).toEqual(['2', '301']);
  });
});
