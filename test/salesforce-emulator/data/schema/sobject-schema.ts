/**
 * One sObject's schema. The describe JSON is the source of truth: a field definition is read
 * from a describe field entry (recorded or built from a recorded template), so the rules the
 * emulator enforces are exactly the ones its describe advertises.
 */
import type { VirtualSObject } from '../seam';

export type FieldType =
  | 'id' | 'boolean' | 'string' | 'textarea' | 'email' | 'phone' | 'url' | 'picklist' | 'multipicklist' | 'combobox'
  | 'reference' | 'double' | 'currency' | 'percent' | 'int' | 'long' | 'date' | 'datetime' | 'time' | 'address'
  | 'location' | 'encryptedstring' | 'base64' | 'anyType';

export interface PicklistValue {
  readonly value: string;
  readonly label: string;
  readonly active: boolean;
  readonly defaultValue: boolean;
}

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly length: number;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly nillable: boolean;
  readonly defaultedOnCreate: boolean;
  readonly custom: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly idLookup: boolean;
  readonly caseSensitive: boolean;
  readonly restrictedPicklist: boolean;
  readonly autoNumber: boolean;
  readonly picklistValues: readonly PicklistValue[];
  /** Lower-cased active picklist values, for restricted-picklist checks. */
  readonly picklistSet: ReadonlySet<string>;
  readonly defaultPicklistValue: string | undefined;
  readonly defaultValue: unknown;
  readonly referenceTo: readonly string[];
  readonly relationshipName: string | null;
  readonly compoundFieldName: string | null;
  readonly json: Record<string, unknown>;
}

export function fieldFromJson(json: Record<string, unknown>): FieldDef {
  const picklistValues = ((json.picklistValues as PicklistValue[] | undefined) ?? []).map((p) => ({
    value: p.value,
    label: p.label,
    active: p.active,
    defaultValue: p.defaultValue,
  }));
  return {
    name: String(json.name),
    label: String(json.label ?? json.name),
    type: String(json.type) as FieldType,
    length: Number(json.length ?? 0),
    createable: json.createable === true,
    updateable: json.updateable === true,
    nillable: json.nillable !== false,
    defaultedOnCreate: json.defaultedOnCreate === true,
    custom: json.custom === true,
    externalId: json.externalId === true,
    unique: json.unique === true,
    idLookup: json.idLookup === true,
    caseSensitive: json.caseSensitive === true,
    restrictedPicklist: json.restrictedPicklist === true,
    autoNumber: json.autoNumber === true,
    picklistValues,
    picklistSet: new Set(picklistValues.filter((p) => p.active).map((p) => p.value.toLowerCase())),
    defaultPicklistValue: picklistValues.find((p) => p.defaultValue && p.active)?.value,
    defaultValue: json.defaultValue ?? null,
    referenceTo: (json.referenceTo as string[] | undefined) ?? [],
    relationshipName: (json.relationshipName as string | null | undefined) ?? null,
    compoundFieldName: (json.compoundFieldName as string | null | undefined) ?? null,
    json,
  };
}

/** Required on create: what Salesforce's describe marks as createable, not nillable and not defaulted. */
export function isRequiredOnCreate(field: FieldDef): boolean {
  return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}

/** Fields that get a lookup index: ids users upsert on, unique values they must not duplicate. */
export function isIndexed(field: FieldDef): boolean {
  return field.name !== 'Id' && field.type !== 'address' && (field.externalId || field.unique || field.idLookup);
}

export interface SchemaInit {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string | null;
  readonly custom: boolean;
  /** Describe top level without `fields` (urls use the `vxx.0` placeholder). */
  readonly describeTop: Record<string, unknown>;
  readonly globalEntry: Record<string, unknown>;
  readonly fields: readonly Record<string, unknown>[];
  readonly topicsEnabled: boolean;
  readonly virtual?: VirtualSObject;
}

export class SObjectSchema {
  readonly name: string;
  readonly lower: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string | null;
  readonly custom: boolean;
  readonly describeTop: Record<string, unknown>;
  readonly globalEntry: Record<string, unknown>;
  readonly virtual: VirtualSObject | undefined;
  topicsEnabled: boolean;
  /** Bumped on every schema change so cached describes are rebuilt. */
  revision = 0;
  private readonly fieldList: FieldDef[] = [];
  private readonly byLower = new Map<string, FieldDef>();
  private readonly relationships = new Map<string, FieldDef>();

  constructor(init: SchemaInit) {
    this.name = init.name;
    this.lower = init.name.toLowerCase();
    this.label = init.label;
    this.labelPlural = init.labelPlural;
    this.keyPrefix = init.keyPrefix;
    this.custom = init.custom;
    this.describeTop = init.describeTop;
    this.globalEntry = init.globalEntry;
    this.topicsEnabled = init.topicsEnabled;
    this.virtual = init.virtual;
    for (const json of init.fields) this.addField(json);
  }

  get fields(): readonly FieldDef[] {
    return this.fieldList;
  }

  get createable(): boolean {
    return !this.virtual && this.describeTop.createable === true;
  }

  get updateable(): boolean {
    return !this.virtual && this.describeTop.updateable === true;
  }

  get deletable(): boolean {
    return !this.virtual && this.describeTop.deletable === true;
  }

  field(name: string): FieldDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** The reference field behind a relationship name (`Account` → AccountId). */
  relationship(name: string): FieldDef | undefined {
    return this.relationships.get(name.toLowerCase());
  }

  addField(json: Record<string, unknown>): FieldDef {
    const field = fieldFromJson(json);
    const existing = this.byLower.get(field.name.toLowerCase());
    if (existing) {
      this.fieldList[this.fieldList.indexOf(existing)] = field;
    } else {
      this.fieldList.push(field);
    }
    this.byLower.set(field.name.toLowerCase(), field);
    if (field.type === 'reference' && field.relationshipName) this.relationships.set(field.relationshipName.toLowerCase(), field);
    this.revision += 1;
    return field;
  }

  /** An admin deleted the field (Setup): it leaves the describe; stored values stay unseen. */
  removeField(name: string): boolean {
    const field = this.byLower.get(name.toLowerCase());
    if (!field) return false;
    this.fieldList.splice(this.fieldList.indexOf(field), 1);
    this.byLower.delete(field.name.toLowerCase());
    if (field.relationshipName) this.relationships.delete(field.relationshipName.toLowerCase());
    this.revision += 1;
    return true;
  }

  hasField(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }
}
