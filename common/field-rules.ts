/**
 * The mapping rules, shared by main (which refuses to save what cannot work and builds the
 * preview) and the renderer (which explains each pair inline while the admin edits). Pure
 * functions of a refreshed describe and the WordPress fields, so every rule has one
 * definition and one test.
 *
 * Verdict levels: `error` — Salesforce (or WordPress) would refuse every value, so the pair
 * cannot be saved; `warning` — some values may be refused, the preview shows which; `note` —
 * works, and this is what ForceSites does to the value.
 */
import type { FieldDefault, MappingSettings, MatchKey, SalesforceFieldDto, TagsDto } from './fields-models';
import type { FieldMappingEntry } from './models';

export type Direction = FieldMappingEntry['direction'];

export type WordpressFieldKind = 'email' | 'text' | 'longtext' | 'url' | 'locale' | 'datetime' | 'list' | 'meta';

export interface WordpressFieldDef {
  /** What the mapping stores: a core name (`email`) or `meta:<key>`. */
  readonly name: string;
  readonly label: string;
  readonly kind: WordpressFieldKind;
  /** WordPress's own limit, when it has one (user_login 60, user_email 100, display_name 250, user_url 100). */
  readonly maxLength: number | null;
  /** Why Salesforce → WordPress cannot write it; null when it can. */
  readonly notWritable: string | null;
}

/** The core user fields of the WordPress REST API (`/wp/v2/users`, context=edit). */
export const WORDPRESS_CORE_FIELDS: readonly WordpressFieldDef[] = [
  { name: 'email', label: 'Email', kind: 'email', maxLength: 100, notWritable: null },
  { name: 'username', label: 'Username', kind: 'text', maxLength: 60, notWritable: 'WordPress never changes a username once the account exists.' },
  { name: 'first_name', label: 'First name', kind: 'text', maxLength: null, notWritable: null },
  { name: 'last_name', label: 'Last name', kind: 'text', maxLength: null, notWritable: null },
  { name: 'name', label: 'Display name', kind: 'text', maxLength: 250, notWritable: null },
  { name: 'nickname', label: 'Nickname', kind: 'text', maxLength: null, notWritable: null },
  { name: 'url', label: 'Website', kind: 'url', maxLength: 100, notWritable: null },
  { name: 'description', label: 'Biographical info', kind: 'longtext', maxLength: null, notWritable: null },
  { name: 'locale', label: 'Language (locale)', kind: 'locale', maxLength: null, notWritable: null },
  { name: 'registered_date', label: 'Registered', kind: 'datetime', maxLength: null, notWritable: 'WordPress sets the registration date itself.' },
  { name: 'roles', label: 'Roles', kind: 'list', maxLength: null, notWritable: null },
];

export const META_PREFIX = 'meta:';

export function metaField(key: string): WordpressFieldDef {
  return { name: `${META_PREFIX}${key}`, label: key, kind: 'meta', maxLength: null, notWritable: null };
}

/** The core fields plus the meta keys the companion plugin exposes. */
export function wordpressFields(metaKeys: readonly string[]): WordpressFieldDef[] {
  return [...WORDPRESS_CORE_FIELDS, ...metaKeys.map(metaField)];
}

/** The definition of a stored WordPress field name; unknown meta keys are still meta. */
export function wordpressFieldDef(name: string, metaKeys: readonly string[] = []): WordpressFieldDef | undefined {
  const core = WORDPRESS_CORE_FIELDS.find((field) => field.name === name);
  if (core !== undefined) return core;
  if (name.startsWith(META_PREFIX) && name.length > META_PREFIX.length) return metaField(name.slice(META_PREFIX.length));
  return metaKeys.includes(name) ? metaField(name) : undefined;
}

export type VerdictLevel = 'ok' | 'note' | 'warning' | 'error';

export interface Verdict {
  readonly level: VerdictLevel;
  readonly message: string;
}

const OK: Verdict = { level: 'ok', message: '' };
const RANK: Record<VerdictLevel, number> = { ok: 0, note: 1, warning: 2, error: 3 };

export function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce((a, b) => (RANK[b.level] > RANK[a.level] ? b : a), OK);
}

const TEXT_TYPES = new Set(['string', 'textarea', 'encryptedstring', 'combobox']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);
/** Types whose `length` limits the characters Salesforce accepts. */
const LENGTH_TYPES = new Set([...TEXT_TYPES, 'email', 'url', 'phone']);

