/**
 * Emulator data-half benchmark: upsert 100,000 Contacts through sObject Collections (500 calls
 * of 200, the way a site's full sync does) and page them back with SOQL + queryMore. Calls the
 * data half's handle() directly, so the numbers are the emulator's own CPU cost, not HTTP's.
 *
 *   npx tsx bench/emulator-collections.ts [records]
 *
 * Prints one human line and one JSON line. No thresholds: tests never assert on timings.
 */
import { createOrgData } from '../test/salesforce-emulator/data/org-data';
import type { DataRequest, DataResponse } from '../test/salesforce-emulator/data/seam';

const TOTAL = Number(process.argv[2] ?? 100_000);
const BATCH = 200;
const VERSION = '66.0';
const user = { id: '005000000000001AAA', username: 'bench@example.com', permissions: new Set(['ViewAllData']) };

const org = createOrgData({ orgId: '00D000000000BENCH', instanceUrl: 'https://bench.my.salesforce.com', now: () => Date.UTC(2026, 10, 29, 12) });
org.addCustomField('Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 40, externalId: true, unique: true });

async function call(method: DataRequest['method'], path: string, body?: unknown, query = ''): Promise<DataResponse> {
  const res = await org.handle({
    method, path, query: new URLSearchParams(query), headers: { 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)), version: VERSION, user,
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}

function batchOf(start: number, pass: number): unknown {
  const records = [];
  for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) {
    records.push({ attributes: { type: 'Contact' }, WP_User_Id__c: String(i), FirstName: `First${i}`, LastName: `Last${i}`, Email: `user${i}.p${pass}@example.com` });
  }
  return { allOrNone: false, records };
}

async function upsertAll(pass: number): Promise<{ ms: number; created: number }> {
  const started = performance.now();
  let created = 0;
  for (let start = 0; start < TOTAL; start += BATCH) {
    const res = await call('PATCH', 'composite/sobjects/Contact/WP_User_Id__c', batchOf(start, pass));
    for (const r of res.body as { success: boolean; created: boolean }[]) {
      if (!r.success) throw new Error(`record failed: ${JSON.stringify(r)}`);
      if (r.created) created += 1;
    }
  }
  return { ms: performance.now() - started, created };
}

async function pageAll(): Promise<{ ms: number; rows: number; pages: number }> {
  const started = performance.now();
  let res = await call('GET', 'query', undefined, `q=${encodeURIComponent('SELECT Id, LastName, Email, WP_User_Id__c FROM Contact')}`);
  let body = res.body as { done: boolean; nextRecordsUrl?: string; records: unknown[] };
  let rows = body.records.length;
  let pages = 1;
  while (!body.done) {
    const path = String(body.nextRecordsUrl).replace(`/services/data/v${VERSION}/`, '');
    res = await call('GET', path);
    body = res.body as typeof body;
    rows += body.records.length;
    pages += 1;
  }
  return { ms: performance.now() - started, rows, pages };
}

/** What a sync does before writing: look 200 external ids up at a time with SOQL IN (…). */
async function lookupAll(): Promise<{ ms: number; found: number }> {
  const started = performance.now();
  let found = 0;
  for (let start = 0; start < TOTAL; start += BATCH) {
    const keys = [];
    for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) keys.push(`'${i}'`);
    const soql = `SELECT Id, WP_User_Id__c FROM Contact WHERE WP_User_Id__c IN (${keys.join(',')})`;
    const res = await call('GET', 'query', undefined, `q=${encodeURIComponent(soql)}`);
    found += (res.body as { totalSize: number }).totalSize;
  }
  return { ms: performance.now() - started, found };
}

const cpu0 = process.cpuUsage();
const insert = await upsertAll(1);
const update = await upsertAll(2);
const lookup = await lookupAll();
const page = await pageAll();
const cpu = process.cpuUsage(cpu0);
global.gc?.();
const heapMb = process.memoryUsage().heapUsed / 1_048_576;

if (insert.created !== TOTAL || page.rows !== TOTAL || lookup.found !== TOTAL) throw new Error(`expected ${TOTAL} created and paged, got ${insert.created} / ${page.rows}`);

const result = {
  bench: 'emulator-collections',
  records: TOTAL,
  calls: Math.ceil(TOTAL / BATCH) * 3 + page.pages,
  insertUpsertMs: Math.round(insert.ms),
  updateUpsertMs: Math.round(update.ms),
  lookupQueriesMs: Math.round(lookup.ms),
  queryPages: page.pages,
  queryMs: Math.round(page.ms),
  cpuUserMs: Math.round(cpu.user / 1000),
  cpuSystemMs: Math.round(cpu.system / 1000),
  heapUsedMb: Math.round(heapMb),
};
console.log(
  `emulator-collections: ${TOTAL} Contacts upserted (insert ${result.insertUpsertMs} ms, update ${result.updateUpsertMs} ms, ${Math.ceil(TOTAL / BATCH)} calls each), ` +
    `looked up by external id in ${Math.ceil(TOTAL / BATCH)} SOQL IN queries in ${result.lookupQueriesMs} ms, ` +
    `paged back in ${page.pages} pages in ${result.queryMs} ms; CPU ${result.cpuUserMs + result.cpuSystemMs} ms; heap ${result.heapUsedMb} MB`,
);
console.log(JSON.stringify(result));
