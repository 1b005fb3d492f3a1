/** Per-value checks Salesforce runs on every DML row, with its error wording. */
import type { DmlError } from '../errors';
import { normalizeId } from '../ids';
import type { FieldDef } from '../schema/sobject-schema';

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);

// Close to what Salesforce accepts: a local part of the usual characters, a dotted domain.
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isValidEmail(value: string): boolean {
  return EMAIL_RE.test(value) && !value.includes('..');
}

/** Checks a non-null value of a field; references are checked separately (they need the store). */
export function validateValue(field: FieldDef, value: unknown): DmlError | undefined {
  if (value === null || value === undefined) return undefined;
  if (TEXT.has(field.type)) {
    const text = String(value);
    if (field.length > 0 && text.length > field.length) {
      return { statusCode: 'STRING_TOO_LONG', message: `${field.label}: data value too large: ${text} (max length=${field.length})`, fields: [field.name] };
    }
    if (field.type === 'email' && text !== '' && !isValidEmail(text)) {
      return { statusCode: 'INVALID_EMAIL_ADDRESS', message: `${field.label}: invalid email address: ${text}`, fields: [field.name] };
    }
    if (field.restrictedPicklist && text !== '') {
      const parts = field.type === 'multipicklist' ? text.split(';') : [text];
      const bad = parts.find((p) => !field.picklistSet.has(p.toLowerCase()));
      if (bad !== undefined) {
        return { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: `${field.label}: bad value for restricted picklist field: ${bad}`, fields: [field.name] };
      }
    }
  }
  return undefined;
}

/** Restricted picklists store the defined spelling of a value, whatever case was sent. */
export function canonicalPicklist(field: FieldDef, value: unknown): unknown {
  if (typeof value !== 'string' || !field.restrictedPicklist) return value;
  const canon = (part: string): string => field.picklistValues.find((p) => p.value.toLowerCase() === part.toLowerCase())?.value ?? part;
  return field.type === 'multipicklist' ? value.split(';').map(canon).join(';') : canon(value);
}

export function malformedReference(field: FieldDef, value: unknown): DmlError | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (normalizeId(value) === undefined) {
    return { statusCode: 'MALFORMED_ID', message: `${field.label}: id value of incorrect type: ${String(value)}`, fields: [field.name] };
  }
  return undefined;
}
