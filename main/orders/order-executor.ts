/**
 * Writes an orders plan in dependency order — Accounts → Contacts → Product2 → standard
 * PricebookEntry → custom PricebookEntry → Order → OrderItem → activation — each stage in
 * sObject Collections of 200 (`allOrNone: false`), so N new orders cost a handful of calls
 * per 200 orders. Every batch goes through the journal (committed `sending` before it leaves,
 * `answered` with its outcomes after).
 *
 * Failures are read once (main/salesforce/salesforce-failure-kind.ts):
 * - authorization lost or REQUEST_LIMIT_EXCEEDED: the run stops (`OrdersStopped`), journal intact;
 * - 5xx, deadlines, dropped connections: retried with back-off and jitter — and a create whose
 *   answer was lost may have been committed, so its keys are looked up first and only what
 *   Salesforce does not have is sent again (Orders with an External ID go as upserts anyway);
 * - `UNABLE_TO_LOCK_ROW` on a record: that record is retried;
 * - anything else: those records fail with Salesforce's own code and message, and the orders
 *   that needed them fail with it. A per-record error never fails the batch or the run.
 */
import type { AppError } from '../../common/errors';
import type { OrdersPhase } from '../../common/orders-models';
import { retryDelay, waitFor, type RetryPolicy } from '../platform/retry-with-jitter';
import { writeCollections, COLLECTIONS_BATCH, type CollectionsOperation, type RecordResult } from '../salesforce/collections';
import { errorCodeOf, errorMessageOf } from '../salesforce/salesforce-errors';
import { salesforceFailureKind } from '../salesforce/salesforce-failure-kind';
import { lookupAccounts, lookupContacts, lookupEntries, lookupOrders, lookupProducts, type OrdersApi, type Reader } from './order-lookups';
import { entryKey, isToken, lineIdOf, type NewRecord, type OrdersPlan, type OrgFacts, type PlannedOrder } from './order-planner';
import type { OrderOutcomeRow, OrdersJournal } from './orders-journal';

type Fields = Readonly<Record<string, string | number | boolean | null>>;

export interface ExecutorContext {
  /** Writes: never repeated blindly. */
  readonly api: OrdersApi;
  /** Reads (lookups after a lost answer): retried; counts into the same counter. */
  readonly reader: Reader;
  readonly journal: OrdersJournal;
  readonly runId: string;
  readonly org: OrgFacts;
  readonly retry: RetryPolicy;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly now: () => string;
  readonly onProgress: (phase: OrdersPhase, done: number, total: number) => void;
  /** Test seam: after a batch is journaled as sending, before it leaves. */
  readonly beforeSend?: (stage: string, batchId: number) => void | Promise<void>;
}

export class OrdersStopped extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'OrdersStopped';
    this.appError = appError;
  }
}

export interface Failure {
  readonly code: string;
  readonly message: string;
}

type Settled = { readonly id: string; readonly created: boolean } | { readonly failure: Failure };

interface WriteItem {
  readonly key: string;
  readonly fields: Fields;
}

interface Stage {
  readonly phase: OrdersPhase;
  readonly sobject: string;
  readonly operation: CollectionsOperation;
  readonly externalIdField?: string;
  readonly items: readonly WriteItem[];
  /** Finds records Salesforce may have committed without answering: key → id. */
  readonly find?: (keys: readonly string[]) => Promise<Map<string, string>>;
  /** The order outcomes to journal with a batch (Orders stage). */
  readonly outcomes?: (settled: ReadonlyMap<string, Settled>) => OrderOutcomeRow[];
  /** The orders a batch carries, journaled as not answered before it leaves (Orders stage). */
  readonly pending?: (keys: readonly string[]) => OrderOutcomeRow[];
}

/** Stops the run: what the admin must do is in the AppError. */
export type StopMapper = (error: unknown) => AppError;

/**
 * Writes one plan; answers the ids Salesforce gave the records it created, by token
 * (`@product:…`, `@entry:…`, …), so the next window of the same run knows them without asking.
 */
