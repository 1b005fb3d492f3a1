import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDER_SETTINGS, type OrdersPlanDto, type OrdersReconcileDto, type OrdersRunDto } from '../../../common/orders-models';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';

const plan = (overrides: Partial<OrdersPlanDto> = {}): OrdersPlanDto => ({
  siteId: 'site-1',
  orders: 3,
  counts: { create: 1, update: 0, unchanged: 0, locked: 1, invalid: 1 },
  creates: { accounts: 1, contacts: 1, products: 0, pricebookEntries: 0, orderItems: 2, activations: 0 },
  keyField: 'WC_Order_Id__c',
  multiCurrency: false,
  pricebook: { id: '01s000000000001AAA', name: 'Standard Price Book', standard: true },
  draftStatus: 'Draft',
  activatedStatus: 'Activated',
  planCalls: 6,
  writeCalls: 4,
  rows: [
    { wooOrderId: 3, number: '3', key: '3', class: 'invalid', salesforceId: null, buyerEmail: 'eve@example.org', currency: 'EUR', wooTotal: '9.00', itemsTotal: 9, items: 1, detail: 'The order is in EUR, but the org is single-currency (USD).' },
    { wooOrderId: 2, number: '2', key: '2', class: 'locked', salesforceId: '801000000000002AAA', buyerEmail: 'bob@example.org', currency: 'USD', wooTotal: '20.00', itemsTotal: 20, items: 2, detail: 'Activated in Salesforce, so ForceSites leaves it as it is.' },
    { wooOrderId: 1, number: '1', key: '1', class: 'create', salesforceId: null, buyerEmail: 'ann@example.org', currency: 'USD', wooTotal: '10.00', itemsTotal: 10, items: 2, detail: null },
  ],
  rowsTruncated: false,
  plannedAt: '2026-12-01T05:00:00.000Z',
  ...overrides,
});

const run = (overrides: Partial<OrdersRunDto> = {}): OrdersRunDto => ({
  id: 'run-1', siteId: 'site-1', state: 'completed', kind: 'send', startedAt: '2026-12-01T05:00:00.000Z', finishedAt: '2026-12-01T05:00:02.000Z',
  total: 3, created: 1, updated: 0, unchanged: 0, locked: 1, invalid: 1, failed: 0, apiCalls: 10, errorCode: null, message: null,
  ...overrides,
});

const report: OrdersReconcileDto = {
  siteId: 'site-1',
  orders: 4,
  counts: { ok: 1, missing: 1, failed: 1, 'total-differs': 1 },
  rows: [
    { wooOrderId: 4, number: '4', key: '4', state: 'missing', salesforceId: null, wooTotal: '5.00', itemsTotal: 5, salesforceTotal: null, errorCode: null, errorMessage: null },
    { wooOrderId: 5, number: '5', key: '5', state: 'failed', salesforceId: null, wooTotal: '7.00', itemsTotal: 7, salesforceTotal: null, errorCode: 'INVALID_EMAIL_ADDRESS', errorMessage: 'Email: invalid email address: jane@@example.org' },
    { wooOrderId: 6, number: '6', key: '6', state: 'total-differs', salesforceId: '801000000000006AAA', wooTotal: '8.00', itemsTotal: 8, salesforceTotal: 16, errorCode: null, errorMessage: null },
  ],
  rowsTruncated: false,
  apiCalls: 4,
  checkedAt: '2026-12-01T05:00:00.000Z',
};

function setUp() {
  const bridge = fakeBridge();
  bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
  bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-1' })]);
  bridge.respond('orders:runs', []);
  bridge.respond('orders:settings', { ...DEFAULT_ORDER_SETTINGS });
  return bridge;
}

