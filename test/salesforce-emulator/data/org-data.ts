/**
 * The data half of one emulated org: `createOrgData()` is what the core calls per org.
 * See seam.ts for the contract and data/README.md for what is (not) emulated.
 */
import { DmlEngine } from './dml/dml-engine';
import { DmlFailure } from './errors';
import { IdGenerator } from './ids';
import type { OrgState } from './org-state';
import { BulkJobs } from './rest/bulk-jobs';
import { QueryCursors } from './rest/query-cursors';
import { dispatch } from './rest/router';
import { currencyIsoCodeField, MULTI_CURRENCY_OBJECTS, orderRules, standardPricebook } from './rules/orders';
import { describeRecordType, recordTypeRules } from './rules/record-types';
import { topicRules } from './rules/topics';
import { changedField } from './schema/field-changes';
import { buildField, customFieldSpec } from './schema/field-template';
import { SchemaRegistry } from './schema/registry';
import type { SObjectSchema } from './schema/sobject-schema';
import type { BulkQuerySettings, CurrencySpec, CustomFieldSpec, CustomObjectSpec, DataRequest, DataResponse, FieldChangeSpec, OrgData, OrgDataOptions, RecordChange, RecordTransaction, RecordTypeSpec, VirtualSObject } from './seam';
import { RecordStore, type StoreChange } from './store/record-store';

class OrgDataImpl implements OrgData {
  private registry = new SchemaRegistry();
  private readonly store = new RecordStore();
  private readonly ids: IdGenerator;
  private engine: DmlEngine;
  private readonly state: OrgState;
  /** RecordType rows added by addRecordType: put back after a data reset, dropped with the schema. */
  private recordTypeRows: Record<string, unknown>[] = [];
  private readonly changeListeners = new Set<(transaction: RecordTransaction) => void>();
  /** The API the request being handled came through (change events' changeOrigin). */
  private origin = '';

  constructor(private readonly options: OrgDataOptions) {
    this.ids = new IdGenerator(options.orgId);
    this.engine = this.buildEngine();
    const defaultUserId = options.defaultUserId ?? this.ids.next('005');
    // Getters, because reset({ schema: true }) swaps the registry and the engine.
    const registry = (): SchemaRegistry => this.registry;
    const engine = (): DmlEngine => this.engine;
    this.state = {
      options,
      get registry() {
        return registry();
      },
      store: this.store,
      get engine() {
        return engine();
      },
      ids: this.ids,
      cursors: new QueryCursors(() => options.now()),
      jobs: new BulkJobs(),
      defaultUserId,
    };
    for (const schema of this.registry.all()) this.store.addTable(schema);
    this.seedStandardData();
    this.store.onCommit((changes) => this.announce(changes));
  }

  private announce(changes: readonly StoreChange[]): void {
    if (this.changeListeners.size === 0) return;
    const compounds = new Map<SObjectSchema, ReadonlyMap<string, string>>();
    const compoundFieldsOf = (schema: SObjectSchema): ReadonlyMap<string, string> => {
      let map = compounds.get(schema);
      if (map === undefined) {
        map = new Map(schema.fields.filter((field) => field.compoundFieldName !== null).map((field) => [field.name, field.compoundFieldName as string]));
        compounds.set(schema, map);
      }
      return map;
    };
    const transaction: RecordTransaction = {
      origin: this.origin,
      changes: changes.map(
        (change): RecordChange => ({
          sobject: change.table.schema.name,
          id: change.id,
          changeType: change.before === undefined ? 'CREATE' : change.after === undefined ? 'DELETE' : 'UPDATE',
          before: change.before ?? null,
          after: change.after ?? null,
          compoundFields: compoundFieldsOf(change.table.schema),
        }),
      ),
    };
    for (const listener of [...this.changeListeners]) listener(transaction);
  }

