/**
 * Schemas of the objects the emulator supports. Each standard object is served from a
 * recording of a real org when one exists (fixtures/recorded/<Name>.describe.json: Account,
 * Contact, Lead), else from its reference list (fixtures/reference/<Name>.json, built from
 * Salesforce's Field and Object References; see reference.ts). Custom objects come from a small
 * declarative definition (CustomObjectSpec) on the same recorded templates.
 */
import type { CustomObjectSpec } from '../seam';
import { buildField, customFieldSpec } from './field-template';
import { hasRecording, recordedContactField, recordedContactShared, recordedDescribe, recordedGlobalShared } from './recorded';
import { referenceFieldJson, referenceObject, type ReferenceChild } from './reference';
import { SObjectSchema } from './sobject-schema';

type Json = Record<string, unknown>;

/** The standard objects ForceSites touches, in the order `sobjects/` lists the extra ones. */
export const STANDARD_OBJECTS = ['Account', 'Contact', 'Lead', 'User', 'Topic', 'TopicAssignment', 'Order', 'OrderItem', 'Product2', 'Pricebook2', 'PricebookEntry', 'RecordType'] as const;

/** Topics are on by default for these (reference section 7); custom objects start with them off. */
const TOPICS_BY_DEFAULT = new Set(['Account', 'Contact', 'Lead', 'Order']);

interface ObjectSpec {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly custom?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly deletable?: boolean;
  readonly undeletable?: boolean;
  readonly feedEnabled?: boolean;
  readonly mergeable?: boolean;
  readonly searchable?: boolean;
  readonly topicsEnabled?: boolean;
  readonly childRelationships?: readonly Json[];
}

/** A childRelationships entry with the recorded key set. */
function child(c: ReferenceChild): Json {
  return {
    cascadeDelete: c.cascadeDelete, childSObject: c.childSObject, deprecatedAndHidden: false, field: c.field,
    junctionIdListNames: [], junctionReferenceTo: [], relationshipName: c.relationshipName, restrictedDelete: c.restrictedDelete,
  };
}

/** Replaces the Contact-specific parts of a recorded url map. */
function urlsFor(template: Json, name: string, keyPrefix: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    out[key] = String(value).replaceAll('/Contact', `/${name}`).replace('/003/', `/${keyPrefix}/`);
  }
  return out;
}

export function buildDescribeTop(spec: ObjectSpec): Json {
  const { fields: _fields, childRelationships: _children, ...rest } = recordedContactShared();
  const top = structuredClone(rest) as Json;
  top.name = spec.name;
  top.label = spec.label;
  top.labelPlural = spec.labelPlural;
  top.keyPrefix = spec.keyPrefix;
  top.custom = spec.custom === true;
  top.createable = spec.createable ?? true;
  top.updateable = spec.updateable ?? true;
  top.deletable = spec.deletable ?? true;
  top.undeletable = spec.undeletable ?? spec.deletable ?? true;
  top.mergeable = spec.mergeable ?? false;
  top.feedEnabled = spec.feedEnabled ?? false;
  top.searchable = spec.searchable ?? true;
  top.childRelationships = [...(spec.childRelationships ?? [])];
  top.urls = urlsFor(top.urls as Json, spec.name, spec.keyPrefix);
  top.recordTypeInfos = (top.recordTypeInfos as Json[]).map((info) => ({ ...info, urls: urlsFor(info.urls as Json, spec.name, spec.keyPrefix) }));
  top.supportedScopes = [{ label: `All ${spec.labelPlural.toLowerCase()}`, name: 'everything' }];
  if (spec.custom) {
    top.compactLayoutable = true;
    top.searchLayoutable = true;
    top.mruEnabled = true;
  }
  return top;
}

export function buildGlobalEntry(top: Json): Json {
  const entry = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === 'Contact') as Json);
  for (const key of Object.keys(entry)) {
    if (key !== 'urls' && key in top) entry[key] = structuredClone(top[key]);
  }
  const topUrls = (top.urls as Json | undefined) ?? {};
  entry.urls = Object.fromEntries(Object.keys(entry.urls as Json).filter((k) => k in topUrls).map((k) => [k, topUrls[k]]));
  return entry;
}

function makeSchema(spec: ObjectSpec, fields: Json[]): SObjectSchema {
  const top = buildDescribeTop(spec);
  // Objects the recorded global describe lists (User) keep its entry, key prefix filled in.
  const recordedEntry = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === spec.name));
  const globalEntry = recordedEntry ? { ...recordedEntry, keyPrefix: spec.keyPrefix } : buildGlobalEntry(top);
  return new SObjectSchema({
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: spec.keyPrefix,
    custom: spec.custom === true,
    describeTop: top,
    globalEntry,
    fields,
    topicsEnabled: spec.topicsEnabled ?? false,
  });
}

