/**
 * Tags as Topics (tag mode `topics`): a WordPress user's tags become the Topics assigned to
 * its Salesforce record.
 *
 * - Plan: the tags' Topics are looked up by name (`Name IN (…)`, 200 a query; Topic names are
 *   unique case-insensitively), and the records' assignments by `EntityId IN (…)` (200 a query:
 *   without View All Data Salesforce requires that filter). Per user: the names to add, and —
 *   when the site says so — the assignments to remove (topics the user no longer has).
 * - Write: each missing Topic is created once (Collections), then assignments are created in
 *   Collections batches and removed ones deleted 200 a call. An assignment or Topic that
 *   already exists (`DUPLICATE_VALUE`, e.g. a run that died after writing it) counts as done,
 *   so a re-run converges instead of duplicating.
 */
import { COLLECTIONS_BATCH, writeCollections } from '../salesforce/collections';
import type { QueryPage } from '../salesforce/salesforce-api';
import { soqlInList } from '../salesforce/soql-escape';
import { keyChunks, type LookupApi } from './key-lookup';
import type { Counters, TopicChange } from './sync-ports';

export type { TopicChange };

/** Salesforce's limit on a Topic name. */
export const TOPIC_NAME_MAX = 99;

export interface TopicEntity {
  readonly wpUserId: number;
  /** Null for a record the run is about to create. */
  readonly salesforceId: string | null;
  readonly tags: readonly string[];
}


export interface TopicPlan {
  /** lower-case name → Topic id, for the Topics that exist. */
  readonly topicIds: Map<string, string>;
  readonly changes: Map<number, TopicChange>;
  /** Names no Topic has yet: created once by `applyTopics`. */
  readonly missing: readonly string[];
}

