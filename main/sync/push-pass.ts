/**
 * The push's planning pass, in bounded memory: the plan (dry run) and the run both start here.
 *
 * 1. Read the users page by page and map each as it arrives; the mapped users go to the
 *    stage (push-stage.ts: temporary tables on disk) and the page is dropped.
 * 2. Keys several WordPress users share are found in the stage (a compact set: only those
 *    keys), so a conflict is caught whichever windows its users fall in.
 * 3. Look the keys up — one Bulk query job above the threshold; else a `COUNT()` picks the
 *    cheaper of a REST scan and `IN` lists of 200 — and put every record found in the stage,
 *    page by page.
 * 4. Classify a window of users at a time against the stage's records; a create or update
 *    whose exact values Salesforce refused before (push-refusals.ts) is settled as failed
 *    again without sending, unless the admin asked to retry refused records.
 * 5. Topics (tag mode topics), the strategy and the write-call estimate.
 *
 * The run then records the settled users and writes from the stage, a batch at a time.
 */
import type { SyncClass, SyncPhase, SyncPlanRow, SyncStrategy } from '../../common/sync-models';
import type { LocalDatabase } from '../platform/local-database';
import { COLLECTIONS_BATCH } from '../salesforce/collections';
import { countScan, lookupKeys, scanKeysBulkInto, scanKeysRestInto, LOOKUP_BATCH, type ExistingByKey, type LookupApi, type LookupTarget } from './key-lookup';
import { changesOf, operationCounts, type WriteItem } from './push-executor';
import { classify, comparedFields, mapUser, normalizeKey, type ExistingRecord, type MappedUser, type PushSettings } from './push-planner';
import { notResentNote, sentValuesHash, type PushRefusals } from './push-refusals';
import { KEY_WINDOW, PushStage, type SettledUser, type StagedClass } from './push-stage';
import { planTopics, topicWriteCalls, type TopicEntity, type TopicPlan } from './push-topics';
import type { OutcomeRow } from './sync-journal';
import type { Counters, ReadUsers } from './sync-ports';

/** Calls a Bulk ingest job costs besides its polls: create, upload, close, two result sets. */
const BULK_JOB_CALLS = 5;
const ESTIMATED_POLLS = 3;

export type PassProgress = (phase: SyncPhase, done: number, total: number, force?: boolean) => void;

export interface PushPassInput {
  readonly db: LocalDatabase;
  readonly siteId: string;
  readonly settings: PushSettings;
  readonly api: LookupApi;
  readonly readUsers: ReadUsers;
  readonly refusals: PushRefusals;
  /** Send records Salesforce refused before even when their values have not changed. */
  readonly retryRefused: boolean;
  readonly bulkThreshold: number;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly counters: Counters;
  readonly signal: AbortSignal;
  readonly progress?: PassProgress;
}

export interface PushPass {
  /** Holds the users and the plan; `close()` it when done. */
  readonly stage: PushStage;
  readonly users: number;
  readonly counts: Record<SyncClass, number>;
  /** Refused before with the same values: failed again without sending. */
  readonly notResent: number;
  /** Creates and updates (Topics-only updates included). */
  readonly writes: number;
  readonly strategy: SyncStrategy;
  readonly writeCalls: number;
  readonly target: LookupTarget;
  readonly topics?: TopicPlan;
}

export async function planPush(input: PushPassInput): Promise<PushPass> {
  const stage = PushStage.open(input.db);
  try {
    return await planInto(stage, input);
  } catch (error) {
    stage.close();
    throw error;
  }
}

