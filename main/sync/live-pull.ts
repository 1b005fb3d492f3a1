/**
 * The live pull: the change feed (main/changes, through main/app) hands records or ids it
 * learned of, a batch at a time, and this applies the profile's pull mapping to WordPress —
 * existing users updated field by field with their tags, new users created only when the
 * session was opened with `createUsers`. Every record's outcome goes to one sync-history run
 * (direction 'pull', origin 'live'), so the Activity page shows it like any pull.
 *
 * The run slot: a session holds the site's slot only while it applies a batch (waiting for a
 * manual push or pull to finish first), so it never blocks a manual sync for longer than one
 * batch; the open run is origin 'live', which other processes do not count as busy.
 *
 * WordPress users are indexed by e-mail when the session opens, kept current from WordPress's
 * answers, and read again before a batch after a manual pull of the site or when older than
 * five minutes; a create WordPress refuses because the address was taken meanwhile is looked
 * up by e-mail and sent again as an update. Batches are journaled like a manual pull's
 * (pull-journal.ts), and what a killed session left unanswered is recovered when the next
 * session or pull opens.
 */
import { AppError } from '../../common/errors';
import { LIVE_APPLY_BATCH, type LiveApplyResult, type LivePullOptions, type LivePullSession } from '../../common/live-pull';
import type { WordpressUser } from '../../common/wordpress-models';
import { waitFor } from '../platform/retry-with-jitter';
import type { QueryPage } from '../salesforce/salesforce-api';
import { soqlInList } from '../salesforce/soql-escape';
import type { PullJournal } from './pull-journal';
import { planPull, type PullPlan, type PulledRecord } from './pull-planner';
import { recoverPull } from './pull-recovery';
import { settledRows, tagsOf, writePullBatches, type PullTarget, type WritePlan, type WriteUsers } from './pull-runner';
import { pullTarget, type PullHost } from './pull-host';
import type { Counters } from './sync-ports';

/** The e-mail index is read again before a batch when older than this (users made in WordPress meanwhile). */
const INDEX_MAX_AGE_MS = 5 * 60_000;
/** How often a session waiting for the site's run slot looks again. */
const SLOT_POLL_MS = 200;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const EMPTY: LiveApplyResult = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, apiCalls: 0 };

export class LivePull implements LivePullSession {
  readonly runId: string;
  readonly objectType: string;
  readonly selectFields: readonly string[];
  readonly #host: PullHost;
  readonly #journal: PullJournal;
  readonly #siteId: string;
  readonly #target: PullTarget;
  readonly #write: WriteUsers;
  readonly #createUsers: boolean;
  readonly #byEmail: Map<string, WordpressUser>;
  readonly #usernames: Set<string>;
  /** When the index was read (host.now milliseconds); re-read when older than INDEX_MAX_AGE_MS or marked stale. */
  #indexedAt: number;
  #stale = false;
  readonly #onClose: () => void;
  #apiCalls = 0;
  #closed = false;
  /** The batch being applied (close waits for it before ending the run). */
  #applying: Promise<unknown> = Promise.resolve();

  private constructor(host: PullHost, journal: PullJournal, siteId: string, target: PullTarget, write: WriteUsers, options: LivePullOptions, users: { byEmail: Map<string, WordpressUser>; usernames: Set<string> }, onClose: () => void) {
    this.#host = host;
    this.#journal = journal;
    this.#siteId = siteId;
    this.#target = target;
    this.#write = write;
    this.#createUsers = options.createUsers === true;
    this.#byEmail = users.byEmail;
    this.#usernames = users.usernames;
    this.#indexedAt = Date.now();
    this.#onClose = onClose;
    this.runId = host.newId();
    this.objectType = target.objectType;
    this.selectFields = selectFieldsOf(target);
  }

