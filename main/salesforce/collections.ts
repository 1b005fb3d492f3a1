/**
 * sObject Collections: up to 200 records a call, `allOrNone: false` so one bad record fails
 * alone, several calls in flight (bounded). Salesforce answers HTTP 200 with one result per
 * record, in order; this returns them aligned with the input, each carrying Salesforce's own
 * error codes and messages.
 */
import type { SalesforceApi } from './salesforce-api';

export const COLLECTIONS_BATCH = 200;

export type CollectionsOperation = 'create' | 'update' | 'upsert';

export interface CollectionsWrite {
  readonly operation: CollectionsOperation;
  readonly sobject: string;
  /** For upsert: the External ID field records are matched on. */
  readonly externalIdField?: string;
  /** Field values (no `attributes`); updates carry `Id`. */
  readonly records: readonly Readonly<Record<string, unknown>>[];
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Told after each batch (progress). */
  readonly onBatch?: (done: number, total: number) => void;
}

export interface RecordError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

export interface RecordResult {
  /** Position in the input. */
  readonly index: number;
  readonly success: boolean;
  readonly id: string | null;
  /** Upsert only: whether the record was created. */
  readonly created?: boolean;
  readonly errors: readonly RecordError[];
}

export async function writeCollections(api: Pick<SalesforceApi, 'request'>, write: CollectionsWrite): Promise<RecordResult[]> {
  if (write.operation === 'upsert' && !write.externalIdField) throw new Error('An upsert needs the External ID field to match on.');
  const batches: { start: number; records: readonly Readonly<Record<string, unknown>>[] }[] = [];
  for (let start = 0; start < write.records.length; start += COLLECTIONS_BATCH) batches.push({ start, records: write.records.slice(start, start + COLLECTIONS_BATCH) });
  const results: RecordResult[] = new Array(write.records.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      write.signal?.throwIfAborted();
      const batch = batches[next++]!;
      const answered = await api.request<unknown>({
        method: write.operation === 'create' ? 'POST' : 'PATCH',
        url: write.operation === 'upsert' ? `/composite/sobjects/${write.sobject}/${write.externalIdField}` : '/composite/sobjects',
        body: JSON.stringify({ allOrNone: false, records: batch.records.map((record) => ({ attributes: { type: write.sobject }, ...record })) }),
        headers: { 'content-type': 'application/json' },
      });
      const items = Array.isArray(answered) ? answered : [];
      if (items.length !== batch.records.length) {
        throw new Error(`Salesforce answered ${items.length} results for ${batch.records.length} records; the batch's outcome is unknown.`);
      }
      items.forEach((item: unknown, offset) => {
        results[batch.start + offset] = toResult(batch.start + offset, item);
      });
      done += batch.records.length;
      write.onBatch?.(done, write.records.length);
    }
  };
  const workers = Math.max(1, Math.min(write.concurrency ?? 4, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

function toResult(index: number, item: unknown): RecordResult {
  const r = (item ?? {}) as { id?: unknown; success?: unknown; created?: unknown; errors?: unknown };
  const errors = Array.isArray(r.errors)
    ? r.errors.map((e: unknown) => {
        const x = (e ?? {}) as { statusCode?: unknown; message?: unknown; fields?: unknown };
        return {
          statusCode: typeof x.statusCode === 'string' ? x.statusCode : 'UNKNOWN',
          message: typeof x.message === 'string' ? x.message : '',
          fields: Array.isArray(x.fields) ? x.fields.filter((f): f is string => typeof f === 'string') : [],
        };
      })
    : [];
  return {
    index,
    success: r.success === true,
    id: typeof r.id === 'string' ? r.id : null,
    ...(typeof r.created === 'boolean' ? { created: r.created } : {}),
    errors,
  };
}
