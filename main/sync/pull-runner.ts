/**
 * The pull (Salesforce → WordPress): read the records (all, or those with a Topic or a
 * picklist value), their tags, and every WordPress user (matched by e-mail,
 * case-insensitively); plan each record (pull-planner.ts); write the creates and updates to
 * WordPress in journaled batches of 25 (one `batch/v1` request each where the site batches
 * users, else one request per user). A record WordPress refuses (an address another user
 * has, a value it rejects) fails alone with WordPress's own code and message; WordPress
 * unreachable or refusing the credentials stops the run with a clear error.
 *
 * Safe to repeat: a batch is journaled before it leaves (pull-journal.ts), recovery looks the
 * e-mails of an unanswered one up in WordPress (pull-recovery.ts), and the next run matches
 * by e-mail what the last one created, so a killed run never creates a user twice.
 */
import { AppError } from '../../common/errors';
import type { MatchKey } from '../../common/fields-models';
import type { PullFilter, SyncClass } from '../../common/sync-models';
import type { WordpressUser, WordpressUserInput } from '../../common/wordpress-models';
import type { QueryPage } from '../salesforce/salesforce-api';
import { escapeSoqlString, soqlInList, soqlQuote } from '../salesforce/soql-escape';
import type { LookupApi } from './key-lookup';
import { planPull, type PullPlan, type PullSettings, type PulledRecord } from './pull-planner';
import type { Counters, ReadUsers } from './sync-ports';
import type { PullBatchItem, PullJournal } from './pull-journal';
import type { PullOutcomeRow } from './sync-journal';

/** One write of a batch, and WordPress's answer to it (a user, or its own error). */
export type UserWrite = { readonly kind: 'create'; readonly input: WordpressUserInput } | { readonly kind: 'update'; readonly id: number; readonly input: WordpressUserInput };
export type UserWriteAnswer = { readonly ok: true; readonly user: WordpressUser } | { readonly ok: false; readonly error: unknown };

