/**
 * Writing a plan to Salesforce: sObject Collections (200 a call, `allOrNone: false`,
 * `concurrency` calls in flight) or, above the Bulk threshold, one Bulk API 2.0 ingest job
 * per operation. Every batch goes through the journal (written before it is sent, answered
 * after), and every failure is read once:
 *
 * - authorization lost or REQUEST_LIMIT_EXCEEDED: stop (`SyncStopped`), batch left `sending`;
 * - 5xx, timeouts, dropped connections: retry with back-off and jitter — but a create whose
 *   answer was lost may have been committed, so its keys are looked up first and only the
 *   records Salesforce does not have are sent again (never a blind re-insert);
 * - `UNABLE_TO_LOCK_ROW` on a record: that record is retried;
 * - anything else: those records fail with Salesforce's own code and message.
 *
 * Cancel (the signal) stops taking new batches; batches in flight finish and are journaled.
 */
import type { AppError } from '../../common/errors';
import { ingestResults, runIngestJob, type BulkApi, type BulkRow, type IngestJobResult } from '../salesforce/bulk2';
import { writeCollections, COLLECTIONS_BATCH, type CollectionsOperation, type RecordResult } from '../salesforce/collections';
import { lookupKeys, type LookupApi, type LookupTarget } from './key-lookup';
import { normalizeKey, type FieldChange, type SalesforceValues } from './push-planner';
import { sentValuesHash } from './push-refusals';
import { backoffDelay, sleep, type RetryPolicy } from './retry';
import { errorCodeOf, errorMessageOf, failureKind, isPermanentRefusal, stopError } from './sync-errors';
import type { Counters, TopicChange } from './sync-ports';

export type { Counters };
import type { BatchKey, OutcomeRow, SyncJournal } from './sync-journal';

export interface WriteItem {
  readonly kind: 'create' | 'update';
  readonly wpUserId: number;
  readonly key: string;
  readonly salesforceId?: string;
  readonly record: SalesforceValues;
  readonly changes: readonly FieldChange[];
  /** Tag mode topics: the Topics this user's record gains or loses (written after the fields). */
  readonly topics?: TopicChange;
}

/** Items with field values to send (a Topics-only change has none). */
export function withFields(items: readonly WriteItem[]): WriteItem[] {
  return items.filter((item) => item.kind === 'create' || Object.keys(item.record).length > 0);
}


export interface ExecutorContext {
  /** Writes: never retried blindly. */
  readonly api: LookupApi;
  /** Lookups after an unanswered create: retried (they only read). */
  readonly readApi: LookupApi;
  readonly journal: SyncJournal;
  readonly runId: string;
  readonly target: LookupTarget;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
  readonly now: () => string;
  readonly counters: Counters;
  readonly pollIntervalMs: number;
  /** Told after each batch is journaled: how many items it settled. */
  readonly onSettled: (items: number) => void;
  /** Test seam: called after a batch is journaled as sending, before it is sent. */
  readonly beforeSend?: (batchId: number) => void | Promise<void>;
}

/** The run must stop: its journal is intact, the message says what to do. */
export class SyncStopped extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'SyncStopped';
    this.appError = appError;
  }
}

/**
 * The writes of a plan, read as the executor needs them: which operations and how many
 * items each, the items in order (read lazily: the push keeps them in push-stage.ts, not in
 * memory), and the item a Bulk result row names.
 */
export interface WriteSource {
  readonly operations: readonly { readonly name: CollectionsOperation; readonly count: number }[];
  items(operation: CollectionsOperation): Iterable<WriteItem>;
  /** By record Id for `update`; else by the normalized key. */
  find(operation: CollectionsOperation, value: string): WriteItem | undefined;
}

/** Which operations writes need: upsert on the external id, else create and update. */
export function operationCounts(counts: { create: number; update: number }, target: LookupTarget): WriteSource['operations'] {
  if (target.matchKey.kind === 'external-id') return counts.create + counts.update === 0 ? [] : [{ name: 'upsert', count: counts.create + counts.update }];
  return [...(counts.create > 0 ? [{ name: 'create' as const, count: counts.create }] : []), ...(counts.update > 0 ? [{ name: 'update' as const, count: counts.update }] : [])];
}