export function typeLabel(field: Pick<SalesforceFieldDto, 'type' | 'length' | 'precision' | 'scale' | 'restrictedPicklist'>): string {
  switch (field.type) {
    case 'string':
      return `Text(${field.length})`;
    case 'textarea':
      return `Text Area(${field.length})`;
    case 'encryptedstring':
      return `Text (Encrypted)(${field.length})`;
    case 'email':
      return 'Email';
    case 'phone':
      return 'Phone';
    case 'url':
      return 'URL';
    case 'picklist':
      return field.restrictedPicklist ? 'Picklist (restricted)' : 'Picklist';
    case 'multipicklist':
      return field.restrictedPicklist ? 'Picklist (Multi-Select, restricted)' : 'Picklist (Multi-Select)';
    case 'combobox':
      return 'Combobox';
    case 'boolean':
      return 'Checkbox';
    case 'double':
    case 'currency':
    case 'percent':
      return `${field.type === 'double' ? 'Number' : field.type === 'currency' ? 'Currency' : 'Percent'}(${field.precision - field.scale}, ${field.scale})`;
    case 'int':
      return 'Number (whole)';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Date/Time';
    case 'reference':
      return 'Lookup';
    default:
      return field.type;
  }
}

function picklistSample(field: SalesforceFieldDto): string {
  const active = field.picklistValues.filter((value) => value.active).map((value) => value.value);
  if (active.length === 0) return 'it has no active values';
  return `${active.slice(0, 5).join(', ')}${active.length > 5 ? ` and ${active.length - 5} more` : ''}`;
}

/** Salesforce can never accept a value here from WordPress, whatever its kind. */
function unwritableTarget(field: SalesforceFieldDto): Verdict | undefined {
  if (field.type === 'address' || field.type === 'location') {
    return { level: 'error', message: `${field.name} is a compound field; map its parts instead (for example ${field.type === 'address' ? `${field.name.replace(/Address$/, '')}Street and ${field.name.replace(/Address$/, '')}City` : 'Latitude and Longitude'}).` };
  }
  if (!field.createable && !field.updateable) {
    const why = field.calculated ? 'a formula field' : field.autoNumber ? 'an auto-number field' : 'read-only for this user';
    return { level: 'error', message: `${field.name} is ${why}: Salesforce does not let ForceSites write it. Choose “Salesforce → WordPress” or another field.` };
  }
  if (field.type === 'id') return { level: 'error', message: `${field.name} is the record id, set by Salesforce.` };
  if (field.type === 'reference') {
    return { level: 'error', message: `${field.name} is a lookup to ${field.referenceTo.join(' or ') || 'another record'}: it needs a Salesforce record id, which WordPress does not have.` };
  }
  if (field.type === 'base64' || field.type === 'anyType' || field.type === 'time') return { level: 'error', message: `ForceSites cannot write ${typeLabel(field)} fields.` };
  return undefined;
}

function lengthVerdict(wp: WordpressFieldDef, field: SalesforceFieldDto): Verdict {
  if (!LENGTH_TYPES.has(field.type) || field.length <= 0) return OK;
  // A note, not a warning: values that long are rare, and the preview checks real ones.
  if (wp.maxLength !== null && wp.maxLength > field.length) {
    return { level: 'note', message: `WordPress allows ${wp.maxLength} characters here, ${field.name} only ${field.length}: longer values are refused (STRING_TOO_LONG).` };
  }
  // Long text areas (32,000 characters) take anything a WordPress user field holds.
  if (wp.maxLength === null && field.length <= 255) return { level: 'note', message: `${field.name} takes at most ${field.length} characters; the preview shows whether current values fit.` };
  return OK;
}

function picklistVerdict(field: SalesforceFieldDto, what: string): Verdict {
  if (field.restrictedPicklist) {
    return { level: 'warning', message: `${field.name} is a restricted picklist: only its values are accepted (${picklistSample(field)}); other ${what} are refused (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).` };
  }
  return { level: 'note', message: `${what[0]!.toUpperCase()}${what.slice(1)} that are not in ${field.name}’s list are stored as they are.` };
}

