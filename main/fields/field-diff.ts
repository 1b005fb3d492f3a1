/**
 * What changed in the org between two refreshes of the same object, and which of those
 * changes break the site's current settings: a mapped field removed, retyped so the pair no
 * longer works, shrunk under values WordPress sends, made read-only or required; a picklist
 * value the tags or a mapped picklist used deactivated; the chosen record type gone.
 */
import { checkMatchKey, checkPair, typeLabel, wordpressFieldDef } from '../../common/field-rules';
import type { FieldCacheDto, FieldChangeDto, FieldDiffDto, MappingSettings, SalesforceFieldDto } from '../../common/fields-models';

const TEXT_LIKE = new Set(['string', 'textarea', 'encryptedstring', 'combobox', 'email', 'url', 'phone']);

interface Usage {
  /** Rows that use the field, as "email → Email (WordPress → Salesforce)". */
  readonly rows: readonly { readonly text: string; readonly wordpressField: string; readonly direction: 'push' | 'pull' | 'both' }[];
  readonly isDefault: boolean;
  readonly isMatchKey: boolean;
  readonly isTagField: boolean;
}

const ARROWS = { push: 'WordPress → Salesforce', pull: 'Salesforce → WordPress', both: 'both ways' } as const;

function usageOf(field: string, settings: MappingSettings, tagField: string | null): Usage {
  const lower = field.toLowerCase();
  return {
    rows: settings.fieldMapping
      .filter((row) => row.salesforceField.toLowerCase() === lower)
      .map((row) => ({ text: `${row.wordpressField} → ${row.salesforceField} (${ARROWS[row.direction]})`, wordpressField: row.wordpressField, direction: row.direction })),
    isDefault: settings.fieldDefaults.some((entry) => entry.salesforceField.toLowerCase() === lower),
    isMatchKey: settings.matchKey.field.toLowerCase() === lower,
    isTagField: tagField !== null && tagField.toLowerCase() === lower,
  };
}

function uses(usage: Usage): string[] {
  return [
    ...usage.rows.map((row) => `the mapping ${row.text}`),
    ...(usage.isDefault ? ['its default value'] : []),
    ...(usage.isMatchKey ? ['the match key'] : []),
    ...(usage.isTagField ? ['the tags'] : []),
  ];
}

function sizeOf(field: SalesforceFieldDto): string {
  return typeLabel(field);
}

function shrank(before: SalesforceFieldDto, after: SalesforceFieldDto): boolean {
  if (TEXT_LIKE.has(after.type)) return after.length < before.length;
  return after.precision - after.scale < before.precision - before.scale || after.scale < before.scale || after.digits < before.digits;
}