/** WordPress user writes (main/app: the WordPress client). */
export interface WriteUsers {
  create(input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser>;
  update(id: number, input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser>;
  /** The user with this e-mail (any case), or undefined: how recovery learns what an unanswered batch did. */
  findByEmail(email: string, signal?: AbortSignal): Promise<WordpressUser | undefined>;
  /**
   * Up to 25 writes in one request (WordPress 5.6+ `batch/v1`), answered in order; undefined
   * when the site cannot batch them (then nothing was written and each goes on its own).
   */
  writeBatch?(writes: readonly UserWrite[], signal?: AbortSignal): Promise<readonly UserWriteAnswer[] | undefined>;
}

export interface PullTarget extends PullSettings {
  readonly tagMode: 'topics' | 'picklist' | 'none';
  readonly tagField: string | null;
  /** Whether the tag field is a single-value picklist (`=`) rather than multi-select (`INCLUDES`). */
  readonly tagFieldSingle: boolean;
}

export interface PullPass {
  readonly users: number;
  readonly plans: readonly PullPlan[];
  readonly counts: Record<SyncClass, number>;
}

async function queryAllPages<R>(api: LookupApi, soql: string, counters: Counters): Promise<R[]> {
  let page = await api.request<QueryPage<R>>(`/query?q=${encodeURIComponent(soql)}`);
  counters.calls += 1;
  const rows = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = await api.request<QueryPage<R>>(page.nextRecordsUrl);
    counters.calls += 1;
    rows.push(...page.records);
  }
  return rows;
}

export function pullWhere(target: PullTarget, filter: PullFilter): string {
  const clauses = [`${target.emailField} != null`];
  if (filter.kind === 'topic') clauses.push(`Id IN (SELECT EntityId FROM TopicAssignment WHERE Topic.Name = ${soqlQuote(filter.name)})`);
  if (filter.kind === 'picklist') {
    if (!target.tagField) throw new AppError('INVALID_REQUEST', 'This site keeps no tags in a picklist field.', { hint: 'Pull all records, or those with a Topic.' });
    clauses.push(target.tagFieldSingle ? `${target.tagField} = ${soqlQuote(filter.value)}` : `${target.tagField} INCLUDES ('${escapeSoqlString(filter.value)}')`);
  }
  return clauses.join(' AND ');
}

export async function pullPass(api: LookupApi, readUsers: ReadUsers, siteId: string, target: PullTarget, filter: PullFilter, counters: Counters, signal: AbortSignal, onRead?: (done: number, total: number) => void): Promise<PullPass> {
  const fields = new Set(['Id', target.emailField, ...target.fieldMapping.filter((e) => e.direction !== 'push').map((e) => e.salesforceField)]);
  if (target.pullTags && target.tagMode === 'picklist' && target.tagField) fields.add(target.tagField);
  const records = await queryAllPages<PulledRecord & { attributes?: unknown }>(api, `SELECT ${[...fields].join(', ')} FROM ${target.objectType} WHERE ${pullWhere(target, filter)}`, counters);
  const tags = target.pullTags ? await tagsOf(api, target, records, counters) : null;
  const byEmail = new Map<string, WordpressUser>();
  const usernames = new Set<string>();
  let read = 0;
  for await (const page of readUsers(siteId, signal)) {
    for (const user of page.items) {
      if (user.email !== '') byEmail.set(user.email.toLowerCase(), user);
      usernames.add(user.username.toLowerCase());
    }
    read += page.items.length;
    onRead?.(read, page.total ?? read);
  }
  const emailKey: MatchKey = { kind: 'email', field: target.emailField };
  const perEmail = new Map<string, number>();
  for (const record of records) {
    const email = String(record[target.emailField] ?? '').trim().toLowerCase();
    if (email !== '') perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
  }
  const counts: Record<SyncClass, number> = { create: 0, update: 0, unchanged: 0, invalid: 0, conflict: 0 };
  const plans: PullPlan[] = [];
  for (const record of records) {
    const email = String(record[emailKey.field] ?? '').trim();
    const existing = byEmail.get(email.toLowerCase());
    const plan: PullPlan =
      (perEmail.get(email.toLowerCase()) ?? 0) > 1
        ? { kind: 'conflict', salesforceId: record.Id, email, wpUserId: existing?.id ?? null, reason: `Several ${target.objectType} records have the e-mail “${email}”; merge them in Salesforce, then pull again.` }
        : planPull(record, tags === null ? null : (tags.get(record.Id) ?? []), existing, target, usernames);
    counts[plan.kind] += 1;
    plans.push(plan);
  }
  return { users: read, plans, counts };
}

export async function tagsOf(api: LookupApi, target: PullTarget, records: readonly PulledRecord[], counters: Counters): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (target.tagMode === 'picklist' && target.tagField) {
    for (const record of records) {
      const value = record[target.tagField];
      tags.set(record.Id, typeof value === 'string' && value !== '' ? value.split(';') : []);
    }
    return tags;
  }
  if (target.tagMode !== 'topics') return tags;
  const topicIds = new Map<string, string[]>();
  for (let start = 0; start < records.length; start += 200) {
    const chunk = records.slice(start, start + 200).map((r) => r.Id);
    for (const row of await queryAllPages<{ EntityId: string; TopicId: string }>(api, `SELECT EntityId, TopicId FROM TopicAssignment WHERE EntityId IN ${soqlInList(chunk)}`, counters)) {
      topicIds.set(row.EntityId, [...(topicIds.get(row.EntityId) ?? []), row.TopicId]);
    }
  }
  const ids = [...new Set([...topicIds.values()].flat())];
  const names = new Map<string, string>();
  for (let start = 0; start < ids.length; start += 200) {
    for (const topic of await queryAllPages<{ Id: string; Name: string }>(api, `SELECT Id, Name FROM Topic WHERE Id IN ${soqlInList(ids.slice(start, start + 200))}`, counters)) names.set(topic.Id, topic.Name);
  }
  for (const record of records) tags.set(record.Id, (topicIds.get(record.Id) ?? []).map((id) => names.get(id) ?? id).sort());
  return tags;
}

/** WordPress said the site, not the record, is the problem: stop the run. */
export function stopsRun(error: unknown): boolean {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && ['unreachable', 'certificate', 'timeout', 'not-wordpress', 'blocked', 'html-error-page', 'server-error', 'no-credentials', 'bad-credentials', 'application-passwords-unavailable', 'missing-capability', 'insecure-url', 'invalid-url'].includes(reason);
}

/** Writes per journal batch: `batch/v1`'s limit, so one batch is one request where the site batches. */
export const PULL_BATCH = 25;

export type WritePlan = Extract<PullPlan, { kind: 'create' | 'update' }>;

export interface PullWriteContext {
  readonly write: WriteUsers;
  readonly journal: PullJournal;
  readonly runId: string;
  readonly siteId: string;
  readonly now: () => string;
  /** Batches in flight at once. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
  /** Each batch's outcomes, once committed. */
  readonly onSettled: (rows: readonly PullOutcomeRow[], users: readonly (WordpressUser | undefined)[]) => void;
  /** Test seam: after a batch is journaled as sending, before its writes leave. */
  readonly beforeSend?: (batchId: number) => void | Promise<void>;
}