function numberRange(field: SalesforceFieldDto): string {
  if (field.type === 'int') return 'whole numbers';
  return `numbers with at most ${field.precision - field.scale} digits before the decimal point${field.scale > 0 ? ` and ${field.scale} after` : ''}`;
}

/** WordPress → Salesforce. */
export function checkPush(wp: WordpressFieldDef, field: SalesforceFieldDto): Verdict {
  const unwritable = unwritableTarget(field);
  if (unwritable !== undefined) return unwritable;
  const type = field.type;
  const mismatch = (what: string): Verdict => ({ level: 'error', message: `${wp.label} holds ${what}; ${field.name} is ${typeLabel(field)}.` });
  switch (wp.kind) {
    case 'email':
      if (type === 'email') return lengthVerdict(wp, field);
      if (TEXT_TYPES.has(type)) return worst([lengthVerdict(wp, field), { level: 'note', message: 'Sent as text.' }]);
      return mismatch('an email address, which only fits an Email or Text field');
    case 'url':
      if (type === 'url' || TEXT_TYPES.has(type)) return lengthVerdict(wp, field);
      return mismatch('a web address, which only fits a URL or Text field');
    case 'text':
    case 'longtext':
    case 'locale': {
      if (TEXT_TYPES.has(type)) return lengthVerdict(wp, field);
      if (type === 'email') return { level: 'warning', message: `Only valid email addresses are accepted in ${field.name} (INVALID_EMAIL_ADDRESS).` };
      if (type === 'phone' || type === 'url') return lengthVerdict(wp, field);
      if (type === 'picklist' || type === 'multipicklist') return picklistVerdict(field, 'values');
      return mismatch('text');
    }
    case 'datetime':
      if (type === 'datetime') return { level: 'note', message: 'Sent in UTC, as Salesforce wants it (2026-05-01T10:00:00.000Z).' };
      if (type === 'date') return { level: 'note', message: 'The date part, in UTC.' };
      if (TEXT_TYPES.has(type)) {
        return field.length >= 24 ? { level: 'note', message: 'Sent as ISO 8601 text.' } : { level: 'error', message: `${field.name} takes ${field.length} characters; a date and time needs 24.` };
      }
      return mismatch('a date and time');
    case 'list':
      if (type === 'multipicklist') return worst([{ level: 'note', message: 'Joined with “;”, as Salesforce stores multi-select values.' }, picklistVerdict(field, 'roles')]);
      if (type === 'picklist') return worst([{ level: 'warning', message: 'Only the first role is sent: a single-select picklist holds one value.' }, picklistVerdict(field, 'roles')]);
      if (TEXT_TYPES.has(type)) return worst([{ level: 'note', message: 'Joined with “;”.' }, lengthVerdict(wp, field)]);
      return mismatch('a list of roles');
    case 'meta':
      if (TEXT_TYPES.has(type) || type === 'phone' || type === 'url') return lengthVerdict(wp, field);
      if (type === 'email') return { level: 'warning', message: `Only valid email addresses are accepted in ${field.name} (INVALID_EMAIL_ADDRESS).` };
      if (type === 'picklist' || type === 'multipicklist') return picklistVerdict(field, 'values');
      if (type === 'boolean') return { level: 'warning', message: 'WordPress values must be yes/no, true/false, on/off or 1/0; others are refused.' };
      if (NUMBER_TYPES.has(type)) return { level: 'warning', message: `WordPress values must be ${numberRange(field)}; others are refused.` };
      if (type === 'date' || type === 'datetime') return { level: 'warning', message: `WordPress values must be dates (2026-05-01${type === 'datetime' ? ' or 2026-05-01T10:00:00Z' : ''}); others are refused.` };
      return mismatch('text');
  }
}