export async function executePlan(ctx: ExecutorContext, plan: OrdersPlan, stop: StopMapper): Promise<ReadonlyMap<string, string>> {
  const ids = new Map<string, string>();
  const failed = new Map<string, Failure>();
  const resolve = (fields: Fields, what: string): { fields: Record<string, string | number | boolean | null> } | { failure: Failure } => {
    const out: Record<string, string | number | boolean | null> = {};
    for (const [field, value] of Object.entries(fields)) {
      if (!isToken(value)) {
        out[field] = value;
        continue;
      }
      const id = ids.get(value);
      if (id === undefined) {
        const cause = failed.get(value) ?? { code: 'NOT_WRITTEN', message: 'it was not written' };
        return { failure: { code: cause.code, message: `${what}: ${describeToken(value)} could not be created: ${cause.message}` } };
      }
      out[field] = id;
    }
    return { fields: out };
  };

  // Records the orders depend on, each stage after the one it refers to.
  const dependencies: { phase: OrdersPhase; sobject: string; records: readonly NewRecord[]; find: (keys: readonly string[]) => Promise<Map<string, string>> }[] = [
    { phase: 'accounts', sobject: 'Account', records: plan.accounts, find: (keys) => findAccounts(ctx, plan, keys) },
    { phase: 'contacts', sobject: 'Contact', records: plan.contacts, find: (keys) => findByMap(lookupContacts(ctx.reader, keys), (c) => c.Id) },
    { phase: 'products', sobject: 'Product2', records: plan.products, find: (keys) => findProducts(ctx, plan, keys) },
    { phase: 'pricebook-entries', sobject: 'PricebookEntry', records: plan.standardEntries, find: (keys) => findEntries(ctx, keys, ids) },
    { phase: 'pricebook-entries', sobject: 'PricebookEntry', records: plan.customEntries, find: (keys) => findEntries(ctx, keys, ids) },
  ];
  for (const dependency of dependencies) {
    if (dependency.records.length === 0) continue;
    const ready: WriteItem[] = [];
    for (const record of dependency.records) {
      const resolved = resolve(record.fields, dependency.sobject);
      if ('failure' in resolved) failed.set(record.token, resolved.failure);
      else ready.push({ key: record.key, fields: resolved.fields });
    }
    const settled = await writeStage(ctx, { phase: dependency.phase, sobject: dependency.sobject, operation: 'create', items: ready, find: dependency.find }, stop);
    for (const record of dependency.records) {
      const result = settled.get(record.key);
      if (result === undefined) continue;
      if ('id' in result) ids.set(record.token, result.id);
      else failed.set(record.token, result.failure);
    }
    if (ctx.signal.aborted) return ids;
  }

  // Orders: creates (upserts on an External ID), then updates.
  const writes = plan.orders.filter((order) => order.class === 'create' || order.class === 'update');
  const byKey = new Map(writes.map((order) => [order.key, order]));
  const orderIds = new Map<string, string>();
  const orderFailed = new Map<string, Failure>();
  const early: OrderOutcomeRow[] = [];
  const creates: WriteItem[] = [];
  const updates: WriteItem[] = [];
  for (const order of writes) {
    const resolved = resolve(order.fields, 'The Order');
    if ('failure' in resolved) {
      orderFailed.set(order.key, resolved.failure);
      early.push(outcome(order, null, 'failed', resolved.failure));
      continue;
    }
    if (order.class === 'create') creates.push({ key: order.key, fields: resolved.fields });
    else if (Object.keys(resolved.fields).length > 0) updates.push({ key: order.key, fields: { Id: order.salesforceId!, ...resolved.fields } });
    else {
      // Only items (or the activation) change: the Order itself needs no write.
      orderIds.set(order.key, order.salesforceId!);
      early.push(outcome(order, order.salesforceId, 'updated'));
    }
  }
  ctx.journal.record(ctx.runId, early);
  const orderOutcomes = (kind: 'created' | 'updated') => (settled: ReadonlyMap<string, Settled>) =>
    [...settled].map(([key, result]) => {
      const order = byKey.get(key)!;
      return 'id' in result ? outcome(order, result.id, kind) : outcome(order, order.salesforceId, 'failed', result.failure);
    });
  const notAnswered = (keys: readonly string[]) =>
    keys.map((key) => outcome(byKey.get(key)!, byKey.get(key)!.salesforceId, 'failed', { code: 'NOT_ANSWERED', message: 'Sent to Salesforce; no answer recorded yet.' }));
  const upsert = ctx.org.keyIsExternalId;
  const createResults = await writeStage(
    ctx,
    {
      phase: 'orders',
      sobject: 'Order',
      operation: upsert ? 'upsert' : 'create',
      ...(upsert ? { externalIdField: ctx.org.keyField } : {}),
      items: creates,
      find: async (keys) => new Map([...(await lookupOrders(ctx.reader, ctx.org.keyField, keys))].filter(([, found]) => found.length === 1).map(([key, found]) => [key, found[0]!.Id])),
      outcomes: orderOutcomes('created'),
      pending: notAnswered,
    },
    stop,
  );
  if (ctx.signal.aborted) return ids;
  const updateResults = await writeStage(ctx, { phase: 'orders', sobject: 'Order', operation: 'update', items: updates, outcomes: orderOutcomes('updated'), pending: notAnswered }, stop);
  for (const [key, result] of [...createResults, ...updateResults]) {
    if ('id' in result) orderIds.set(key, result.id);
    else orderFailed.set(key, result.failure);
  }
  if (ctx.signal.aborted) return ids;

  // Items of the orders that are in Salesforce now.
  const itemCreates: WriteItem[] = [];
  const itemUpdates: WriteItem[] = [];
  const itemFailures = new Map<string, Failure>();
  for (const order of writes) {
    const orderId = orderIds.get(order.key);
    if (orderId === undefined) continue;
    for (const item of order.items) {
      const key = `${order.key}#${item.lineId}`;
      if (item.itemId) {
        itemUpdates.push({ key, fields: { Id: item.itemId, ...item.fields } });
        continue;
      }
      const resolved = resolve(item.fields, `Line ${item.lineId}`);
      if ('failure' in resolved) {
        if (!itemFailures.has(order.key)) itemFailures.set(order.key, resolved.failure);
        continue;
      }
      itemCreates.push({ key, fields: { OrderId: orderId, ...resolved.fields } });
    }
  }
  const itemResults = new Map([
    ...(await writeStage(ctx, { phase: 'order-items', sobject: 'OrderItem', operation: 'create', items: itemCreates, find: (keys) => findItems(ctx, keys) }, stop)),
    ...(await writeStage(ctx, { phase: 'order-items', sobject: 'OrderItem', operation: 'update', items: itemUpdates }, stop)),
  ]);
  for (const [key, result] of itemResults) {
    if ('failure' in result) {
      const orderKey = key.slice(0, key.lastIndexOf('#'));
      if (!itemFailures.has(orderKey)) itemFailures.set(orderKey, { code: result.failure.code, message: `Line ${key.slice(key.lastIndexOf('#') + 1)}: ${result.failure.message}` });
    }
  }
  const afterItems: OrderOutcomeRow[] = [];
  for (const [orderKey, failure] of itemFailures) {
    const order = byKey.get(orderKey)!;
    afterItems.push(outcome(order, orderIds.get(orderKey) ?? null, 'failed', { code: failure.code, message: `The Order is in Salesforce, but not all of its products: ${failure.message}` }));
  }
  ctx.journal.record(ctx.runId, afterItems);
  if (ctx.signal.aborted) return ids;

  // Activation: only orders whose items are all in.
  const activations: WriteItem[] = writes
    .filter((order) => order.activate && orderIds.has(order.key) && !itemFailures.has(order.key) && !orderFailed.has(order.key))
    .map((order) => ({ key: order.key, fields: { Id: orderIds.get(order.key)!, Status: ctx.org.activatedStatus } }));
  const activated = await writeStage(ctx, { phase: 'activating', sobject: 'Order', operation: 'update', items: activations }, stop);
  const afterActivation: OrderOutcomeRow[] = [];
  for (const [key, result] of activated) {
    if ('failure' in result) afterActivation.push(outcome(byKey.get(key)!, orderIds.get(key) ?? null, 'failed', { code: result.failure.code, message: `The Order and its products are in Salesforce, but it was not activated: ${result.failure.message}` }));
  }
  ctx.journal.record(ctx.runId, afterActivation);
  return ids;
}