/** A WriteSource over items in memory (small plans, tests). */
export function arraySource(items: readonly WriteItem[], target: LookupTarget): WriteSource {
  const sent = withFields(items);
  const ofOperation = (operation: CollectionsOperation): WriteItem[] => (operation === 'upsert' ? sent : sent.filter((item) => item.kind === operation));
  return {
    operations: operationCounts({ create: ofOperation('create').length, update: ofOperation('update').length }, target),
    items: ofOperation,
    find: (operation, value) => ofOperation(operation).find((item) => (operation === 'update' ? item.salesforceId === value : normalizeKey(target.matchKey, item.key) === value)),
  };
}

/** The record as sent: updates carry Id; upserts carry the external id (and no Id). */
function payload(item: WriteItem, operation: CollectionsOperation, target: LookupTarget): Record<string, unknown> {
  if (operation === 'update') return { Id: item.salesforceId, ...item.record };
  if (operation === 'upsert') return { ...item.record, [target.matchKey.field]: item.key };
  return { ...item.record };
}

/** What a write changes: an update's recorded changes; a create sets every field it sends. */
export function changesOf(item: WriteItem): readonly FieldChange[] {
  const fields = item.kind === 'update' || item.changes.length > 0 ? item.changes : Object.entries(item.record).map(([field, value]) => ({ field, old: null, new: value === null || value === '' ? null : String(value) }));
  return item.topics === undefined ? fields : [...fields, topicsChange(item.topics)];
}

export function topicsChange(change: TopicChange): FieldChange {
  return { field: 'Topics', old: change.oldNames.length === 0 ? null : change.oldNames.join('; '), new: change.newNames.length === 0 ? null : change.newNames.join('; ') };
}

function keysOf(items: readonly WriteItem[]): BatchKey[] {
  return items.map((item) => ({ wp: item.wpUserId, key: item.key }));
}

/** `refused`: Salesforce's answer about this record's values (not a batch-wide or transient failure): remembered if permanent. */
function failedRow(item: WriteItem, code: string, message: string, refused = false): OutcomeRow {
  return {
    wpUserId: item.wpUserId,
    matchValue: item.key,
    salesforceId: item.salesforceId ?? null,
    outcome: 'failed',
    errorCode: code,
    errorMessage: message,
    changes: changesOf(item),
    ...(refused && isPermanentRefusal(code) ? { refusedHash: sentValuesHash(item) } : {}),
  };
}

function outcomeOf(item: WriteItem, result: RecordResult, operation: CollectionsOperation): OutcomeRow {
  if (!result.success) {
    const first = result.errors[0];
    return failedRow(
      item,
      first?.statusCode ?? 'UNKNOWN',
      result.errors.map((error) => `${error.message}${error.fields.length > 0 ? ` [${error.fields.join(', ')}]` : ''}`).join('; ') || 'Salesforce did not say why.',
      true,
    );
  }
  const created = operation === 'create' || (operation === 'upsert' && result.created === true);
  return { wpUserId: item.wpUserId, matchValue: item.key, salesforceId: result.id, outcome: created ? 'created' : 'updated', changes: changesOf(item) };
}

/** Batches of ≤ 200 items, operation after operation, read from the source as they are taken. */
function* collectionsBatches(source: WriteSource): Generator<{ operation: CollectionsOperation; items: readonly WriteItem[] }> {
  for (const operation of source.operations) {
    let batch: WriteItem[] = [];
    for (const item of source.items(operation.name)) {
      batch.push(item);
      if (batch.length === COLLECTIONS_BATCH) {
        yield { operation: operation.name, items: batch };
        batch = [];
      }
    }
    if (batch.length > 0) yield { operation: operation.name, items: batch };
  }
}

/** Writes every item through Collections, `concurrency` batches in flight; only those batches are in memory. */
export async function writeWithCollections(context: ExecutorContext, source: WriteSource): Promise<void> {
  const batches = collectionsBatches(source);
  const total = source.operations.reduce((sum, operation) => sum + Math.ceil(operation.count / COLLECTIONS_BATCH), 0);
  let stopped: unknown;
  const worker = async (): Promise<void> => {
    while (stopped === undefined && !context.signal.aborted) {
      const next = batches.next();
      if (next.done === true) return;
      const batch = next.value;
      try {
        await sendCollectionsBatch(context, batch.operation, batch.items);
      } catch (error) {
        stopped ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.concurrency, total)) }, worker));
  if (stopped !== undefined) throw stopped;
}

async function sendCollectionsBatch(context: ExecutorContext, operation: CollectionsOperation, items: readonly WriteItem[]): Promise<void> {
  const { journal, runId } = context;
  const batchId = journal.beginBatch(runId, operation, keysOf(items), context.now());
  await context.beforeSend?.(batchId);
  const outcomes = await sendWithRetries(context, operation, items);
  journal.finishBatch(runId, batchId, outcomes, context.now());
  context.onSettled(items.length);
}