  /**
   * Checks the site can pull, settles what an earlier pull left unanswered, reads the site's
   * users once (the e-mail index) and opens the run.
   */
  static async open(host: PullHost, journal: PullJournal, siteId: string, options: LivePullOptions, onClose: (session: LivePull) => void = () => undefined): Promise<LivePull> {
    const settings = host.settingsFor(siteId);
    const write = host.writeUsers?.(siteId);
    if (write === undefined) throw new AppError('INVALID_REQUEST', 'This edition cannot write WordPress users.', { hint: 'Use the desktop app or the browser edition.' });
    const role = options.role ?? 'subscriber';
    if (!/^[a-z0-9_-]{1,60}$/.test(role)) throw new AppError('INVALID_REQUEST', `“${role}” is not a WordPress role name.`, { hint: 'Use a role slug such as subscriber or customer.' });
    const target = pullTarget(settings, { role });
    if (!target.fieldMapping.some((entry) => entry.direction !== 'push' && entry.salesforceField.toLowerCase() !== target.emailField.toLowerCase()) && !target.pullTags) {
      throw new AppError('INVALID_REQUEST', 'This site maps no field from Salesforce to WordPress, so a live pull would change nothing.', { hint: 'In the site’s field mapping, set a field to “pull” or “both”.' });
    }
    const users = { byEmail: new Map<string, WordpressUser>(), usernames: new Set<string>() };
    try {
      await recoverPull({ journal, runs: host.journal, siteId, findByEmail: (email, s) => write.findByEmail(email, s), isLive: host.isLive, now: host.nowIso });
      await readIndex(host, siteId, users, new AbortController().signal);
    } catch (error) {
      throw host.readError(error);
    }
    const session: LivePull = new LivePull(host, journal, siteId, target, write, options, users, () => onClose(session));
    host.journal.startRun({ id: session.runId, siteId, direction: 'pull', origin: 'live', objectType: target.objectType, matchKind: 'email', matchField: target.emailField, strategy: 'live', startedAt: host.nowIso() });
    return session;
  }

  async applyRecords(records: readonly Record<string, unknown>[], signal?: AbortSignal): Promise<LiveApplyResult> {
    this.#checkOpen();
    if (records.length > LIVE_APPLY_BATCH) throw new AppError('INVALID_REQUEST', `A live pull applies at most ${LIVE_APPLY_BATCH} records a call; this call had ${records.length}.`, { hint: `Split the records into batches of ${LIVE_APPLY_BATCH}.` });
    const hint = `Read the records with the session's selectFields (${this.selectFields.join(', ')}).`;
    const bad = records.findIndex((record) => typeof record['Id'] !== 'string' || !SALESFORCE_ID.test(record['Id']));
    if (bad !== -1) throw new AppError('INVALID_REQUEST', `Record ${bad + 1} of the batch has no Salesforce Id.`, { hint });
    // A record read without the e-mail field would look like one without an address.
    const emailField = this.#target.emailField.toLowerCase();
    const noEmail = records.findIndex((record) => !Object.keys(record).some((key) => key.toLowerCase() === emailField));
    if (noEmail !== -1) throw new AppError('INVALID_REQUEST', `Record ${noEmail + 1} of the batch was read without its ${this.#target.emailField} field.`, { hint });
    return this.#inSlot(signal, async (counters, inner) => this.#apply(records as readonly PulledRecord[], counters, inner));
  }