describe('Orders page', () => {
  it('previews (counts, records created first, calls, why an order cannot go) before anything is sent', async () => {
    const bridge = setUp();
    bridge.respond('orders:plan', plan());
    await renderApp('orders');
    expect((await screen.findByRole('button', { name: 'Send orders' })).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Preview' });
    expect(preview.textContent).toMatch(/3 orders: 1 new, 0 to update, 0 unchanged, 1 activated and different \(left as they are\), 1 cannot be sent/);
    expect(preview.textContent).toMatch(/1 Accounts, 1 Contacts.*2 order\s+products.*About 4 API calls \(the preview used 6\)/);
    expect(preview.textContent).toMatch(/kept in WC_Order_Id__c/);
    const items = within(within(preview).getByRole('list', { name: 'Orders' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^#3 Cannot send .*single-currency \(USD\)/),
      expect.stringMatching(/^#2 Activated, differs/),
      expect.stringMatching(/^#1 New · ann@example.org · 2 products, 10.00 USD$/),
    ]);
    expect(bridge.calls.filter((c) => c.channel === 'orders:send')).toEqual([]);
  });

  it('sends, shows progress with Cancel, then lists the run and its per-order outcomes', async () => {
    const bridge = setUp();
    bridge.respond('orders:plan', plan());
    bridge.respond('orders:send', { runId: 'run-1' });
    bridge.respond('orders:cancel', { cancelled: true });
    bridge.respond('orders:run', (request) => ({ run: run(), total: 1, records: [{ wooOrderId: 3, key: '3', salesforceId: null, outcome: request.outcome ?? 'invalid', errorCode: 'CURRENCY_MISMATCH', errorMessage: 'The order is in EUR', wooTotal: '9.00', itemsTotal: 9 }] }));
    await renderApp('orders');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Preview' });
    fireEvent.click(screen.getByRole('button', { name: 'Send orders' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'orders:send')?.request).toEqual({ siteId: 'site-1' }));
    act(() => bridge.emit('orders:progress', { siteId: 'site-1', runId: 'run-1', phase: 'order-items', done: 200, total: 400 }));
    const progress = await screen.findByRole('region', { name: 'Progress' });
    expect(progress.textContent).toMatch(/Writing order products: 200 of 400/);
    // A run of several windows also says where the whole run is.
    act(() => bridge.emit('orders:progress', { siteId: 'site-1', runId: 'run-1', phase: 'order-items', done: 300, total: 400, ordersDone: 2000, ordersTotal: 5000 }));
    expect(progress.textContent).toMatch(/Writing order products: 300 of 400.*2,000 of 5,000 orders done/);
    fireEvent.click(within(progress).getByRole('button', { name: 'Cancel' }));
    expect(bridge.calls.find((c) => c.channel === 'orders:cancel')?.request).toEqual({ siteId: 'site-1' });
    bridge.respond('orders:runs', [run()]);
    act(() => bridge.emit('orders:progress', { siteId: 'site-1', runId: 'run-1', phase: 'done', done: 400, total: 400 }));
    expect((await screen.findAllByText(/1 created, 0 updated, 0 unchanged, 0 failed, 1 not sendable, 1 activated and different · 10 API calls/)).length).toBeGreaterThan(0);
    const records = await screen.findByRole('region', { name: 'Run orders' });
    await within(records).findByText(/#3 → not in Salesforce: invalid — CURRENCY_MISMATCH: The order is in EUR/);
  });

  it('reconciles: missing, failed with Salesforce’s error, totals that differ; Replay sends those orders only', async () => {
    const bridge = setUp();
    bridge.respond('orders:reconcile', report);
    bridge.respond('orders:send', { runId: 'run-2' });
    bridge.respond('orders:run', { run: run({ id: 'run-2', kind: 'replay' }), total: 0, records: [] });
    await renderApp('orders');
    fireEvent.click(await screen.findByRole('button', { name: 'Reconcile' }));
    const view = await screen.findByRole('region', { name: 'Reconciliation' });
    expect(view.textContent).toMatch(/4 WooCommerce orders: 1 match, 1 missing in Salesforce, 1 failed, 1 with a different total/);
    const rows = within(view).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/#4Missing in Salesforce.*Not sent yet/),
      expect.stringMatching(/#5Failed.*INVALID_EMAIL_ADDRESS: Email: invalid email address: jane@@example.org/),
      expect.stringMatching(/#6Total differs.*items 8.00.*16.00 \(801000000000006AAA\)/),
    ]);
    fireEvent.click(within(view).getByRole('button', { name: 'Replay 3 orders' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'orders:send')?.request).toEqual({ siteId: 'site-1', orderIds: [4, 5, 6] }));
  });

  it('edits the order settings and shows main’s refusal with its hint', async () => {
    const bridge = setUp();
    bridge.fail('orders:save-settings', { code: 'INVALID_REQUEST', message: 'Putting every order on one Account needs that Account.', hint: 'Enter the default Account’s Salesforce id, or choose another Account strategy.' });
    await renderApp('orders');
    fireEvent.click(await screen.findByRole('button', { name: 'Order settings' }));
    const form = await screen.findByRole('form', { name: 'Order settings' });
    fireEvent.change(within(form).getByLabelText('Account'), { target: { value: 'default-account' } });
    fireEvent.click(within(form).getByLabelText(/Activate each order/));
    fireEvent.click(within(form).getByRole('button', { name: 'Save order settings' }));
    await within(form).findByText(/Enter the default Account’s Salesforce id/);
    const sent = bridge.calls.find((c) => c.channel === 'orders:save-settings')?.request as { settings: { accountStrategy: string; activate: boolean } };
    expect(sent.settings).toMatchObject({ accountStrategy: 'default-account', activate: true, statuses: ['completed', 'processing'] });
  });
});
