/**
 * Record types: an object gains them through `addRecordType` (an admin's Setup step, not a
 * data API call). Its describe then lists them in `recordTypeInfos` and has a `RecordTypeId`
 * field; a record created without one gets the default record type, and a record type of
 * another object, or an inactive one, is refused.
 */
import { dmlError } from '../errors';
import type { RuleContext, RuleHooks } from '../dml/dml-engine';
import { referenceFieldJson } from '../schema/reference';
import type { SObjectSchema } from '../schema/sobject-schema';
import type { RecordTypeSpec } from '../seam';
import type { Rec } from '../store/record-store';

type Json = Record<string, unknown>;

/** The `RecordTypeId` field an object gets with its first record type (Object Reference wording for Order). */
export const RECORD_TYPE_ID_FIELD = referenceFieldJson({
  name: 'RecordTypeId', label: 'Record Type ID', type: 'reference', properties: 'Create, Filter, Group, Nillable, Sort, Update',
  referenceTo: ['RecordType'], relationshipName: 'RecordType',
});

function recordTypeInfos(schema: SObjectSchema): Json[] {
  return (schema.describeTop.recordTypeInfos as Json[] | undefined) ?? [];
}

/** The record type id new records of this object get when they name none (undefined = Master). */
function defaultRecordTypeId(schema: SObjectSchema): string | undefined {
  const info = recordTypeInfos(schema).find((i) => i.defaultRecordTypeMapping === true && i.master !== true);
  return info ? String(info.recordTypeId) : undefined;
}

/** Adds the record type to the object's describe; the caller stores the RecordType row. */
export function describeRecordType(schema: SObjectSchema, id: string, spec: RecordTypeSpec, developerName: string): void {
  const infos = recordTypeInfos(schema).map((i) => (spec.default === true ? { ...i, defaultRecordTypeMapping: false } : i));
  const layout = String(((infos[0]?.urls as Json | undefined)?.layout as string | undefined) ?? `/services/data/vxx.0/sobjects/${schema.name}/describe/layouts/012000000000000AAA`);
  infos.push({
    active: spec.active !== false,
    available: spec.available !== false,
    defaultRecordTypeMapping: spec.default === true,
    developerName,
    master: false,
    name: spec.name,
    recordTypeId: id,
    urls: { layout: layout.replace(/012000000000000AAA$/, id) },
  });
  schema.describeTop.recordTypeInfos = infos;
  if (!schema.hasField('RecordTypeId')) schema.addField(structuredClone(RECORD_TYPE_ID_FIELD));
  else schema.revision += 1;
}

function check(schema: SObjectSchema, rec: Record<string, unknown>, ctx: RuleContext): void {
  const value = rec.RecordTypeId;
  if (value === undefined || value === null) return;
  const table = ctx.store.table('RecordType');
  const recordType: Rec | undefined = table?.live.get(String(value));
  // A record type the user's profile does not make available is refused like an unknown one.
  const unavailable = recordTypeInfos(schema).some((i) => i.recordTypeId === String(value) && i.available === false);
  if (!recordType || recordType.SobjectType !== schema.name || recordType.IsActive !== true || unavailable) {
    // UNCONFIRMED wording (see data/README.md).
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', `Record Type ID: this ID value isn't valid for the user: ${String(value)}`, ['RecordTypeId']);
  }
}

export function recordTypeRules(): RuleHooks {
  return {
    beforeInsert(schema, rec, ctx) {
      if (!schema.hasField('RecordTypeId') || schema.name === 'RecordType') return;
      if (rec.RecordTypeId === undefined || rec.RecordTypeId === null) {
        const id = defaultRecordTypeId(schema);
        if (id) rec.RecordTypeId = id;
        return;
      }
      check(schema, rec, ctx);
    },
    beforeUpdate(schema, old, rec, ctx) {
      if (schema.hasField('RecordTypeId') && rec.RecordTypeId !== old.RecordTypeId) check(schema, rec, ctx);
    },
  };
}
