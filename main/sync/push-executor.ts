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
import { bulkIngest, type BulkApi, type BulkRow } from '../salesforce/bulk2';
import { writeCollections, COLLECTIONS_BATCH, type CollectionsOperation, type RecordResult } from '../salesforce/collections';
import { lookupKeys, type LookupApi, type LookupTarget } from './key-lookup';
import { normalizeKey, type FieldChange, type SalesforceValues } from './push-planner';
import { backoffDelay, sleep, type RetryPolicy } from './retry';
import { errorCodeOf, errorMessageOf, failureKind, stopError } from './sync-errors';
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

interface Operation {
  readonly name: CollectionsOperation;
  readonly items: readonly WriteItem[];
}

/** Which Collections operations a plan's writes need: upsert on the external id, else create and update. */
export function operations(items: readonly WriteItem[], target: LookupTarget): Operation[] {
  if (target.matchKey.kind === 'external-id') return items.length === 0 ? [] : [{ name: 'upsert', items }];
  const creates = items.filter((item) => item.kind === 'create');
  const updates = items.filter((item) => item.kind === 'update');
  return [
    ...(creates.length > 0 ? [{ name: 'create' as const, items: creates }] : []),
    ...(updates.length > 0 ? [{ name: 'update' as const, items: updates }] : []),
  ];
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

function failedRow(item: WriteItem, code: string, message: string): OutcomeRow {
  return { wpUserId: item.wpUserId, matchValue: item.key, salesforceId: item.salesforceId ?? null, outcome: 'failed', errorCode: code, errorMessage: message, changes: changesOf(item) };
}

function outcomeOf(item: WriteItem, result: RecordResult, operation: CollectionsOperation): OutcomeRow {
  if (!result.success) {
    const first = result.errors[0];
    return failedRow(
      item,
      first?.statusCode ?? 'UNKNOWN',
      result.errors.map((error) => `${error.message}${error.fields.length > 0 ? ` [${error.fields.join(', ')}]` : ''}`).join('; ') || 'Salesforce did not say why.',
    );
  }
  const created = operation === 'create' || (operation === 'upsert' && result.created === true);
  return { wpUserId: item.wpUserId, matchValue: item.key, salesforceId: result.id, outcome: created ? 'created' : 'updated', changes: changesOf(item) };
}

/** Writes every item through Collections, `concurrency` batches in flight. */
export async function writeWithCollections(context: ExecutorContext, items: readonly WriteItem[]): Promise<void> {
  const batches: { operation: CollectionsOperation; items: readonly WriteItem[] }[] = [];
  for (const operation of operations(withFields(items), context.target)) {
    for (let start = 0; start < operation.items.length; start += COLLECTIONS_BATCH) batches.push({ operation: operation.name, items: operation.items.slice(start, start + COLLECTIONS_BATCH) });
  }
  let next = 0;
  let stopped: unknown;
  const worker = async (): Promise<void> => {
    while (next < batches.length && stopped === undefined && !context.signal.aborted) {
      const batch = batches[next++]!;
      try {
        await sendCollectionsBatch(context, batch.operation, batch.items);
      } catch (error) {
        stopped ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.concurrency, batches.length)) }, worker));
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
export async function writeWithBulk(context: ExecutorContext, items: readonly WriteItem[]): Promise<void> {
  for (const operation of operations(withFields(items), context.target)) {
    if (context.signal.aborted) return;
    await sendBulkJob(context, operation);
  }
}

