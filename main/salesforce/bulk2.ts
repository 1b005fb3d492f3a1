/**
 * Bulk API 2.0: ingest jobs for large writes, query jobs for reading many keys at once.
 * Salesforce runs the job on its own servers; ForceSites uploads CSV, polls, and fetches the
 * per-record results (ingest) or the CSV pages (query, `Sforce-Locator` paging). Every poll
 * is an API call, so the interval backs off; every wait has a deadline and honours an
 * AbortSignal.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../common/errors';
import type { SalesforceApi } from './salesforce-api';
import type { RequestText } from './salesforce-text';

export interface BulkApi {
  readonly request: SalesforceApi['request'];
  readonly requestText: RequestText;
}

export interface PollOptions {
  /** First wait between polls (default 500 ms); it doubles up to `maxPollIntervalMs`. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  /** Give up waiting for the job after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Told after each status poll (the sync counts them). */
  readonly onPoll?: (state: string) => void;
}

export type BulkRow = Record<string, string>;

export interface IngestResult {
  readonly jobId: string;
  readonly state: 'JobComplete' | 'Failed' | 'Aborted';
  readonly errorMessage: string | null;
  /** Rows as uploaded, plus `sf__Id` and `sf__Created`. */
  readonly successful: readonly BulkRow[];
  /** Rows as uploaded, plus `sf__Id` and `sf__Error`. */
  readonly failed: readonly BulkRow[];
  /** Rows Salesforce never processed (job aborted or failed). */
  readonly unprocessed: readonly BulkRow[];
  readonly polls: number;
}

export interface IngestJob extends PollOptions {
  readonly object: string;
  readonly operation: 'insert' | 'update' | 'upsert' | 'delete';
  readonly externalIdFieldName?: string;
  /** One object per record; every record must have the same fields (the CSV header). */
  readonly records: readonly Readonly<Record<string, string | number | boolean | null>>[];
}

export async function bulkIngest(api: BulkApi, job: IngestJob): Promise<IngestResult> {
  const columns = job.records.length === 0 ? [] : Object.keys(job.records[0]!);
  const created = await api.request<{ id: string }>({
    method: 'POST',
    url: '/jobs/ingest',
    body: JSON.stringify({ object: job.object, operation: job.operation, contentType: 'CSV', lineEnding: 'LF', ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}) }),
    headers: { 'content-type': 'application/json' },
  });
  const jobId = created.id;
  // Bulk CSV: an empty cell leaves a field as it is; `#N/A` clears it.
  const csv = stringify(
    job.records.map((record) => columns.map((column) => (record[column] === null ? '#N/A' : String(record[column] ?? '')))),
    { header: true, columns, record_delimiter: '\n' },
  );
  await api.requestText({ method: 'PUT', url: `/jobs/ingest/${jobId}/batches`, body: csv, headers: { 'content-type': 'text/csv' } });
  await api.request({ method: 'PATCH', url: `/jobs/ingest/${jobId}`, body: JSON.stringify({ state: 'UploadComplete' }), headers: { 'content-type': 'application/json' } });
  const { info, polls } = await pollJob(api, `/jobs/ingest/${jobId}`, job);
  const results = async (kind: string) => parseCsv((await api.requestText({ method: 'GET', url: `/jobs/ingest/${jobId}/${kind}/`, headers: { accept: 'text/csv' } })).body);
  return {
    jobId,
    state: info.state as IngestResult['state'],
    errorMessage: typeof info.errorMessage === 'string' && info.errorMessage !== '' ? info.errorMessage : null,
    successful: await results('successfulResults'),
    failed: await results('failedResults'),
    unprocessed: info.state === 'JobComplete' ? [] : await results('unprocessedrecords'),
    polls,
  };
}

export interface QueryJob extends PollOptions {
  readonly soql: string;
  /** Rows per results page (default 50,000): bounds memory. */
  readonly pageSize?: number;
  readonly includeDeleted?: boolean;
}

/**
 * Runs a query job and yields its result pages as rows, one page in memory at a time.
 * `polls` counts status polls (API calls that return no data).
 */
export async function* bulkQuery(api: BulkApi, job: QueryJob, counters: { polls: number } = { polls: 0 }): AsyncGenerator<readonly BulkRow[]> {
  const created = await api.request<{ id: string }>({
    method: 'POST',
    url: '/jobs/query',
    body: JSON.stringify({ operation: job.includeDeleted ? 'queryAll' : 'query', query: job.soql, contentType: 'CSV', lineEnding: 'LF' }),
    headers: { 'content-type': 'application/json' },
  });
  const { info, polls } = await pollJob(api, `/jobs/query/${created.id}`, job);
  counters.polls += polls;
  if (info.state !== 'JobComplete') {
    throw new AppError('SALESFORCE_ERROR', `Salesforce could not run the query job (${info.state}${typeof info.errorMessage === 'string' ? `: ${info.errorMessage}` : ''}).`, {
      hint: 'Check the query and the user’s access to the object, then try again.',
    });
  }
  let locator: string | null = null;
  const pageSize = job.pageSize ?? 50_000;
  do {
    job.signal?.throwIfAborted();
    const query = new URLSearchParams({ maxRecords: String(pageSize), ...(locator ? { locator } : {}) });
    const page = await api.requestText({ method: 'GET', url: `/jobs/query/${created.id}/results?${query}`, headers: { accept: 'text/csv' } });
    const next = page.headers['sforce-locator'];
    locator = next === undefined || next === '' || next === 'null' ? null : next;
    yield parseCsv(page.body);
  } while (locator !== null);
}

async function pollJob(api: BulkApi, path: string, options: PollOptions): Promise<{ info: Record<string, unknown> & { state: string }; polls: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let wait = options.pollIntervalMs ?? 500;
  const maxWait = options.maxPollIntervalMs ?? 10_000;
  let polls = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const info = await api.request<Record<string, unknown> & { state: string }>(path);
    polls += 1;
    options.onPoll?.(info.state);
    if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) return { info, polls };
    if (Date.now() + wait > deadline) {
      throw new AppError('REQUEST_TIMEOUT', `The Bulk API job ${path.split('/').at(-1)} did not finish in time (still ${info.state}).`, {
        hint: 'Salesforce may be busy. The job keeps running there; try again later, and nothing is sent twice.',
      });
    }
    await sleep(wait, options.signal);
    wait = Math.min(maxWait, wait * 2);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

function parseCsv(text: string): BulkRow[] {
  if (text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as BulkRow[];
}
