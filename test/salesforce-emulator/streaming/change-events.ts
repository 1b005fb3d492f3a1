/**
 * Change Data Capture events from committed record writes, shaped as Salesforce delivers them
 * over CometD (`/data/<Object>ChangeEvent`):
 *
 *   {"schema": "<id>", "payload": {"ChangeEventHeader": {...}, <fields>}, "event": {"replayId": n}}
 *
 * ChangeEventHeader: entityName, recordIds, changeType (CREATE, UPDATE, DELETE), changeOrigin,
 * transactionKey (one per transaction), sequenceNumber (1… within it), commitTimestamp (ms, the
 * emulator's clock), commitNumber, commitUser, nulledFields, diffFields, changedFields.
 * CREATE carries every non-null field, UPDATE the changed ones (cleared ones as null, listed in
 * nulledFields), DELETE only the header. Fields of a compound field are nested under it
 * (`Name: {FirstName, LastName}`, `MailingAddress: {City, …}`) and listed as `Name.FirstName`
 * in changedFields. Records of one transaction with the very same change share one event
 * (their ids in recordIds), as Salesforce combines them.
 *
 * UNCONFIRMED (modelled from Salesforce's Change Data Capture guide as remembered, not checked
 * against a capture): compound fields in changedFields with dot notation; SystemModstamp,
 * IsDeleted and Id left out of the payload; commitUser of a delete = the record's last
 * modifier; the schema id format; diffFields always empty (no large text diffs).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RecordChange, RecordTransaction } from '../data/seam';

export type ChangeType = RecordChange['changeType'];

export interface ChangeEventHeader {
  readonly entityName: string;
  readonly recordIds: readonly string[];
  readonly changeType: ChangeType;
  readonly changeOrigin: string;
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
  readonly nulledFields: readonly string[];
  readonly diffFields: readonly string[];
  readonly changedFields: readonly string[];
}

/** What a subscriber receives as `data` (replayId added when the event is stored). */
export interface ChangeEventData {
  readonly schema: string;
  readonly payload: { readonly ChangeEventHeader: ChangeEventHeader } & Readonly<Record<string, unknown>>;
  readonly event: { readonly replayId: number };
}

/** Never in a change event's payload. */
const LEFT_OUT = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'attributes']);

/** `/data/ContactChangeEvent`, `/data/Member__ChangeEvent` for `Member__c`. */
export function changeEventChannel(sobject: string): string {
  return `/data/${sobject.endsWith('__c') ? `${sobject.slice(0, -3)}__ChangeEvent` : `${sobject}ChangeEvent`}`;
}

/** The object a change-event channel is for, or undefined for other channels. */
export function entityOfChannel(channel: string): string | undefined {
  const custom = /^\/data\/([A-Za-z][A-Za-z0-9_]*?)__ChangeEvent$/.exec(channel);
  if (custom) return `${custom[1]}__c`;
  const standard = /^\/data\/([A-Za-z][A-Za-z0-9]*)ChangeEvent$/.exec(channel);
  return standard?.[1];
}

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';

