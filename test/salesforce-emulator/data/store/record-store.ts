/**
 * In-memory tables with an undo journal.
 *
 * Records are never mutated: an update stores a new object. That keeps query cursors
 * consistent snapshots without copying rows, and makes rollback (allOrNone, a record that
 * fails half-way through a rule) a matter of putting the old object back.
 *
 * Every field that is an external id, unique or an id lookup is indexed, so upserts and
 * duplicate checks cost O(1) per record however large the table grows.
 */
import type { FieldDef, SObjectSchema } from '../schema/sobject-schema';
import { isIndexed } from '../schema/sobject-schema';

export type Rec = Readonly<Record<string, unknown>>;

type IndexBucket = string | Set<string>;

export class Table {
  readonly live = new Map<string, Rec>();
  /** The recycle bin: what `queryAll` still sees, with IsDeleted = true. */
  readonly deleted = new Map<string, Rec>();
  private readonly indexes = new Map<string, Map<string, IndexBucket>>();
  /** Reference fields a rule looks children up by (TopicAssignment.EntityId, OrderItem.OrderId, …). */
  private readonly extraIndexed = new Set<string>();

  constructor(public schema: SObjectSchema) {
    this.rebuildIndexes();
  }

  /** Index key of a value, or undefined for values that are never matched (null, ''). */
  static indexKey(field: FieldDef, value: unknown): string | undefined {
    if (value === null || value === undefined || value === '') return undefined;
    const text = String(value);
    return field.caseSensitive || field.type === 'id' || field.type === 'reference' ? text : text.toLowerCase();
  }

  rebuildIndexes(): void {
    this.indexes.clear();
    for (const field of this.schema.fields) {
      if (isIndexed(field) || this.extraIndexed.has(field.name)) this.indexes.set(field.name, new Map());
    }
    for (const [id, rec] of this.live) this.indexRecord(id, rec, 1);
  }

  ensureIndex(name: string): void {
    if (this.indexes.has(name)) return;
    this.extraIndexed.add(name);
    this.rebuildIndexes();
  }

  isIndexedField(name: string): boolean {
    return this.indexes.has(name);
  }

  /** Live record ids whose indexed field equals the value (case-insensitively for text). */
  lookup(field: FieldDef, value: unknown): string[] {
    const index = this.indexes.get(field.name);
    const key = Table.indexKey(field, value);
    if (key === undefined) return [];
    if (!index) {
      // Not indexed (a plain field used as an upsert key): a scan, but only on that rare path.
      const out: string[] = [];
      for (const [id, rec] of this.live) if (Table.indexKey(field, rec[field.name]) === key) out.push(id);
      return out;
    }
    const bucket = index.get(key);
    if (bucket === undefined) return [];
    return typeof bucket === 'string' ? [bucket] : [...bucket];
  }

  indexRecord(id: string, rec: Rec, direction: 1 | -1): void {
    for (const [name, index] of this.indexes) {
      const field = this.schema.field(name);
      if (!field) continue;
      const key = Table.indexKey(field, rec[name]);
      if (key === undefined) continue;
      const bucket = index.get(key);
      if (direction === 1) {
        if (bucket === undefined) index.set(key, id);
        else if (typeof bucket === 'string') {
          if (bucket !== id) index.set(key, new Set([bucket, id]));
        } else bucket.add(id);
      } else if (bucket !== undefined) {
        if (typeof bucket === 'string') {
          if (bucket === id) index.delete(key);
        } else {
          bucket.delete(id);
          if (bucket.size === 1) index.set(key, bucket.values().next().value as string);
        }
      }
    }
  }
}

/** One committed write: `after` undefined = the record went to the recycle bin. */
export interface StoreChange {
  readonly table: Table;
  readonly id: string;
  readonly before: Rec | undefined;
  readonly after: Rec | undefined;
}

