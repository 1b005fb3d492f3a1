/**
 * The push (WordPress → Salesforce): plan, then write, journaled.
 *
 * `plan(siteId)` is the dry run: read the users, map them, look their keys up, classify,
 * estimate the calls — nothing written. `start(siteId)` does the same, checks the estimate
 * against the org's remaining daily requests, records the run, and writes (Collections, or
 * Bulk above the threshold). One run per site at a time in this process, and none while
 * another live process (the CLI) runs one for the site; before a run, batches an earlier
 * run left unanswered are recovered by looking their keys up.
 *
 * WordPress users come through a port (`readUsers`): main/app implements it with the
 * WordPress client, so this feature imports no other feature.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors';
import type { PullOptionsDto, SyncClass, SyncPhase, SyncPlanDto, SyncPlanRow, SyncProgressDto, SyncRunDto, SyncStrategy } from '../../common/sync-models';
import type { LocalDatabase } from '../platform/local-database';
import { COLLECTIONS_BATCH } from '../salesforce/collections';
import { toSalesforceAppError } from '../salesforce/salesforce-errors';
import { countScan, lookupKeys, scanKeysBulk, scanKeysRest, LOOKUP_BATCH, type ExistingByKey, type LookupApi, type LookupTarget } from './key-lookup';
import { changesOf, operations, SyncStopped, withFields, writeWithBulk, writeWithCollections, type Counters, type WriteItem } from './push-executor';
import { applyTopics, planTopics, topicWriteCalls, type TopicEntity, type TopicFailure, type TopicPlan } from './push-topics';
import { classify, comparedFields, mapUser, normalizeKey, type MappedUser, type PlannedUser, type PushSettings } from './push-planner';
import { DEFAULT_RETRY, retryingReads, type RetryPolicy } from './retry';
import { errorCodeOf, errorMessageOf, failureKind, stopError } from './sync-errors';
import { recoverUnfinished } from './sync-recovery';
import { SyncJournal, type OutcomeRow, type RunRow } from './sync-journal';
import type { WriteUsers } from './pull-runner';
import { PullService } from './pull-service';
import type { LivePullOptions, LivePullSession } from './live-pull';
import type { ReadUsers, SyncUsersPage } from './sync-ports';
import { SiteRunSlots } from '../platform/site-run-slots';

export type { ReadUsers, SyncUsersPage };



export interface SyncServiceOptions {
  readonly db: LocalDatabase;
  readonly readUsers: ReadUsers;
  /** The site's push settings; throws an AppError when the site cannot sync (no connection …). */
  readonly settingsFor: (siteId: string) => PushSettings;
  /** The Salesforce API for the site's connection (main/app: registry.open + textRequestsOf). */
  readonly salesforceFor: (siteId: string) => Promise<LookupApi>;
  /** Counts every call inside for the site (the registry's meter). */
  readonly forSite?: <T>(siteId: string, work: () => T) => T;
  readonly onProgress?: (progress: SyncProgressDto) => void;
  readonly onFinished?: (run: SyncRunDto) => void;
  readonly concurrency?: () => number;
  readonly bulkThreshold?: () => number;
  /** Share (0..1) of the org's remaining daily requests a run may use without asking (default 0.5). */
  readonly apiShare?: () => number;
  readonly retry?: RetryPolicy;
  readonly pollIntervalMs?: number;
  readonly progressIntervalMs?: number;
  readonly rowsLimit?: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly pid?: number;
  readonly isLive?: (pid: number) => boolean;
  /** Test seam: after a batch is journaled as sending, before it leaves. */
  readonly beforeSend?: (batchId: number) => void | Promise<void>;
  /** WordPress user writes for the pull (main/app: the WordPress client). */
  readonly writeUsers?: (siteId: string) => WriteUsers;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_BULK_THRESHOLD = 2_000;
export const DEFAULT_API_SHARE = 0.5;
/** Calls a Bulk ingest job costs besides its polls: create, upload, close, two result sets. */
const BULK_JOB_CALLS = 5;
const ESTIMATED_POLLS = 3;

