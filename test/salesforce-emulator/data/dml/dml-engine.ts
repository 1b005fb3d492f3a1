/**
 * Insert, update, upsert and delete of one record, with Salesforce's validation order:
 * read-only fields, required fields, value checks, references, object rules, uniqueness.
 * Callers decide transaction scope (a REST call, a Collections item, a Bulk row).
 */
import { formatDateTime } from '../datetime';
import { ApiError, DmlFailure, dmlError, type DmlError } from '../errors';
import { normalizeId, type IdGenerator } from '../ids';
import type { SchemaRegistry } from '../schema/registry';
import { isIndexed, isRequiredOnCreate, type FieldDef, type SObjectSchema } from '../schema/sobject-schema';
import type { Rec, RecordStore, Table } from '../store/record-store';
import { Table as TableClass } from '../store/record-store';
import { coerceJson, jsonParserMessage } from './coerce';
import { canonicalPicklist, malformedReference, validateValue } from './validate';

export interface DmlContext {
  readonly userId: string;
  readonly now: number;
  /** seed() may set audit fields, like a user with "Set Audit Fields upon Record Creation". */
  readonly allowAuditFields?: boolean;
}

export interface RuleContext {
  readonly engine: DmlEngine;
  readonly store: RecordStore;
  readonly registry: SchemaRegistry;
  readonly dml: DmlContext;
}

/** Object-specific rules (topics, orders). They throw DmlFailure to reject a row. */
export interface RuleHooks {
  beforeInsert?(schema: SObjectSchema, rec: Record<string, unknown>, ctx: RuleContext): void;
  afterInsert?(schema: SObjectSchema, rec: Rec, ctx: RuleContext): void;
  beforeUpdate?(schema: SObjectSchema, old: Rec, rec: Record<string, unknown>, ctx: RuleContext): void;
  afterUpdate?(schema: SObjectSchema, old: Rec, rec: Rec, ctx: RuleContext): void;
  beforeDelete?(schema: SObjectSchema, rec: Rec, ctx: RuleContext): void;
  afterDelete?(schema: SObjectSchema, rec: Rec, ctx: RuleContext): void;
}

/** An upsert key that matched several records (REST answers 300). */
export class MultipleMatches extends Error {
  constructor(readonly field: FieldDef, readonly ids: readonly string[]) {
    super(`${field.name}: more than one record found for external id field: [${ids.join(', ')}]`);
  }
}

const AUDIT_FIELDS = new Set(['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById']);
const UNSET = (v: unknown): boolean => v === null || v === undefined || v === '';

export class DmlEngine {
  private readonly autoNumbers = new Map<string, number>();
  private readonly hooks: RuleHooks[] = [];

  constructor(
    readonly store: RecordStore,
    readonly registry: SchemaRegistry,
    private readonly ids: IdGenerator,
  ) {}

  addRules(hooks: RuleHooks): void {
    this.hooks.push(hooks);
  }

  resetCounters(): void {
    this.autoNumbers.clear();
  }

  tableOf(schema: SObjectSchema): Table {
    const table = this.store.table(schema.name);
    if (!table) throw new Error(`no table for ${schema.name}`);
    return table;
  }

