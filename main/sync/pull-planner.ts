/**
 * The pull planner, pure: a Salesforce record → the WordPress user the profile's pull mapping
 * says it should be, and that against the WordPress user with the same e-mail → create (a new
 * user with the role the admin chose), update (field by field, tags included), unchanged,
 * invalid (an e-mail WordPress would refuse, with the reason) or conflict (the address is
 * another record's too, or WordPress holds it in another case on a different user).
 */
import type { FieldMappingEntry } from '../../common/models';
import type { WordpressUser, WordpressUserInput } from '../../common/wordpress-models';
import { sameValue, wordpressValue, type FieldChange } from './push-planner';

export interface PullSettings {
  readonly objectType: string;
  readonly fieldMapping: readonly FieldMappingEntry[];
  /** The Salesforce field holding the e-mail WordPress users are matched on. */
  readonly emailField: string;
  /** WordPress role for users the pull creates. */
  readonly role: string;
  /** Whether tags come along (Topics or the picklist field's values). */
  readonly pullTags: boolean;
}

export type PulledRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

export type PullPlan =
  | { readonly kind: 'create'; readonly salesforceId: string; readonly email: string; readonly input: WordpressUserInput; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'update'; readonly salesforceId: string; readonly email: string; readonly wpUserId: number; readonly input: WordpressUserInput; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'unchanged'; readonly salesforceId: string; readonly email: string; readonly wpUserId: number }
  | { readonly kind: 'invalid' | 'conflict'; readonly salesforceId: string; readonly email: string | null; readonly wpUserId: number | null; readonly reason: string };

/** WordPress's own limits on a user e-mail (`user_email` is 100 characters; is_email's shape). */
const WORDPRESS_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export function wordpressEmailProblem(email: string): string | null {
  if (email === '') return 'The record has no e-mail address: WordPress needs one for every user.';
  if (email.length > 100) return `“${email}” is longer than the 100 characters WordPress accepts for an e-mail address.`;
  if (!WORDPRESS_EMAIL.test(email)) return `“${email}” is not an e-mail address WordPress accepts.`;
  return null;
}

const INPUT_KEYS: Readonly<Record<string, keyof WordpressUserInput>> = {
  email: 'email',
  user_email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  name: 'name',
  display_name: 'name',
  nickname: 'nickname',
  url: 'url',
  user_url: 'url',
  description: 'description',
  locale: 'locale',
};

function fieldValue(record: Readonly<Record<string, unknown>>, field: string): unknown {
  if (field in record) return record[field];
  const name = Object.keys(record).find((candidate) => candidate.toLowerCase() === field.toLowerCase());
  return name === undefined ? undefined : record[name];
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A username WordPress accepts, from the e-mail's local part, not taken yet (60 characters at most). */
export function usernameFor(email: string, taken: Set<string>): string {
  const base = (email.split('@')[0] ?? 'member').replace(/[^a-zA-Z0-9_.@-]/g, '').slice(0, 50) || 'member';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * Plans one record. `existing` is the WordPress user with the record's e-mail (compared
 * case-insensitively), `tags` the record's tags when they are pulled.
 */
export function planPull(record: PulledRecord, tags: readonly string[] | null, existing: WordpressUser | undefined, settings: PullSettings, takenUsernames: Set<string>): PullPlan {
  const email = text(fieldValue(record, settings.emailField)).trim();
  const problem = wordpressEmailProblem(email);
  if (problem !== null) return { kind: 'invalid', salesforceId: record.Id, email: email === '' ? null : email, wpUserId: existing?.id ?? null, reason: problem };
  const input: Record<string, unknown> = {};
  const meta: Record<string, string> = {};
  const changes: FieldChange[] = [];
  for (const entry of settings.fieldMapping) {
    if (entry.direction === 'push') continue;
    const value = text(fieldValue(record, entry.salesforceField));
    const key = INPUT_KEYS[entry.wordpressField];
    const metaKey = key === undefined && entry.wordpressField !== 'username' && entry.wordpressField !== 'roles' && entry.wordpressField !== 'registered_date' ? (entry.wordpressField.startsWith('meta:') ? entry.wordpressField.slice(5) : entry.wordpressField) : undefined;
    if (key === undefined && metaKey === undefined) continue; // WordPress does not let this field be written
    if (key === 'email') continue; // the match key: an existing user keeps its address
    const old = existing === undefined ? '' : text(wordpressValue(existing, entry.wordpressField));
    if (existing !== undefined && sameValue(old, value)) continue;
    if (existing === undefined && value === '') continue;
    if (key !== undefined) input[key] = value;
    else meta[metaKey!] = value;
    changes.push({ field: entry.wordpressField, old: existing === undefined || old === '' ? null : old, new: value === '' ? null : value });
  }
  if (tags !== null) {
    const current = existing?.tags ?? [];
    const same = current.length === tags.length && [...current].sort().join('\n') === [...tags].sort().join('\n');
    if (!same && !(existing === undefined && tags.length === 0)) {
      input['tags'] = tags;
      changes.push({ field: 'tags', old: current.length === 0 ? null : current.join('; '), new: tags.length === 0 ? null : tags.join('; ') });
    }
  }
  if (Object.keys(meta).length > 0) input['meta'] = meta;
  if (existing === undefined) {
    const username = usernameFor(email, takenUsernames);
    return { kind: 'create', salesforceId: record.Id, email, input: { ...input, email, username, roles: [settings.role] } as WordpressUserInput, changes: [{ field: 'email', old: null, new: email }, { field: 'username', old: null, new: username }, ...changes] };
  }
  if (changes.length === 0) return { kind: 'unchanged', salesforceId: record.Id, email, wpUserId: existing.id };
  return { kind: 'update', salesforceId: record.Id, email, wpUserId: existing.id, input: input as WordpressUserInput, changes };
}