function outcome(order: PlannedOrder, salesforceId: string | null, kind: OrderOutcomeRow['outcome'], failure?: Failure): OrderOutcomeRow {
  return {
    wooOrderId: order.wooOrderId,
    key: order.key,
    salesforceId,
    outcome: kind,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    wooTotal: order.wooTotal,
    itemsTotal: order.itemsTotal,
  };
}

function describeToken(token: string): string {
  const [, kind, rest] = /^@(\w+):(.*)$/.exec(token) ?? [];
  switch (kind) {
    case 'account':
      return `the Account for ${rest}`;
    case 'contact':
      return `the Contact ${rest}`;
    case 'product':
      return `the Product2 ${rest?.replace(/^(sku|name):/, '')}`;
    case 'entry':
      return 'the price book entry';
    default:
      return token;
  }
}

/** Writes a stage in batches of 200, `concurrency` in flight; answers every item's outcome by key. */
async function writeStage(ctx: ExecutorContext, stage: Stage, stop: StopMapper): Promise<Map<string, Settled>> {
  const settled = new Map<string, Settled>();
  if (stage.items.length === 0) return settled;
  const batches: WriteItem[][] = [];
  for (let start = 0; start < stage.items.length; start += COLLECTIONS_BATCH) batches.push(stage.items.slice(start, start + COLLECTIONS_BATCH));
  let next = 0;
  let done = 0;
  let stopped: unknown;
  ctx.onProgress(stage.phase, 0, stage.items.length);
  const worker = async (): Promise<void> => {
    while (next < batches.length && stopped === undefined && !ctx.signal.aborted) {
      const batch = batches[next++]!;
      try {
        const batchId = ctx.journal.beginBatch(ctx.runId, stage.phase, `${stage.operation} ${stage.sobject}`, batch.map((item) => item.key), ctx.now(), stage.pending?.(batch.map((item) => item.key)) ?? []);
        await ctx.beforeSend?.(stage.phase, batchId);
        const results = await sendBatch(ctx, stage, batch, stop);
        for (const [key, result] of results) settled.set(key, result);
        ctx.journal.finishBatch(ctx.runId, batchId, stage.outcomes ? stage.outcomes(results) : [], ctx.now());
        done += batch.length;
        ctx.onProgress(stage.phase, done, stage.items.length);
      } catch (error) {
        stopped ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, batches.length)) }, worker));
  if (stopped !== undefined) throw stopped;
  return settled;
}