type ProgressFn = (phase: SyncPhase, done: number, total: number, force?: boolean) => void;

interface PlanPass {
  readonly users: number;
  /** Users settled without a write: unchanged, invalid, conflict. */
  readonly settled: readonly PlannedUser[];
  readonly counts: Record<SyncClass, number>;
  readonly writes: readonly WriteItem[];
  readonly strategy: SyncStrategy;
  readonly writeCalls: number;
  readonly target: LookupTarget;
  readonly topics?: TopicPlan;
}

export function processIsLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SyncService {
  readonly journal: SyncJournal;
  readonly #options: SyncServiceOptions;
  readonly #slots = new SiteRunSlots();
  readonly #pid: number;
  readonly #pull: PullService;

  constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#pid = options.pid ?? process.pid;
    this.journal = new SyncJournal(options.db, this.#pid);
    this.#pull = new PullService({
      db: options.db,
      pid: this.#pid,
      isLive: (pid) => this.#isLive(pid),
      journal: this.journal,
      slots: this.#slots,
      readUsers: options.readUsers,
      settingsFor: options.settingsFor,
      salesforceFor: options.salesforceFor,
      writeUsers: options.writeUsers,
      concurrency: () => options.concurrency?.() ?? DEFAULT_CONCURRENCY,
      apiShare: () => options.apiShare?.() ?? DEFAULT_API_SHARE,
      rowsLimit: options.rowsLimit ?? 2_000,
      onFinished: options.onFinished,
      forSite: (siteId, work) => this.#forSite(siteId, work),
      reads: (api) => this.#reads(api),
      progress: (siteId, runId) => this.#progress(siteId, runId),
      nowIso: () => this.#nowIso(),
      newId: () => this.#newId(),
      runDto,
      readError,
      asAppError,
      busy: (who) => busy(who),
      beforeSend: options.beforeSend,
    });
  }

  isRunning(siteId: string): boolean {
    return this.#slots.isRunning(siteId);
  }

  /** The dry run: what a sync would do, and what it would cost. Writes nothing. */
  async plan(siteId: string, signal: AbortSignal = new AbortController().signal): Promise<SyncPlanDto> {
    const settings = this.#options.settingsFor(siteId);
    return this.#forSite(siteId, async () => {
      const api = this.#reads(await this.#options.salesforceFor(siteId));
      const counters: Counters = { calls: 0, polls: 0 };
      let pass: PlanPass;
      try {
        pass = await this.#planPass(siteId, settings, api, counters, signal);
      } catch (error) {
        throw readError(error);
      }
      const estimate = await this.#estimate(api, counters, pass.writeCalls);
      return this.#planDto(siteId, settings, pass, estimate);
    });
  }

  /**
   * Runs a push to the end (or to Cancel, or to a stop) and answers the run. `confirmed`:
   * the admin accepted an estimate above the share of remaining daily requests.
   */
  async start(siteId: string, options: { confirmed?: boolean; onRunStarted?: (runId: string) => void } = {}): Promise<SyncRunDto> {
    if (this.#slots.isRunning(siteId)) throw busy();
    const settings = this.#options.settingsFor(siteId);
    const elsewhere = this.journal.liveRunElsewhere(siteId, this.#isLive);
    if (elsewhere) throw busy(`another ForceSites process (pid ${elsewhere.owner_pid})`);
    return this.#slots.run(siteId, (signal) => this.#forSite(siteId, () => this.#run(siteId, settings, signal, options.confirmed === true, options.onRunStarted)));
  }

  /** Stops after the batches in flight; answers whether a run was going. */
  cancel(siteId: string): boolean {
    return this.#slots.cancel(siteId, new AppError('INVALID_REQUEST', 'Cancelled.'));
  }

  /** Cancels every run and waits for the batches in flight (the app is quitting). */
  async stopAll(): Promise<void> {
    await this.#slots.stopAll(new AppError('INVALID_REQUEST', 'ForceSites is quitting.'));
  }

  /** The pull's dry run (pull-service.ts): which WordPress users would be created or changed. */
  planPull(siteId: string, options: PullOptionsDto, signal?: AbortSignal): Promise<SyncPlanDto> {
    return this.#pull.planPull(siteId, options, signal);
  }

  /** Imports records as WordPress users and updates existing ones (pull-service.ts); one run per site, as for the push. */
  startPull(siteId: string, options: PullOptionsDto & { onRunStarted?: (runId: string) => void }): Promise<SyncRunDto> {
    return this.#pull.startPull(siteId, options);
  }

  /** A live-pull session for the change feed (live-pull.ts: the slot rule and what it records). */
  openLivePull(siteId: string, options?: LivePullOptions): Promise<LivePullSession> {
    return this.#pull.openLivePull(siteId, options);
  }

  runs(siteId?: string, limit?: number): SyncRunDto[] {
    return this.journal.runs(siteId, limit).map(runDto);
  }

  run(runId: string): SyncRunDto | undefined {
    const row = this.journal.run(runId);
    return row === undefined ? undefined : runDto(row);
  }

  async #run(siteId: string, settings: PushSettings, signal: AbortSignal, confirmed: boolean, onRunStarted?: (runId: string) => void): Promise<SyncRunDto> {
    const writeApi = await this.#options.salesforceFor(siteId);
    const api = this.#reads(writeApi);
    const counters: Counters = { calls: 0, polls: 0 };
    const runId = this.#newId();
    const progress = this.#progress(siteId, runId);
    progress('recovering', 0, 0, true);
    let pass: PlanPass;
    try {
      await recoverUnfinished({ api, journal: this.journal, siteId, objectType: settings.objectType, isLive: this.#isLive, now: () => this.#nowIso(), counters });
      pass = await this.#planPass(siteId, settings, api, counters, signal, progress);
    } catch (error) {
      // Nothing written yet: WordPress down, credentials refused, Salesforce out of reach.
      throw readError(error);
    }
    if (pass.writes.length > 0 && !confirmed) {
      const estimate = await this.#estimate(api, counters, pass.writeCalls);
      if (estimate.needsConfirmation) {
        throw new AppError('CONFLICT', `This sync needs about ${pass.writeCalls} API calls, more than ${Math.round(estimate.shareLimit * 100)}% of the ${estimate.remainingDaily} the org has left today.`, {
          hint: 'Review the preview and confirm to run it anyway, or sync later.',
        });
      }
    }
    this.journal.startRun({ id: runId, siteId, objectType: settings.objectType, matchKind: settings.matchKey.kind, matchField: settings.matchKey.field, strategy: pass.strategy, startedAt: this.#nowIso() });
    this.journal.setStrategy(runId, pass.strategy, pass.users);
    this.#recordSettled(runId, pass.settled);
    onRunStarted?.(runId);
    let state: 'completed' | 'cancelled' | 'failed' = 'completed';
    let stopped: AppError | undefined;
    try {
      progress('writing', 0, pass.writes.length, true);
      let done = 0;
      const context = {
        api: writeApi,
        readApi: api,
        journal: this.journal,
        runId,
        target: pass.target,
        concurrency: this.#options.concurrency?.() ?? DEFAULT_CONCURRENCY,
        retry: this.#options.retry ?? DEFAULT_RETRY,
        signal,
        now: () => this.#nowIso(),
        counters,
        pollIntervalMs: this.#options.pollIntervalMs ?? 250,
        onSettled: (items: number) => {
          done += items;
          progress('writing', done, pass.writes.length);
        },
        ...(this.#options.beforeSend ? { beforeSend: this.#options.beforeSend } : {}),
      };
      if (pass.strategy === 'bulk') await writeWithBulk(context, pass.writes);
      else await writeWithCollections(context, pass.writes);
      if (signal.aborted) state = 'cancelled';
      else if (pass.topics !== undefined) await this.#writeTopics(runId, writeApi, pass, counters, (items) => progress('writing', (done += items), pass.writes.length));
    } catch (error) {
      state = 'failed';
      stopped = error instanceof SyncStopped ? error.appError : asAppError(error);
    }
    this.journal.recount(runId);
    const row = this.journal.finishRun(runId, state, this.#nowIso(), counters.calls, stopped ? { code: stopped.code, message: `${stopped.message}${stopped.hint ? ` ${stopped.hint}` : ''}` } : state === 'cancelled' ? { code: 'CANCELLED', message: 'Cancelled: the batches in flight finished; the rest was not sent.' } : undefined);
    progress('done', pass.writes.length, pass.writes.length, true);
    const dto = runDto(row);
    this.#options.onFinished?.(dto);
    if (stopped) throw stopped;
    return dto;
  }

  async #planPass(siteId: string, settings: PushSettings, api: LookupApi, counters: Counters, signal: AbortSignal, progress?: ProgressFn): Promise<PlanPass> {
    const mapped: MappedUser[] = [];
    let total = 0;
    progress?.('reading', 0, 0, true);
    // Users are mapped as they arrive and dropped: only the mapped values stay in memory.
    for await (const page of this.#options.readUsers(siteId, signal)) {
      total = page.total ?? total;
      for (const user of page.items) mapped.push(mapUser(user, settings));
      progress?.('reading', mapped.length, Math.max(total, mapped.length));
    }
    signal.throwIfAborted();
    const target: LookupTarget = { objectType: settings.objectType, matchKey: settings.matchKey, fields: comparedFields(settings) };
    const keyCounts = new Map<string, number>();
    for (const user of mapped) if (user.ok) keyCounts.set(normalizeKey(settings.matchKey, user.key), (keyCounts.get(normalizeKey(settings.matchKey, user.key)) ?? 0) + 1);
    progress?.('looking-up', 0, keyCounts.size, true);
    const existing = await this.#lookup(api, target, [...keyCounts.keys()], counters, signal);
    progress?.('looking-up', keyCounts.size, keyCounts.size, true);
    const counts: Record<SyncClass, number> = { create: 0, update: 0, unchanged: 0, invalid: 0, conflict: 0 };
    const settled: PlannedUser[] = [];
    const writes: WriteItem[] = [];
    for (const user of mapped) {
      let plan: PlannedUser;
      if (user.ok && (keyCounts.get(normalizeKey(settings.matchKey, user.key)) ?? 0) > 1) {
        plan = { kind: 'conflict', wpUserId: user.wpUserId, key: user.key, salesforceIds: [], reason: `Several WordPress users have ${settings.matchKey.field} “${user.key}”; give each its own, then sync again.` };
      } else {
        plan = classify(user, user.ok ? (existing.get(normalizeKey(settings.matchKey, user.key)) ?? []) : [], settings);
      }
      counts[plan.kind] += 1;
      // Memory: a write is kept once, as a WriteItem; a create's changes are its record (derived when shown).
      // A create that truncated keeps its changes: they say which values were cut.
      if (plan.kind === 'create') writes.push({ kind: 'create', wpUserId: plan.wpUserId, key: plan.key, record: plan.record, changes: plan.changes.some((change) => change.truncatedFrom !== undefined) ? plan.changes : [] });
      else if (plan.kind === 'update') writes.push({ kind: 'update', wpUserId: plan.wpUserId, key: plan.key, salesforceId: plan.salesforceId, record: plan.record, changes: plan.changes });
      else settled.push(plan);
    }
    let topics: TopicPlan | undefined;
    if (settings.tagMode === 'topics') {
      topics = await this.#planTopics(api, settings, mapped, writes, settled, counts, counters);
    }
    const fieldWrites = withFields(writes);
    const strategy: SyncStrategy = fieldWrites.length > this.#bulkThreshold() ? 'bulk' : 'collections';
    const ops = operations(fieldWrites, target);
    const writeCalls =
      (strategy === 'bulk' ? ops.length * (BULK_JOB_CALLS + ESTIMATED_POLLS) : ops.reduce((sum, op) => sum + Math.ceil(op.items.length / COLLECTIONS_BATCH), 0)) + (topics ? topicWriteCalls(topics) : 0);
    return { users: mapped.length, settled, counts, writes, strategy, writeCalls, target, ...(topics ? { topics } : {}) };
  }

  /**
   * Topics for every user that has (or gets) a record: what to assign and remove. A user whose
   * fields are unchanged but whose Topics differ becomes an update with only a Topics change.
   */
  async #planTopics(api: LookupApi, settings: PushSettings, mapped: readonly MappedUser[], writes: WriteItem[], settled: PlannedUser[], counts: Record<SyncClass, number>, counters: Counters): Promise<TopicPlan> {
    const tags = new Map<number, readonly string[]>();
    for (const user of mapped) if (user.ok) tags.set(user.wpUserId, user.tags);
    const entities: TopicEntity[] = [
      ...writes.map((item) => ({ wpUserId: item.wpUserId, salesforceId: item.salesforceId ?? null, tags: tags.get(item.wpUserId) ?? [] })),
      ...settled.flatMap((plan) => (plan.kind === 'unchanged' ? [{ wpUserId: plan.wpUserId, salesforceId: plan.salesforceId, tags: tags.get(plan.wpUserId) ?? [] }] : [])),
    ];
    const plan = await planTopics(api, entities, { removeMissing: settings.removeTopics === true, counters });
    writes.forEach((item, index) => {
      const change = plan.changes.get(item.wpUserId);
      if (change !== undefined) writes[index] = { ...item, topics: change };
    });
    for (let index = settled.length - 1; index >= 0; index--) {
      const plan0 = settled[index]!;
      const change = plan0.kind === 'unchanged' ? plan.changes.get(plan0.wpUserId) : undefined;
      if (plan0.kind !== 'unchanged' || change === undefined) continue;
      settled.splice(index, 1);
      counts.unchanged -= 1;
      counts.update += 1;
      writes.push({ kind: 'update', wpUserId: plan0.wpUserId, key: plan0.key, salesforceId: plan0.salesforceId, record: {}, changes: [], topics: change });
    }
    return plan;
  }

  /**
   * The cheapest way to find the keys: one Bulk query job for big runs; else a count (one
   * call) decides between reading every keyed record (2,000 a page) and `IN` lists of 200.
   */
  async #lookup(api: LookupApi, target: LookupTarget, keys: readonly string[], counters: Counters, signal: AbortSignal): Promise<ExistingByKey> {
    if (keys.length === 0) return new Map();
    if (keys.length > this.#bulkThreshold()) return scanKeysBulk(api, target, { signal, counters, pollIntervalMs: this.#options.pollIntervalMs ?? 250 });
    counters.calls += 1;
    const keyed = await countScan(api, target);
    if (Math.ceil(keyed / 2_000) <= Math.ceil(keys.length / LOOKUP_BATCH)) return scanKeysRest(api, target, counters);
    return lookupKeys(api, target, keys, { concurrency: this.#options.concurrency?.() ?? DEFAULT_CONCURRENCY, counters });
  }

  async #estimate(api: LookupApi, counters: Counters, writeCalls: number): Promise<SyncPlanDto['estimate']> {
    const shareLimit = this.#options.apiShare?.() ?? DEFAULT_API_SHARE;
    let remainingDaily: number | null = null;
    let maxDaily: number | null = null;
    try {
      counters.calls += 1;
      const limits = await api.request<{ DailyApiRequests?: { Max?: number; Remaining?: number } }>('/limits');
      remainingDaily = typeof limits.DailyApiRequests?.Remaining === 'number' ? limits.DailyApiRequests.Remaining : null;
      maxDaily = typeof limits.DailyApiRequests?.Max === 'number' ? limits.DailyApiRequests.Max : null;
    } catch {
      // Without the figure the preview says so; the run itself still stops on REQUEST_LIMIT_EXCEEDED.
    }
    return { planCalls: counters.calls, writeCalls, remainingDaily, maxDaily, needsConfirmation: remainingDaily !== null && writeCalls > remainingDaily * shareLimit, shareLimit };
  }

  #planDto(siteId: string, settings: PushSettings, pass: PlanPass, estimate: SyncPlanDto['estimate']): SyncPlanDto {
    const limit = this.#options.rowsLimit ?? 2_000;
    const order: Record<SyncClass, number> = { conflict: 0, invalid: 1, create: 2, update: 3, unchanged: 4 };
    const all = [...pass.settled.map(planRow), ...pass.writes.map(writeRow)];
    const rows = all.sort((a, b) => order[a.class] - order[b.class] || (a.wpUserId ?? 0) - (b.wpUserId ?? 0)).slice(0, limit);
    return {
      siteId,
      objectType: settings.objectType,
      matchKind: settings.matchKey.kind,
      matchField: settings.matchKey.field,
      users: pass.users,
      counts: pass.counts,
      strategy: pass.strategy,
      estimate,
      rows,
      rowsTruncated: all.length > limit,
      plannedAt: this.#nowIso(),
    };
  }

  /** After the fields: Topics created once, assigned, removed; failures recorded per user. */
  async #writeTopics(runId: string, writeApi: LookupApi, pass: PlanPass, counters: Counters, onSettled: (items: number) => void): Promise<void> {
    const topics = pass.topics!;
    // Updates name their record; creates learned theirs from Salesforce (the journal has it).
    const written = this.journal.recordIds(runId);
    const recordIds = new Map<number, string>();
    for (const item of pass.writes) {
      const id = item.kind === 'update' ? item.salesforceId : written.get(item.wpUserId);
      if (item.topics !== undefined && id !== undefined) recordIds.set(item.wpUserId, id);
    }
    let failures: TopicFailure[];
    try {
      failures = await applyTopics(writeApi, topics, recordIds, { concurrency: this.#options.concurrency?.() ?? DEFAULT_CONCURRENCY, counters });
    } catch (error) {
      if (failureKind(error) === 'stop') throw new SyncStopped(stopError(error));
      failures = [...topics.changes.keys()].map((wpUserId) => ({ wpUserId, code: errorCodeOf(error), message: `Topics: ${errorMessageOf(error)}` }));
    }
    const failed = new Map(failures.map((f) => [f.wpUserId, f]));
    const rows: OutcomeRow[] = [];
    let topicOnly = 0;
    for (const item of pass.writes) {
      if (item.topics === undefined) continue;
      const failure = failed.get(item.wpUserId);
      const salesforceId = recordIds.get(item.wpUserId) ?? item.salesforceId ?? null;
      const fieldsSent = item.kind === 'create' || Object.keys(item.record).length > 0;
      if (!fieldsSent) topicOnly += 1;
      if (failure !== undefined) rows.push({ wpUserId: item.wpUserId, matchValue: item.key, salesforceId, outcome: 'failed', errorCode: failure.code, errorMessage: failure.message, changes: changesOf(item) });
      else if (!fieldsSent && recordIds.has(item.wpUserId)) rows.push({ wpUserId: item.wpUserId, matchValue: item.key, salesforceId, outcome: 'updated', changes: changesOf(item) });
    }
    this.journal.record(runId, rows);
    onSettled(topicOnly);
  }

  /** Unchanged, invalid and conflict users are settled without a write: recorded in chunks. */
  #recordSettled(runId: string, planned: readonly PlannedUser[]): void {
    const rows: OutcomeRow[] = [];
    for (const plan of planned) {
      if (plan.kind === 'unchanged') rows.push({ wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: plan.salesforceId, outcome: 'unchanged' });
      else if (plan.kind === 'invalid') rows.push({ wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: null, outcome: 'invalid', errorCode: 'INVALID', errorMessage: plan.reason });
      else if (plan.kind === 'conflict') rows.push({ wpUserId: plan.wpUserId, matchValue: plan.key, salesforceId: null, outcome: 'conflict', errorCode: 'CONFLICT', errorMessage: plan.reason });
      if (rows.length >= 5_000) this.journal.record(runId, rows.splice(0));
    }
    this.journal.record(runId, rows);
  }

  #progress(siteId: string, runId: string): ProgressFn {
    const interval = this.#options.progressIntervalMs ?? 250;
    let last = 0;
    let phaseStarted = Date.now();
    let lastPhase: SyncPhase | undefined;
    return (phase: SyncPhase, done: number, total: number, force = false): void => {
      const now = Date.now();
      if (phase !== lastPhase) {
        lastPhase = phase;
        phaseStarted = now;
        force = true;
      }
      if (!force && now - last < interval) return;
      last = now;
      const seconds = (now - phaseStarted) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      this.#options.onProgress?.({ siteId, runId, phase, done, total, rate: Math.round(rate * 10) / 10, etaSeconds: rate > 0 && total >= done ? Math.round((total - done) / rate) : null });
    };
  }

  #reads(api: LookupApi): LookupApi {
    return retryingReads(api, this.#options.retry ?? DEFAULT_RETRY, (error) => failureKind(error) === 'retry');
  }

  #forSite<T>(siteId: string, work: () => Promise<T>): Promise<T> {
    return this.#options.forSite ? this.#options.forSite(siteId, work) : work();
  }

  #bulkThreshold(): number {
    return this.#options.bulkThreshold?.() ?? DEFAULT_BULK_THRESHOLD;
  }

  #nowIso(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  #newId(): string {
    return this.#options.newId?.() ?? randomUUID();
  }

  readonly #isLive = (pid: number): boolean => (this.#options.isLive ?? processIsLive)(pid);
}

