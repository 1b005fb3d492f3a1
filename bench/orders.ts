/**
 * The orders benchmark: N new WooCommerce orders (1–2 products each, products already in
 * Salesforce with standard prices, every buyer new) sent to the Salesforce emulator running in
 * its own process with L ms added to every request, through the app's OrdersService and its
 * Salesforce layer (ConnectionRegistry: guarded, metered transport). Orders come from an
 * in-process source in WooCommerce's shape, made a page of 100 at a time when the service asks
 * for it (as WooCommerce pages them), so the numbers measure ForceSites and Salesforce calls,
 * not PHP, and the memory is what the service holds, not the source.
 *
 *   npm run bench:orders -- --orders N [--latency-ms L] [--naive-sample K] [--json]
 *
 * Prints one JSON line (with --json) or a human summary:
 *   {"orders","apiCalls","wallMs","failed","latencyMs","bound","peakRssMb","naive":{"apiCalls","wallMs","sampled","extrapolated"}}
 * `peakRssMb` is this process's peak resident set size (getrusage's maxRSS) after the send and
 * before the naive run: the service, the source's current page and Node itself.
 * `apiCalls` is the emulator's count of every request during the run (handle.apiCalls().total);
 * `bound` is the issue's budget 6·ceil(N/200)+10. `naive` sends other orders one at a time the
 * way a simple integration does (look the buyer up, create the Contact, look the order up,
 * create it, then per line look the price book entry up and create the item), measured in the
 * same process on `--naive-sample` orders (default 200) and extrapolated to N when N is larger.
 * No thresholds here: the numbers are read, never asserted on timings in tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localDatabasePath, openLocalDatabase } from '../main/platform/local-database';
import { OrdersService } from '../main/orders/orders-service';
import { soqlQuote } from '../main/salesforce/soql-escape';
import type { ReadOrders } from '../main/orders/orders-service';
import { manyOrders, registryApi, USD_SETTINGS } from '../test/integration/orders/support/orders-harness';
import { control, startEmulatorProcess } from './support/emulator-process';
import { benchArgs } from './support/bench-args';

interface Args {
  readonly orders: number;
  readonly latencyMs: number;
  readonly naiveSample: number;
  readonly json: boolean;
}

const PRODUCTS = 20;

function usage(): string {
  return 'Usage: npm run bench:orders -- --orders N [--latency-ms L] [--naive-sample K] [--json]\n';
}

function parseArgs(argv: readonly string[]): Args {
  const args = benchArgs(argv, usage());
  return {
    orders: args.number('--orders', 200, { min: 1, max: 200_000 }),
    latencyMs: args.number('--latency-ms', 50, { min: 0, max: 10_000, whole: false }),
    naiveSample: args.number('--naive-sample', 200, { min: 1 }),
    json: args.flag('--json'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const emulator = await startEmulatorProcess();
  try {
    const orgId = emulator.description.orgId;
    await control(emulator, 'PATCH', `/orgs/${orgId}`, { dailyApiMax: 100_000_000 });
    // Known products: each with an active standard price, as an admin would have them.
    const { ids: products } = await control<{ ids: string[] }>(emulator, 'POST', `/orgs/${orgId}/records/Product2`, {
      records: Array.from({ length: PRODUCTS }, (_, i) => ({ Name: `Product ${i + 1}`, ProductCode: `SKU-${i + 1}`, IsActive: true })),
    });
    const books = await control<{ records: { Id: string; IsStandard: boolean }[] } | { Id: string; IsStandard: boolean }[]>(emulator, 'GET', `/orgs/${orgId}/records/Pricebook2`);
    const standard = (Array.isArray(books) ? books : books.records).find((book) => book.IsStandard)!.Id;
    await control(emulator, 'POST', `/orgs/${orgId}/records/PricebookEntry`, { records: products.map((id) => ({ Pricebook2Id: standard, Product2Id: id, UnitPrice: 5, IsActive: true })) });
    const { ids: accounts } = await control<{ ids: string[] }>(emulator, 'POST', `/orgs/${orgId}/records/Account`, { records: [{ Name: 'Web shop' }] });

    const { api } = await registryApi(emulator.description, 60_000);
    // Made a page at a time, like WooCommerce's pages: the source never holds all N orders.
    const pageSize = 100;
    const readOrders: ReadOrders = async function* (_siteId, _query, signal) {
      for (let start = 1; start <= args.orders; start += pageSize) {
        signal.throwIfAborted();
        yield { items: manyOrders(Math.min(pageSize, args.orders - start + 1), { products: PRODUCTS, start }), total: args.orders };
      }
    };
    const service = new OrdersService({
      db: openLocalDatabase(localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-bench-orders-')))),
      readOrders,
      // New buyers' Contacts go on the one default Account: no Account per customer to create.
      settingsFor: () => ({ ...USD_SETTINGS, accountStrategy: 'contact-account', defaultAccountId: accounts[0]! }),
      salesforceFor: () => Promise.resolve(api),
    });

    await control(emulator, 'PUT', '/latency', { ms: args.latencyMs });
    await control(emulator, 'DELETE', '/api-calls');
    const started = performance.now();
    const run = await service.send('bench');
    const wallMs = Math.round(performance.now() - started);
    const calls = await control<{ total: number }>(emulator, 'GET', '/api-calls');
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

    // Naive: one order at a time, on orders of its own (other ids and buyers).
    const sample = Math.min(args.orders, args.naiveSample);
    const naiveOrders = manyOrders(sample, { products: PRODUCTS, start: 1_000_000 });
    await control(emulator, 'DELETE', '/api-calls');
    // A fresh headers object per request: jsforce writes content-length into the one it is given.
    const json = (): Record<string, string> => ({ 'content-type': 'application/json' });
    const query = <T>(soql: string) => api.request<{ records: T[] }>(`/query?q=${encodeURIComponent(soql)}`);
    const naiveStarted = performance.now();
    let naiveFailed = 0;
    for (const order of naiveOrders) {
      try {
        const contacts = await query<{ Id: string }>(`SELECT Id FROM Contact WHERE Email = ${soqlQuote(order.billing.email)}`);
        const contactId =
          contacts.records[0]?.Id ??
          (await api.request<{ id: string }>({ method: 'POST', url: '/sobjects/Contact', headers: json(), body: JSON.stringify({ LastName: order.billing.lastName, FirstName: order.billing.firstName, Email: order.billing.email, AccountId: accounts[0] }) })).id;
        const existing = await query<{ Id: string }>(`SELECT Id FROM Order WHERE OrderReferenceNumber = ${soqlQuote(String(order.id))}`);
        if (existing.records.length > 0) continue;
        const { id: orderId } = await api.request<{ id: string }>({
          method: 'POST',
          url: '/sobjects/Order',
          headers: json(),
          body: JSON.stringify({ AccountId: accounts[0], BillToContactId: contactId, EffectiveDate: order.dateCreatedGmt.slice(0, 10), Status: 'Draft', Pricebook2Id: standard, OrderReferenceNumber: String(order.id) }),
        });
        for (const item of order.lineItems) {
          const entries = await query<{ Id: string }>(`SELECT Id FROM PricebookEntry WHERE Pricebook2Id = ${soqlQuote(standard)} AND Product2.ProductCode = ${soqlQuote(item.sku)}`);
          await api.request({ method: 'POST', url: '/sobjects/OrderItem', headers: json(), body: JSON.stringify({ OrderId: orderId, PricebookEntryId: entries.records[0]!.Id, Quantity: item.quantity, UnitPrice: Number(item.total) / item.quantity }) });
        }
      } catch (error) {
        naiveFailed += 1;
        if (naiveFailed === 1) process.stderr.write(`naive: order ${order.id} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    const naiveMs = performance.now() - naiveStarted;
    const naiveCalls = (await control<{ total: number }>(emulator, 'GET', '/api-calls')).total;
    const scale = args.orders / sample;

    const result = {
      orders: args.orders,
      apiCalls: calls.total,
      wallMs,
      failed: run.failed + run.invalid,
      latencyMs: args.latencyMs,
      bound: 6 * Math.ceil(args.orders / 200) + 10,
      peakRssMb,
      created: run.created,
      naive: { apiCalls: Math.round(naiveCalls * scale), wallMs: Math.round(naiveMs * scale), sampled: sample, extrapolated: sample < args.orders, failed: naiveFailed },
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `${args.orders} orders, ${args.latencyMs} ms latency: ${wallMs} ms, ${calls.total} API calls (budget ${result.bound}), created ${run.created}, failed ${result.failed}, peak RSS ${peakRssMb} MB. ` +
          `Naive (one order at a time): ${result.naive.apiCalls} calls, ${result.naive.wallMs} ms${result.naive.extrapolated ? ` (from ${sample} orders, extrapolated)` : ''}.\n`,
      );
    }
  } finally {
    emulator.stop();
  }
}

await main();
