/**
 * The push planner, pure: a WordPress user → the record the profile's mapping says it should
 * be (`mapUser`), and that record against what Salesforce holds for its key → create, update
 * (with the field-by-field changes), unchanged, invalid (with the reason) or conflict
 * (several Salesforce records share the key: never pick one silently) (`classify`).
 * No I/O: the service looks keys up in between.
 */
import { toSalesforceValue, wordpressFieldDef, type WordpressFieldDef } from '../../common/field-rules';
import type { FieldDefault, MatchKey, SalesforceFieldDto } from '../../common/fields-models';
import type { FieldMappingEntry, TagMode } from '../../common/models';
import type { WordpressUser } from '../../common/wordpress-models';

export type SalesforceValue = string | number | boolean | null;
export type SalesforceValues = Readonly<Record<string, SalesforceValue>>;

export interface PushSettings {
  readonly objectType: string;
  readonly fieldMapping: readonly FieldMappingEntry[];
  readonly matchKey: MatchKey;
  readonly fieldDefaults: readonly FieldDefault[];
  readonly recordTypeId: string | null;
  /** Send empty WordPress values, clearing the Salesforce field. */
  readonly sendEmptyValues: boolean;
  readonly tagMode: TagMode;
  readonly tagField: string | null;
  /** Tag mode `topics`: remove Topics from a record when the WordPress user no longer has the tag. */
  readonly removeTopics?: boolean;
  /**
   * Cut a text value longer than its field to the field's length (the change records it)
   * instead of failing the record with STRING_TOO_LONG. Needs the describe (`fields`): without
   * it the length is unknown and Salesforce judges the value.
   */
  readonly truncateLongValues?: boolean;
  /** The object's describe, when the field cache has it: values are converted and checked as Salesforce would. */
  readonly fields?: readonly SalesforceFieldDto[];
}

export interface FieldChange {
  readonly field: string;
  readonly old: string | null;
  readonly new: string | null;
  /** The value was cut to the field's length (truncation on): its length in WordPress, in characters. */
  readonly truncatedFrom?: number;
}

export type MappedUser =
  | {
      readonly ok: true;
      readonly wpUserId: number;
      readonly key: string;
      readonly values: SalesforceValues;
      readonly tags: readonly string[];
      /** Fields whose value was cut to the field's length → the WordPress value's length. */
      readonly truncated?: Readonly<Record<string, number>>;
    }
  | { readonly ok: false; readonly wpUserId: number; readonly key: string | null; readonly reason: string };

export type ExistingRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