/** Salesforce → WordPress. */
export function checkPull(wp: WordpressFieldDef, field: SalesforceFieldDto): Verdict {
  if (wp.notWritable !== null) return { level: 'error', message: `${wp.label} cannot be written from Salesforce: ${wp.notWritable}` };
  const type = field.type;
  if (type === 'address' || type === 'location' || type === 'base64' || type === 'anyType') {
    return { level: 'error', message: `${field.name} (${typeLabel(field)}) cannot be copied into a WordPress field; map its parts instead.` };
  }
  switch (wp.kind) {
    case 'email':
      return type === 'email' ? OK : { level: 'warning', message: 'WordPress refuses values that are not email addresses, and addresses another user already has.' };
    case 'url':
      return type === 'url' ? OK : { level: 'warning', message: 'WordPress keeps only values that are web addresses.' };
    case 'locale':
      return { level: 'warning', message: 'Values must be a language installed on the site, such as en_US; WordPress refuses others.' };
    case 'list':
      return { level: 'warning', message: 'Values must be WordPress role slugs (subscriber, customer, …); WordPress refuses unknown roles.' };
    case 'datetime':
      return { level: 'error', message: `${wp.label} cannot be written from Salesforce.` };
    default:
      if (type === 'multipicklist') return { level: 'note', message: 'Multi-select values arrive joined with “;”.' };
      if (type === 'boolean' || NUMBER_TYPES.has(type) || type === 'date' || type === 'datetime') return { level: 'note', message: 'Stored in WordPress as text.' };
      return OK;
  }
}

export function checkPair(wp: WordpressFieldDef, field: SalesforceFieldDto, direction: Direction): Verdict {
  if (direction === 'push') return checkPush(wp, field);
  if (direction === 'pull') return checkPull(wp, field);
  const push = checkPush(wp, field);
  const pull = checkPull(wp, field);
  const bad = worst([push, pull]);
  if (bad.level === 'error') return { level: 'error', message: `${push.level === 'error' ? push.message : pull.message} (“Both ways” needs both directions to work.)` };
  return bad;
}

/** Fields Salesforce refuses a new record without, from the describe (Contact: LastName; Lead: LastName and Company). */
export function requiredFields(fields: readonly SalesforceFieldDto[]): SalesforceFieldDto[] {
  return fields.filter((field) => field.requiredOnCreate);
}

export interface RowCheck {
  readonly index: number;
  readonly verdict: Verdict;
}

export interface RequiredFieldCheck {
  readonly field: string;
  readonly label: string;
  readonly mappedFrom: readonly string[];
  readonly defaultValue: string | null;
  readonly verdict: Verdict;
}

export interface MappingCheck {
  readonly rows: readonly RowCheck[];
  readonly required: readonly RequiredFieldCheck[];
  readonly matchKey: Verdict;
  readonly defaults: readonly { readonly salesforceField: string; readonly verdict: Verdict }[];
  readonly recordType: Verdict;
  /** Every error, as sentences, for the save refusal. */
  readonly errors: readonly string[];
}

export interface MappingContext {
  readonly objectType: string;
  readonly fields: readonly SalesforceFieldDto[];
  readonly metaKeys: readonly string[];
  readonly recordTypes: readonly { readonly id: string; readonly name: string; readonly active: boolean; readonly available: boolean; readonly master: boolean }[];
  /** Other sites writing to the same org and object with their match keys, for shared external ids. */
  readonly otherSites?: readonly { readonly name: string; readonly matchKey: MatchKey }[];
}

export const RECOMMENDED_EXTERNAL_ID = 'WP_User_Id__c';