async function planInto(stage: PushStage, input: PushPassInput): Promise<PushPass> {
  const { settings, progress, signal } = input;
  const normalize = (key: string): string => normalizeKey(settings.matchKey, key);
  let total = 0;
  progress?.('reading', 0, 0, true);
  for await (const page of input.readUsers(input.siteId, signal)) {
    total = page.total ?? total;
    stage.addUsers(
      page.items.map((user) => mapUser(user, settings)),
      normalize,
    );
    progress?.('reading', stage.users, Math.max(total, stage.users));
  }
  signal.throwIfAborted();
  const target: LookupTarget = { objectType: settings.objectType, matchKey: settings.matchKey, fields: comparedFields(settings) };
  const duplicates = stage.duplicateKeys();
  const keys = stage.distinctKeyCount();
  progress?.('looking-up', 0, keys, true);
  await lookUp(stage, input, target, keys);
  progress?.('looking-up', keys, keys, true);

  const anyRefusals = !input.retryRefused && input.refusals.any(input.siteId);
  const entities: TopicEntity[] | undefined = settings.tagMode === 'topics' ? [] : undefined;
  for (const window of stage.userWindows()) {
    signal.throwIfAborted();
    const rows: { write?: WriteItem; settled?: SettledUser; normKey: string | null }[] = [];
    const existing = stage.existingFor([...new Set(window.flatMap((user) => (user.ok ? [normalize(user.key)] : [])))]);
    for (const user of window) {
      const normKey = user.ok ? normalize(user.key) : null;
      const row = classifyOne(user, normKey, existing, duplicates, settings);
      if (row.write !== undefined && anyRefusals) {
        const refusal = input.refusals.get(input.siteId, row.write.wpUserId);
        if (refusal !== undefined && refusal.valuesHash === sentValuesHash(row.write)) {
          rows.push({ settled: { kind: 'refused', item: row.write, refusal }, normKey });
          continue;
        }
      }
      rows.push({ ...row, normKey });
      if (entities !== undefined && user.ok) {
        const salesforceId = row.write !== undefined ? (row.write.salesforceId ?? null) : row.settled?.kind === 'unchanged' ? row.settled.salesforceId : undefined;
        if (salesforceId !== undefined) entities.push({ wpUserId: user.wpUserId, salesforceId, tags: user.tags });
      }
    }
    stage.addPlanned(rows);
  }

  let topics: TopicPlan | undefined;
  if (entities !== undefined) topics = await planStageTopics(stage, input, entities);

  const classes = stage.counts();
  const sends = stage.sendCounts();
  const operations = operationCounts(sends, target);
  stage.setOperations(operations);
  const strategy: SyncStrategy = sends.create + sends.update > input.bulkThreshold ? 'bulk' : 'collections';
  const writeCalls =
    (strategy === 'bulk' ? operations.length * (BULK_JOB_CALLS + ESTIMATED_POLLS) : operations.reduce((sum, op) => sum + Math.ceil(op.count / COLLECTIONS_BATCH), 0)) + (topics ? topicWriteCalls(topics) : 0);
  const { refused, ...counts } = classes;
  return { stage, users: stage.users, counts, notResent: refused, writes: counts.create + counts.update, strategy, writeCalls, target, ...(topics ? { topics } : {}) };
}

function classifyOne(user: MappedUser, normKey: string | null, existing: ReadonlyMap<string, readonly ExistingRecord[]>, duplicates: ReadonlySet<string>, settings: PushSettings): { write?: WriteItem; settled?: SettledUser } {
  if (user.ok && normKey !== null && duplicates.has(normKey)) {
    return { settled: { kind: 'conflict', wpUserId: user.wpUserId, key: user.key, salesforceIds: [], reason: `Several WordPress users have ${settings.matchKey.field} “${user.key}”; give each its own, then sync again.` } };
  }
  const plan = classify(user, user.ok && normKey !== null ? (existing.get(normKey) ?? []) : [], settings);
  // A create's changes are its record (derived when shown), unless truncation says which values were cut.
  if (plan.kind === 'create') return { write: { kind: 'create', wpUserId: plan.wpUserId, key: plan.key, record: plan.record, changes: plan.changes.some((change) => change.truncatedFrom !== undefined) ? plan.changes : [] } };
  if (plan.kind === 'update') return { write: { kind: 'update', wpUserId: plan.wpUserId, key: plan.key, salesforceId: plan.salesforceId, record: plan.record, changes: plan.changes } };
  return { settled: plan };
}

/**
 * The cheapest way to find the keys, every record found going to the stage: one Bulk query
 * job for big runs; else a count (one call) decides between reading every keyed record
 * (2,000 a page) and `IN` lists of 200 (a window of keys at a time).
 */
async function lookUp(stage: PushStage, input: PushPassInput, target: LookupTarget, keys: number): Promise<void> {
  if (keys === 0) return;
  const sink = (page: ExistingByKey): void => stage.addExisting(page);
  if (keys > input.bulkThreshold) {
    await scanKeysBulkInto(input.api, target, sink, { signal: input.signal, counters: input.counters, pollIntervalMs: input.pollIntervalMs });
    return;
  }
  input.counters.calls += 1;
  const keyed = await countScan(input.api, target);
  if (Math.ceil(keyed / 2_000) <= Math.ceil(keys / LOOKUP_BATCH)) {
    await scanKeysRestInto(input.api, target, sink, input.counters);
    return;
  }
  // A window of keys at a time (2,000 = ten whole IN lists): the calls are what one list of every key would cost.
  for (const window of stage.keyWindows(KEY_WINDOW)) {
    input.signal.throwIfAborted();
    sink(await lookupKeys(input.api, target, window, { concurrency: input.concurrency, counters: input.counters }));
  }
}

