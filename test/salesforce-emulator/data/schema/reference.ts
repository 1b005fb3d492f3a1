/**
 * Objects built from Salesforce's documentation, for which no public recording was found
 * (fixtures/reference/<Name>.json): every field with the type, length, precision and scale of
 * the Field Reference and the properties ("Create, Filter, Group, Nillable, Sort, Update") of
 * the Object Reference. A field marked `recorded` is the recorded Contact field of that name
 * (system fields are documented once for every object, and the recording is the real thing).
 *
 * The JSON is the declarative form: a recording dropped into fixtures/recorded/ replaces it
 * (see standard-objects.ts), and the describe test compares what is served with this list.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recordedContactField } from './recorded';
import type { FieldType } from './sobject-schema';

type Json = Record<string, unknown>;

export interface ReferencePicklistValue {
  readonly value: string;
  readonly label?: string;
  readonly default?: boolean;
  readonly active?: boolean;
}

export interface ReferenceField {
  readonly name: string;
  /** `Contact`: copy the recorded Contact field of this name (label/referenceTo/properties may override). */
  readonly recorded?: 'Contact';
  readonly label?: string;
  readonly type?: FieldType;
  /** As the Object Reference prints them, e.g. "Create, Defaulted on create, Filter, Group, Sort, Update". */
  readonly properties?: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly digits?: number;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string | null;
  readonly picklistValues?: readonly ReferencePicklistValue[];
  readonly compoundFieldName?: string;
  readonly nameField?: boolean;
  readonly cascadeDelete?: boolean;
}

export interface ReferenceChild {
  readonly childSObject: string;
  readonly field: string;
  readonly relationshipName: string | null;
  readonly cascadeDelete: boolean;
  readonly restrictedDelete: boolean;
}

export interface ReferenceObject {
  readonly source: Json;
  readonly object: {
    readonly name: string;
    readonly label: string;
    readonly labelPlural: string;
    readonly keyPrefix: string;
    readonly createable?: boolean;
    readonly updateable?: boolean;
    readonly deletable?: boolean;
    readonly undeletable?: boolean;
    readonly feedEnabled?: boolean;
    readonly mergeable?: boolean;
    readonly searchable?: boolean;
    readonly topicsEnabled?: boolean;
  };
  readonly omitted: readonly { name: string; reason: string }[];
  readonly childRelationships: readonly ReferenceChild[];
  readonly fields: readonly ReferenceField[];
}

const cache = new Map<string, ReferenceObject>();

function path(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/reference/${name}.json`, import.meta.url));
}

/** The reference list of one object (shared, read-only). */
export function referenceObject(name: string): ReferenceObject {
  let ref = cache.get(name);
  if (!ref) {
    ref = JSON.parse(readFileSync(path(name), 'utf8')) as ReferenceObject;
    cache.set(name, ref);
  }
  return ref;
}

/** The documented property words, lower-cased: `create`, `defaulted on create`, `idlookup`, … */
export function parseProperties(properties: string): ReadonlySet<string> {
  return new Set(properties.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
}

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', double: 'xsd:double', currency: 'xsd:double', percent: 'xsd:double',
  int: 'xsd:int', long: 'xsd:long', date: 'xsd:date', datetime: 'xsd:dateTime', time: 'xsd:time', address: 'urn:address',
  location: 'urn:location', base64: 'xsd:base64Binary', anyType: 'xsd:anyType',
};
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);

/** Applies documented properties to a describe field entry. */
function applyProperties(f: Json, properties: string): void {
  const p = parseProperties(properties);
  f.createable = p.has('create');
  f.updateable = p.has('update');
  f.nillable = p.has('nillable');
  f.defaultedOnCreate = p.has('defaulted on create');
  f.filterable = p.has('filter');
  f.groupable = p.has('group');
  f.sortable = p.has('sort');
  f.restrictedPicklist = p.has('restricted picklist');
  f.idLookup = p.has('idlookup');
  f.autoNumber = p.has('autonumber');
  f.externalId = p.has('external id');
  f.unique = p.has('unique');
}

/** A describe field entry with the recorded key set, from one reference field. */
export function referenceFieldJson(spec: ReferenceField): Json {
  if (spec.recorded) {
    const f = recordedContactField(spec.name);
    if (spec.label !== undefined) f.label = spec.label;
    if (spec.referenceTo !== undefined) {
      f.referenceTo = [...spec.referenceTo];
      f.polymorphicForeignKey = spec.referenceTo.length > 1;
    }
    if (spec.properties !== undefined) applyProperties(f, spec.properties);
    return f;
  }
  if (!spec.type || spec.properties === undefined || spec.label === undefined) {
    throw new Error(`reference field ${spec.name} needs label, type and properties (or recorded)`);
  }
  // The recorded Contact `Title` field is the neutral base: every key a real describe has.
  const f = recordedContactField('Title');
  const type = spec.type;
  const isText = TEXT_TYPES.has(type);
  const length = type === 'id' || type === 'reference' ? 18 : isText ? spec.length ?? 255 : 0;
  f.name = spec.name;
  f.label = spec.label;
  f.type = type;
  f.length = length;
  f.byteLength = isText ? length * 3 : type === 'id' || type === 'reference' ? 18 : 0;
  f.soapType = SOAP_TYPES[type] ?? 'xsd:string';
  f.custom = false;
  f.digits = spec.digits ?? 0;
  f.precision = spec.precision ?? (type === 'currency' ? 18 : 0);
  f.scale = spec.scale ?? (type === 'currency' ? 2 : 0);
  applyProperties(f, spec.properties);
  f.caseSensitive = false;
  f.picklistValues = (spec.picklistValues ?? []).map((v) => ({ active: v.active ?? true, defaultValue: v.default === true, label: v.label ?? v.value, validFor: null, value: v.value }));
  f.referenceTo = [...(spec.referenceTo ?? [])];
  f.relationshipName = type === 'reference' ? spec.relationshipName ?? null : null;
  f.polymorphicForeignKey = (spec.referenceTo?.length ?? 0) > 1;
  f.cascadeDelete = spec.cascadeDelete === true;
  f.nameField = spec.nameField === true;
  f.calculated = false;
  f.compoundFieldName = spec.compoundFieldName ?? null;
  f.extraTypeInfo = type === 'textarea' ? 'plaintextarea' : null;
  f.defaultValue = type === 'boolean' ? false : null;
  // Not documented per field: what a real describe shows for standard fields of these kinds.
  f.permissionable = f.nillable === true && (f.createable === true || f.updateable === true);
  f.aggregatable = type !== 'boolean' && type !== 'textarea' && type !== 'multipicklist' && type !== 'address' && type !== 'location';
  f.searchPrefilterable = type === 'reference';
  f.htmlFormatted = false;
  return f;
}