async function sendBatch(ctx: ExecutorContext, stage: Stage, items: readonly WriteItem[], stop: StopMapper): Promise<Map<string, Settled>> {
  const out = new Map<string, Settled>();
  let pending = [...items];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let results: RecordResult[];
    try {
      ctx.reader.counter.calls += 1;
      results = await writeCollections(ctx.api, {
        operation: stage.operation,
        sobject: stage.sobject,
        ...(stage.externalIdField ? { externalIdField: stage.externalIdField } : {}),
        records: pending.map((item) => item.fields),
        concurrency: 1,
      });
    } catch (error) {
      const kind = salesforceFailureKind(error);
      if (kind === 'stop') throw new OrdersStopped(stop(error));
      if (kind === 'retry' && attempt < ctx.retry.attempts) {
        // The answer was lost, not necessarily the write: what Salesforce has is found by key.
        if (stage.operation === 'create' && stage.find) {
          const found = await stage.find(pending.map((item) => item.key));
          for (const item of pending) {
            const id = found.get(item.key);
            if (id !== undefined) out.set(item.key, { id, created: true });
          }
          pending = pending.filter((item) => !out.has(item.key));
        }
        if (pending.length > 0) await waitFor(retryDelay(ctx.retry, attempt), ctx.signal);
        continue;
      }
      const failure = { code: errorCodeOf(error), message: kind === 'retry' ? `${errorMessageOf(error)} (gave up after ${attempt} attempts)` : errorMessageOf(error) };
      for (const item of pending) out.set(item.key, { failure });
      return out;
    }
    const locked: WriteItem[] = [];
    results.forEach((result, index) => {
      const item = pending[index]!;
      if (result.success && result.id) out.set(item.key, { id: result.id, created: stage.operation === 'create' || result.created === true });
      else if (result.success) out.set(item.key, { id: String(item.fields['Id'] ?? ''), created: false });
      else if (result.errors[0]?.statusCode === 'UNABLE_TO_LOCK_ROW' && attempt < ctx.retry.attempts) locked.push(item);
      else {
        const message = result.errors.map((e) => `${e.message}${e.fields.length > 0 ? ` [${e.fields.join(', ')}]` : ''}`).join('; ') || 'Salesforce did not say why.';
        out.set(item.key, { failure: { code: result.errors[0]?.statusCode ?? 'UNKNOWN', message } });
      }
    });
    pending = locked;
    if (pending.length > 0) await waitFor(retryDelay(ctx.retry, attempt), ctx.signal);
  }
  return out;
}

