/** The sObjects one org knows: built-in, custom (`X__c`) and virtual (rows owned by the core). */
import type { CustomObjectSpec, VirtualSObject } from '../seam';
import { customKeyPrefix } from '../ids';
import { buildGlobalEntry, customObject, standardSchemas } from './standard-objects';
import { SObjectSchema } from './sobject-schema';

export class SchemaRegistry {
  private readonly byLower = new Map<string, SObjectSchema>();
  private customObjects = 0;

  constructor() {
    for (const schema of standardSchemas()) this.byLower.set(schema.lower, schema);
  }

  get(name: string): SObjectSchema | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  all(): IterableIterator<SObjectSchema> {
    return this.byLower.values();
  }

  addCustomObject(spec: CustomObjectSpec): SObjectSchema {
    const name = spec.name;
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*__c$/.test(name)) throw new Error(`custom object name must be an API name ending with __c: ${String(name)}`);
    if (typeof spec.label !== 'string' || spec.label.trim() === '') throw new Error(`custom object ${name} needs a label`);
    const existing = this.get(name);
    if (existing) return existing;
    const schema = customObject(spec, customKeyPrefix(this.customObjects));
    this.customObjects += 1;
    this.byLower.set(schema.lower, schema);
    return schema;
  }

  registerVirtual(name: string, virtual: VirtualSObject): SObjectSchema {
    const describe = virtual.describe;
    const top = { ...describe };
    delete top.fields;
    const schema = new SObjectSchema({
      name,
      label: String(describe.label ?? name),
      labelPlural: String(describe.labelPlural ?? name),
      keyPrefix: (describe.keyPrefix as string | null | undefined) ?? null,
      custom: describe.custom === true,
      describeTop: top,
      globalEntry: buildGlobalEntry(top),
      fields: (describe.fields as Record<string, unknown>[] | undefined) ?? [],
      topicsEnabled: false,
      virtual,
    });
    this.byLower.set(schema.lower, schema);
    return schema;
  }
}
