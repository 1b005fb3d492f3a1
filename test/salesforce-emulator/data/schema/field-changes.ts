/**
 * An admin's field edits in Setup, applied to a describe field entry: a new length, type,
 * label, precision, required flag or picklist values (deactivating a value keeps it in the
 * describe with `active: false`, as Salesforce does). Used by `changeField` so tests can make
 * a describe differ between two refreshes.
 */
import type { FieldChangeSpec } from '../seam';
import { SOAP_TYPES } from './field-template';

type Json = Record<string, unknown>;

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent']);

export function changedField(current: Json, change: FieldChangeSpec): Json {
  const f: Json = structuredClone(current);
  if (change.label !== undefined) f.label = change.label;
  if (change.type !== undefined && change.type !== f.type) {
    f.type = change.type;
    f.soapType = SOAP_TYPES[change.type] ?? 'xsd:string';
    if (!TEXT_TYPES.has(change.type)) {
      f.length = 0;
      f.byteLength = 0;
    }
    f.precision = NUMBER_TYPES.has(change.type) ? 18 : 0;
    f.scale = change.type === 'currency' ? 2 : 0;
    f.digits = change.type === 'int' ? 9 : 0;
    if (change.type !== 'picklist' && change.type !== 'multipicklist') {
      f.picklistValues = [];
      f.restrictedPicklist = false;
    }
    f.extraTypeInfo = change.type === 'textarea' ? 'plaintextarea' : null;
  }
  if (change.length !== undefined) {
    f.length = change.length;
    f.byteLength = change.length * 3;
  }
  if (change.precision !== undefined) f.precision = change.precision;
  if (change.scale !== undefined) f.scale = change.scale;
  if (change.required !== undefined) {
    f.nillable = !change.required;
    if (change.required) f.defaultedOnCreate = false;
  }
  if (change.restrictedPicklist !== undefined) f.restrictedPicklist = change.restrictedPicklist;
  if (change.picklistValues !== undefined) {
    f.picklistValues = change.picklistValues.map((entry) => {
      const value = typeof entry === 'string' ? { value: entry } : entry;
      return { active: value.active !== false, defaultValue: value.defaultValue === true, label: value.label ?? value.value, validFor: null, value: value.value };
    });
  }
  return f;
}
