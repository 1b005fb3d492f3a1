/**
 * Finding the Salesforce records that match WordPress users' keys, with as few calls as the
 * data allows:
 *
 * - `lookupKeys`: `WHERE <key> IN (…)` of at most 200 escaped keys a query (and at most
 *   ~10,000 characters of URL, since long e-mail addresses make long GETs), several in flight;
 * - `scanKeys`: every record that has the key field set (`!= null`, within the site's prefix),
 *   through the REST query (2,000 rows a page) or one Bulk API 2.0 query job (locator paging,
 *   one page in memory): cheaper when the org holds few such records, or for big runs.
 *
 * Both answer key → records; several records for a key is a conflict the planner reports.
 */
import type { MatchKey } from '../../common/fields-models';
import { bulkQuery, type BulkApi } from '../salesforce/bulk2';
import type { QueryPage } from '../salesforce/salesforce-api';
import { escapeSoqlString, soqlInList } from '../salesforce/soql-escape';
import { normalizeKey, type ExistingRecord } from './push-planner';

export const LOOKUP_BATCH = 200;
const MAX_IN_LIST_CHARS = 10_000;

export interface LookupTarget {
  readonly objectType: string;
  readonly matchKey: MatchKey;
  /** Fields to read (Id and the key field included). */
  readonly fields: readonly string[];
}

export type ExistingByKey = Map<string, ExistingRecord[]>;

export interface LookupApi extends BulkApi {
  readonly instanceUrl?: string;
  readonly version?: string;
}

/** Splits keys into IN lists: ≤ 200 keys and ≤ ~10,000 characters each. */
export function keyChunks(keys: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const key of keys) {
    const cost = encodeURIComponent(escapeSoqlString(key)).length + 6;
    if (current.length > 0 && (current.length >= LOOKUP_BATCH || length + cost > MAX_IN_LIST_CHARS)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(key);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function add(into: ExistingByKey, matchKey: MatchKey, record: ExistingRecord): void {
  const value = fieldOf(record, matchKey.field);
  if (typeof value !== 'string' || value === '') return;
  const key = normalizeKey(matchKey, value);
  const list = into.get(key);
  if (list === undefined) into.set(key, [record]);
  else if (!list.some((r) => r.Id === record.Id)) list.push(record);
}

function fieldOf(record: Readonly<Record<string, unknown>>, field: string): unknown {
  if (field in record) return record[field];
  const name = Object.keys(record).find((candidate) => candidate.toLowerCase() === field.toLowerCase());
  return name === undefined ? undefined : record[name];
}

function strip(record: Record<string, unknown>): ExistingRecord {
  const { attributes: _attributes, ...fields } = record;
  return fields as ExistingRecord;
}

/** `IN` queries for the given keys (distinct), `concurrency` in flight. Counts calls in `counters.calls`. */
export async function lookupKeys(api: LookupApi, target: LookupTarget, keys: readonly string[], options: { concurrency?: number; counters?: { calls: number } } = {}): Promise<ExistingByKey> {
  const found: ExistingByKey = new Map();
  const distinct = [...new Set(keys)];
  const chunks = keyChunks(distinct);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      const soql = `SELECT ${target.fields.join(', ')} FROM ${target.objectType} WHERE ${target.matchKey.field} IN ${soqlInList(chunk)}`;
      let page = await api.request<QueryPage<Record<string, unknown>>>(`/query?q=${encodeURIComponent(soql)}`);
      if (options.counters) options.counters.calls += 1;
      for (const record of page.records) add(found, target.matchKey, strip(record));
      while (!page.done && page.nextRecordsUrl) {
        page = await api.request<QueryPage<Record<string, unknown>>>(page.nextRecordsUrl);
        if (options.counters) options.counters.calls += 1;
        for (const record of page.records) add(found, target.matchKey, strip(record));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, chunks.length)) }, worker));
  return found;
}

/** The WHERE clause of a scan: every record with the key set (and the site's prefix). */
export function scanWhere(matchKey: MatchKey): string {
  const prefix = matchKey.kind === 'external-id' && matchKey.prefix ? ` AND ${matchKey.field} LIKE '${escapeSoqlString(matchKey.prefix).replace(/[%_]/g, '\\$&')}%'` : '';
  return `${matchKey.field} != null${prefix}`;
}