  /**
   * A JSON record body as canonical field names and stored values. Unknown fields and JSON type
   * errors fail the whole request, as Salesforce's deserialiser does before any DML.
   */
  prepareJson(schema: SObjectSchema, body: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'attributes') continue;
      const field = schema.field(key);
      if (!field) throw new ApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`);
      const coerced = coerceJson(field, value);
      if (!coerced.ok) throw new ApiError(400, 'JSON_PARSER_ERROR', jsonParserMessage(field, value, coerced.jsonType));
      out[field.name] = coerced.value;
    }
    return out;
  }

  private ruleContext(dml: DmlContext): RuleContext {
    return { engine: this, store: this.store, registry: this.registry, dml };
  }

  /** Virtual objects and objects whose describe says no (TopicAssignment update) refuse the DML. */
  private refuseUnsupported(schema: SObjectSchema, operation: string): void {
    const allowed = operation === 'insert' ? schema.createable : operation === 'update' ? schema.updateable : schema.deletable;
    if (!allowed) throw dmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support ${operation}`);
  }

  insert(schema: SObjectSchema, values: Record<string, unknown>, dml: DmlContext): Rec {
    this.refuseUnsupported(schema, 'insert');
    if ('Id' in values && !UNSET(values.Id)) throw dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
    const readOnly = Object.keys(values).filter((name) => {
      if (name === 'Id') return false;
      const field = schema.field(name);
      return field !== undefined && !field.createable && !(dml.allowAuditFields && AUDIT_FIELDS.has(name));
    });
    if (readOnly.length > 0) throw readOnlyError(readOnly);

    const rec: Record<string, unknown> = {};
    for (const field of schema.fields) {
      if (field.type === 'boolean' && (field.defaultedOnCreate || !field.nillable)) rec[field.name] = field.defaultValue === true;
      else if (field.defaultPicklistValue !== undefined) rec[field.name] = field.defaultPicklistValue;
    }
    for (const [name, value] of Object.entries(values)) {
      if (name === 'Id' || value === undefined) continue;
      // A checkbox is never null: Salesforce stores null as false.
      rec[name] = value === null && schema.field(name)?.type === 'boolean' ? false : value;
    }

    const missing = schema.fields.filter((f) => isRequiredOnCreate(f) && UNSET(rec[f.name])).map((f) => f.name);
    if (missing.length > 0) throw requiredError(missing);
    this.checkValues(schema, rec, Object.keys(rec));

    const table = this.tableOf(schema);
    const id = this.ids.next(schema.keyPrefix ?? '000');
    rec.Id = id;
    this.stampInsert(schema, rec, dml);
    for (const hook of this.hooks) hook.beforeInsert?.(schema, rec, this.ruleContext(dml));
    this.checkUnique(schema, table, rec, id, Object.keys(rec));
    const frozen = rec as Rec;
    this.store.put(table, frozen);
    for (const hook of this.hooks) hook.afterInsert?.(schema, frozen, this.ruleContext(dml));
    return frozen;
  }

  /** The live record of an id for DML, or the Salesforce error for a bad/deleted/foreign id. */
  liveRecord(schema: SObjectSchema | undefined, rawId: unknown): { table: Table; rec: Rec } {
    const id = normalizeId(rawId);
    if (!id) throw dmlError('MALFORMED_ID', `malformed id ${String(rawId)}`, []);
    const table = this.store.tableForId(id);
    if (schema && (!table || table.schema !== schema)) {
      throw dmlError('MALFORMED_ID', `${schema.label} ID: id value of incorrect type: ${id}`, ['Id']);
    }
    const rec = table?.live.get(id);
    if (!table || !rec) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
    return { table, rec };
  }

  update(schema: SObjectSchema, rawId: unknown, values: Record<string, unknown>, dml: DmlContext): Rec {
    this.refuseUnsupported(schema, 'update');
    const { table, rec: old } = this.liveRecord(schema, rawId);
    const changes = Object.keys(values).filter((name) => name !== 'Id' && values[name] !== undefined);
    const readOnly = changes.filter((name) => !schema.field(name)?.updateable);
    if (readOnly.length > 0) throw readOnlyError(readOnly);
    const missing = changes.filter((name) => {
      const field = schema.field(name);
      return field !== undefined && !field.nillable && field.type !== 'boolean' && UNSET(values[name]);
    });
    if (missing.length > 0) throw requiredError(missing);

    const rec: Record<string, unknown> = { ...old };
    for (const name of changes) {
      const value = values[name];
      if (schema.field(name)?.type === 'boolean') rec[name] = value === true;
      else if (value === null || value === '') delete rec[name];
      else rec[name] = value;
    }
    this.checkValues(schema, rec, changes);
    this.stampUpdate(schema, rec, dml);
    for (const hook of this.hooks) hook.beforeUpdate?.(schema, old, rec, this.ruleContext(dml));
    this.checkUnique(schema, table, rec, old.Id as string, changes);
    const frozen = rec as Rec;
    this.store.put(table, frozen);
    for (const hook of this.hooks) hook.afterUpdate?.(schema, old, frozen, this.ruleContext(dml));
    return frozen;
  }

  /** Upsert on an external id (or Id). Throws MultipleMatches when the key is ambiguous. */
  upsert(schema: SObjectSchema, field: FieldDef, keyValue: unknown, values: Record<string, unknown>, dml: DmlContext): { rec: Rec; created: boolean } {
    const table = this.tableOf(schema);
    if (field.name === 'Id') {
      if (UNSET(keyValue)) return { rec: this.insert(schema, omit(values, 'Id'), dml), created: true };
      return { rec: this.update(schema, keyValue, omit(values, 'Id'), dml), created: false };
    }
    if (UNSET(keyValue)) throw dmlError('MISSING_ARGUMENT', `${field.name} not specified`, []);
    const matches = table.lookup(field, keyValue);
    if (matches.length > 1) throw new MultipleMatches(field, matches);
    if (matches.length === 1) return { rec: this.update(schema, matches[0], values, dml), created: false };
    return { rec: this.insert(schema, { ...values, [field.name]: keyValue }, dml), created: true };
  }

  delete(rawId: unknown, dml: DmlContext, expected?: SObjectSchema): Rec {
    const id = normalizeId(rawId);
    if (!id) throw dmlError('MALFORMED_ID', `malformed id ${String(rawId)}`, []);
    const table = this.store.tableForId(id);
    if (expected && table?.schema !== expected) throw dmlError('MALFORMED_ID', `${expected.label} ID: id value of incorrect type: ${id}`, ['Id']);
    const rec = table?.live.get(id);
    if (!table || !rec) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
    this.refuseUnsupported(table.schema, 'delete');
    const ctx = this.ruleContext(dml);
    for (const hook of this.hooks) hook.beforeDelete?.(table.schema, rec, ctx);
    this.applyChildRelationships(table.schema, rec, dml);
    const stamp = formatDateTime(dml.now);
    const deletedRec: Rec = { ...rec, IsDeleted: true, ...(table.schema.hasField('SystemModstamp') ? { SystemModstamp: stamp } : {}) };
    this.store.softDelete(table, id, deletedRec);
    for (const hook of this.hooks) hook.afterDelete?.(table.schema, rec, ctx);
    return rec;
  }

  /**
   * What deleting a parent does to its children, read from the describe's childRelationships:
   * restrictedDelete blocks the delete, cascadeDelete deletes the children, a plain lookup is
   * cleared. Only children of objects the emulator stores are considered.
   */
  private applyChildRelationships(schema: SObjectSchema, rec: Rec, dml: DmlContext): void {
    const relationships = (schema.describeTop.childRelationships as Record<string, unknown>[] | undefined) ?? [];
    for (const rel of relationships) {
      const childSchema = this.registry.get(String(rel.childSObject));
      const field = childSchema?.field(String(rel.field));
      if (!childSchema || childSchema.virtual || !field) continue;
      const children = this.store.table(childSchema.name);
      if (!children || children.live.size === 0) continue;
      children.ensureIndex(field.name);
      const ids = children.lookup(field, rec.Id);
      if (ids.length === 0) continue;
      if (rel.restrictedDelete === true) {
        const names = ids.slice(0, 5).map((id) => String(children.live.get(id)?.Name ?? children.live.get(id)?.OrderNumber ?? id));
        // UNCONFIRMED wording (see data/README.md).
        throw dmlError(
          'DELETE_FAILED',
          `Your attempt to delete ${String(rec.Name ?? rec.Id)} could not be completed because it is associated with the following ${childSchema.labelPlural.toLowerCase()}.: ${names.join(', ')}`,
          [],
        );
      }
      for (const id of ids) {
        const childRec = children.live.get(id);
        if (!childRec) continue;
        if (rel.cascadeDelete === true) this.delete(id, dml);
        else {
          const cleared = { ...childRec };
          delete cleared[field.name];
          this.store.put(children, cleared);
        }
      }
    }
  }

  /** Length, email, picklist and reference checks of the named fields. */
  private checkValues(schema: SObjectSchema, rec: Record<string, unknown>, names: readonly string[]): void {
    for (const name of names) {
      const field = schema.field(name);
      if (!field || name === 'Id') continue;
      const value = rec[name];
      if (value === null || value === undefined) continue;
      if (field.type === 'reference') {
        const error = malformedReference(field, value) ?? this.referenceError(field, value);
        if (error) throw new DmlFailure([error]);
        rec[name] = normalizeId(value);
        continue;
      }
      const error = validateValue(field, value);
      if (error) throw new DmlFailure([error]);
      if (field.restrictedPicklist) rec[name] = canonicalPicklist(field, value);
    }
  }

  /** A reference to the wrong object, a deleted record, or nothing at all. */
  private referenceError(field: FieldDef, value: unknown): DmlError | undefined {
    const id = normalizeId(value) as string;
    // Polymorphic references (TopicAssignment.EntityId) are checked by their object's rules.
    if (field.referenceTo.length > 1) return undefined;
    const targets = field.referenceTo.map((name) => this.registry.get(name));
    if (targets.some((t) => t === undefined || t.virtual || t.name === 'User')) return undefined;
    const table = this.store.tableForId(id);
    if (!table || !targets.includes(table.schema)) {
      return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `${field.label}: id value of incorrect type: ${id}`, fields: [field.name] };
    }
    if (table.live.has(id)) return undefined;
    if (table.deleted.has(id)) return { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [field.name] };
    return { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [field.name] };
  }

  private checkUnique(schema: SObjectSchema, table: Table, rec: Record<string, unknown>, id: string, names: readonly string[]): void {
    for (const name of names) {
      const field = schema.field(name);
      if (!field || !field.unique || !isIndexed(field)) continue;
      if (TableClass.indexKey(field, rec[name]) === undefined) continue;
      const other = table.lookup(field, rec[name]).find((o) => o !== id);
      if (other) throw dmlError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${other}`, []);
    }
  }

  private stampInsert(schema: SObjectSchema, rec: Record<string, unknown>, dml: DmlContext): void {
    const stamp = formatDateTime(dml.now);
    const set = (name: string, value: unknown, keepGiven = false): void => {
      if (!schema.hasField(name)) return;
      if (keepGiven && !UNSET(rec[name])) return;
      rec[name] = value;
    };
    set('IsDeleted', false);
    set('CreatedDate', stamp, dml.allowAuditFields);
    set('CreatedById', dml.userId, dml.allowAuditFields);
    set('LastModifiedDate', stamp, dml.allowAuditFields);
    set('LastModifiedById', dml.userId, dml.allowAuditFields);
    set('SystemModstamp', stamp);
    set('OwnerId', dml.userId, true);
    for (const field of schema.fields) {
      if (field.autoNumber) rec[field.name] = this.nextAutoNumber(schema, field);
    }
    computeName(schema, rec);
  }

  private stampUpdate(schema: SObjectSchema, rec: Record<string, unknown>, dml: DmlContext): void {
    const stamp = formatDateTime(dml.now);
    if (schema.hasField('LastModifiedDate')) rec.LastModifiedDate = stamp;
    if (schema.hasField('LastModifiedById')) rec.LastModifiedById = dml.userId;
    if (schema.hasField('SystemModstamp')) rec.SystemModstamp = stamp;
    computeName(schema, rec);
  }

  private nextAutoNumber(schema: SObjectSchema, field: FieldDef): string {
    const key = `${schema.name}.${field.name}`;
    // Orders number from 00000100 like a new org; other auto numbers from 1.
    const next = (this.autoNumbers.get(key) ?? (field.name === 'OrderNumber' ? 99 : 0)) + 1;
    this.autoNumbers.set(key, next);
    return String(next).padStart(field.length >= 10 && field.length < 30 ? field.length : 8, '0');
  }
}

/** Contact/Lead/User `Name` is FirstName + LastName (Salutation is not part of it). */
function computeName(schema: SObjectSchema, rec: Record<string, unknown>): void {
  const name = schema.field('Name');
  if (!name || name.createable || name.json.extraTypeInfo !== 'personname' || !schema.hasField('LastName')) return;
  rec.Name = [rec.FirstName, rec.LastName].filter((p) => !UNSET(p)).join(' ');
}

function omit(values: Record<string, unknown>, key: string): Record<string, unknown> {
  const out = { ...values };
  delete out[key];
  return out;
}

export function readOnlyError(fields: readonly string[]): DmlFailure {
  return dmlError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );
}

export function requiredError(fields: readonly string[]): DmlFailure {
  return dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);
}