function fromRecorded(describe: Json, topicsEnabled: boolean): SObjectSchema {
  const fields = describe.fields as Json[];
  const top = { ...describe };
  delete top.fields;
  const name = String(describe.name);
  const keyPrefix = describe.keyPrefix as string;
  const recordedEntry = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === name));
  // The recorded global describe lists Lead with `keyPrefix: null`; its describe has 00Q.
  const global = recordedEntry ? { ...recordedEntry, keyPrefix: recordedEntry.keyPrefix ?? keyPrefix } : buildGlobalEntry(top);
  return new SObjectSchema({
    name,
    label: String(describe.label),
    labelPlural: String(describe.labelPlural),
    keyPrefix,
    custom: false,
    describeTop: top,
    globalEntry: global,
    fields,
    topicsEnabled,
  });
}

/** The describe top level and fields of a reference list, ready for makeSchema. */
export function fromReference(name: string): SObjectSchema {
  const ref = referenceObject(name);
  const o = ref.object;
  return makeSchema(
    {
      name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix,
      ...(o.createable !== undefined ? { createable: o.createable } : {}),
      ...(o.updateable !== undefined ? { updateable: o.updateable } : {}),
      ...(o.deletable !== undefined ? { deletable: o.deletable } : {}),
      ...(o.undeletable !== undefined ? { undeletable: o.undeletable } : {}),
      ...(o.feedEnabled !== undefined ? { feedEnabled: o.feedEnabled } : {}),
      ...(o.mergeable !== undefined ? { mergeable: o.mergeable } : {}),
      ...(o.searchable !== undefined ? { searchable: o.searchable } : {}),
      topicsEnabled: TOPICS_BY_DEFAULT.has(o.name),
      childRelationships: ref.childRelationships.map(child),
    },
    ref.fields.map(referenceFieldJson),
  );
}

/** One standard object: its recording when there is one, else its reference list. */
export function standardSchema(name: string): SObjectSchema {
  return hasRecording(name) ? fromRecorded(recordedDescribe(name), TOPICS_BY_DEFAULT.has(name)) : fromReference(name);
}

function fromContact(name: string, overrides: Json = {}): Json {
  return { ...recordedContactField(name), ...overrides };
}

/** A custom object `Name__c` with the standard system fields, a Name field and the given custom fields. */
export function customObject(spec: CustomObjectSpec, keyPrefix: string): SObjectSchema {
  const autoNumber = spec.nameField?.type === 'autonumber';
  const nameLabel = spec.nameField?.label ?? `${spec.label} Name`;
  const nameField = autoNumber
    ? buildField({ name: 'Name', label: nameLabel, type: 'string', length: 80, custom: false, nameField: true, autoNumber: true, createable: false, nillable: false, defaultedOnCreate: true, idLookup: true })
    : buildField({ name: 'Name', label: nameLabel, type: 'string', length: 80, custom: false, nameField: true, nillable: true, idLookup: true });
  const schema = makeSchema({ name: spec.name, label: spec.label, labelPlural: spec.labelPlural ?? `${spec.label}s`, keyPrefix, custom: true, topicsEnabled: spec.topicsEnabled === true }, [
    fromContact('Id', { label: 'Record ID' }),
    fromContact('OwnerId', { referenceTo: ['Group', 'User'], polymorphicForeignKey: true }),
    fromContact('IsDeleted'),
    nameField,
    ...['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'].map((n) => fromContact(n)),
    fromContact('LastViewedDate'),
    fromContact('LastReferencedDate'),
  ]);
  for (const field of spec.fields ?? []) {
    if (!field.name.endsWith('__c')) throw new Error(`custom field name must end with __c: ${field.name}`);
    schema.addField(buildField(customFieldSpec(field)));
  }
  return schema;
}

/** A schema's full describe (top level and fields), e.g. for a virtual sObject's `describe`. */
export function describeJson(schema: SObjectSchema): Json {
  return { ...structuredClone(schema.describeTop), fields: schema.fields.map((f) => structuredClone(f.json)) };
}

/** Every built-in schema, fresh (each org gets its own copies). */
export function standardSchemas(): SObjectSchema[] {
  return STANDARD_OBJECTS.map(standardSchema);
}