/** How many records a scan would read (one call). */
export async function countScan(api: LookupApi, target: LookupTarget): Promise<number> {
  const page = await api.request<QueryPage<unknown>>(`/query?q=${encodeURIComponent(`SELECT COUNT() FROM ${target.objectType} WHERE ${scanWhere(target.matchKey)}`)}`);
  return page.totalSize;
}

/** Reads every record with the key set through the REST query, 2,000 a page. */
export async function scanKeysRest(api: LookupApi, target: LookupTarget, counters?: { calls: number }): Promise<ExistingByKey> {
  const found: ExistingByKey = new Map();
  await scanKeysRestInto(api, target, (page) => merge(found, page), counters);
  return found;
}

/** As `scanKeysRest`, handing each page's records to `sink` instead of keeping them (bounded memory). */
export async function scanKeysRestInto(api: LookupApi, target: LookupTarget, sink: (page: ExistingByKey) => void, counters?: { calls: number }): Promise<void> {
  const soql = `SELECT ${target.fields.join(', ')} FROM ${target.objectType} WHERE ${scanWhere(target.matchKey)}`;
  let page = await api.request<QueryPage<Record<string, unknown>>>(`/query?q=${encodeURIComponent(soql)}`);
  if (counters) counters.calls += 1;
  sink(pageByKey(target.matchKey, page.records.map(strip)));
  while (!page.done && page.nextRecordsUrl) {
    page = await api.request<QueryPage<Record<string, unknown>>>(page.nextRecordsUrl);
    if (counters) counters.calls += 1;
    sink(pageByKey(target.matchKey, page.records.map(strip)));
  }
}

function pageByKey(matchKey: MatchKey, records: readonly ExistingRecord[]): ExistingByKey {
  const found: ExistingByKey = new Map();
  for (const record of records) add(found, matchKey, record);
  return found;
}

function merge(into: ExistingByKey, page: ExistingByKey): void {
  for (const [key, records] of page) {
    const list = into.get(key);
    if (list === undefined) into.set(key, [...records]);
    else for (const record of records) if (!list.some((r) => r.Id === record.Id)) list.push(record);
  }
}

export interface BulkScanOptions {
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly counters?: { calls: number; polls: number };
  /** Rows per results page (default 50,000; one call each); each is handed over 2,000 rows at a time. */
  readonly pageSize?: number;
}

/** Reads every record with the key set through one Bulk API 2.0 query job. */
export async function scanKeysBulk(api: LookupApi, target: LookupTarget, options: BulkScanOptions = {}): Promise<ExistingByKey> {
  const found: ExistingByKey = new Map();
  await scanKeysBulkInto(api, target, (page) => merge(found, page), options);
  return found;
}

/** As `scanKeysBulk`, handing each result page's records to `sink` instead of keeping them (bounded memory). */
export async function scanKeysBulkInto(api: LookupApi, target: LookupTarget, sink: (page: ExistingByKey) => void, options: BulkScanOptions = {}): Promise<void> {
  const soql = `SELECT ${target.fields.join(', ')} FROM ${target.objectType} WHERE ${scanWhere(target.matchKey)}`;
  const polls = { polls: 0 };
  const counting: BulkApi = {
    request: <T,>(request: Parameters<BulkApi['request']>[0]) => {
      if (options.counters) options.counters.calls += 1;
      return api.request<T>(request);
    },
    requestText: (request) => {
      if (options.counters) options.counters.calls += 1;
      return api.requestText(request);
    },
  };
  // Pages of 50,000 rows (few calls), handed over 2,000 rows at a time (little memory).
  const job = { soql, pollIntervalMs: options.pollIntervalMs ?? 250, maxPollIntervalMs: 2_000, chunkSize: 2_000, ...(options.pageSize ? { pageSize: options.pageSize } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  for await (const page of bulkQuery(counting, job, polls)) sink(pageByKey(target.matchKey, page as unknown as ExistingRecord[]));
  if (options.counters) options.counters.polls += polls.polls;
}
