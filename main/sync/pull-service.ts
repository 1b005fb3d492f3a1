/**
 * The pull's orchestration (Salesforce → WordPress): the dry run (`planPull`) and the run
 * (`startPull`). SyncService owns the per-site run slot, the journal, progress and the error
 * wording shared with the push, and hands them in (`PullHost`) so this file imports nothing of
 * sync-service.ts (no two sync files import each other).
 */
import { AppError } from '../../common/errors';
import type { PullOptionsDto, SyncClass, SyncPlanDto, SyncPlanRow, SyncRunDto } from '../../common/sync-models';
import type { LivePullOptions, LivePullSession } from '../../common/live-pull';
import { LivePull } from './live-pull';
import { pullTarget, type PullHost } from './pull-host';
import { PullJournal } from './pull-journal';
import type { PullPlan } from './pull-planner';
import { recoverPull } from './pull-recovery';
import { pullPass, settledRows, writePullBatches, type PullPass, type WriteUsers } from './pull-runner';
import type { PushSettings } from './push-planner';
import type { Counters } from './sync-ports';

export type { PullHost };

export class PullService {
  readonly #host: PullHost;
  readonly #journal: PullJournal;
  /** Open live sessions: a manual pull tells them to read the site's users again. */
  readonly #live = new Set<LivePull>();

  constructor(host: PullHost) {
    this.#host = host;
    this.#journal = new PullJournal(host.db, host.pid);
  }

  /**
   * A live-pull session for the change feed (live-pull.ts): one open run that records arrive
   * into. It takes the site's run slot only while it applies a batch.
   */
  async openLivePull(siteId: string, options: LivePullOptions = {}): Promise<LivePullSession> {
    const session = await LivePull.open(this.#host, this.#journal, siteId, options, (closed) => this.#live.delete(closed));
    this.#live.add(session);
    return session;
  }

  /** The pull's dry run: which WordPress users would be created or changed. Writes nothing. */
  async planPull(siteId: string, options: PullOptionsDto, signal: AbortSignal = new AbortController().signal): Promise<SyncPlanDto> {
    const host = this.#host;
    const settings = host.settingsFor(siteId);
    return host.forSite(siteId, async () => {
      const api = host.reads(await host.salesforceFor(siteId));
      const counters: Counters = { calls: 0, polls: 0 };
      let pass: PullPass;
      try {
        pass = await pullPass(api, host.readUsers, siteId, pullTarget(settings, options), options.filter, counters, signal);
      } catch (error) {
        throw host.readError(error);
      }
      const limit = host.rowsLimit;
      const order: Record<SyncClass, number> = { conflict: 0, invalid: 1, create: 2, update: 3, unchanged: 4 };
      const rows = pass.plans.map(pullRow).sort((a, b) => order[a.class] - order[b.class]);
      return {
        siteId,
        direction: 'pull',
        objectType: settings.objectType,
        matchKind: 'email',
        matchField: pullTarget(settings, options).emailField,
        users: pass.plans.length,
        counts: pass.counts,
        strategy: 'collections',
        // Reads only on Salesforce's side: the writes go to WordPress.
        estimate: { planCalls: counters.calls, writeCalls: 0, remainingDaily: null, maxDaily: null, needsConfirmation: false, shareLimit: host.apiShare() },
        rows: rows.slice(0, limit),
        rowsTruncated: rows.length > limit,
        plannedAt: host.nowIso(),
      };
    });
  }

  /** Imports records as WordPress users and updates existing ones; one run per site, as for the push. */
  async startPull(siteId: string, options: PullOptionsDto & { onRunStarted?: (runId: string) => void }): Promise<SyncRunDto> {
    const host = this.#host;
    if (host.slots.isRunning(siteId)) throw host.busy();
    const settings = host.settingsFor(siteId);
    const writeUsers = host.writeUsers?.(siteId);
    if (writeUsers === undefined) throw new AppError('INVALID_REQUEST', 'This edition cannot write WordPress users.', { hint: 'Use the desktop app or the browser edition.' });
    const elsewhere = host.journal.liveRunElsewhere(siteId, host.isLive);
    if (elsewhere) throw host.busy(`another ForceSites process (pid ${elsewhere.owner_pid})`);
    return host.slots.run(siteId, (signal) => host.forSite(siteId, () => this.#runPull(siteId, settings, options, writeUsers, signal)));
  }

  async #runPull(siteId: string, settings: PushSettings, options: PullOptionsDto & { onRunStarted?: (runId: string) => void }, writeUsers: WriteUsers, signal: AbortSignal): Promise<SyncRunDto> {
    const host = this.#host;
    const api = host.reads(await host.salesforceFor(siteId));
    const counters: Counters = { calls: 0, polls: 0 };
    const runId = host.newId();
    const progress = host.progress(siteId, runId);
    const target = pullTarget(settings, options);
    let pass: PullPass;
    try {
      progress('recovering', 0, 0, true);
      await recoverPull({ journal: this.#journal, runs: host.journal, siteId, findByEmail: (email, s) => writeUsers.findByEmail(email, s), isLive: host.isLive, now: host.nowIso, signal });
      progress('looking-up', 0, 0, true);
      pass = await pullPass(api, host.readUsers, siteId, target, options.filter, counters, signal, (done, total) => progress('reading', done, total));
    } catch (error) {
      throw host.readError(error);
    }
    host.journal.startRun({ id: runId, siteId, direction: 'pull', objectType: settings.objectType, matchKind: 'email', matchField: target.emailField, strategy: 'wordpress', startedAt: host.nowIso() });
    host.journal.setStrategy(runId, 'wordpress', pass.plans.length);
    host.journal.recordPull(runId, settledRows(pass.plans));
    options.onRunStarted?.(runId);
    const total = pass.counts.create + pass.counts.update;
    let done = 0;
    let state: 'completed' | 'cancelled' | 'failed' = 'completed';
    let stopped: AppError | undefined;
    progress('writing', 0, total, true);
    try {
      await writePullBatches(
        {
          write: writeUsers,
          journal: this.#journal,
          runId,
          siteId,
          now: host.nowIso,
          concurrency: host.concurrency(),
          signal,
          onSettled: (rows) => {
            done += rows.length;
            progress('writing', done, total);
          },
          ...(host.beforeSend ? { beforeSend: host.beforeSend } : {}),
        },
        pass.plans,
      );
      if (signal.aborted) state = 'cancelled';
    } catch (error) {
      state = 'failed';
      stopped = host.asAppError(error);
    }
    for (const session of this.#live) if (session.siteId === siteId) session.markStale();
    host.journal.recount(runId);
    const row = host.journal.finishRun(runId, state, host.nowIso(), counters.calls, stopped ? { code: stopped.code, message: `${stopped.message}${stopped.hint ? ` ${stopped.hint}` : ''}` } : state === 'cancelled' ? { code: 'CANCELLED', message: 'Cancelled: the batches in flight finished; the rest was not sent.' } : undefined);
    progress('done', total, total, true);
    const dto = host.runDto(row);
    host.onFinished?.(dto);
    if (stopped) throw stopped;
    return dto;
  }
}

function pullRow(plan: PullPlan): SyncPlanRow {
  const wpUserId = plan.kind === 'create' ? null : plan.wpUserId;
  const reason = plan.kind === 'invalid' || plan.kind === 'conflict' ? plan.reason : null;
  const changes = plan.kind === 'create' || plan.kind === 'update' ? plan.changes : [];
  return { wpUserId, key: plan.email, class: plan.kind, salesforceId: plan.salesforceId, changes, reason };
}