/** Sends items (≤ 200) until each has an outcome; throws SyncStopped when the run must stop. */
async function sendWithRetries(context: ExecutorContext, operation: CollectionsOperation, items: readonly WriteItem[]): Promise<OutcomeRow[]> {
  const outcomes: OutcomeRow[] = [];
  let pending = [...items];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let results: RecordResult[];
    try {
      context.counters.calls += 1;
      results = await writeCollections(context.api, {
        operation,
        sobject: context.target.objectType,
        ...(operation === 'upsert' ? { externalIdField: context.target.matchKey.field } : {}),
        records: pending.map((item) => payload(item, operation, context.target)),
        concurrency: 1,
      });
    } catch (error) {
      const kind = failureKind(error);
      if (kind === 'stop') throw new SyncStopped(stopError(error));
      if (kind === 'retry' && attempt < context.retry.attempts) {
        if (operation === 'create') pending = await recoverCommitted(context, pending, outcomes);
        if (pending.length > 0) await sleep(backoffDelay(context.retry, attempt));
        continue;
      }
      const code = errorCodeOf(error);
      const message = errorMessageOf(error);
      outcomes.push(...pending.map((item) => failedRow(item, code, kind === 'retry' ? `${message} (gave up after ${attempt} attempts)` : message)));
      return outcomes;
    }
    const locked: WriteItem[] = [];
    results.forEach((result, index) => {
      const item = pending[index]!;
      if (!result.success && result.errors[0]?.statusCode === 'UNABLE_TO_LOCK_ROW' && attempt < context.retry.attempts) locked.push(item);
      else outcomes.push(outcomeOf(item, result, operation));
    });
    pending = locked;
    if (pending.length > 0) await sleep(backoffDelay(context.retry, attempt));
  }
  return outcomes;
}

/**
 * A create whose answer never came may have been committed: look its keys up. Records found
 * (exactly one for the key) are settled as created; the rest are returned to be sent again.
 */
async function recoverCommitted(context: ExecutorContext, items: readonly WriteItem[], outcomes: OutcomeRow[]): Promise<WriteItem[]> {
  const found = await lookupKeys(context.readApi, context.target, items.map((item) => item.key), { concurrency: 1, counters: context.counters });
  const rest: WriteItem[] = [];
  for (const item of items) {
    const records = found.get(normalizeKey(context.target.matchKey, item.key)) ?? [];
    if (records.length === 1) outcomes.push({ wpUserId: item.wpUserId, matchValue: item.key, salesforceId: records[0]!.Id, outcome: 'created', changes: changesOf(item) });
    else rest.push(item);
  }
  return rest;
}

// ---- Bulk API 2.0 ---------------------------------------------------------------------------

const BULK_OPERATION = { create: 'insert', update: 'update', upsert: 'upsert' } as const;

/** Writes every item with one Bulk API 2.0 ingest job per operation. */
export async function writeWithBulk(context: ExecutorContext, source: WriteSource): Promise<void> {
  for (const operation of source.operations) {
    if (context.signal.aborted) return;
    await sendBulkJob(context, source, operation.name);
  }
}

/** Outcomes go to the journal this many at a time while the result CSV is read. */
const OUTCOME_CHUNK = 500;

/**
 * One ingest job for an operation. Memory stays bounded at 100,000 records: the CSV is built
 * from the source as it is read, the result sets are parsed as streams and matched back by
 * looking each row's key up in the source, and outcomes go to the journal in chunks. The batch
 * is marked answered only at the end, so a crash in between leaves it `sending` and recovery
 * looks every key up (the outcomes recorded so far are overwritten with what it finds).
 */