async function sendBulkJob(context: ExecutorContext, operation: Operation): Promise<void> {
  const { journal, runId, target } = context;
  const batchId = journal.beginBatch(runId, `bulk-${BULK_OPERATION[operation.name]}`, keysOf(operation.items), context.now());
  await context.beforeSend?.(batchId);
  // Count every request, and journal the job id the moment Salesforce gives it: a job keeps
  // running on Salesforce's servers if ForceSites dies, and recovery must wait for it.
  const api: BulkApi = {
    request: async <T,>(request: Parameters<BulkApi['request']>[0]) => {
      context.counters.calls += 1;
      const answer = await context.api.request<T>(request);
      if (typeof request === 'object' && request.method === 'POST' && request.url === '/jobs/ingest') {
        const id = (answer as { id?: unknown }).id;
        if (typeof id === 'string') journal.setBulkJob(batchId, id);
      }
      return answer;
    },
    requestText: (request) => {
      context.counters.calls += 1;
      return context.api.requestText(request);
    },
  };
  const columnSet = new Set<string>();
  for (const item of operation.items) for (const column of Object.keys(payload(item, operation.name, target))) columnSet.add(column);
  const columns = [...columnSet];
  // Bulk CSV: every row has every column; an empty cell leaves the field as it is.
  const records = operation.items.map((item) => {
    const row = payload(item, operation.name, target);
    return Object.fromEntries(columns.map((column) => [column, row[column] === undefined ? '' : (row[column] as string | number | boolean | null)]));
  });
  const outcomes: OutcomeRow[] = [];
  // Memory (100,000 records): successes stay small until the journal writes them one by one.
  const successes: { item: WriteItem; id: string | null; created: boolean }[] = [];
  const retryLater: WriteItem[] = [];
  try {
    const result = await bulkIngest(api, {
      object: target.objectType,
      operation: BULK_OPERATION[operation.name],
      ...(operation.name === 'upsert' ? { externalIdFieldName: target.matchKey.field } : {}),
      records,
      pollIntervalMs: context.pollIntervalMs,
      maxPollIntervalMs: 2_000,
    });
    context.counters.polls += result.polls;
    const keyColumn = operation.name === 'update' ? 'Id' : target.matchKey.field;
    const byKey = new Map(operation.items.map((item) => [operation.name === 'update' ? item.salesforceId! : normalizeKey(target.matchKey, item.key), item]));
    const itemOf = (row: BulkRow): WriteItem | undefined => {
      const value = row[keyColumn] ?? '';
      return byKey.get(operation.name === 'update' ? value : normalizeKey(target.matchKey, value));
    };
    const settled = new Set<WriteItem>();
    for (const row of result.successful) {
      const item = itemOf(row);
      if (item === undefined) continue;
      settled.add(item);
      successes.push({ item, id: row['sf__Id'] || item.salesforceId || null, created: operation.name === 'create' || row['sf__Created'] === 'true' });
    }
    for (const row of result.failed) {
      const item = itemOf(row);
      if (item === undefined) continue;
      settled.add(item);
      const [code, ...message] = (row['sf__Error'] ?? '').split(':');
      if (code === 'UNABLE_TO_LOCK_ROW') retryLater.push(item);
      else outcomes.push(failedRow(item, code || 'UNKNOWN', message.join(':').trim() || (row['sf__Error'] ?? '')));
    }
    for (const item of operation.items) {
      if (settled.has(item)) continue;
      outcomes.push(failedRow(item, 'NOT_PROCESSED', result.errorMessage ?? `Salesforce did not process this record (job ${result.state}).`));
    }
  } catch (error) {
    const kind = failureKind(error);
    if (kind === 'stop') throw new SyncStopped(stopError(error));
    if (kind !== 'retry') {
      outcomes.push(...operation.items.map((item) => failedRow(item, errorCodeOf(error), errorMessageOf(error))));
    } else {
      // The job's fate is unknown: what Salesforce has is found by key; the rest goes by Collections.
      const rest = operation.name === 'create' ? await recoverCommitted(context, operation.items, outcomes) : [...operation.items];
      retryLater.push(...rest);
    }
  }
  // The few records a lock or an outage kept out go again through Collections, with retries.
  for (let start = 0; start < retryLater.length; start += COLLECTIONS_BATCH) {
    outcomes.push(...(await sendWithRetries(context, operation.name, retryLater.slice(start, start + COLLECTIONS_BATCH))));
  }
  function* all(): Generator<OutcomeRow> {
    for (const { item, id, created } of successes) yield { wpUserId: item.wpUserId, matchValue: item.key, salesforceId: id, outcome: created ? 'created' : 'updated', changes: changesOf(item) };
    yield* outcomes;
  }
  journal.finishBatch(runId, batchId, all(), context.now());
  context.onSettled(operation.items.length);
}
