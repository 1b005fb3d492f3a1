/**
 * Orders from the real test WordPress (the WooCommerce routes of the test-only plugin, seeded
 * guests, refunds, several currencies, free items) through the WordPress client — the port
 * main/app gives the orders feature — into the Salesforce emulator.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDER_SETTINGS } from '../../../../common/orders-models';
import type { ReadOrders } from '../../../../main/orders/orders-service';
import { round2, unitPriceOf } from '../../../../main/orders/order-planner';
import { useEmulator } from '../../../salesforce-emulator/use-emulator';
import { ordersUnderTest, registryApi, rows } from '../../orders/support/orders-harness';
import { clientFor, collect, wordpress } from '../wordpress-support';

const emu = useEmulator();

const readOrders: ReadOrders = async function* (_siteId, query, signal) {
  const { client } = clientFor(wordpress.main);
  for await (const page of client.orders({ status: query.statuses, ...(query.after ? { after: query.after } : {}), signal })) yield { items: page.items, total: page.total };
};

describe('WooCommerce orders from a real WordPress', () => {
  it('sends completed and processing orders once each, refuses other currencies with a message, and reconciles', async () => {
    const all = await collect(clientFor(wordpress.main).client.orders({ status: ['completed', 'processing'] }));
    const sendable = all.filter((order) => order.currency === 'USD' && order.lineItems.some((item) => item.quantity > 0));
    // Salesforce's Contact.Email holds 80 characters; the seed has a longer address on purpose.
    const tooLong = sendable.filter((order) => order.billing.email.length > 80);
    const usd = sendable.filter((order) => !tooLong.includes(order));
    expect(tooLong.length).toBeGreaterThan(0);
    const others = all.filter((order) => order.currency !== 'USD');
    expect(usd.length).toBeGreaterThan(10);
    expect(others.length).toBeGreaterThan(0);

    const { api } = await registryApi(emu);
    const t = ordersUnderTest(api, { readOrders, settings: { ...DEFAULT_ORDER_SETTINGS, orgCurrency: 'USD', orderKeyPrefix: 'main-' } });
    const plan = await t.service.plan('main');
    expect(plan.orders).toBe(all.length);
    expect(plan.counts.create).toBe(sendable.length);
    expect(rows(emu, 'Order')).toHaveLength(0);

    const run = await t.service.send('main');
    // One bad record fails its own order with Salesforce's words, never the batch.
    const failed = t.service.journal.records(run.id, { outcome: 'failed' }).rows;
    expect(failed.map((r) => r.wc_order_id)).toEqual(tooLong.map((o) => o.id));
    expect(failed.every((r) => r.error_code === 'STRING_TOO_LONG' && /Email: data value too large/.test(r.error_message ?? ''))).toBe(true);
    expect(run).toMatchObject({ state: 'completed', created: usd.length, failed: tooLong.length });
    const sent = rows(emu, 'Order');
    for (const order of usd) {
      const found = sent.filter((o) => o['OrderReferenceNumber'] === `main-${order.id}`);
      expect(found, `order ${order.id}`).toHaveLength(1);
      const expected = round2(order.lineItems.filter((i) => i.quantity > 0).reduce((sum, i) => sum + round2(i.quantity * unitPriceOf(i)), 0));
      expect(Number(found[0]!['TotalAmount'])).toBe(expected);
      const contact = rows(emu, 'Contact').find((c) => c['Id'] === found[0]!['BillToContactId'])!;
      expect(String(contact['Email']).toLowerCase()).toBe(order.billing.email.toLowerCase());
    }
    const records = t.service.journal.records(run.id, { outcome: 'invalid' }).rows;
    expect(records.map((r) => r.wc_order_id).sort((a, b) => a - b)).toEqual(others.map((o) => o.id).sort((a, b) => a - b));
    expect(records.every((r) => r.error_code === 'CURRENCY_MISMATCH')).toBe(true);

    // Guests and customers buying twice share one Contact: one per e-mail, whatever its case.
    const emails = rows(emu, 'Contact').map((c) => String(c['Email']).toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);

    expect(await t.service.send('main')).toMatchObject({ created: 0, updated: 0, unchanged: usd.length, failed: tooLong.length });
    const report = await t.service.reconcile('main');
    expect(report.counts).toMatchObject({ ok: usd.length, missing: 0, 'total-differs': 0, failed: others.length + tooLong.length });
    expect(report.rows.filter((row) => row.errorCode === 'CURRENCY_MISMATCH')).toHaveLength(others.length);
    expect(report.rows.filter((row) => row.errorCode === 'STRING_TOO_LONG')).toHaveLength(tooLong.length);
  });
});
