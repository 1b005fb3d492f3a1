/**
 * Sending WooCommerce orders to the Salesforce emulator, whose Order, OrderItem, Product2,
 * Pricebook2 and PricebookEntry come from the reference describes and enforce Salesforce's
 * order rules with its error texts. Each test reads what Salesforce holds afterwards.
 */
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { addOrderKeyField, line, manyOrders, ordersUnderTest, registryApi, rows, seedProducts, standardBook, USD_SETTINGS, wooOrder, type Row } from './support/orders-harness';

const emu = useEmulator();

function ordersByKey(field = 'OrderReferenceNumber'): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const order of rows(emu, 'Order')) map.set(String(order[field]), [...(map.get(String(order[field])) ?? []), order]);
  return map;
}

function itemsOf(orderId: unknown): Row[] {
  return rows(emu, 'OrderItem').filter((item) => item['OrderId'] === orderId);
}

describe('sending orders', () => {
  it('creates each order once with its items, buyer Contact as BillToContactId and per-customer Account; a re-send changes nothing', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const t = ordersUnderTest(api, { orders: manyOrders(30) });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ state: 'completed', total: 30, created: 30, failed: 0 });
    const byKey = ordersByKey();
    for (const order of t.orders) {
      const found = byKey.get(String(order.id)) ?? [];
      expect(found, `order ${order.id}`).toHaveLength(1);
      const sf = found[0]!;
      expect(sf).toMatchObject({ StatusCode: 'Draft', Status: 'Draft', EffectiveDate: '2026-03-01', Pricebook2Id: standardBook(emu), BillingCity: 'Springfield' });
      expect(Number(sf['TotalAmount'])).toBe(Number(order.total));
      expect(itemsOf(sf['Id'])).toHaveLength(order.lineItems.length);
      const contact = rows(emu, 'Contact').find((c) => c['Id'] === sf['BillToContactId'])!;
      expect(contact).toMatchObject({ Email: order.billing.email, LastName: order.billing.lastName, AccountId: sf['AccountId'] });
      expect(rows(emu, 'Account').find((a) => a['Id'] === sf['AccountId'])).toMatchObject({ Name: `${order.billing.firstName} ${order.billing.lastName}` });
    }
    expect(rows(emu, 'Product2')).toHaveLength(20);

    const again = await t.service.send('site1');
    expect(again).toMatchObject({ state: 'completed', unchanged: 30, created: 0, updated: 0 });
    expect(rows(emu, 'Order')).toHaveLength(30);
    expect(rows(emu, 'Contact')).toHaveLength(30);
    expect(rows(emu, 'Account')).toHaveLength(30);
  });

  it('costs at most 6·ceil(N/200)+10 API calls for N new orders with known products', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 20);
    const t = ordersUnderTest(api, { orders: manyOrders(450), settings: { ...USD_SETTINGS, accountStrategy: 'default-account', defaultAccountId: emu.handle.seed(undefined, 'Account', [{ Name: 'Web shop' }])[0]! } });
    emu.handle.resetApiCalls();
    const run = await t.service.send('site1');
    const calls = emu.handle.apiCalls().total;
    expect(run).toMatchObject({ created: 450, failed: 0 });
    expect(calls).toBeLessThanOrEqual(6 * Math.ceil(450 / 200) + 10);
    expect(run.apiCalls).toBe(calls);
  });

  it('keeps the WooCommerce id in WC_Order_Id__c when the org has it (creates go as upserts) and updates a Draft order that changed', async () => {
    addOrderKeyField(emu);
    const { api } = await registryApi(emu);
    seedProducts(emu, 5);
    const t = ordersUnderTest(api, { orders: [wooOrder(7, { lineItems: [line(71, { sku: 'SKU-1', name: 'Product 1' })] })], settings: { ...USD_SETTINGS, orderKeyPrefix: 'shop1-' } });
    const plan = await t.service.plan('site1');
    expect(plan).toMatchObject({ keyField: 'WC_Order_Id__c', counts: { create: 1 } });
    await t.service.send('site1');
    const [order] = rows(emu, 'Order');
    expect(order).toMatchObject({ WC_Order_Id__c: 'shop1-7' });
    expect(order!['OrderReferenceNumber'] ?? null).toBeNull();
    expect(emu.handle.requestLog({ kind: 'composite' }).entries.some((e) => e.method === 'PATCH' && e.path.endsWith('/composite/sobjects/Order/WC_Order_Id__c'))).toBe(true);

    // WooCommerce changed: a second line and a new quantity. The Draft order is updated in place.
    t.orders = [wooOrder(7, { lineItems: [line(71, { sku: 'SKU-1', name: 'Product 1', quantity: 3, total: '30.00' }), line(72, { sku: 'SKU-2', name: 'Product 2' })], total: '40.00' })];
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ updated: 1, created: 0 });
    expect(rows(emu, 'Order')).toHaveLength(1);
    expect(itemsOf(order!['Id']).map((i) => [i['Quantity'], i['UnitPrice']])).toEqual([[3, 10], [1, 10]]);
    expect(rows(emu, 'Order')[0]!['TotalAmount']).toBe(40);
  });

  it('activates after the items when asked, and reports an activated order that differs instead of modifying it', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 5);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { lineItems: [line(11, { sku: 'SKU-1' })] })], settings: { ...USD_SETTINGS, activate: true } });
    await t.service.send('site1');
    const [order] = rows(emu, 'Order');
    expect(order).toMatchObject({ Status: 'Activated', StatusCode: 'Activated' });

    t.orders = [wooOrder(1, { lineItems: [line(11, { sku: 'SKU-1' }), line(12, { sku: 'SKU-2' })], total: '20.00' })];
    const plan = await t.service.plan('site1');
    expect(plan.rows[0]).toMatchObject({ class: 'locked' });
    expect(plan.rows[0]!.detail).toMatch(/Activated in Salesforce.*add “Product 12”/);
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ locked: 1, failed: 0, updated: 0 });
    expect(itemsOf(order!['Id'])).toHaveLength(1);
    const page = t.service.journal.records(run.id);
    expect(page.rows[0]).toMatchObject({ outcome: 'locked', error_code: 'ORDER_ACTIVATED' });
  });

  it('matches the buyer Contact by e-mail whatever its case and uses its Account (contact-account); guests without one go to the default Account', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 2);
    const [acme, fallback] = emu.handle.seed(undefined, 'Account', [{ Name: 'Acme' }, { Name: 'Web shop' }]);
    const [ann] = emu.handle.seed(undefined, 'Contact', [{ LastName: "O'Brien", Email: 'Ann.OBrien@Example.org', AccountId: acme }]);
    const t = ordersUnderTest(api, {
      orders: [
        wooOrder(1, { customerId: 5, billing: { ...wooOrder(1).billing, email: 'ann.obrien@example.org', lastName: "O'Brien" } }),
        wooOrder(2, { billing: { ...wooOrder(2).billing, email: 'guest@example.org' } }),
      ],
      settings: { ...USD_SETTINGS, accountStrategy: 'contact-account', defaultAccountId: fallback! },
    });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ created: 2, failed: 0 });
    const byKey = ordersByKey();
    expect(byKey.get('1')![0]).toMatchObject({ BillToContactId: ann, AccountId: acme });
    const guest = rows(emu, 'Contact').find((c) => c['Email'] === 'guest@example.org')!;
    expect(byKey.get('2')![0]).toMatchObject({ BillToContactId: guest['Id'], AccountId: fallback });
    expect(guest['AccountId']).toBe(fallback);
    expect(rows(emu, 'Contact')).toHaveLength(2);
  });

  it('names a per-customer Account from the billing company, and puts everything on one Account with default-account', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 2);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { billing: { ...wooOrder(1).billing, company: 'Bücher & Co' } }), wooOrder(2, { billing: { ...wooOrder(2).billing, email: 'buyer1@example.org' } })] });
    await t.service.send('site1');
    expect(rows(emu, 'Account').map((a) => a['Name'])).toEqual(['Bücher & Co']);
    expect(new Set(rows(emu, 'Order').map((o) => o['AccountId'])).size).toBe(1);

    emu.handle.reset();
    const again = await registryApi(emu);
    seedProducts(emu, 2);
    const [shop] = emu.handle.seed(undefined, 'Account', [{ Name: 'Web shop' }]);
    const u = ordersUnderTest(again.api, { orders: [wooOrder(1), wooOrder(2)], settings: { ...USD_SETTINGS, accountStrategy: 'default-account', defaultAccountId: shop! } });
    await u.service.send('site1');
    expect(rows(emu, 'Order').map((o) => o['AccountId'])).toEqual([shop, shop]);
    expect(rows(emu, 'Account')).toHaveLength(1);
  });

  it('matches products by SKU, then name, then the mapping table; creates a missing Product2 with an active standard price', async () => {
    const { api } = await registryApi(emu);
    const [bySku, byName, mapped] = emu.handle.seed(undefined, 'Product2', [{ Name: 'Mug', ProductCode: 'MUG-1', IsActive: true }, { Name: 'Poster', IsActive: true }, { Name: 'Gift card', IsActive: true }]);
    const book = standardBook(emu);
    emu.handle.seed(undefined, 'PricebookEntry', [bySku, byName, mapped].map((id) => ({ Pricebook2Id: book, Product2Id: id, UnitPrice: 1, IsActive: true })));
    const t = ordersUnderTest(api, {
      orders: [wooOrder(1, { lineItems: [line(1, { sku: 'mug-1', name: 'Mug (blue)' }), line(2, { sku: '', name: 'poster' }), line(3, { sku: 'GC', name: 'Card', productId: 555 }), line(4, { sku: 'NEW-9', name: 'New thing', price: 9, total: '9.00' })], total: '39.00' })],
      settings: { ...USD_SETTINGS, productMappings: [{ wooProductId: 555, product2Id: mapped! }] },
    });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ created: 1, failed: 0 });
    const items = rows(emu, 'OrderItem');
    expect(items.map((i) => i['Product2Id']).slice(0, 3)).toEqual([bySku, byName, mapped]);
    const created = rows(emu, 'Product2').find((p) => p['ProductCode'] === 'NEW-9')!;
    expect(created).toMatchObject({ Name: 'New thing', IsActive: true });
    expect(rows(emu, 'PricebookEntry').find((e) => e['Product2Id'] === created['Id'])).toMatchObject({ Pricebook2Id: book, IsActive: true, UnitPrice: 9 });
  });

  it('uses a custom price book: the standard entry is ensured first, then the custom one', async () => {
    const { api } = await registryApi(emu);
    const [custom] = emu.handle.seed(undefined, 'Pricebook2', [{ Name: 'Web prices', IsActive: true }]);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { lineItems: [line(1, { sku: 'X-1', name: 'X' })] })], settings: { ...USD_SETTINGS, pricebookId: custom! } });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ created: 1, failed: 0 });
    const entries = rows(emu, 'PricebookEntry');
    expect(entries.map((e) => e['Pricebook2Id'])).toEqual([standardBook(emu), custom]);
    expect(rows(emu, 'Order')[0]).toMatchObject({ Pricebook2Id: custom });
    expect(rows(emu, 'OrderItem')[0]).toMatchObject({ PricebookEntryId: entries[1]!['Id'] });
  });

  it('reports an inactive price book entry, a currency the single-currency org does not use, and sends the rest', async () => {
    const { api } = await registryApi(emu);
    const [product] = emu.handle.seed(undefined, 'Product2', [{ Name: 'Old', ProductCode: 'OLD', IsActive: true }]);
    emu.handle.seed(undefined, 'PricebookEntry', [{ Pricebook2Id: standardBook(emu), Product2Id: product, UnitPrice: 3, IsActive: false }]);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { lineItems: [line(1, { sku: 'OLD' })] }), wooOrder(2, { currency: 'EUR' }), wooOrder(3)] });
    const plan = await t.service.plan('site1');
    expect(rows(emu, 'Order')).toHaveLength(0);
    expect(plan.counts).toMatchObject({ create: 1, invalid: 2 });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ created: 1, invalid: 2 });
    const records = t.service.journal.records(run.id).rows;
    expect(records.find((r) => r.wc_order_id === 1)).toMatchObject({ outcome: 'invalid', error_code: 'INACTIVE_PRICEBOOK_ENTRY' });
    expect(records.find((r) => r.wc_order_id === 2)!.error_message).toMatch(/in EUR, but the org is single-currency \(USD\)/);
  });

  it('records Salesforce’s own error per order and never fails the batch for one bad record', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 2);
    const t = ordersUnderTest(api, { orders: [wooOrder(1, { billing: { ...wooOrder(1).billing, email: 'jane@@example.org' } }), wooOrder(2), wooOrder(3)] });
    const run = await t.service.send('site1');
    expect(run).toMatchObject({ state: 'completed', created: 2, failed: 1 });
    const bad = t.service.journal.records(run.id).rows.find((r) => r.wc_order_id === 1)!;
    expect(bad.error_code).toBe('INVALID_EMAIL_ADDRESS');
    expect(bad.error_message).toMatch(/Contact jane@@example.org could not be created/);
    expect(ordersByKey().get('1')).toBeUndefined();
  });

  it('reconciles: missing orders, failed ones with the error, totals that differ; a replay sends only the chosen ones', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 3);
    const t = ordersUnderTest(api, { orders: [wooOrder(1), wooOrder(2, { billing: { ...wooOrder(2).billing, email: 'bad@@x' } })] });
    await t.service.send('site1');
    t.orders = [...t.orders, wooOrder(3)];
    // Someone changed the order in Salesforce: its total no longer matches WooCommerce.
    const first = rows(emu, 'OrderItem')[0]!;
    await api.request({ method: 'PATCH', url: `/sobjects/OrderItem/${String(first['Id'])}`, body: JSON.stringify({ Quantity: 2 }), headers: { 'content-type': 'application/json' } });
    const report = await t.service.reconcile('site1');
    expect(report.counts).toEqual({ ok: 0, missing: 1, failed: 1, 'total-differs': 1 });
    expect(report.rows.find((r) => r.wooOrderId === 2)).toMatchObject({ state: 'failed', errorCode: 'INVALID_EMAIL_ADDRESS' });
    expect(report.rows.find((r) => r.wooOrderId === 1)).toMatchObject({ state: 'total-differs', itemsTotal: 10, salesforceTotal: 20 });

    const replay = await t.service.send('site1', { orderIds: [3] });
    expect(replay).toMatchObject({ kind: 'replay', total: 1, created: 1 });
    expect((await t.service.reconcile('site1')).counts.missing).toBe(0);
  });
});
