/**
 * An orders run survives being killed: a child process sends 450 orders (per-customer
 * Accounts, new Contacts, items, activation) to the emulator and is SIGKILLed at several
 * points — right after a batch is journaled (not yet sent) and while a batch is at Salesforce
 * (sent, answer not back: the emulator's latency holds it, and Salesforce commits it anyway).
 * Each restart resumes on the same database. In the end: exactly one Order per WooCommerce
 * order with all its items, activated; one Contact per buyer, one Account per customer; the
 * interrupted runs say what recovery found; one more run writes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKillableChild, type Kill } from '../../support/killable-child';
import { localDatabasePath, openLocalDatabase } from '../../../main/platform/local-database';
import { OrdersJournal } from '../../../main/orders/orders-journal';
import { connectWithPkce } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { addOrderKeyField, manyOrders, rows, seedProducts } from './support/orders-harness';

const emu = useEmulator();
const here = path.dirname(fileURLToPath(import.meta.url));
const ORDERS = 450;

const runChild = (config: object, kill: Kill | undefined) => runKillableChild(path.join(here, 'support/orders-child.ts'), config, kill);

function expectExactlyOnce(keyField: string): void {
  const orders = manyOrders(ORDERS);
  const byKey = new Map<string, Record<string, unknown>[]>();
  for (const order of rows(emu, 'Order')) byKey.set(String(order[keyField]), [...(byKey.get(String(order[keyField])) ?? []), order]);
  const items = rows(emu, 'OrderItem');
  for (const order of orders) {
    const found = byKey.get(String(order.id)) ?? [];
    expect(found.length, `Orders for WooCommerce order ${order.id}`).toBe(1);
    expect(found[0]).toMatchObject({ StatusCode: 'Activated' });
    expect(items.filter((item) => item['OrderId'] === found[0]!['Id']).length, `items of order ${order.id}`).toBe(order.lineItems.length);
    expect(Number(found[0]!['TotalAmount'])).toBe(Number(order.total));
  }
  expect(rows(emu, 'Order')).toHaveLength(ORDERS);
  const emails = rows(emu, 'Contact').map((c) => String(c['Email']).toLowerCase());
  expect(new Set(emails).size).toBe(emails.length);
  expect(emails).toHaveLength(ORDERS);
  const accounts = rows(emu, 'Account').map((a) => String(a['Name']));
  expect(new Set(accounts).size).toBe(accounts.length);
  expect(accounts).toHaveLength(ORDERS);
}

describe.each([
  { keyField: 'OrderReferenceNumber', external: false, windowSize: undefined },
  // Windows of 200: the kills land in the first and second windows of a run.
  { keyField: 'WC_Order_Id__c', external: true, windowSize: 200 },
])('killed and resumed with the key in $keyField (window $windowSize)', ({ keyField, external, windowSize }) => {
  it('ends with exactly one Order per WooCommerce order, whatever the moment it was killed', async () => {
    if (external) addOrderKeyField(emu);
    seedProducts(emu, 20);
    const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
    const dbFile = localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-orders-kill-')));
    const config = { dbFile, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version: conn.version, orders: ORDERS, activate: true, ...(windowSize ? { windowSize } : {}) };
    emu.handle.setLatency(80);
    const kills: Kill[] = [
      { stage: 'accounts', atBatch: 2, afterMs: 40 },
      { stage: 'contacts', atBatch: 1, afterMs: 0 },
      { stage: 'orders', atBatch: windowSize ? 1 : 2, afterMs: 40 },
      // With windows of 200 the last window (50 orders) has one batch of items.
      { stage: 'order-items', atBatch: windowSize ? 1 : 2, afterMs: 40 },
      { stage: 'activating', atBatch: 1, afterMs: 40 },
    ];
    let killed = 0;
    for (const kill of kills) {
      const outcome = await runChild(config, kill);
      // A stage a resumed run no longer needs never reaches its kill point: it just finishes.
      if (!outcome.killed) break;
      killed += 1;
    }
    expect(killed).toBe(kills.length);
    emu.handle.setLatency(0);
    const finished = await runChild(config, undefined);
    expect(finished.run).toMatchObject({ state: 'completed', failed: 0 });
    expectExactlyOnce(keyField);

    const journal = new OrdersJournal(openLocalDatabase(dbFile));
    const runs = journal.runs('site1');
    expect(runs.filter((run) => run.state === 'interrupted').length).toBeGreaterThanOrEqual(3);
    expect(runs.every((run) => run.state !== 'running')).toBe(true);
    // The Orders batch killed at Salesforce was committed there: recovery found its Orders by key.
    const recovered = runs.flatMap((run) => journal.records(run.id, { outcome: 'recovered' }).rows);
    expect(recovered.length).toBeGreaterThan(0);

    const again = await runChild(config, undefined);
    expect(again.run).toMatchObject({ state: 'completed', created: 0, updated: 0, unchanged: ORDERS, failed: 0 });
  });
});
