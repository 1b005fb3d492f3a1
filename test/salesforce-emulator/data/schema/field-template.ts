/**
 * Builds describe field entries for objects that have no recording (Lead, Topic, Order, …) and
 * for custom fields, by starting from a recorded Contact field and overriding what differs.
 * Every built field therefore has exactly the recorded key set, in the recorded order.
 */
import { recordedContactField } from './recorded';
import type { FieldType } from './sobject-schema';

type Json = Record<string, unknown>;

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly length?: number;
  /** Defaults to true. */
  readonly createable?: boolean;
  /** Defaults to `createable`. */
  readonly updateable?: boolean;
  /** Required on create (not nillable, not defaulted). */
  readonly required?: boolean;
  readonly nillable?: boolean;
  readonly defaultedOnCreate?: boolean;
  readonly custom?: boolean;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly idLookup?: boolean;
  readonly caseSensitive?: boolean;
  readonly picklistValues?: readonly string[];
  readonly defaultPicklistValue?: string;
  readonly restrictedPicklist?: boolean;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string | null;
  readonly nameField?: boolean;
  readonly autoNumber?: boolean;
  readonly calculated?: boolean;
  readonly compoundFieldName?: string | null;
  readonly extraTypeInfo?: string | null;
  readonly defaultValue?: unknown;
  readonly cascadeDelete?: boolean;
  /** Number fields: total digits and digits after the point (defaults 18 and 0, currency 2). */
  readonly precision?: number;
  readonly scale?: number;
}

export const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', double: 'xsd:double', currency: 'xsd:double', percent: 'xsd:double',
  int: 'xsd:int', long: 'xsd:long', date: 'xsd:date', datetime: 'xsd:dateTime', time: 'xsd:time', address: 'urn:address',
  location: 'urn:location', base64: 'xsd:base64Binary', anyType: 'xsd:anyType',
};

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);

function defaultLength(type: FieldType): number {
  switch (type) {
    case 'id': case 'reference': return 18;
    case 'email': return 80;
    case 'phone': return 40;
    case 'picklist': return 255;
    case 'multipicklist': return 4099;
    case 'textarea': return 255;
    case 'url': return 255;
    case 'string': return 255;
    default: return 0;
  }
}

/** A describe field entry shaped exactly like a recorded one. */
export function buildField(spec: FieldSpec): Json {
  // The Contact `Title` field (string, createable, nillable, standard) is the neutral base.
  const f = recordedContactField('Title');
  const createable = spec.createable ?? true;
  const updateable = spec.updateable ?? createable;
  const length = spec.length ?? defaultLength(spec.type);
  const isText = TEXT_TYPES.has(spec.type);
  const required = spec.required === true;
  const defaulted = spec.defaultedOnCreate ?? (spec.type === 'boolean' || spec.defaultPicklistValue !== undefined || spec.autoNumber === true);
  const picklist = spec.picklistValues ?? [];
  f.name = spec.name;
  f.label = spec.label;
  f.type = spec.type;
  f.length = isText || spec.type === 'id' || spec.type === 'reference' ? length : 0;
  f.byteLength = isText ? length * 3 : spec.type === 'id' || spec.type === 'reference' ? 18 : 0;
  f.soapType = SOAP_TYPES[spec.type] ?? 'xsd:string';
  f.createable = createable;
  f.updateable = updateable;
  f.nillable = spec.nillable ?? (!required && spec.type !== 'boolean' && spec.type !== 'id');
  f.defaultedOnCreate = required ? false : defaulted;
  f.custom = spec.custom ?? spec.name.endsWith('__c');
  f.externalId = spec.externalId === true;
  f.unique = spec.unique === true;
  f.idLookup = spec.idLookup ?? (spec.type === 'id' || spec.externalId === true);
  f.caseSensitive = spec.caseSensitive === true;
  f.picklistValues = picklist.map((value) => ({ active: true, defaultValue: value === spec.defaultPicklistValue, label: value, validFor: null, value }));
  f.restrictedPicklist = spec.restrictedPicklist === true;
  f.referenceTo = [...(spec.referenceTo ?? [])];
  f.relationshipName = spec.type === 'reference' ? spec.relationshipName ?? relationshipNameFor(spec.name) : null;
  f.polymorphicForeignKey = (spec.referenceTo?.length ?? 0) > 1;
  f.cascadeDelete = spec.cascadeDelete === true;
  f.nameField = spec.nameField === true;
  f.autoNumber = spec.autoNumber === true;
  f.calculated = spec.calculated === true;
  f.compoundFieldName = spec.compoundFieldName ?? null;
  f.extraTypeInfo = spec.extraTypeInfo ?? (spec.type === 'textarea' ? 'plaintextarea' : null);
  f.defaultValue = spec.defaultValue ?? (spec.type === 'boolean' ? false : null);
  f.permissionable = f.custom === true && !required;
  f.digits = spec.type === 'int' ? 9 : 0;
  const numeric = spec.type === 'double' || spec.type === 'currency' || spec.type === 'percent';
  f.precision = numeric ? spec.precision ?? 18 : 0;
  f.scale = numeric ? spec.scale ?? (spec.type === 'currency' ? 2 : 0) : 0;
  f.sortable = spec.type !== 'textarea' && spec.type !== 'multipicklist' && spec.type !== 'address';
  f.groupable = f.sortable === true && spec.type !== 'double' && spec.type !== 'currency' && spec.type !== 'percent' && spec.type !== 'datetime';
  f.filterable = spec.type !== 'address' && !(spec.type === 'textarea' && length > 255);
  f.aggregatable = spec.type !== 'boolean' && spec.type !== 'textarea' && spec.type !== 'multipicklist' && spec.type !== 'address';
  f.searchPrefilterable = spec.type === 'reference';
  return f;
}

function relationshipNameFor(fieldName: string): string {
  if (fieldName.endsWith('__c')) return `${fieldName.slice(0, -3)}__r`;
  return fieldName.endsWith('Id') ? fieldName.slice(0, -2) : fieldName;
}

/** Converts the seam's CustomFieldSpec vocabulary to a FieldSpec. */
export function customFieldSpec(spec: {
  name: string; label: string; type: FieldSpec['type']; length?: number; externalId?: boolean; unique?: boolean; required?: boolean;
  picklistValues?: readonly string[]; restrictedPicklist?: boolean; referenceTo?: readonly string[]; precision?: number; scale?: number;
}): FieldSpec {
  return {
    name: spec.name,
    label: spec.label,
    type: spec.type,
    ...(spec.length !== undefined ? { length: spec.length } : {}),
    externalId: spec.externalId === true,
    unique: spec.unique === true,
    required: spec.required === true,
    custom: true,
    picklistValues: spec.picklistValues ?? [],
    restrictedPicklist: spec.restrictedPicklist === true,
    referenceTo: spec.referenceTo ?? [],
    idLookup: spec.externalId === true || spec.unique === true,
    ...(spec.precision !== undefined ? { precision: spec.precision } : {}),
    ...(spec.scale !== undefined ? { scale: spec.scale } : {}),
  };
}