export function schemaIdOf(entity: string): string {
  return createHash('sha256').update(`forcesites-emulator:${entity}`).digest('base64url').slice(0, 22);
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

interface Built {
  readonly entity: string;
  readonly changeType: ChangeType;
  readonly recordIds: string[];
  readonly fields: Record<string, unknown>;
  readonly changedFields: string[];
  readonly nulledFields: string[];
  readonly commitUser: string;
}

/** A compound field's part as the event names it: `MailingCity` is `City` of `MailingAddress`, `FirstName` stays. */
function partName(name: string, compound: string): string {
  const prefix = compound.endsWith('Address') ? compound.slice(0, -'Address'.length) : '';
  return prefix !== '' && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Puts a field's value into the payload, nested under its compound field when it has one. */
function place(fields: Record<string, unknown>, name: string, value: unknown, compound: string | undefined): void {
  if (compound === undefined) {
    fields[name] = value;
    return;
  }
  const existing = fields[compound];
  const nested = existing !== null && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
  nested[partName(name, compound)] = value;
  fields[compound] = nested;
}

function buildOne(change: RecordChange): Built | undefined {
  // Account's Name names itself as its compound field: a plain field, not a container.
  const compoundOf = new Map([...change.compoundFields].filter(([name, compound]) => name !== compound));
  const compoundNames = new Set(compoundOf.values());
  const include = (name: string) => !LEFT_OUT.has(name) && !compoundNames.has(name);
  const fields: Record<string, unknown> = {};
  const changedFields: string[] = [];
  const nulledFields: string[] = [];
  const label = (name: string) => {
    const compound = compoundOf.get(name);
    return compound === undefined ? name : `${compound}.${partName(name, compound)}`;
  };
  if (change.changeType === 'CREATE') {
    for (const [name, value] of Object.entries(change.after ?? {})) {
      if (!include(name) || value === null || value === undefined) continue;
      place(fields, name, value, compoundOf.get(name));
    }
  } else if (change.changeType === 'UPDATE') {
    const before = change.before ?? {};
    const after = change.after ?? {};
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!include(name) || same(before[name], after[name])) continue;
      const value = after[name] ?? null;
      place(fields, name, value, compoundOf.get(name));
      changedFields.push(label(name));
      if (value === null) nulledFields.push(label(name));
    }
    // A write that changed nothing a subscriber can see (only SystemModstamp) makes no event.
    if (changedFields.length === 0) return undefined;
    // Every update moves LastModifiedDate at Salesforce; a frozen emulator clock may not.
    if (after.LastModifiedDate !== undefined && !changedFields.includes('LastModifiedDate')) {
      fields.LastModifiedDate = after.LastModifiedDate;
      changedFields.push('LastModifiedDate');
    }
  }
  const commitUser = String((change.after ?? change.before ?? {}).LastModifiedById ?? '');
  return { entity: change.sobject, changeType: change.changeType, recordIds: [change.id], fields, changedFields, nulledFields, commitUser };
}

/**
 * The events of one committed transaction, for the entities `enabled` says are selected for
 * Change Data Capture, in commit order. A record written twice in one transaction (an insert
 * a rule then updates) is one change from its state before to its state after.
 */
export function changeEventsOf(
  transaction: RecordTransaction,
  enabled: (entity: string) => boolean,
  context: { readonly now: number; readonly nextCommitNumber: () => number },
): Omit<ChangeEventData, 'event'>[] {
  const net = new Map<string, RecordChange>();
  for (const change of transaction.changes) {
    if (!enabled(change.sobject)) continue;
    const earlier = net.get(change.id);
    if (earlier === undefined) {
      net.set(change.id, change);
      continue;
    }
    const before = earlier.before;
    const after = change.after;
    const changeType: ChangeType = before === null ? (after === null ? 'DELETE' : 'CREATE') : after === null ? 'DELETE' : 'UPDATE';
    // Created and deleted within one transaction: nothing a subscriber could ever read.
    if (before === null && after === null) net.delete(change.id);
    else net.set(change.id, { ...change, before, after, changeType });
  }
  const groups: Built[] = [];
  const byKey = new Map<string, Built>();
  for (const change of net.values()) {
    const built = buildOne(change);
    if (built === undefined) continue;
    const key = JSON.stringify([built.entity, built.changeType, built.fields, built.changedFields, built.commitUser]);
    const group = byKey.get(key);
    if (group !== undefined) group.recordIds.push(...built.recordIds);
    else {
      byKey.set(key, built);
      groups.push(built);
    }
  }
  const transactionKey = randomUUID();
  const commitNumber = groups.length > 0 ? context.nextCommitNumber() : 0;
  return groups.map((group, index) => ({
    schema: schemaIdOf(group.entity),
    payload: {
      ChangeEventHeader: {
        entityName: group.entity,
        recordIds: group.recordIds,
        changeType: group.changeType,
        changeOrigin: transaction.origin,
        transactionKey,
        sequenceNumber: index + 1,
        commitTimestamp: context.now,
        commitNumber,
        commitUser: group.commitUser,
        nulledFields: group.nulledFields,
        diffFields: [],
        changedFields: group.changedFields,
      },
      ...group.fields,
    },
  }));
}
