/**
 * The pull (Salesforce → WordPress): read the records (all, or those with a Topic or a
 * picklist value), their tags, and every WordPress user (matched by e-mail,
 * case-insensitively); plan each record (pull-planner.ts); write the creates and updates to
 * WordPress a few at a time. A record WordPress refuses (an address another user has, a value
 * it rejects) fails alone with WordPress's own code and message; WordPress unreachable or
 * refusing the credentials stops the run with a clear error.
 *
 * Safe to repeat: the next run matches by e-mail what the last one created, so a run killed
 * after WordPress created a user but before it was recorded never creates the user twice
 * (WordPress refuses a second account for one address anyway).
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
import type { PullOutcomeRow } from './sync-journal';

export interface WriteUsers {
  create(input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser>;
  update(id: number, input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser>;
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

async function tagsOf(api: LookupApi, target: PullTarget, records: readonly PulledRecord[], counters: Counters): Promise<Map<string, string[]>> {
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
function stopsRun(error: unknown): boolean {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && ['unreachable', 'certificate', 'timeout', 'not-wordpress', 'blocked', 'html-error-page', 'server-error', 'no-credentials', 'bad-credentials', 'application-passwords-unavailable', 'missing-capability', 'insecure-url', 'invalid-url'].includes(reason);
}

/** Writes the plan's creates and updates, `concurrency` at a time; answers each outcome. */
export async function writePull(write: WriteUsers, plans: readonly PullPlan[], options: { concurrency: number; signal: AbortSignal; onSettled: (rows: PullOutcomeRow[]) => void }): Promise<void> {
  const work = plans.filter((plan): plan is Extract<PullPlan, { kind: 'create' | 'update' }> => plan.kind === 'create' || plan.kind === 'update');
  let next = 0;
  let stopped: unknown;
  const worker = async (): Promise<void> => {
    while (next < work.length && stopped === undefined && !options.signal.aborted) {
      const plan = work[next++]!;
      try {
        const user = plan.kind === 'create' ? await write.create(plan.input) : await write.update(plan.wpUserId, plan.input);
        options.onSettled([{ salesforceId: plan.salesforceId, wpUserId: user.id, matchValue: plan.email, outcome: plan.kind === 'create' ? 'created' : 'updated', changes: plan.changes }]);
      } catch (error) {
        if (stopsRun(error)) {
          stopped ??= error;
          return;
        }
        const e = error as { wpCode?: unknown; code?: unknown; message?: unknown };
        options.onSettled([
          {
            salesforceId: plan.salesforceId,
            wpUserId: plan.kind === 'update' ? plan.wpUserId : null,
            matchValue: plan.email,
            outcome: 'failed',
            errorCode: typeof e.wpCode === 'string' ? e.wpCode : typeof e.code === 'string' ? e.code : 'UNKNOWN',
            errorMessage: typeof e.message === 'string' ? e.message : 'WordPress refused the change.',
            changes: plan.changes,
          },
        ]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, work.length)) }, worker));
  if (stopped !== undefined) throw stopped;
}

export function settledRows(plans: readonly PullPlan[]): PullOutcomeRow[] {
  return plans.flatMap((plan): PullOutcomeRow[] => {
    if (plan.kind === 'unchanged') return [{ salesforceId: plan.salesforceId, wpUserId: plan.wpUserId, matchValue: plan.email, outcome: 'unchanged' }];
    if (plan.kind === 'invalid' || plan.kind === 'conflict') return [{ salesforceId: plan.salesforceId, wpUserId: plan.wpUserId, matchValue: plan.email, outcome: plan.kind, errorCode: plan.kind.toUpperCase(), errorMessage: plan.reason }];
    return [];
  });
}