export class RecordStore {
  private readonly tables = new Map<string, Table>();
  private readonly byPrefix = new Map<string, Table>();
  private readonly journal: (() => void)[] = [];
  private depth = 0;
  /**
   * Writes of the open transaction, each with the journal position it was made at, so a
   * rollback drops exactly the writes it undoes and only committed writes are announced
   * (change events must never report a write that was rolled back).
   */
  private readonly pending: { readonly at: number; readonly change: StoreChange }[] = [];
  private commitListener: ((changes: readonly StoreChange[]) => void) | undefined;

  /** Told of each committed transaction's writes, in order (one listener: the org's change events). */
  onCommit(listener: ((changes: readonly StoreChange[]) => void) | undefined): void {
    this.commitListener = listener;
  }

  private note(change: StoreChange, at: number): void {
    if (this.depth > 0) this.pending.push({ at, change });
    else this.announce([change]);
  }

  private announce(changes: readonly StoreChange[]): void {
    if (changes.length === 0 || this.commitListener === undefined) return;
    try {
      this.commitListener(changes);
    } catch {
      // A listener's failure must not turn a committed write into a failed request.
    }
  }

  addTable(schema: SObjectSchema): Table {
    const table = new Table(schema);
    this.tables.set(schema.lower, table);
    if (schema.keyPrefix) this.byPrefix.set(schema.keyPrefix, table);
    return table;
  }

  table(name: string): Table | undefined {
    return this.tables.get(name.toLowerCase());
  }

  tableForId(id: string): Table | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  /** A live record by 18-char id, whatever its object. */
  get(id: string): Rec | undefined {
    return this.tableForId(id)?.live.get(id);
  }

  isDeleted(id: string): boolean {
    return this.tableForId(id)?.deleted.has(id) === true;
  }

  /** Opens a (nestable) transaction; returns a savepoint for rollbackTo. */
  begin(): number {
    this.depth += 1;
    return this.journal.length;
  }

  rollbackTo(savepoint: number): void {
    while (this.journal.length > savepoint) this.journal.pop()?.();
    while (this.pending.length > 0 && this.pending[this.pending.length - 1]!.at >= savepoint) this.pending.pop();
  }

  end(): void {
    this.depth -= 1;
    if (this.depth === 0) {
      this.journal.length = 0;
      this.announce(this.pending.splice(0).map((entry) => entry.change));
    }
  }

  /** Runs fn in a transaction that is undone if fn throws. */
  atomically<T>(fn: () => T): T {
    const savepoint = this.begin();
    try {
      return fn();
    } catch (error) {
      this.rollbackTo(savepoint);
      throw error;
    } finally {
      this.end();
    }
  }

  put(table: Table, rec: Rec): void {
    const id = rec.Id as string;
    const at = this.journal.length;
    const old = table.live.get(id);
    if (old) table.indexRecord(id, old, -1);
    table.live.set(id, rec);
    table.indexRecord(id, rec, 1);
    if (this.depth > 0) {
      this.journal.push(() => {
        table.indexRecord(id, rec, -1);
        if (old) {
          table.live.set(id, old);
          table.indexRecord(id, old, 1);
        } else table.live.delete(id);
      });
    }
    this.note({ table, id, before: old, after: rec }, at);
  }

  softDelete(table: Table, id: string, deletedRec: Rec): void {
    const at = this.journal.length;
    const old = table.live.get(id);
    if (!old) return;
    table.indexRecord(id, old, -1);
    table.live.delete(id);
    table.deleted.set(id, deletedRec);
    if (this.depth > 0) {
      this.journal.push(() => {
        table.deleted.delete(id);
        // Map insertion order is lost on re-insert; acceptable for a rolled-back delete.
        table.live.set(id, old);
        table.indexRecord(id, old, 1);
      });
    }
    this.note({ table, id, before: old, after: undefined }, at);
  }

  clear(): void {
    for (const table of this.tables.values()) {
      table.live.clear();
      table.deleted.clear();
      table.rebuildIndexes();
    }
    this.journal.length = 0;
    this.pending.length = 0;
    this.depth = 0;
  }
}