async function sendBulkJob(context: ExecutorContext, source: WriteSource, operation: CollectionsOperation): Promise<void> {
  const { journal, runId, target } = context;
  const keys = function* (): Generator<BatchKey> {
    for (const item of source.items(operation)) yield { wp: item.wpUserId, key: item.key };
  };
  const batchId = journal.beginBatch(runId, `bulk-${BULK_OPERATION[operation]}`, keys(), context.now());
  await context.beforeSend?.(batchId);
  // Count every request; the job id is journaled the moment Salesforce gives it: a job keeps
  // running on Salesforce's servers if ForceSites dies, and recovery must wait for it.
  const api: BulkApi = {
    request: <T,>(request: Parameters<BulkApi['request']>[0]) => {
      context.counters.calls += 1;
      return context.api.request<T>(request);
    },
    requestText: (request) => {
      context.counters.calls += 1;
      return context.api.requestText(request);
    },
  };
  // Bulk CSV: every row has every column; an empty cell leaves the field as it is.
  const columnSet = new Set<string>();
  for (const item of source.items(operation)) for (const column of Object.keys(payload(item, operation, target))) columnSet.add(column);
  const rows = function* (): Generator<Record<string, string | number | boolean | null>> {
    for (const item of source.items(operation)) yield payload(item, operation, target) as Record<string, string | number | boolean | null>;
  };
  const settled = new Set<number>();
  const retryLater: WriteItem[] = [];
  const outcomes: OutcomeRow[] = [];
  const flush = (force: boolean): void => {
    if (outcomes.length >= OUTCOME_CHUNK || (force && outcomes.length > 0)) journal.record(runId, outcomes.splice(0));
  };
  let job: IngestJobResult | undefined;
  try {
    job = await runIngestJob(api, {
      object: target.objectType,
      operation: BULK_OPERATION[operation],
      ...(operation === 'upsert' ? { externalIdFieldName: target.matchKey.field } : {}),
      columns: [...columnSet],
      rows: rows(),
      onJobCreated: (jobId) => journal.setBulkJob(batchId, jobId),
      pollIntervalMs: context.pollIntervalMs,
      maxPollIntervalMs: 2_000,
    });
    context.counters.polls += job.polls;
    const keyColumn = operation === 'update' ? 'Id' : target.matchKey.field;
    const itemOf = (row: BulkRow): WriteItem | undefined => {
      const value = row[keyColumn] ?? '';
      return source.find(operation, operation === 'update' ? value : normalizeKey(target.matchKey, value));
    };
    for await (const chunk of ingestResults(api, job.jobId, 'successfulResults', OUTCOME_CHUNK)) {
      for (const row of chunk) {
        const item = itemOf(row);
        if (item === undefined || settled.has(item.wpUserId)) continue;
        settled.add(item.wpUserId);
        outcomes.push({ wpUserId: item.wpUserId, matchValue: item.key, salesforceId: row['sf__Id'] || item.salesforceId || null, outcome: operation === 'create' || row['sf__Created'] === 'true' ? 'created' : 'updated', changes: changesOf(item) });
      }
      flush(false);
    }
    for await (const chunk of ingestResults(api, job.jobId, 'failedResults', OUTCOME_CHUNK)) {
      for (const row of chunk) {
        const item = itemOf(row);
        if (item === undefined || settled.has(item.wpUserId)) continue;
        settled.add(item.wpUserId);
        const [code, ...message] = (row['sf__Error'] ?? '').split(':');
        if (code === 'UNABLE_TO_LOCK_ROW') retryLater.push(item);
        else outcomes.push(failedRow(item, code || 'UNKNOWN', message.join(':').trim() || (row['sf__Error'] ?? ''), true));
      }
      flush(false);
    }
    for (const item of source.items(operation)) {
      if (settled.has(item.wpUserId)) continue;
      outcomes.push(failedRow(item, 'NOT_PROCESSED', job.errorMessage ?? `Salesforce did not process this record (job ${job.state}).`));
      flush(false);
    }
  } catch (error) {
    const kind = failureKind(error);
    if (kind === 'stop') throw new SyncStopped(stopError(error));
    // Whatever the results already settled stays; the rest is judged by the error.
    const rest: WriteItem[] = [];
    for (const item of source.items(operation)) if (!settled.has(item.wpUserId)) rest.push(item);
    if (kind !== 'retry') {
      outcomes.push(...rest.map((item) => failedRow(item, errorCodeOf(error), errorMessageOf(error))));
    } else {
      // The job's fate is unknown: what Salesforce has is found by key; the rest goes by Collections.
      for (let start = 0; start < rest.length; start += COLLECTIONS_BATCH) {
        const chunk = rest.slice(start, start + COLLECTIONS_BATCH);
        retryLater.push(...(operation === 'create' ? await recoverCommitted(context, chunk, outcomes) : chunk));
      }
    }
  }
  flush(true);
  // The few records a lock or an outage kept out go again through Collections, with retries.
  for (let start = 0; start < retryLater.length; start += COLLECTIONS_BATCH) {
    outcomes.push(...(await sendWithRetries(context, operation, retryLater.slice(start, start + COLLECTIONS_BATCH))));
    flush(false);
  }
  journal.finishBatch(runId, batchId, outcomes, context.now());
  context.onSettled(source.operations.find((op) => op.name === operation)?.count ?? 0);
}
