/**
 * Three real WordPress users as Salesforce would receive them with the settings being
 * edited: each WordPress → Salesforce value converted as the sync converts it, empty values
 * left out unless the site sends them, defaults filled in, the match key's value, and what
 * Salesforce would refuse. Salesforce → WordPress rows are not previewed (they need records).
 */
import { toSalesforceValue, wordpressFieldDef } from '../../common/field-rules';
import type { MappingSettings, PreviewUserDto, PreviewValueDto, SalesforceFieldDto } from '../../common/fields-models';
import type { WordpressUser } from '../../common/wordpress-models';

/** The value of a stored WordPress field name on a user. */
export function wordpressValue(user: WordpressUser, name: string): unknown {
  switch (name) {
    case 'email':
      return user.email;
    case 'username':
      return user.username;
    case 'first_name':
      return user.firstName;
    case 'last_name':
      return user.lastName;
    case 'name':
      return user.name;
    case 'nickname':
      return user.nickname;
    case 'url':
      return user.url;
    case 'description':
      return user.description;
    case 'locale':
      return user.locale;
    case 'registered_date':
      return user.registeredAt;
    case 'roles':
      return user.roles;
    default:
      return name.startsWith('meta:') ? user.meta[name.slice('meta:'.length)] : undefined;
  }
}

export function previewUser(user: WordpressUser, settings: MappingSettings, fields: readonly SalesforceFieldDto[]): PreviewUserDto {
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  const values: PreviewValueDto[] = [];
  const filled = new Set<string>();
  for (const row of settings.fieldMapping) {
    if (row.direction === 'pull') continue;
    const field = byName.get(row.salesforceField.toLowerCase());
    const wp = wordpressFieldDef(row.wordpressField);
    if (field === undefined || wp === undefined) {
      values.push({ salesforceField: row.salesforceField, wordpressField: row.wordpressField, value: null, sent: false, problem: field === undefined ? `No field ${row.salesforceField} in the refreshed list.` : `No WordPress field ${row.wordpressField}.`, note: null });
      continue;
    }
    const converted = toSalesforceValue(wordpressValue(user, row.wordpressField), wp, field);
    if (!converted.ok) {
      values.push({ salesforceField: field.name, wordpressField: row.wordpressField, value: null, sent: false, problem: converted.problem, note: null });
    } else if (converted.empty) {
      const fallback = settings.fieldDefaults.find((entry) => entry.salesforceField.toLowerCase() === field.name.toLowerCase());
      if (fallback !== undefined && fallback.value.trim() !== '') {
        values.push({ salesforceField: field.name, wordpressField: row.wordpressField, value: fallback.value, sent: true, problem: null, note: 'WordPress has none: the default is sent.' });
        filled.add(field.name.toLowerCase());
      } else {
        values.push({ salesforceField: field.name, wordpressField: row.wordpressField, value: null, sent: settings.sendEmptyValues, problem: null, note: settings.sendEmptyValues ? 'Empty: sent, clearing the Salesforce value.' : 'Empty: not sent.' });
      }
    } else {
      values.push({ salesforceField: field.name, wordpressField: row.wordpressField, value: converted.value, sent: true, problem: null, note: converted.note });
      filled.add(field.name.toLowerCase());
    }
  }
  for (const entry of settings.fieldDefaults) {
    const lower = entry.salesforceField.toLowerCase();
    if (values.some((value) => value.salesforceField.toLowerCase() === lower) || entry.value.trim() === '') continue;
    values.push({ salesforceField: entry.salesforceField, wordpressField: null, value: entry.value, sent: true, problem: null, note: 'Default value.' });
    filled.add(lower);
  }
  const key = matchKeyValue(user, settings);
  if (settings.matchKey.kind === 'external-id' && key.value !== null) filled.add(settings.matchKey.field.toLowerCase());
  const missingRequired = fields.filter((field) => field.requiredOnCreate && !filled.has(field.name.toLowerCase())).map((field) => field.name);
  return { wordpressId: user.id, username: user.username, email: user.email, key, values, missingRequired };
}

function matchKeyValue(user: WordpressUser, settings: MappingSettings): PreviewUserDto['key'] {
  const key = settings.matchKey;
  if (key.kind === 'email') {
    const email = user.email.trim();
    return email === ''
      ? { field: key.field, value: null, problem: 'This user has no email address, so no record can be matched or created.' }
      : { field: key.field, value: email.toLowerCase(), problem: null };
  }
  return { field: key.field, value: `${key.prefix ?? ''}${user.id}`, problem: null };
}