export function checkMatchKey(matchKey: MatchKey, context: MappingContext): Verdict {
  const field = context.fields.find((candidate) => candidate.name.toLowerCase() === matchKey.field.toLowerCase());
  if (matchKey.kind === 'email') {
    if (field === undefined) {
      return { level: 'error', message: `${context.objectType} has no field ${matchKey.field} to match emails on: choose an Email field, or an External ID field such as ${RECOMMENDED_EXTERNAL_ID}.` };
    }
    if (field.type !== 'email' && !TEXT_TYPES.has(field.type)) return { level: 'error', message: `${field.name} is ${typeLabel(field)}; matching by email needs an Email or Text field.` };
    return {
      level: 'note',
      message: `Users are matched to ${context.objectType} records by ${field.name}, ignoring case. Each sync looks records up by email first (two calls per 200 users), and a user who changes their email gets a new record.`,
    };
  }
  if (field === undefined) {
    return {
      level: 'error',
      message: `${context.objectType} has no field ${matchKey.field}. Create it in Setup → Object Manager → ${context.objectType} → Fields & Relationships (Text(50), External ID and Unique), then refresh.`,
    };
  }
  if (!field.externalId) return { level: 'error', message: `${field.name} is not marked External ID: Salesforce upserts only on External ID fields. Tick External ID on it in Setup, then refresh.` };
  if (!field.createable) return { level: 'error', message: `${field.name} is read-only for this user, so new records cannot carry the key.` };
  if (matchKey.prefix !== null && matchKey.prefix !== '' && !TEXT_TYPES.has(field.type)) {
    return { level: 'error', message: `${field.name} is ${typeLabel(field)}: a prefix such as “${matchKey.prefix}” needs a Text field.` };
  }
  if (!TEXT_TYPES.has(field.type) && !NUMBER_TYPES.has(field.type)) return { level: 'error', message: `${field.name} is ${typeLabel(field)}; a WordPress user id needs a Text or Number field.` };
  const keyLength = (matchKey.prefix ?? '').length + 20;
  if (TEXT_TYPES.has(field.type) && field.length < keyLength) {
    return { level: 'warning', message: `${field.name} takes ${field.length} characters; the prefix and a WordPress user id may need up to ${keyLength}.` };
  }
  const clash = (context.otherSites ?? []).find((other) => other.matchKey.kind === 'external-id' && other.matchKey.field.toLowerCase() === field.name.toLowerCase() && (other.matchKey.prefix ?? '') === (matchKey.prefix ?? ''));
  if (clash !== undefined) {
    return {
      level: 'warning',
      message: `Site “${clash.name}” also writes ${field.name}${(matchKey.prefix ?? '') === '' ? ' without a prefix' : ` with the prefix “${matchKey.prefix}”`}: user 42 of both sites would become one record. Give each site its own prefix, such as “${slug(clash.name)}-”.`,
    };
  }
  if (!field.unique) return { level: 'warning', message: `${field.name} is not Unique: Salesforce would accept two records with the same key, and an upsert then fails for both. Tick Unique on it in Setup.` };
  return { level: 'ok', message: `Upserts on ${field.name}: one call per 200 users and no duplicates when emails change.` };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20) || 'site';
}

/** Checks every part of the settings against a refreshed describe. */
export function checkMapping(settings: MappingSettings, context: MappingContext): MappingCheck {
  const errors: string[] = [];
  const byName = new Map(context.fields.map((field) => [field.name.toLowerCase(), field]));
  const seenTargets = new Map<string, number>();
  const rows = settings.fieldMapping.map((entry, index): RowCheck => {
    const wp = wordpressFieldDef(entry.wordpressField, context.metaKeys);
    const field = byName.get(entry.salesforceField.toLowerCase());
    let verdict: Verdict;
    if (wp === undefined) verdict = { level: 'error', message: `WordPress has no field “${entry.wordpressField}” on this site.` };
    else if (field === undefined) verdict = { level: 'error', message: `${context.objectType} has no field ${entry.salesforceField} (it may have been deleted or renamed: refresh, then choose another).` };
    else verdict = checkPair(wp, field, entry.direction);
    if (verdict.level !== 'error' && entry.direction !== 'pull' && field !== undefined) {
      const earlier = seenTargets.get(field.name.toLowerCase());
      if (earlier !== undefined) verdict = { level: 'error', message: `Row ${earlier + 1} already writes ${field.name}; two WordPress fields cannot both write one Salesforce field.` };
      else seenTargets.set(field.name.toLowerCase(), index);
    }
    if (verdict.level === 'error') errors.push(`Row ${index + 1} (${entry.wordpressField} → ${entry.salesforceField}): ${verdict.message}`);
    return { index, verdict };
  });

  const defaults = settings.fieldDefaults.map((entry) => {
    const field = byName.get(entry.salesforceField.toLowerCase());
    const verdict = field === undefined ? { level: 'error' as const, message: `${context.objectType} has no field ${entry.salesforceField}.` } : checkDefault(entry, field);
    if (verdict.level === 'error') errors.push(`Default for ${entry.salesforceField}: ${verdict.message}`);
    return { salesforceField: entry.salesforceField, verdict };
  });

  const required = requiredFields(context.fields).map((field): RequiredFieldCheck => {
    const mappedFrom = settings.fieldMapping.filter((entry) => entry.direction !== 'pull' && entry.salesforceField.toLowerCase() === field.name.toLowerCase()).map((entry) => entry.wordpressField);
    const isKey = settings.matchKey.kind === 'external-id' && settings.matchKey.field.toLowerCase() === field.name.toLowerCase();
    const fallback = settings.fieldDefaults.find((entry) => entry.salesforceField.toLowerCase() === field.name.toLowerCase());
    const defaultValue = fallback !== undefined && fallback.value.trim() !== '' ? fallback.value : null;
    let verdict: Verdict;
    if (isKey) verdict = { level: 'ok', message: 'Filled with the match key.' };
    else if (mappedFrom.length === 0 && defaultValue === null) {
      verdict = { level: 'error', message: `${context.objectType} requires ${field.name} (${field.label}): map a WordPress field to it, or give it a default such as “[not provided]”.` };
    } else if (defaultValue === null) {
      verdict = { level: 'warning', message: `Users whose ${mappedFrom.join(', ')} is empty cannot be created in Salesforce: give ${field.name} a default for them.` };
    } else if (mappedFrom.length === 0) verdict = { level: 'ok', message: `Always “${defaultValue}”.` };
    else verdict = { level: 'ok', message: `“${defaultValue}” when WordPress has none.` };
    if (verdict.level === 'error') errors.push(verdict.message);
    return { field: field.name, label: field.label, mappedFrom, defaultValue, verdict };
  });

  let matchKey = checkMatchKey(settings.matchKey, context);
  if (matchKey.level !== 'error' && settings.matchKey.kind === 'email') {
    const keyField = settings.matchKey.field.toLowerCase();
    const writesKey = settings.fieldMapping.some((entry) => entry.wordpressField === 'email' && entry.direction !== 'pull' && entry.salesforceField.toLowerCase() === keyField);
    if (!writesKey) {
      matchKey = { level: 'error', message: `Matching by email needs the WordPress email written to ${settings.matchKey.field}: add the row email → ${settings.matchKey.field} (WordPress → Salesforce), or new records could never be found again.` };
    }
  }
  if (matchKey.level === 'error') errors.push(`Match key: ${matchKey.message}`);

  let recordType: Verdict = OK;
  if (settings.recordTypeId !== null) {
    const chosen = context.recordTypes.find((type) => type.id === settings.recordTypeId);
    if (chosen === undefined) recordType = { level: 'error', message: `The chosen record type no longer exists on ${context.objectType}: choose another.` };
    else if (!chosen.active) recordType = { level: 'error', message: `Record type ${chosen.name} is inactive: Salesforce refuses new records of it.` };
    else if (!chosen.available) recordType = { level: 'error', message: `Record type ${chosen.name} is not available to the connection’s user: Salesforce refuses it (FIELD_INTEGRITY_EXCEPTION).` };
    if (recordType.level === 'error') errors.push(recordType.message);
  }
  return { rows, required, matchKey, defaults, recordType, errors };
}