function busy(who = 'a sync'): AppError {
  return new AppError('CONFLICT', `This site is already syncing (${who}).`, { hint: 'Wait for it to finish or cancel it; two different sites may sync at once.' });
}

/** A failure before anything was written, as the admin should read it. */
function readError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (failureKind(error) === 'stop') return stopError(error);
  return toSalesforceAppError(error);
}

function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('SALESFORCE_ERROR', error instanceof Error ? error.message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300) : 'The sync failed.', { hint: 'Try again; the run history has what was written.', cause: error });
}

function writeRow(item: WriteItem): SyncPlanRow {
  return { wpUserId: item.wpUserId, key: item.key, class: item.kind, salesforceId: item.salesforceId ?? null, changes: changesOf(item), reason: null };
}

function planRow(plan: PlannedUser): SyncPlanRow {
  switch (plan.kind) {
    case 'create':
      return { wpUserId: plan.wpUserId, key: plan.key, class: 'create', salesforceId: null, changes: plan.changes, reason: null };
    case 'update':
      return { wpUserId: plan.wpUserId, key: plan.key, class: 'update', salesforceId: plan.salesforceId, changes: plan.changes, reason: null };
    case 'unchanged':
      return { wpUserId: plan.wpUserId, key: plan.key, class: 'unchanged', salesforceId: plan.salesforceId, changes: [], reason: null };
    case 'invalid':
      return { wpUserId: plan.wpUserId, key: plan.key, class: 'invalid', salesforceId: null, changes: [], reason: plan.reason };
    case 'conflict':
      return { wpUserId: plan.wpUserId, key: plan.key, class: 'conflict', salesforceId: plan.salesforceIds[0] ?? null, changes: [], reason: plan.reason };
  }
}

export function runDto(row: RunRow): SyncRunDto {
  return {
    id: row.id,
    siteId: row.site_id,
    direction: row.direction,
    state: row.state,
    objectType: row.object_type,
    matchField: row.match_field,
    strategy: row.strategy,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    total: row.total,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    failed: row.failed,
    invalid: row.invalid,
    conflict: row.conflict,
    apiCalls: row.api_calls,
    errorCode: row.error_code,
    message: row.message,
  };
}