  onRecordChanges(listener: (transaction: RecordTransaction) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private buildEngine(): DmlEngine {
    const engine = new DmlEngine(this.store, this.registry, this.ids);
    engine.addRules(topicRules());
    engine.addRules(orderRules());
    engine.addRules(recordTypeRules());
    return engine;
  }

  private seedStandardData(): void {
    const recordTypes = this.store.table('RecordType');
    if (recordTypes) for (const row of this.recordTypeRows) this.store.put(recordTypes, row);
    const table = this.store.table('Pricebook2');
    if (!table) return;
    // The standard price book exists in every org; IsStandard is read-only, so it is put directly.
    const id = this.ids.next('01s');
    const stamp = new Date(this.options.now()).toISOString().replace('Z', '+0000');
    this.store.put(table, {
      Id: id, IsDeleted: false, ...standardPricebook(),
      CreatedDate: stamp, CreatedById: this.state.defaultUserId, LastModifiedDate: stamp, LastModifiedById: this.state.defaultUserId, SystemModstamp: stamp,
    });
  }

  handle(request: DataRequest): DataResponse {
    // Every write the data half does happens inside this synchronous call (Bulk jobs run on a
    // status poll), so the origin is right for all of them. UNCONFIRMED: the exact origin
    // Salesforce writes for Bulk API 2.0; the emulator says rest for every REST resource.
    const previous = this.origin;
    this.origin = `com/salesforce/api/rest/${request.version}`;
    try {
      return dispatch(this.state, request);
    } finally {
      this.origin = previous;
    }
  }

  seed(sobject: string, records: readonly Record<string, unknown>[]): string[] {
    const schema = this.registry.get(sobject);
    if (!schema) throw new Error(`seed: unknown sObject ${sobject}`);
    const ctx = { userId: this.state.defaultUserId, now: this.options.now(), allowAuditFields: true };
    return this.store.atomically(() =>
      records.map((record, index) => {
        const values = this.engine.prepareJson(schema, record);
        try {
          return String(this.engine.insert(schema, values, ctx).Id);
        } catch (error) {
          if (error instanceof DmlFailure) throw new Error(`seed ${sobject}[${index}]: ${error.message}`);
          throw error;
        }
      }),
    );
  }

  reset(options?: { schema?: boolean }): void {
    if (options?.schema) {
      this.recordTypeRows = [];
      const virtuals = [...this.registry.all()].filter((s) => s.virtual);
      this.registry = new SchemaRegistry();
      for (const v of virtuals) this.registry.registerVirtual(v.name, v.virtual as VirtualSObject);
      this.engine = this.buildEngine();
      for (const schema of this.registry.all()) if (!schema.virtual) this.store.addTable(schema);
    }
    this.store.clear();
    this.engine.resetCounters();
    this.state.cursors.clear();
    this.state.jobs.clear();
    this.seedStandardData();
  }

  addCustomField(sobject: string, field: CustomFieldSpec): void {
    const schema = this.registry.get(sobject);
    if (!schema || schema.virtual) throw new Error(`addCustomField: unknown sObject ${sobject}`);
    if (!field.name.endsWith('__c')) throw new Error(`custom field name must end with __c: ${field.name}`);
    schema.addField(buildField(customFieldSpec(field)));
    this.store.table(schema.name)?.rebuildIndexes();
  }

  changeField(sobject: string, field: string, change: FieldChangeSpec): void {
    const schema = this.registry.get(sobject);
    if (!schema || schema.virtual) throw new Error(`changeField: unknown sObject ${sobject}`);
    const current = schema.field(field);
    if (!current) throw new Error(`changeField: ${schema.name} has no field ${field}`);
    schema.addField(changedField(current.json, change));
    this.store.table(schema.name)?.rebuildIndexes();
  }

  removeField(sobject: string, field: string): void {
    const schema = this.registry.get(sobject);
    if (!schema || schema.virtual) throw new Error(`removeField: unknown sObject ${sobject}`);
    if (!schema.removeField(field)) throw new Error(`removeField: ${schema.name} has no field ${field}`);
    this.store.table(schema.name)?.rebuildIndexes();
  }

  addCustomObject(nameOrSpec: string | CustomObjectSpec, label?: string): void {
    const spec: CustomObjectSpec = typeof nameOrSpec === 'string' ? { name: nameOrSpec, label: label ?? nameOrSpec.replace(/__c$/, '') } : nameOrSpec;
    const schema = this.registry.addCustomObject(spec);
    if (!this.store.table(schema.name)) this.store.addTable(schema);
  }

  setTopicsEnabled(sobject: string, enabled: boolean): void {
    const schema = this.registry.get(sobject);
    if (!schema) throw new Error(`setTopicsEnabled: unknown sObject ${sobject}`);
    if (schema.topicsEnabled === enabled) return;
    schema.topicsEnabled = enabled;
    // The describe's TopicAssignments child relationship follows the setting.
    schema.revision += 1;
  }

  setCurrencies(spec: CurrencySpec | null): void {
    if (spec !== null) {
      const currencies = [...new Set(spec.currencies.map((code) => code.toUpperCase()))];
      const corporate = spec.corporate.toUpperCase();
      if (!/^[A-Z]{3}$/.test(corporate) || !currencies.every((code) => /^[A-Z]{3}$/.test(code))) throw new Error('setCurrencies: currencies are ISO 4217 codes such as USD');
      if (!currencies.includes(corporate)) currencies.unshift(corporate);
      for (const name of MULTI_CURRENCY_OBJECTS) {
        const schema = this.registry.get(name);
        if (!schema) continue;
        schema.addField(currencyIsoCodeField(schema.label, currencies, corporate, name === 'OrderItem'));
        this.store.table(name)?.rebuildIndexes();
      }
      return;
    }
    for (const name of MULTI_CURRENCY_OBJECTS) {
      const schema = this.registry.get(name);
      if (schema?.removeField('CurrencyIsoCode')) this.store.table(name)?.rebuildIndexes();
    }
  }

  defaultCurrencyIsoCode(): string {
    // Multiple currencies: the corporate one (the default of Order's CurrencyIsoCode); else the
    // one currency every emulated org has.
    const field = this.registry.get('Order')?.field('CurrencyIsoCode');
    const values = (field?.json.picklistValues ?? []) as { value: string; defaultValue: boolean }[];
    return values.find((value) => value.defaultValue)?.value ?? 'USD';
  }

  registerVirtualSObject(name: string, virtual: VirtualSObject): void {
    this.registry.registerVirtual(name, virtual);
  }

  addRecordType(sobject: string, spec: RecordTypeSpec): string {
    const schema = this.registry.get(sobject);
    if (!schema || schema.virtual || schema.name === 'RecordType') throw new Error(`addRecordType: unknown sObject ${sobject}`);
    if (!spec || typeof spec.name !== 'string' || spec.name.trim() === '') throw new Error('addRecordType: name (the record type label) is required');
    const developerName = spec.developerName ?? spec.name.trim().replace(/\W+/g, '_');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(developerName) || developerName.endsWith('_') || developerName.includes('__')) {
      throw new Error(`addRecordType: developerName ${developerName} must start with a letter and hold only letters, digits and single underscores`);
    }
    if (this.recordTypeRows.some((r) => r.SobjectType === schema.name && String(r.DeveloperName).toLowerCase() === developerName.toLowerCase())) {
      throw new Error(`addRecordType: ${schema.name} already has a record type ${developerName}`);
    }
    const id = this.ids.next('012');
    const stamp = new Date(this.options.now()).toISOString().replace('Z', '+0000');
    const user = this.state.defaultUserId;
    const row = {
      Id: id, Name: spec.name.trim(), DeveloperName: developerName, NamespacePrefix: null, Description: spec.description ?? null, BusinessProcessId: null,
      SobjectType: schema.name, IsActive: spec.active !== false, IsPersonType: false,
      CreatedById: user, CreatedDate: stamp, LastModifiedById: user, LastModifiedDate: stamp, SystemModstamp: stamp,
    };
    this.recordTypeRows.push(row);
    const table = this.store.table('RecordType');
    if (table) this.store.put(table, row);
    describeRecordType(schema, id, spec, developerName);
    this.store.table(schema.name)?.rebuildIndexes();
    return id;
  }

  configureBulkQueries(patch: Partial<BulkQuerySettings>): BulkQuerySettings {
    return this.state.jobs.configureQueries(patch);
  }

  records(sobject: string): readonly Record<string, unknown>[] {
    const table = this.store.table(sobject);
    return table ? [...table.live.values()] : [];
  }
}

export function createOrgData(options: OrgDataOptions): OrgData {
  return new OrgDataImpl(options);
}