/**
 * Topics for every user that has (or gets) a record: what to assign and remove. A user whose
 * fields are unchanged but whose Topics differ becomes an update with only a Topics change.
 * (The Topic plan itself is in memory: one entry per user with tags.)
 */
async function planStageTopics(stage: PushStage, input: PushPassInput, entities: readonly TopicEntity[]): Promise<TopicPlan> {
  const plan = await planTopics(input.api, entities, { removeMissing: input.settings.removeTopics === true, counters: input.counters });
  if (plan.changes.size === 0) return plan;
  for (const window of stage.planned(['create', 'update', 'unchanged'])) {
    for (const row of window) {
      const data = row.data as WriteItem | SettledUser;
      const wpUserId = 'item' in data ? data.item.wpUserId : data.wpUserId;
      const change = plan.changes.get(wpUserId);
      if (change === undefined) continue;
      if (row.kind === 'unchanged' && data.kind === 'unchanged') stage.replacePlanned(row.seq, { kind: 'update', wpUserId, key: data.key, salesforceId: data.salesforceId, record: {}, changes: [], topics: change });
      else if (row.kind === 'create' || row.kind === 'update') stage.replacePlanned(row.seq, { ...(data as WriteItem), topics: change });
    }
  }
  return plan;
}

/** The preview's rows: conflicts, invalid, not re-sent, creates, updates, unchanged; by WordPress id. */
export function previewRows(pass: PushPass, limit: number): SyncPlanRow[] {
  return pass.stage.previewRows(limit).map(({ kind, data }) => planRow(kind, data));
}

function planRow(kind: StagedClass, data: WriteItem | SettledUser): SyncPlanRow {
  if (kind === 'create' || kind === 'update') {
    const item = data as WriteItem;
    return { wpUserId: item.wpUserId, key: item.key, class: item.kind, salesforceId: item.salesforceId ?? null, changes: changesOf(item), reason: null };
  }
  const settled = data as SettledUser;
  switch (settled.kind) {
    case 'refused':
      return {
        wpUserId: settled.item.wpUserId,
        key: settled.item.key,
        class: settled.item.kind,
        salesforceId: settled.item.salesforceId ?? null,
        changes: changesOf(settled.item),
        reason: `${settled.refusal.code}: ${settled.refusal.message} (${notResentNote(settled.refusal)}).`,
        notResent: true,
      };
    case 'unchanged':
      return { wpUserId: settled.wpUserId, key: settled.key, class: 'unchanged', salesforceId: settled.salesforceId, changes: [], reason: null };
    case 'invalid':
      return { wpUserId: settled.wpUserId, key: settled.key, class: 'invalid', salesforceId: null, changes: [], reason: settled.reason };
    case 'conflict':
      return { wpUserId: settled.wpUserId, key: settled.key, class: 'conflict', salesforceId: settled.salesforceIds[0] ?? null, changes: [], reason: settled.reason };
  }
}

/** The outcomes of the users settled without a write, a window at a time. */
export function* settledOutcomes(pass: PushPass): Generator<OutcomeRow[]> {
  for (const window of pass.stage.planned(['unchanged', 'invalid', 'conflict', 'refused'], 5_000)) {
    yield window.map(({ data }) => settledOutcome(data as SettledUser));
  }
}

function settledOutcome(plan: SettledUser): OutcomeRow {
  switch (plan.kind) {
    case 'unchanged':
      return { wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: plan.salesforceId, outcome: 'unchanged' };
    case 'invalid':
      return { wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: null, outcome: 'invalid', errorCode: 'INVALID', errorMessage: plan.reason };
    case 'conflict':
      return { wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: null, outcome: 'conflict', errorCode: 'CONFLICT', errorMessage: plan.reason };
    case 'refused':
      return {
        wpUserId: plan.item.wpUserId,
        matchValue: plan.item.key,
        salesforceId: plan.item.salesforceId ?? null,
        outcome: 'failed',
        errorCode: plan.refusal.code,
        errorMessage: `${plan.refusal.message} (${notResentNote(plan.refusal)})`,
        changes: changesOf(plan.item),
      };
  }
}