async function findByMap<V>(lookup: Promise<Map<string, V>>, idOf: (value: V) => string): Promise<Map<string, string>> {
  return new Map([...(await lookup)].map(([key, value]) => [key, idOf(value)]));
}

async function findAccounts(ctx: ExecutorContext, plan: OrdersPlan, keys: readonly string[]): Promise<Map<string, string>> {
  const names = new Map(plan.accounts.filter((a) => keys.includes(a.key)).map((a) => [String(a.fields['Name']).toLowerCase(), a.key]));
  const found = await lookupAccounts(ctx.reader, [...names.keys()]);
  return new Map([...found].filter(([name]) => names.has(name)).map(([name, id]) => [names.get(name)!, id]));
}

async function findProducts(ctx: ExecutorContext, plan: OrdersPlan, keys: readonly string[]): Promise<Map<string, string>> {
  const needs = plan.products
    .filter((p) => keys.includes(p.key))
    .map((p) => ({ ref: p.key, mappedId: null, sku: p.key.startsWith('sku:') ? String(p.fields['ProductCode'] ?? '') : '', name: String(p.fields['Name'] ?? ''), price: 0 }));
  return lookupProducts(ctx.reader, needs);
}

async function findEntries(ctx: ExecutorContext, keys: readonly string[], ids: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  // Entry keys name products by token when the product was new: look them up by the id it got.
  const wanted = keys.map((key) => {
    const [book, product, currency] = key.split('|') as [string, string, string];
    return { key, book, product: isToken(product) ? (ids.get(product) ?? '') : product, currency: currency || null };
  });
  const found = await lookupEntries(ctx.reader, wanted.map((w) => w.book), wanted.map((w) => w.product).filter(Boolean), ctx.org.multiCurrency);
  const out = new Map<string, string>();
  for (const w of wanted) {
    const entry = found.get(entryKey(w.book, w.product, w.currency));
    if (entry) out.set(w.key, entry.Id);
  }
  return out;
}

async function findItems(ctx: ExecutorContext, keys: readonly string[]): Promise<Map<string, string>> {
  const orderKeys = [...new Set(keys.map((key) => key.slice(0, key.lastIndexOf('#'))))];
  const orders = await lookupOrders(ctx.reader, ctx.org.keyField, orderKeys);
  const out = new Map<string, string>();
  for (const [orderKey, found] of orders) {
    for (const item of found[0]?.items ?? []) {
      const line = lineIdOf(item.Description);
      if (line !== null) out.set(`${orderKey}#${line}`, item.Id);
    }
  }
  return new Map([...out].filter(([key]) => keys.includes(key)));
}