export function diffCaches(previous: FieldCacheDto, next: FieldCacheDto, settings: MappingSettings, tagField: string | null): FieldDiffDto {
  const changes: FieldChangeDto[] = [];
  const before = new Map(previous.fields.map((field) => [field.name.toLowerCase(), field]));
  const after = new Map(next.fields.map((field) => [field.name.toLowerCase(), field]));
  const add = (change: FieldChangeDto) => changes.push(change);

  for (const field of next.fields) {
    if (!before.has(field.name.toLowerCase())) add({ kind: 'added', field: field.name, label: field.label, detail: sizeOf(field), breaks: null });
  }
  for (const old of previous.fields) {
    const field = after.get(old.name.toLowerCase());
    const usage = usageOf(old.name, settings, tagField);
    if (field === undefined) {
      const used = uses(usage);
      add({ kind: 'removed', field: old.name, label: old.label, detail: sizeOf(old), breaks: used.length === 0 ? null : `${old.name} is gone, and ${used.join(', ')} still ${used.length === 1 ? 'uses' : 'use'} it.` });
      continue;
    }
    const brokenRows = (): string[] =>
      usage.rows.flatMap((row) => {
        const wp = wordpressFieldDef(row.wordpressField);
        if (wp === undefined) return [];
        const verdict = checkPair(wp, field, row.direction);
        return verdict.level === 'error' ? [`${row.text}: ${verdict.message}`] : [];
      });
    if (old.type !== field.type) {
      const broken = brokenRows();
      const tagBroken = usage.isTagField && field.type !== 'picklist' && field.type !== 'multipicklist' ? [`the tags: ${field.name} is no longer a picklist`] : [];
      const keyBroken = usage.isMatchKey ? checkMatchKey(settings.matchKey, { objectType: next.objectType, fields: next.fields, metaKeys: [], recordTypes: next.recordTypes }) : undefined;
      const all = [...broken, ...tagBroken, ...(keyBroken?.level === 'error' ? [`the match key: ${keyBroken.message}`] : [])];
      add({ kind: 'retyped', field: field.name, label: field.label, detail: `${sizeOf(old)} → ${sizeOf(field)}`, breaks: all.length === 0 ? null : `Breaks ${all.join('; ')}` });
    } else if (old.length !== field.length || old.precision !== field.precision || old.scale !== field.scale || old.digits !== field.digits) {
      const pushed = usage.rows.filter((row) => row.direction !== 'pull');
      const smaller = shrank(old, field);
      add({
        kind: 'resized',
        field: field.name,
        label: field.label,
        detail: `${sizeOf(old)} → ${sizeOf(field)}`,
        breaks: smaller && pushed.length > 0 ? `${pushed.map((row) => row.text).join(', ')}: values that fitted before may now be refused (${TEXT_LIKE.has(field.type) ? 'STRING_TOO_LONG' : 'NUMBER_OUTSIDE_VALID_RANGE'}).` : null,
      });
    }
    if (!old.requiredOnCreate && field.requiredOnCreate) {
      const filled = usage.rows.some((row) => row.direction !== 'pull') || usage.isDefault || (usage.isMatchKey && settings.matchKey.kind === 'external-id');
      add({ kind: 'now-required', field: field.name, label: field.label, detail: 'Now required on new records', breaks: filled ? null : `${next.objectType} now requires ${field.name}: map a WordPress field to it or give it a default.` });
    }
    if ((old.createable || old.updateable) && !field.createable && !field.updateable) {
      const pushed = usage.rows.filter((row) => row.direction !== 'pull');
      const used = [...pushed.map((row) => `the mapping ${row.text}`), ...(usage.isDefault ? ['its default value'] : []), ...(usage.isMatchKey && settings.matchKey.kind === 'external-id' ? ['the match key'] : [])];
      add({ kind: 'now-read-only', field: field.name, label: field.label, detail: 'Now read-only for the connection’s user', breaks: used.length === 0 ? null : `${field.name} can no longer be written, and ${used.join(', ')} ${used.length === 1 ? 'writes' : 'write'} it.` });
    }
    diffPicklist(old, field, usage, add);
  }

  const typesBefore = new Map(previous.recordTypes.map((type) => [type.id, type]));
  const typesAfter = new Map(next.recordTypes.map((type) => [type.id, type]));
  for (const type of next.recordTypes) {
    if (!typesBefore.has(type.id)) add({ kind: 'record-type-added', field: type.developerName, label: type.name, detail: type.active ? 'Active' : 'Inactive', breaks: null });
  }
  for (const type of previous.recordTypes) {
    const now = typesAfter.get(type.id);
    const chosen = settings.recordTypeId === type.id;
    if (now === undefined) add({ kind: 'record-type-removed', field: type.developerName, label: type.name, detail: 'Removed', breaks: chosen ? `New records were set to record type ${type.name}, which is gone: choose another.` : null });
    else if (chosen && (!now.active || !now.available)) {
      add({ kind: 'record-type-removed', field: type.developerName, label: type.name, detail: now.active ? 'No longer available to the user' : 'Deactivated', breaks: `New records were set to record type ${type.name}, which Salesforce now refuses: choose another.` });
    }
  }

  const topicsBefore = previous.tags.mode === 'topics' ? previous.tags.topics : [];
  const topicsAfter = next.tags.mode === 'topics' ? next.tags.topics : [];
  const lowerBefore = new Set(topicsBefore.map((name) => name.toLowerCase()));
  const lowerAfter = new Set(topicsAfter.map((name) => name.toLowerCase()));
  const bothTopics = previous.tags.mode === 'topics' && next.tags.mode === 'topics' && previous.tags.enabled && next.tags.enabled;
  return {
    comparedWith: previous.loadedAt,
    changes,
    topicsAdded: bothTopics ? topicsAfter.filter((name) => !lowerBefore.has(name.toLowerCase())) : [],
    topicsRemoved: bothTopics ? topicsBefore.filter((name) => !lowerAfter.has(name.toLowerCase())) : [],
    breaking: changes.filter((change) => change.breaks !== null).length,
  };
}

function diffPicklist(old: SalesforceFieldDto, field: SalesforceFieldDto, usage: Usage, add: (change: FieldChangeDto) => void): void {
  if (old.picklistValues.length === 0 && field.picklistValues.length === 0) return;
  const activeBefore = new Set(old.picklistValues.filter((value) => value.active).map((value) => value.value));
  const present = new Map(field.picklistValues.map((value) => [value.value, value]));
  const added = field.picklistValues.filter((value) => value.active && !activeBefore.has(value.value)).map((value) => value.value);
  const deactivated = [...activeBefore].filter((value) => present.get(value)?.active === false);
  const removed = [...activeBefore].filter((value) => !present.has(value));
  if (added.length > 0) add({ kind: 'picklist-added', field: field.name, label: field.label, detail: added.join(', '), breaks: null });
  const written = usage.isTagField || usage.rows.some((row) => row.direction !== 'pull') || usage.isDefault;
  const breaks = (values: readonly string[], what: string): string | null => {
    if (!written || !field.restrictedPicklist) return null;
    const users = uses(usage).filter((use) => !use.endsWith('(Salesforce → WordPress)'));
    return `${values.join(', ')} ${values.length === 1 ? 'was' : 'were'} ${what}: ${field.name} is restricted, so ${users.join(' and ')} can no longer send ${values.length === 1 ? 'it' : 'them'} (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).`;
  };
  if (deactivated.length > 0) add({ kind: 'picklist-deactivated', field: field.name, label: field.label, detail: deactivated.join(', '), breaks: breaks(deactivated, 'deactivated') });
  if (removed.length > 0) add({ kind: 'picklist-removed', field: field.name, label: field.label, detail: removed.join(', '), breaks: breaks(removed, 'removed') });
}
