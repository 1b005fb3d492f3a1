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
import type { PullOptionsDto, SyncPhase, SyncPlanDto, SyncProgressDto, SyncRunDto } from '../../common/sync-models';
import type { LocalDatabase } from '../platform/local-database';
import { toSalesforceAppError } from '../salesforce/salesforce-errors';
import type { LookupApi } from './key-lookup';
import { changesOf, SyncStopped, writeWithBulk, writeWithCollections, type Counters, type WriteItem } from './push-executor';
import { planPush, previewRows, settledOutcomes, type PushPass } from './push-pass';
import { PushRefusals } from './push-refusals';
import { applyTopics, type TopicFailure } from './push-topics';
import type { PushSettings } from './push-planner';
import { DEFAULT_RETRY, retryingReads, type RetryPolicy } from './retry';
import { errorCodeOf, errorMessageOf, failureKind, stopError } from './sync-errors';
import { recoverUnfinished } from './sync-recovery';
import { SyncJournal, type OutcomeRow, type RunRow } from './sync-journal';
import type { WriteUsers } from './pull-runner';
import { PullService } from './pull-service';
import type { LivePullOptions, LivePullSession } from '../../common/live-pull';
import type { ReadUsers, SyncUsersPage } from './sync-ports';
import { processIsLive, SiteRunSlots } from '../platform/site-run-slots';

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

type ProgressFn = (phase: SyncPhase, done: number, total: number, force?: boolean) => void;

/** Push options for a plan and a run. */
export interface PushOptions {
  /** Send the records Salesforce refused before even when their values have not changed. */
  readonly retryRefused?: boolean;
}

export class SyncService {
  readonly journal: SyncJournal;
  readonly #options: SyncServiceOptions;
  readonly #slots = new SiteRunSlots();
  readonly #pid: number;
  readonly #pull: PullService;
  readonly #refusals: PushRefusals;

  constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#pid = options.pid ?? process.pid;
    this.journal = new SyncJournal(options.db, this.#pid);
    this.#refusals = new PushRefusals(options.db);
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
  async plan(siteId: string, signal: AbortSignal = new AbortController().signal, options: PushOptions = {}): Promise<SyncPlanDto> {
    const settings = this.#options.settingsFor(siteId);
    return this.#forSite(siteId, async () => {
      const api = this.#reads(await this.#options.salesforceFor(siteId));
      const counters: Counters = { calls: 0, polls: 0 };
      let pass: PushPass;
      try {
        pass = await this.#planPass(siteId, settings, api, counters, signal, options);
      } catch (error) {
        throw readError(error);
      }
      try {
        const estimate = await this.#estimate(api, counters, pass.writeCalls);
        return this.#planDto(siteId, settings, pass, estimate);
      } finally {
        pass.stage.close();
      }
    });
  }

  /**
   * Runs a push to the end (or to Cancel, or to a stop) and answers the run. `confirmed`:
   * the admin accepted an estimate above the share of remaining daily requests.
   */
  async start(siteId: string, options: PushOptions & { confirmed?: boolean; onRunStarted?: (runId: string) => void } = {}): Promise<SyncRunDto> {
    if (this.#slots.isRunning(siteId)) throw busy();
    const settings = this.#options.settingsFor(siteId);
    const elsewhere = this.journal.liveRunElsewhere(siteId, this.#isLive);
    if (elsewhere) throw busy(`another ForceSites process (pid ${elsewhere.owner_pid})`);
    return this.#slots.run(siteId, (signal) => this.#forSite(siteId, () => this.#run(siteId, settings, signal, options.confirmed === true, options, options.onRunStarted)));
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

  async #run(siteId: string, settings: PushSettings, signal: AbortSignal, confirmed: boolean, options: PushOptions, onRunStarted?: (runId: string) => void): Promise<SyncRunDto> {
    const writeApi = await this.#options.salesforceFor(siteId);
    const api = this.#reads(writeApi);
    const counters: Counters = { calls: 0, polls: 0 };
    const runId = this.#newId();
    const progress = this.#progress(siteId, runId);
    progress('recovering', 0, 0, true);
    let pass: PushPass;
    try {
      await recoverUnfinished({ api, journal: this.journal, siteId, objectType: settings.objectType, isLive: this.#isLive, now: () => this.#nowIso(), counters });
      pass = await this.#planPass(siteId, settings, api, counters, signal, options, progress);
    } catch (error) {
      // Nothing written yet: WordPress down, credentials refused, Salesforce out of reach.
      throw readError(error);
    }
    try {
      return await this.#write(siteId, settings, runId, writeApi, api, pass, counters, signal, confirmed, progress, onRunStarted);
    } finally {
      pass.stage.close();
    }
  }

  async #write(
    siteId: string,
    settings: PushSettings,
    runId: string,
    writeApi: LookupApi,
    api: LookupApi,
    pass: PushPass,
    counters: Counters,
    signal: AbortSignal,
    confirmed: boolean,
    progress: ProgressFn,
    onRunStarted?: (runId: string) => void,
  ): Promise<SyncRunDto> {
    if (pass.writes > 0 && !confirmed) {
      const estimate = await this.#estimate(api, counters, pass.writeCalls);
      if (estimate.needsConfirmation) {
        throw new AppError('CONFLICT', `This sync needs about ${pass.writeCalls} API calls, more than ${Math.round(estimate.shareLimit * 100)}% of the ${estimate.remainingDaily} the org has left today.`, {
          hint: 'Review the preview and confirm to run it anyway, or sync later.',
        });
      }
    }
    this.journal.startRun({ id: runId, siteId, objectType: settings.objectType, matchKind: settings.matchKey.kind, matchField: settings.matchKey.field, strategy: pass.strategy, startedAt: this.#nowIso() });
    this.journal.setStrategy(runId, pass.strategy, pass.users);
    for (const rows of settledOutcomes(pass)) this.journal.record(runId, rows);
    onRunStarted?.(runId);
    let state: 'completed' | 'cancelled' | 'failed' = 'completed';
    let stopped: AppError | undefined;
    try {
      progress('writing', 0, pass.writes, true);
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
          progress('writing', done, pass.writes);
        },
        ...(this.#options.beforeSend ? { beforeSend: this.#options.beforeSend } : {}),
      };
      if (pass.strategy === 'bulk') await writeWithBulk(context, pass.stage);
      else await writeWithCollections(context, pass.stage);
      if (signal.aborted) state = 'cancelled';
      else if (pass.topics !== undefined) await this.#writeTopics(runId, writeApi, pass, counters, (items) => progress('writing', (done += items), pass.writes));
    } catch (error) {
      state = 'failed';
      stopped = error instanceof SyncStopped ? error.appError : asAppError(error);
    }
    this.journal.recount(runId);
    const row = this.journal.finishRun(runId, state, this.#nowIso(), counters.calls, stopped ? { code: stopped.code, message: `${stopped.message}${stopped.hint ? ` ${stopped.hint}` : ''}` } : state === 'cancelled' ? { code: 'CANCELLED', message: 'Cancelled: the batches in flight finished; the rest was not sent.' } : undefined);
    progress('done', pass.writes, pass.writes, true);
    const dto = runDto(row);
    this.#options.onFinished?.(dto);
    if (stopped) throw stopped;
    return dto;
  }

  #planPass(siteId: string, settings: PushSettings, api: LookupApi, counters: Counters, signal: AbortSignal, options: PushOptions, progress?: ProgressFn): Promise<PushPass> {
    return planPush({
      db: this.#options.db,
      siteId,
      settings,
      api,
      readUsers: this.#options.readUsers,
      refusals: this.#refusals,
      retryRefused: options.retryRefused === true,
      bulkThreshold: this.#bulkThreshold(),
      concurrency: this.#options.concurrency?.() ?? DEFAULT_CONCURRENCY,
      pollIntervalMs: this.#options.pollIntervalMs ?? 250,
      counters,
      signal,
      ...(progress ? { progress } : {}),
    });
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

  #planDto(siteId: string, settings: PushSettings, pass: PushPass, estimate: SyncPlanDto['estimate']): SyncPlanDto {
    const limit = this.#options.rowsLimit ?? 2_000;
    // The preview's rows come from the stage in its order; the counts cover everyone.
    const rows = previewRows(pass, limit);
    return {
      siteId,
      objectType: settings.objectType,
      matchKind: settings.matchKey.kind,
      matchField: settings.matchKey.field,
      users: pass.users,
      counts: pass.counts,
      notResent: pass.notResent,
      strategy: pass.strategy,
      estimate,
      rows,
      rowsTruncated: pass.users > rows.length,
      plannedAt: this.#nowIso(),
    };
  }

  /** After the fields: Topics created once, assigned, removed; failures recorded per user. */
  async #writeTopics(runId: string, writeApi: LookupApi, pass: PushPass, counters: Counters, onSettled: (items: number) => void): Promise<void> {
    const topics = pass.topics!;
    // Updates name their record; creates learned theirs from Salesforce (the journal has it).
    const written = this.journal.recordIds(runId);
    const recordIds = new Map<number, string>();
    const items: WriteItem[] = [];
    for (const window of pass.stage.topicWrites()) {
      for (const item of window) {
        const id = item.kind === 'update' ? item.salesforceId : written.get(item.wpUserId);
        items.push(item);
        if (id !== undefined) recordIds.set(item.wpUserId, id);
      }
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
    for (const item of items) {
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

export function runDto(row: RunRow): SyncRunDto {
  return {
    id: row.id,
    siteId: row.site_id,
    direction: row.direction,
    origin: row.origin,
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