  async applyIds(ids: readonly string[], signal?: AbortSignal): Promise<LiveApplyResult> {
    this.#checkOpen();
    const unique = [...new Set(ids)];
    const bad = unique.find((id) => !SALESFORCE_ID.test(id));
    if (bad !== undefined) throw new AppError('INVALID_REQUEST', `“${bad.slice(0, 40)}” is not a Salesforce record Id.`, { hint: 'Ids are 15 or 18 letters and digits.' });
    return this.#inSlot(signal, async (counters, inner) => {
      let total: LiveApplyResult = EMPTY;
      const api = this.#host.reads(await this.#host.salesforceFor(this.#siteId));
      for (let start = 0; start < unique.length; start += LIVE_APPLY_BATCH) {
        inner.throwIfAborted();
        const chunk = unique.slice(start, start + LIVE_APPLY_BATCH);
        const records: PulledRecord[] = [];
        let page = await api.request<QueryPage<PulledRecord>>(`/query?q=${encodeURIComponent(`SELECT ${this.selectFields.join(', ')} FROM ${this.objectType} WHERE Id IN ${soqlInList(chunk)}`)}`);
        counters.calls += 1;
        records.push(...page.records);
        while (!page.done && page.nextRecordsUrl) {
          page = await api.request<QueryPage<PulledRecord>>(page.nextRecordsUrl);
          counters.calls += 1;
          records.push(...page.records);
        }
        const applied = await this.#apply(records, counters, inner);
        total = add(total, { ...applied, skipped: applied.skipped + (chunk.length - records.length) });
      }
      return total;
    });
  }

  /** A manual pull of the site wrote users: the next batch reads the index again first. */
  markStale(): void {
    this.#stale = true;
  }

  get siteId(): string {
    return this.#siteId;
  }

  close(outcome: 'completed' | 'cancelled' | 'failed', message?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
    const host = this.#host;
    const finish = (): void => {
      host.journal.recount(this.runId);
      const error = outcome === 'completed' ? undefined : { code: outcome === 'cancelled' ? 'CANCELLED' : 'FAILED', message: message ?? (outcome === 'cancelled' ? 'The live pull was stopped.' : 'The live pull stopped.') };
      const row = host.journal.finishRun(this.runId, outcome, host.nowIso(), this.#apiCalls, error);
      host.onFinished?.(host.runDto(row));
    };
    void this.#applying.then(finish, finish);
  }

  #checkOpen(): void {
    if (this.#closed) throw new AppError('INVALID_REQUEST', 'This live pull session is closed.', { hint: 'Open a new session with openLivePull.' });
  }

  /**
   * Waits for the site's run slot (a manual sync finishes first), then holds it for this one
   * call; the Salesforce calls inside are counted for the site.
   */
  async #inSlot(signal: AbortSignal | undefined, work: (counters: Counters, signal: AbortSignal) => Promise<LiveApplyResult>): Promise<LiveApplyResult> {
    const host = this.#host;
    const previous = this.#applying;
    let release: () => void = () => undefined;
    // One call at a time per session, in the order they came.
    this.#applying = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous.catch(() => undefined);
      while (host.slots.isRunning(this.#siteId)) await waitFor(SLOT_POLL_MS, signal);
      signal?.throwIfAborted();
      const counters: Counters = { calls: 0, polls: 0 };
      const result = await host.slots.run(this.#siteId, (slotSignal) =>
        host.forSite(this.#siteId, async () => {
          try {
            return await work(counters, signal ? AbortSignal.any([signal, slotSignal]) : slotSignal);
          } finally {
            this.#apiCalls += counters.calls;
            // The Activity page shows a live run's numbers as they grow.
            host.journal.setStrategy(this.runId, 'live', host.journal.records(this.runId, { limit: 0 }).total);
            host.journal.recount(this.runId);
          }
        }),
      );
      return { ...result, apiCalls: counters.calls };
    } finally {
      release();
    }
  }

  async #apply(records: readonly PulledRecord[], counters: Counters, signal: AbortSignal): Promise<LiveApplyResult> {
    if (records.length === 0) return EMPTY;
    const host = this.#host;
    const target = this.#target;
    if (this.#stale || Date.now() - this.#indexedAt > INDEX_MAX_AGE_MS) {
      // Users made or changed in WordPress meanwhile (a manual pull, the admin): read them again.
      this.#byEmail.clear();
      this.#usernames.clear();
      this.#stale = false;
      this.#indexedAt = Date.now();
      try {
        await readIndex(host, this.#siteId, { byEmail: this.#byEmail, usernames: this.#usernames }, signal);
      } catch (error) {
        this.#stale = true;
        throw host.readError(error);
      }
    }
    let tags: Map<string, string[]> | null = null;
    if (target.pullTags) {
      try {
        tags = await tagsOf(host.reads(await host.salesforceFor(this.#siteId)), target, records, counters);
      } catch (error) {
        throw host.readError(error);
      }
    }
    const perEmail = new Map<string, number>();
    for (const record of records) {
      const email = emailOf(record, target);
      if (email !== '') perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
    }
    let skipped = 0;
    const plans: PullPlan[] = [];
    for (const record of records) {
      const email = emailOf(record, target);
      const existing = this.#byEmail.get(email);
      const plan: PullPlan =
        (perEmail.get(email) ?? 0) > 1
          ? { kind: 'conflict', salesforceId: record.Id, email, wpUserId: existing?.id ?? null, reason: `Several ${target.objectType} records in this batch have the e-mail “${email}”; merge them in Salesforce.` }
          : planPull(record, tags === null ? null : (tags.get(record.Id) ?? []), existing, target, this.#usernames);
      if (plan.kind === 'create' && !this.#createUsers) {
        skipped += 1;
        continue;
      }
      plans.push(plan);
    }
    host.journal.recordPull(this.runId, settledRows(plans));
    const counts = { created: 0, updated: 0, failed: 0 };
    const retry: WritePlan[] = [];
    await this.#send(plans, signal, counts, retry);
    if (retry.length > 0) {
      // Taken meanwhile: someone made the user in WordPress after the session read the users.
      const again: PullPlan[] = [];
      for (const plan of retry) {
        const user = await this.#write.findByEmail(plan.email, signal);
        if (user === undefined) {
          counts.failed += 1;
          continue;
        }
        this.#byEmail.set(user.email.toLowerCase(), user);
        const record = records.find((r) => r.Id === plan.salesforceId)!;
        again.push(planPull(record, tags === null ? null : (tags.get(record.Id) ?? []), user, target, this.#usernames));
      }
      host.journal.recordPull(this.runId, settledRows(again));
      await this.#send(again, signal, counts, []);
      return summarize(plans.filter((p) => !retry.includes(p as WritePlan)).concat(again), counts, skipped);
    }
    return summarize(plans, counts, skipped);
  }

  /** Writes the creates and updates through the pull's journaled batches; keeps the index current. */
  async #send(plans: readonly PullPlan[], signal: AbortSignal, counts: { created: number; updated: number; failed: number }, retry: WritePlan[]): Promise<void> {
    const host = this.#host;
    const writes = plans.filter((plan): plan is WritePlan => plan.kind === 'create' || plan.kind === 'update');
    if (writes.length === 0) return;
    const bySalesforceId = new Map(writes.map((plan) => [plan.salesforceId, plan]));
    await writePullBatches(
      {
        write: this.#write,
        journal: this.#journal,
        runId: this.runId,
        siteId: this.#siteId,
        now: host.nowIso,
        concurrency: host.concurrency(),
        signal,
        onSettled: (rows, users) => {
          rows.forEach((row, index) => {
            const user = users[index];
            if (user !== undefined) this.#byEmail.set(user.email.toLowerCase(), user);
            if (row.outcome === 'created') counts.created += 1;
            else if (row.outcome === 'updated') counts.updated += 1;
            else if (row.errorCode === 'existing_user_email' && bySalesforceId.get(row.salesforceId)?.kind === 'create') retry.push(bySalesforceId.get(row.salesforceId)!);
            else counts.failed += 1;
          });
        },
        ...(host.beforeSend ? { beforeSend: host.beforeSend } : {}),
      },
      writes,
    );
  }
}

async function readIndex(host: PullHost, siteId: string, users: { byEmail: Map<string, WordpressUser>; usernames: Set<string> }, signal: AbortSignal): Promise<void> {
  for await (const page of host.readUsers(siteId, signal)) {
    for (const user of page.items) {
      if (user.email !== '') users.byEmail.set(user.email.toLowerCase(), user);
      users.usernames.add(user.username.toLowerCase());
    }
  }
}

function summarize(plans: readonly PullPlan[], counts: { created: number; updated: number; failed: number }, skipped: number): LiveApplyResult {
  let unchanged = 0;
  let refused = 0;
  for (const plan of plans) {
    if (plan.kind === 'unchanged') unchanged += 1;
    else if (plan.kind === 'invalid' || plan.kind === 'conflict') refused += 1;
  }
  return { created: counts.created, updated: counts.updated, unchanged, failed: counts.failed + refused, skipped, apiCalls: 0 };
}

function add(a: LiveApplyResult, b: LiveApplyResult): LiveApplyResult {
  return { created: a.created + b.created, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, apiCalls: a.apiCalls + b.apiCalls };
}

function emailOf(record: PulledRecord, target: PullTarget): string {
  const name = Object.keys(record).find((key) => key.toLowerCase() === target.emailField.toLowerCase());
  const value = name === undefined ? undefined : record[name];
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Id, SystemModstamp, the e-mail, every pulled field and the picklist tag field, once each. */
export function selectFieldsOf(target: PullTarget): string[] {
  const fields = new Map<string, string>();
  const add_ = (name: string): void => {
    if (!fields.has(name.toLowerCase())) fields.set(name.toLowerCase(), name);
  };
  for (const name of ['Id', 'SystemModstamp', target.emailField]) add_(name);
  for (const entry of target.fieldMapping) if (entry.direction !== 'push') add_(entry.salesforceField);
  if (target.pullTags && target.tagMode === 'picklist' && target.tagField) add_(target.tagField);
  return [...fields.values()];
}