export type PlannedUser =
  | { readonly kind: 'create'; readonly wpUserId: number; readonly key: string; readonly record: SalesforceValues; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'update'; readonly wpUserId: number; readonly key: string; readonly salesforceId: string; readonly record: SalesforceValues; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'unchanged'; readonly wpUserId: number; readonly key: string; readonly salesforceId: string }
  | { readonly kind: 'invalid'; readonly wpUserId: number; readonly key: string | null; readonly reason: string }
  | { readonly kind: 'conflict'; readonly wpUserId: number; readonly key: string; readonly salesforceIds: readonly string[]; readonly reason: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * Types truncation may cut. Not e-mail (a shortened address is somebody else's) nor picklists
 * (a shortened value is not a value); and never the match key (the record would not be found).
 */
const TRUNCATABLE_TYPES = new Set(['string', 'textarea', 'encryptedstring', 'url', 'phone']);

/** The match value as it is compared: e-mail addresses case-insensitively (Salesforce does). */
export function normalizeKey(matchKey: MatchKey, value: string): string {
  return matchKey.kind === 'email' ? value.trim().toLowerCase() : value;
}

/** The key a WordPress user is matched on. */
export function userKey(user: Pick<WordpressUser, 'id' | 'email'>, matchKey: MatchKey): string {
  return matchKey.kind === 'email' ? user.email.trim() : `${matchKey.prefix ?? ''}${user.id}`;
}

/** The Salesforce fields a plan reads to compare (Id and the key field first, no duplicates). */
export function comparedFields(settings: PushSettings): string[] {
  const names = [settings.matchKey.field, ...pushEntries(settings).map((entry) => entry.salesforceField)];
  if (settings.tagMode === 'picklist' && settings.tagField) names.push(settings.tagField);
  const seen = new Set<string>(['id']);
  const out = ['Id'];
  for (const name of names) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

function pushEntries(settings: PushSettings): FieldMappingEntry[] {
  return settings.fieldMapping.filter((entry) => entry.direction !== 'pull');
}

/** A WordPress user's value for a stored WordPress field name. */
export function wordpressValue(user: WordpressUser, name: string): unknown {
  switch (name) {
    case 'email':
    case 'user_email':
      return user.email;
    case 'username':
    case 'user_login':
      return user.username;
    case 'first_name':
      return user.firstName;
    case 'last_name':
      return user.lastName;
    case 'name':
    case 'display_name':
      return user.name;
    case 'nickname':
      return user.nickname;
    case 'url':
    case 'user_url':
      return user.url;
    case 'description':
      return user.description;
    case 'locale':
      return user.locale;
    case 'registered_date':
      return user.registeredAt;
    case 'roles':
      return user.roles;
    case 'tags':
      return user.tags;
    default:
      return user.meta[name.startsWith('meta:') ? name.slice(5) : name];
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** Without a describe: text as WordPress holds it (byte-exact), lists joined with `;`. */
function plainValue(value: unknown): SalesforceValue {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(String).join(';');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function mapUser(user: WordpressUser, settings: PushSettings): MappedUser {
  const key = userKey(user, settings.matchKey);
  if (settings.matchKey.kind === 'email' && (key === '' || !EMAIL.test(key))) {
    return { ok: false, wpUserId: user.id, key: key === '' ? null : key, reason: key === '' ? 'The WordPress user has no email address to match on.' : `“${key}” is not a valid email address to match on.` };
  }
  const describe = new Map((settings.fields ?? []).map((field) => [field.name.toLowerCase(), field]));
  const values: Record<string, SalesforceValue> = {};
  const truncated: Record<string, number> = {};
  const problems: string[] = [];
  const put = (salesforceField: string, raw: unknown, wp: WordpressFieldDef | undefined): void => {
    const field = describe.get(salesforceField.toLowerCase());
    if (field !== undefined && wp !== undefined) {
      const cut = settings.truncateLongValues === true && field.length > 0 && TRUNCATABLE_TYPES.has(field.type) && field.name.toLowerCase() !== settings.matchKey.field.toLowerCase();
      // Converted without the length limit, then cut: every other check still applies.
      const converted = toSalesforceValue(raw, wp, cut ? { ...field, length: 0 } : field);
      if (!converted.ok) problems.push(`${salesforceField}: ${converted.problem}`);
      else if (!converted.empty) values[salesforceField] = cut ? truncate(salesforceField, converted.value, field.length) : converted.value;
      else if (settings.sendEmptyValues) values[salesforceField] = null;
      return;
    }
    if (!isEmpty(raw)) values[salesforceField] = plainValue(raw);
    else if (settings.sendEmptyValues) values[salesforceField] = null;
  };
  for (const entry of pushEntries(settings)) put(entry.salesforceField, wordpressValue(user, entry.wordpressField), wordpressFieldDef(entry.wordpressField) ?? wordpressFieldDef(`meta:${entry.wordpressField}`));
  if (settings.tagMode === 'picklist' && settings.tagField) put(settings.tagField, user.tags, { name: 'tags', label: 'Tags', kind: 'list', maxLength: null, notWritable: null });
  function truncate(name: string, value: SalesforceValue, length: number): SalesforceValue {
    // Salesforce measures text in UTF-16 code units (Java strings; the emulator does the same):
    // an emoji takes two of the field's characters. Cut by that measure, and one unit shorter
    // rather than split an emoji (a surrogate pair) in half.
    if (typeof value !== 'string' || value.length <= length) return value;
    const end = length > 0 && isHighSurrogate(value.charCodeAt(length - 1)) ? length - 1 : length;
    // Reported in characters as the admin counts them.
    truncated[name] = [...value].length;
    return value.slice(0, end);
  }
  if (problems.length > 0) return { ok: false, wpUserId: user.id, key, reason: problems.join(' ') };
  // The key field always carries the key: the e-mail as WordPress has it, or the external id.
  if (settings.matchKey.kind === 'external-id' || !Object.keys(values).some((name) => name.toLowerCase() === settings.matchKey.field.toLowerCase())) {
    values[settings.matchKey.field] = key;
  }
  return { ok: true, wpUserId: user.id, key, values, tags: settings.tagMode === 'topics' ? user.tags : [], ...(Object.keys(truncated).length > 0 ? { truncated } : {}) };
}

/** Values compared as text: Salesforce answers numbers and booleans as JSON (REST) or text (Bulk CSV). */
export function sameValue(a: unknown, b: unknown, caseInsensitive = false): boolean {
  const left = a === undefined || a === null ? '' : String(a);
  const right = b === undefined || b === null ? '' : String(b);
  if (left === right) return true;
  if (caseInsensitive && left.toLowerCase() === right.toLowerCase()) return true;
  if (left !== '' && right !== '' && Number.isFinite(Number(left)) && Number.isFinite(Number(right))) return Number(left) === Number(right);
  // Multi-select picklists come back in Salesforce's order.
  if (left.includes(';') || right.includes(';')) return left.split(';').sort().join(';') === right.split(';').sort().join(';');
  return false;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function withTruncation(mapped: MappedUser & { ok: true }, change: FieldChange): FieldChange {
  const from = mapped.truncated?.[change.field];
  return from === undefined ? change : { ...change, truncatedFrom: from };
}

function text(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

export function classify(mapped: MappedUser, existing: readonly ExistingRecord[], settings: PushSettings): PlannedUser {
  if (!mapped.ok) return { kind: 'invalid', wpUserId: mapped.wpUserId, key: mapped.key, reason: mapped.reason };
  const keyField = settings.matchKey.field.toLowerCase();
  if (existing.length > 1) {
    return {
      kind: 'conflict',
      wpUserId: mapped.wpUserId,
      key: mapped.key,
      salesforceIds: existing.map((record) => record.Id),
      reason: `${existing.length} ${settings.objectType} records have ${settings.matchKey.field} “${mapped.key}” (${existing.map((record) => record.Id).join(', ')}); merge them in Salesforce, then sync again.`,
    };
  }
  const current = existing[0];
  if (current === undefined) {
    const record: Record<string, SalesforceValue> = {};
    for (const field of settings.fieldDefaults) {
      if (!Object.keys(mapped.values).some((name) => name.toLowerCase() === field.salesforceField.toLowerCase())) record[field.salesforceField] = field.value;
    }
    Object.assign(record, mapped.values);
    for (const name of Object.keys(record)) if (record[name] === null) delete record[name];
    if (settings.recordTypeId) record['RecordTypeId'] = settings.recordTypeId;
    return { kind: 'create', wpUserId: mapped.wpUserId, key: mapped.key, record, changes: Object.entries(record).map(([field, value]) => withTruncation(mapped, { field, old: null, new: text(value) })) };
  }
  const byLowerName = new Map(Object.keys(current).map((name) => [name.toLowerCase(), name]));
  const changes: FieldChange[] = [];
  const record: Record<string, SalesforceValue> = {};
  for (const [field, value] of Object.entries(mapped.values)) {
    const old = current[byLowerName.get(field.toLowerCase()) ?? field];
    if (sameValue(old, value, field.toLowerCase() === keyField && settings.matchKey.kind === 'email')) continue;
    record[field] = value;
    changes.push(withTruncation(mapped, { field, old: text(old), new: text(value) }));
  }
  if (changes.length === 0) return { kind: 'unchanged', wpUserId: mapped.wpUserId, key: mapped.key, salesforceId: current.Id };
  return { kind: 'update', wpUserId: mapped.wpUserId, key: mapped.key, salesforceId: current.Id, record, changes };
}