function checkDefault(entry: FieldDefault, field: SalesforceFieldDto): Verdict {
  const unwritable = unwritableTarget(field);
  if (unwritable !== undefined) return unwritable;
  if (entry.value.trim() === '') return { level: 'warning', message: 'An empty default sends nothing.' };
  const converted = toSalesforceValue(entry.value, metaField('default'), field);
  return converted.ok ? OK : { level: 'error', message: converted.problem };
}

// ---- values -------------------------------------------------------------------------------

export type Converted =
  | { readonly ok: true; readonly empty: true }
  | { readonly ok: true; readonly empty: false; readonly value: string | number | boolean; readonly note: string | null }
  | { readonly ok: false; readonly problem: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'n']);

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item !== '');
  return String(value)
    .split(/[;,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Salesforce measures a text value in UTF-16 units (an emoji outside the Basic Multilingual
 * Plane counts two), as the sync's truncation does; counting code points here would pass a
 * value at the limit that Salesforce then refuses.
 */
function checkLength(text: string, field: SalesforceFieldDto): string | null {
  if (field.length > 0 && text.length > field.length) return `${text.length} characters; ${field.name} takes at most ${field.length} (STRING_TOO_LONG).`;
  return null;
}

function canonicalPicklist(value: string, field: SalesforceFieldDto): string | null {
  const hit = field.picklistValues.find((entry) => entry.active && entry.value.toLowerCase() === value.toLowerCase());
  if (hit !== undefined) return hit.value;
  return field.restrictedPicklist ? null : value;
}

/**
 * A WordPress value as Salesforce wants it for `field`, or why Salesforce would refuse it.
 * Empty values (blank text, no roles) come back as `empty`: they are sent only when the site
 * says so.
 */
export function toSalesforceValue(value: unknown, wp: WordpressFieldDef, field: SalesforceFieldDto): Converted {
  if (isEmptyValue(value)) return { ok: true, empty: true };
  const type = field.type;
  if (wp.kind === 'datetime' || type === 'datetime' || type === 'date') {
    const text = String(value).trim();
    const parsed = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (type === 'date' || type === 'datetime') {
      if (!Number.isFinite(parsed)) return { ok: false, problem: `“${text}” is not a date Salesforce can read.` };
      const iso = new Date(parsed).toISOString();
      return type === 'date' ? { ok: true, empty: false, value: iso.slice(0, 10), note: 'Date part, UTC.' } : { ok: true, empty: false, value: iso, note: text === iso ? null : 'Converted to UTC.' };
    }
    if (Number.isFinite(parsed) && wp.kind === 'datetime') {
      const iso = new Date(parsed).toISOString();
      const tooLong = checkLength(iso, field);
      return tooLong === null ? { ok: true, empty: false, value: iso, note: 'ISO 8601, UTC.' } : { ok: false, problem: tooLong };
    }
  }
  if (type === 'boolean') {
    const word = String(value).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, empty: false, value: true, note: null };
    if (FALSE_WORDS.has(word)) return { ok: true, empty: false, value: false, note: null };
    return { ok: false, problem: `“${String(value)}” is not yes/no, true/false, on/off or 1/0.` };
  }
  if (NUMBER_TYPES.has(type)) {
    const text = String(value).trim().replace(/,/g, '');
    const number = Number(text);
    if (text === '' || !Number.isFinite(number)) return { ok: false, problem: `“${String(value)}” is not a number.` };
    if ((type === 'int' || type === 'long') && !Number.isInteger(number)) return { ok: false, problem: `${text} is not a whole number; ${field.name} takes whole numbers.` };
    const whole = Math.trunc(Math.abs(number)).toString().replace(/^0$/, '').length;
    const maxWhole = type === 'int' ? (field.digits || 9) : field.precision - field.scale;
    if (whole > maxWhole) return { ok: false, problem: `${text} has ${whole} digits before the decimal point; ${field.name} takes at most ${maxWhole} (NUMBER_OUTSIDE_VALID_RANGE).` };
    if (type === 'int' || type === 'long') return { ok: true, empty: false, value: number, note: null };
    const factor = 10 ** field.scale;
    const rounded = Math.round(number * factor) / factor;
    return { ok: true, empty: false, value: rounded, note: rounded === number ? null : `Rounded to ${field.scale} decimal${field.scale === 1 ? '' : 's'}.` };
  }
  if (type === 'multipicklist') {
    const items = wp.kind === 'list' || Array.isArray(value) ? asList(value) : asList(String(value));
    const mapped: string[] = [];
    for (const item of items) {
      const canonical = canonicalPicklist(item, field);
      if (canonical === null) return { ok: false, problem: `“${item}” is not a value of the restricted picklist ${field.name} (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).` };
      if (!mapped.includes(canonical)) mapped.push(canonical);
    }
    return { ok: true, empty: false, value: mapped.join(';'), note: mapped.length > 1 ? 'Joined with “;”.' : null };
  }
  if (type === 'picklist') {
    const first = Array.isArray(value) ? String(value[0] ?? '') : String(value).trim();
    const canonical = canonicalPicklist(first, field);
    if (canonical === null) return { ok: false, problem: `“${first}” is not a value of the restricted picklist ${field.name} (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).` };
    return { ok: true, empty: false, value: canonical, note: Array.isArray(value) && value.length > 1 ? 'Only the first of several values.' : null };
  }
  const text = Array.isArray(value) ? asList(value).join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (type === 'email') {
    const email = text.trim();
    if (!EMAIL.test(email)) return { ok: false, problem: `“${email}” is not a valid email address (INVALID_EMAIL_ADDRESS).` };
    const tooLong = checkLength(email, field);
    return tooLong === null ? { ok: true, empty: false, value: email, note: null } : { ok: false, problem: tooLong };
  }
  const tooLong = checkLength(text, field);
  if (tooLong !== null) return { ok: false, problem: tooLong };
  return { ok: true, empty: false, value: text, note: Array.isArray(value) && value.length > 1 ? 'Joined with “;”.' : null };
}

// ---- proposals ----------------------------------------------------------------------------

/** Names WordPress and its plugins use for what Salesforce calls these fields. */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  email: ['email'],
  first_name: ['firstname'],
  last_name: ['lastname'],
  url: ['website', 'url'],
  description: ['description'],
  phone: ['phone'],
  billing_phone: ['phone'],
  mobile: ['mobilephone'],
  company: ['company', 'accountname'],
  billing_company: ['company'],
  title: ['title'],
  job_title: ['title'],
  billing_address_1: ['mailingstreet', 'street'],
  billing_city: ['mailingcity', 'city'],
  billing_postcode: ['mailingpostalcode', 'postalcode'],
  billing_state: ['mailingstate', 'state'],
  billing_country: ['mailingcountry', 'country'],
  birthday: ['birthdate'],
  birthdate: ['birthdate'],
};