/** Tags as Topic names: trimmed, no empties, once each case-insensitively. */
export function topicNames(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const tag of tags) {
    const name = tag.trim();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
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

export async function planTopics(api: LookupApi, entities: readonly TopicEntity[], options: { removeMissing: boolean; counters: Counters }): Promise<TopicPlan> {
  const spelling = new Map<string, string>();
  for (const entity of entities) for (const name of topicNames(entity.tags)) if (!spelling.has(name.toLowerCase())) spelling.set(name.toLowerCase(), name);
  const topicIds = new Map<string, string>();
  const topicNamesById = new Map<string, string>();
  for (const chunk of keyChunks([...spelling.values()])) {
    for (const topic of await queryAllPages<{ Id: string; Name: string }>(api, `SELECT Id, Name FROM Topic WHERE Name IN ${soqlInList(chunk)}`, options.counters)) {
      topicIds.set(topic.Name.toLowerCase(), topic.Id);
      topicNamesById.set(topic.Id, topic.Name);
    }
  }
  const assigned = new Map<string, { id: string; topicId: string }[]>();
  const ids = entities.flatMap((entity) => (entity.salesforceId === null ? [] : [entity.salesforceId]));
  for (let start = 0; start < ids.length; start += COLLECTIONS_BATCH) {
    const chunk = ids.slice(start, start + COLLECTIONS_BATCH);
    for (const row of await queryAllPages<{ Id: string; EntityId: string; TopicId: string }>(api, `SELECT Id, EntityId, TopicId FROM TopicAssignment WHERE EntityId IN ${soqlInList(chunk)}`, options.counters)) {
      assigned.set(row.EntityId, [...(assigned.get(row.EntityId) ?? []), { id: row.Id, topicId: row.TopicId }]);
    }
  }
  const changes = new Map<number, TopicChange>();
  for (const entity of entities) {
    const wanted = topicNames(entity.tags);
    const current = entity.salesforceId === null ? [] : (assigned.get(entity.salesforceId) ?? []);
    const currentIds = new Set(current.map((a) => a.topicId));
    const wantedIds = new Set(wanted.flatMap((name) => topicIds.get(name.toLowerCase()) ?? []));
    const add = wanted.filter((name) => {
      const id = topicIds.get(name.toLowerCase());
      return id === undefined || !currentIds.has(id);
    });
    const remove = options.removeMissing ? current.filter((a) => !wantedIds.has(a.topicId)).map((a) => a.id) : [];
    if (add.length === 0 && remove.length === 0) continue;
    changes.set(entity.wpUserId, {
      wpUserId: entity.wpUserId,
      add: add.map((name) => topicNamesById.get(topicIds.get(name.toLowerCase()) ?? '') ?? name),
      remove,
      oldNames: current.map((a) => topicNamesById.get(a.topicId) ?? a.topicId),
      newNames: wanted,
    });
  }
  const missing = [...spelling.entries()].filter(([lower]) => !topicIds.has(lower)).map(([, name]) => name);
  return { topicIds, changes, missing };
}

/** Calls the topic writes will take. */
export function topicWriteCalls(plan: TopicPlan): number {
  let adds = 0;
  let removes = 0;
  for (const change of plan.changes.values()) {
    adds += change.add.length;
    removes += change.remove.length;
  }
  return Math.ceil(plan.missing.length / COLLECTIONS_BATCH) + Math.ceil(adds / COLLECTIONS_BATCH) + Math.ceil(removes / COLLECTIONS_BATCH);
}

export interface TopicFailure {
  readonly wpUserId: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Creates the missing Topics, assigns and unassigns. `recordIds` gives each user's record id
 * (known after the field writes). Answers per-user failures in Salesforce's words.
 */
export async function applyTopics(api: LookupApi, plan: TopicPlan, recordIds: ReadonlyMap<number, string>, options: { concurrency: number; counters: Counters }): Promise<TopicFailure[]> {
  const failures: TopicFailure[] = [];
  const topicIds = new Map(plan.topicIds);
  const failedTopics = new Map<string, { code: string; message: string }>();
  // Topics: once per missing name.
  const missing = plan.missing.filter((name) => [...plan.changes.values()].some((change) => change.add.some((n) => n.toLowerCase() === name.toLowerCase())));
  if (missing.length > 0) {
    options.counters.calls += Math.ceil(missing.length / COLLECTIONS_BATCH);
    const results = await writeCollections(api, { operation: 'create', sobject: 'Topic', records: missing.map((Name) => ({ Name })), concurrency: options.concurrency });
    const duplicates: string[] = [];
    results.forEach((result, index) => {
      const name = missing[index]!;
      if (result.success && result.id) topicIds.set(name.toLowerCase(), result.id);
      else if (result.errors[0]?.statusCode === 'DUPLICATE_VALUE') duplicates.push(name);
      else failedTopics.set(name.toLowerCase(), { code: result.errors[0]?.statusCode ?? 'UNKNOWN', message: result.errors.map((e) => e.message).join('; ') });
    });
    // Created meanwhile (another run, a person): read their ids.
    for (const chunk of keyChunks(duplicates)) {
      for (const topic of await queryAllPages<{ Id: string; Name: string }>(api, `SELECT Id, Name FROM Topic WHERE Name IN ${soqlInList(chunk)}`, options.counters)) topicIds.set(topic.Name.toLowerCase(), topic.Id);
    }
  }
  const assignments: { wpUserId: number; TopicId: string; EntityId: string }[] = [];
  const removals: { wpUserId: number; id: string }[] = [];
  for (const change of plan.changes.values()) {
    const entityId = recordIds.get(change.wpUserId);
    if (entityId === undefined) continue; // the record itself failed: its outcome says why
    for (const name of change.add) {
      const topicId = topicIds.get(name.toLowerCase());
      const failed = failedTopics.get(name.toLowerCase());
      if (topicId !== undefined) assignments.push({ wpUserId: change.wpUserId, TopicId: topicId, EntityId: entityId });
      else failures.push({ wpUserId: change.wpUserId, code: failed?.code ?? 'UNKNOWN', message: `Topic “${name}”: ${failed?.message ?? 'Salesforce did not create it.'}` });
    }
    for (const id of change.remove) removals.push({ wpUserId: change.wpUserId, id });
  }
  if (assignments.length > 0) {
    options.counters.calls += Math.ceil(assignments.length / COLLECTIONS_BATCH);
    const results = await writeCollections(api, { operation: 'create', sobject: 'TopicAssignment', records: assignments.map(({ TopicId, EntityId }) => ({ TopicId, EntityId })), concurrency: options.concurrency });
    results.forEach((result, index) => {
      if (result.success || result.errors[0]?.statusCode === 'DUPLICATE_VALUE') return;
      const assignment = assignments[index]!;
      failures.push({ wpUserId: assignment.wpUserId, code: result.errors[0]?.statusCode ?? 'UNKNOWN', message: `Topic assignment: ${result.errors.map((e) => e.message).join('; ')}` });
    });
  }
  for (let start = 0; start < removals.length; start += COLLECTIONS_BATCH) {
    const chunk = removals.slice(start, start + COLLECTIONS_BATCH);
    options.counters.calls += 1;
    const results = await api.request<{ success?: boolean; errors?: { statusCode?: string; message?: string }[] }[]>({
      method: 'DELETE',
      url: `/composite/sobjects?ids=${chunk.map((r) => r.id).join(',')}&allOrNone=false`,
    });
    (Array.isArray(results) ? results : []).forEach((result, index) => {
      const code = result.errors?.[0]?.statusCode;
      if (result.success === true || code === 'ENTITY_IS_DELETED' || code === 'INVALID_CROSS_REFERENCE_KEY') return;
      failures.push({ wpUserId: chunk[index]!.wpUserId, code: code ?? 'UNKNOWN', message: `Removing a topic: ${result.errors?.map((e) => e.message).join('; ') ?? ''}` });
    });
  }
  return failures;
}
