/**
 * Bulk API 2.0: ingest jobs for large writes, query jobs for reading many keys at once.
 * Salesforce runs the job on its own servers; ForceSites uploads CSV, polls, and fetches the
 * per-record results (ingest) or the CSV pages (query, `Sforce-Locator` paging). Every poll
 * is an API call, so the interval backs off; every wait has a deadline and honours an
 * AbortSignal.
 */
import { Readable } from 'node:stream';
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../common/errors';
import { waitFor } from '../platform/retry-with-jitter';
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

/**
 * Creates, uploads and closes an ingest job, then waits for it; answers its fate only. The
 * CSV is built from `rows` a chunk at a time (Bulk 2.0 takes one upload per job), so the
 * caller may stream the records from elsewhere instead of holding them as objects; read
 * the per-record results with `ingestResults`.
 */
export async function runIngestJob(api: BulkApi, job: IngestUpload): Promise<IngestJobResult> {
  const created = await api.request<{ id: string }>({
    method: 'POST',
    url: '/jobs/ingest',
    body: JSON.stringify({ object: job.object, operation: job.operation, contentType: 'CSV', lineEnding: 'LF', ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}) }),
    headers: { 'content-type': 'application/json' },
  });
  const jobId = created.id;
  job.onJobCreated?.(jobId);
  await api.requestText({ method: 'PUT', url: `/jobs/ingest/${jobId}/batches`, body: csvOf(job.columns, job.rows), headers: { 'content-type': 'text/csv' } });
  await api.request({ method: 'PATCH', url: `/jobs/ingest/${jobId}`, body: JSON.stringify({ state: 'UploadComplete' }), headers: { 'content-type': 'application/json' } });
  const { info, polls } = await pollJob(api, `/jobs/ingest/${jobId}`, job);
  return {
    jobId,
    state: info.state as IngestJobResult['state'],
    errorMessage: typeof info.errorMessage === 'string' && info.errorMessage !== '' ? info.errorMessage : null,
    polls,
  };
}

export interface IngestUpload extends PollOptions {
  readonly object: string;
  readonly operation: 'insert' | 'update' | 'upsert' | 'delete';
  readonly externalIdFieldName?: string;
  /** The CSV header; a record's missing column is an empty cell (the field is left as it is). */
  readonly columns: readonly string[];
  readonly rows: Iterable<Readonly<Record<string, string | number | boolean | null | undefined>>>;
  /** Told the job id as soon as Salesforce gives it (the sync journals it: the job outlives a crash). */
  readonly onJobCreated?: (jobId: string) => void;
}

export interface IngestJobResult {
  readonly jobId: string;
  readonly state: 'JobComplete' | 'Failed' | 'Aborted';
  readonly errorMessage: string | null;
  readonly polls: number;
}

export type IngestResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/**
 * One of a finished job's result sets, `chunkSize` rows at a time. Salesforce answers each set
 * as one CSV body (no paging for ingest results); the body is parsed as a stream, so only the
 * text and one chunk of rows are in memory — never 100,000 row objects at once.
 */
export async function* ingestResults(api: BulkApi, jobId: string, kind: IngestResultKind, chunkSize = 2_000): AsyncGenerator<BulkRow[]> {
  const text = (await api.requestText({ method: 'GET', url: `/jobs/ingest/${jobId}/${kind}/`, headers: { accept: 'text/csv' } })).body;
  yield* parseCsvChunks(text, chunkSize);
}

/** The whole job with its results as arrays: fine for small jobs; the sync streams instead. */
export async function bulkIngest(api: BulkApi, job: IngestJob): Promise<IngestResult> {
  const columns = job.records.length === 0 ? [] : Object.keys(job.records[0]!);
  const done = await runIngestJob(api, { ...job, columns, rows: job.records });
  const all = async (kind: IngestResultKind): Promise<BulkRow[]> => {
    const rows: BulkRow[] = [];
    for await (const chunk of ingestResults(api, done.jobId, kind)) rows.push(...chunk);
    return rows;
  };
  return {
    ...done,
    successful: await all('successfulResults'),
    failed: await all('failedResults'),
    unprocessed: done.state === 'JobComplete' ? [] : await all('unprocessedrecords'),
  };
}

/** Bulk CSV: an empty cell leaves a field as it is; `#N/A` clears it. Built 1,000 rows a chunk. */
function csvOf(columns: readonly string[], rows: Iterable<Readonly<Record<string, string | number | boolean | null | undefined>>>): string {
  const parts: string[] = [];
  let chunk: string[][] = [];
  let header = true;
  const flush = (): void => {
    parts.push(stringify(chunk, { header, columns: [...columns], record_delimiter: '\n' }));
    header = false;
    chunk = [];
  };
  for (const record of rows) {
    chunk.push(columns.map((column) => (record[column] === null ? '#N/A' : String(record[column] ?? ''))));
    if (chunk.length >= 1_000) flush();
  }
  if (chunk.length > 0 || header) flush();
  return parts.join('');
}

export interface QueryJob extends PollOptions {
  readonly soql: string;
  /** Rows per results page (default 50,000): one API call each. */
  readonly pageSize?: number;
  /**
   * Yield each page in chunks of this many rows, parsed as a stream: a 50,000-row page then
   * never exists as 50,000 row objects at once (the default yields each page whole).
   */
  readonly chunkSize?: number;
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
    if (job.chunkSize === undefined) yield parseCsv(page.body);
    else yield* parseCsvChunks(page.body, job.chunkSize);
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
    await waitFor(wait, options.signal);
    wait = Math.min(maxWait, wait * 2);
  }
}


function parseCsv(text: string): BulkRow[] {
  if (text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as BulkRow[];
}

/** Parses CSV text as a stream fed 64 KB at a time, so back-pressure keeps the rows in flight bounded. */
async function* parseCsvChunks(text: string, chunkSize: number): AsyncGenerator<BulkRow[]> {
  if (text.trim() === '') return;
  const slices = function* (): Generator<string> {
    for (let start = 0; start < text.length; start += 65_536) yield text.slice(start, start + 65_536);
  };
  const parser = Readable.from(slices()).pipe(parseStream({ columns: true, skip_empty_lines: true, relax_column_count: false }));
  let rows: BulkRow[] = [];
  for await (const row of parser) {
    rows.push(row as BulkRow);
    if (rows.length >= chunkSize) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}