function normal(text: string): string {
  return text
    .toLowerCase()
    .replace(/__c$/, '')
    .replace(/[^a-z0-9]/g, '');
}

function candidates(wp: WordpressFieldDef): string[] {
  const key = wp.kind === 'meta' ? wp.name.slice(META_PREFIX.length).toLowerCase() : wp.name;
  return [...(SYNONYMS[key] ?? []), normal(key), normal(wp.label)];
}

export const REQUIRED_DEFAULT = '[not provided]';

export interface Proposal {
  readonly fieldMapping: readonly FieldMappingEntry[];
  readonly fieldDefaults: readonly FieldDefault[];
}

/**
 * Sensible defaults from names and types: each WordPress field goes to the Salesforce field
 * whose API name or label matches it (or a known synonym) when the pair works, pushing;
 * required fields nothing fills get “[not provided]”. Existing rows and defaults are kept;
 * no Salesforce field is written twice.
 */
export function proposeMapping(current: Pick<MappingSettings, 'fieldMapping' | 'fieldDefaults'>, context: Pick<MappingContext, 'fields' | 'metaKeys'>): Proposal {
  const rows = [...current.fieldMapping];
  const usedWordpress = new Set(rows.map((row) => row.wordpressField));
  const usedSalesforce = new Set(rows.filter((row) => row.direction !== 'pull').map((row) => row.salesforceField.toLowerCase()));
  for (const wp of wordpressFields(context.metaKeys)) {
    if (usedWordpress.has(wp.name)) continue;
    const names = candidates(wp);
    const match = context.fields
      .filter((field) => !usedSalesforce.has(field.name.toLowerCase()) && checkPush(wp, field).level !== 'error')
      .map((field) => ({ field, rank: rankOf(names, field) }))
      .filter((entry) => entry.rank < Number.POSITIVE_INFINITY)
      .sort((a, b) => a.rank - b.rank)[0];
    if (match === undefined) continue;
    rows.push({ wordpressField: wp.name, salesforceField: match.field.name, direction: 'push' });
    usedWordpress.add(wp.name);
    usedSalesforce.add(match.field.name.toLowerCase());
  }
  const defaults = [...current.fieldDefaults];
  for (const field of requiredFields(context.fields)) {
    if (defaults.some((entry) => entry.salesforceField.toLowerCase() === field.name.toLowerCase())) continue;
    if (TEXT_TYPES.has(field.type)) defaults.push({ salesforceField: field.name, value: REQUIRED_DEFAULT });
  }
  return { fieldMapping: rows, fieldDefaults: defaults };
}

function rankOf(names: readonly string[], field: SalesforceFieldDto): number {
  const apiName = normal(field.name);
  const label = normal(field.label);
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index]!;
    if (name === '') continue;
    if (apiName === name) return index * 2;
    if (label === name) return index * 2 + 1;
  }
  return Number.POSITIVE_INFINITY;
}

// ---- tags ---------------------------------------------------------------------------------

/**
 * WordPress tags with no counterpart in Salesforce: for a picklist, tags that are not among
 * its active values (a restricted picklist refuses them); for Topics, tags no Topic has yet
 * (ForceSites would create them). Compared ignoring case, as Salesforce does.
 */
export function unmatchedTags(wordpressTags: readonly string[], tags: TagsDto): string[] {
  if (tags.mode === 'none') return [];
  const known = new Set((tags.mode === 'topics' ? tags.topics : tags.values).map((value) => value.toLowerCase()));
  return wordpressTags.filter((tag) => !known.has(tag.trim().toLowerCase()));
}