/**
 * Writes the plans' creates and updates in journaled batches of 25, `concurrency` batches at
 * a time: each batch is committed `sending` before it leaves and `answered` with its outcomes
 * after. A record WordPress refuses fails alone in WordPress's words; a site-level failure
 * (unreachable, credentials refused) stops the run with that batch left `sending` for
 * recovery. Cancel stops taking new batches; those in flight finish.
 */
export async function writePullBatches(context: PullWriteContext, plans: readonly PullPlan[]): Promise<void> {
  const work = plans.filter((plan): plan is WritePlan => plan.kind === 'create' || plan.kind === 'update');
  const batches: WritePlan[][] = [];
  for (let start = 0; start < work.length; start += PULL_BATCH) batches.push(work.slice(start, start + PULL_BATCH));
  let next = 0;
  let stopped: unknown;
  const worker = async (): Promise<void> => {
    while (next < batches.length && stopped === undefined && !context.signal.aborted) {
      try {
        await writeBatch(context, batches[next++]!);
      } catch (error) {
        stopped ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.concurrency, batches.length)) }, worker));
  if (stopped !== undefined) throw stopped;
}

async function writeBatch(context: PullWriteContext, batch: readonly WritePlan[]): Promise<void> {
  const items: PullBatchItem[] = batch.map((plan) => ({ sf: plan.salesforceId, email: plan.email, wp: plan.kind === 'update' ? plan.wpUserId : null, kind: plan.kind }));
  const batchId = context.journal.begin(context.runId, context.siteId, items, context.now());
  await context.beforeSend?.(batchId);
  const writes: UserWrite[] = batch.map((plan) => (plan.kind === 'create' ? { kind: 'create', input: plan.input } : { kind: 'update', id: plan.wpUserId, input: plan.input }));
  let answers = await context.write.writeBatch?.(writes, context.signal);
  if (answers === undefined) {
    // One request per user, in order: a site-level failure stops the batch where it is.
    const single: UserWriteAnswer[] = [];
    for (const write of writes) {
      try {
        single.push({ ok: true, user: write.kind === 'create' ? await context.write.create(write.input) : await context.write.update(write.id, write.input) });
      } catch (error) {
        if (stopsRun(error)) {
          // What was answered is kept; the batch stays `sending` so recovery settles the rest.
          const partial = outcomesOf(batch.slice(0, single.length), single);
          context.journal.record(context.runId, partial.rows);
          context.onSettled(partial.rows, partial.users);
          throw error;
        }
        single.push({ ok: false, error });
      }
    }
    answers = single;
  }
  const settled = outcomesOf(batch, answers);
  context.journal.finish(context.runId, batchId, settled.rows, context.now());
  context.onSettled(settled.rows, settled.users);
}

function outcomesOf(batch: readonly WritePlan[], answers: readonly UserWriteAnswer[]): { rows: PullOutcomeRow[]; users: (WordpressUser | undefined)[] } {
  const rows: PullOutcomeRow[] = [];
  const users: (WordpressUser | undefined)[] = [];
  batch.forEach((plan, index) => {
    const answer = answers[index];
    if (answer?.ok === true) {
      rows.push({ salesforceId: plan.salesforceId, wpUserId: answer.user.id, matchValue: plan.email, outcome: plan.kind === 'create' ? 'created' : 'updated', changes: plan.changes });
      users.push(answer.user);
      return;
    }
    const e = (answer?.error ?? {}) as { wpCode?: unknown; code?: unknown; message?: unknown };
    rows.push({
      salesforceId: plan.salesforceId,
      wpUserId: plan.kind === 'update' ? plan.wpUserId : null,
      matchValue: plan.email,
      outcome: 'failed',
      errorCode: typeof e.wpCode === 'string' ? e.wpCode : typeof e.code === 'string' ? e.code : 'UNKNOWN',
      errorMessage: answer === undefined ? 'WordPress did not answer this write.' : typeof e.message === 'string' ? e.message : 'WordPress refused the change.',
      changes: plan.changes,
    });
    users.push(undefined);
  });
  return { rows, users };
}

export function settledRows(plans: readonly PullPlan[]): PullOutcomeRow[] {
  return plans.flatMap((plan): PullOutcomeRow[] => {
    if (plan.kind === 'unchanged') return [{ salesforceId: plan.salesforceId, wpUserId: plan.wpUserId, matchValue: plan.email, outcome: 'unchanged' }];
    if (plan.kind === 'invalid' || plan.kind === 'conflict') return [{ salesforceId: plan.salesforceId, wpUserId: plan.wpUserId, matchValue: plan.email, outcome: plan.kind, errorCode: plan.kind.toUpperCase(), errorMessage: plan.reason }];
    return [];
  });
}
