/**
 * Where a push keeps its users while it plans and writes: temporary tables of the local
 * database (this connection only, on disk — `temp_store = FILE` — never in the WAL, gone with
 * the connection), so memory holds one window of users at a time whatever the site's size.
 *
 * 100,000 users held as objects (mapped values, the records found for their keys, the plan
 * with its changes) cost ~200 MB of heap; here they cost a few MB of SQLite page cache.
 * Reading them back is cheap (indexed, ~1 µs a row) and the preview's first rows come
 * straight from an index in the order it shows them.
 *
 * Tables (every row carries its stage, so two sites' runs in one process never mix):
 * - users: the mapped users in the order WordPress gave them (`seq`), with the normalized key;
 * - existing: the Salesforce records found for the keys (by normalized key);
 * - planned: each user's class and, for a write, the item to send.
 */
import type { SyncClass } from '../../common/sync-models';
import type { LocalDatabase } from '../platform/local-database';
import type { CollectionsOperation } from '../salesforce/collections';
import type { ExistingRecord, MappedUser, PlannedUser } from './push-planner';
import type { Refusal } from './push-refusals';
import type { WriteItem, WriteSource } from './push-executor';

/** A user the plan settles without sending anything: unchanged, invalid, conflict — or refused before with these values. */
export type SettledUser = Exclude<PlannedUser, { kind: 'create' | 'update' }> | { readonly kind: 'refused'; readonly item: WriteItem; readonly refusal: Refusal };

export type StagedClass = SyncClass | 'refused';

/** The preview's order: what needs a look first. */
const CLASS_ORDER: Record<StagedClass, number> = { conflict: 0, invalid: 1, refused: 2, create: 3, update: 4, unchanged: 5 };

const TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS push_stage_users (
     stage INTEGER NOT NULL, seq INTEGER NOT NULL, norm_key TEXT, data TEXT NOT NULL,
     PRIMARY KEY (stage, seq)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS temp.push_stage_users_by_key ON push_stage_users (stage, norm_key)',
  `CREATE TEMP TABLE IF NOT EXISTS push_stage_existing (
     stage INTEGER NOT NULL, norm_key TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
     PRIMARY KEY (stage, norm_key, id)) WITHOUT ROWID`,
  `CREATE TEMP TABLE IF NOT EXISTS push_stage_planned (
     stage INTEGER NOT NULL, seq INTEGER NOT NULL, wp_user_id INTEGER NOT NULL, class TEXT NOT NULL, class_order INTEGER NOT NULL,
     send INTEGER NOT NULL, norm_key TEXT, salesforce_id TEXT, topics INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
     PRIMARY KEY (stage, seq)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS temp.push_stage_planned_sends ON push_stage_planned (stage, send, class, seq)',
  'CREATE INDEX IF NOT EXISTS temp.push_stage_planned_by_key ON push_stage_planned (stage, norm_key)',
  'CREATE INDEX IF NOT EXISTS temp.push_stage_planned_by_id ON push_stage_planned (stage, salesforce_id)',
  'CREATE INDEX IF NOT EXISTS temp.push_stage_planned_preview ON push_stage_planned (stage, class_order, wp_user_id)',
];

/**
 * Rows a window reads at once: big enough for few queries, small enough that a window's
 * objects die young (2,000 measured 37 MB more peak RSS at 100,000 users than 500).
 */
export const STAGE_WINDOW = 500;
/** Keys an `IN` window looks up: ten whole lists of 200, so windows cost no extra calls. */
export const KEY_WINDOW = 2_000;

let nextStage = 1;
const prepared = new WeakSet<LocalDatabase>();

function prepare(db: LocalDatabase): void {
  if (prepared.has(db)) return;
  // The temporary tables on disk rather than in memory (this SQLite build's default): the
  // point is to keep 100,000 users out of the process's memory. Changing it drops existing
  // temporary tables, so only when there are none.
  const temp = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM temp.sqlite_master');
  if ((temp?.n ?? 0) === 0) db.run('PRAGMA temp_store = FILE');
  for (const sql of TABLES) db.run(sql);
  prepared.add(db);
}

export class PushStage implements WriteSource {
  readonly #db: LocalDatabase;
  readonly #stage: number;
  #seq = 0;
  #operations: WriteSource['operations'] = [];

  private constructor(db: LocalDatabase) {
    this.#db = db;
    this.#stage = nextStage++;
  }

  static open(db: LocalDatabase): PushStage {
    prepare(db);
    return new PushStage(db);
  }

  /** Mapped users as they arrive (one transaction a page). */
  addUsers(users: readonly MappedUser[], normalize: (key: string) => string): void {
    this.#db.transaction(() => {
      for (const user of users) this.#db.run('INSERT INTO push_stage_users (stage, seq, norm_key, data) VALUES (?, ?, ?, ?)', [this.#stage, ++this.#seq, user.ok ? normalize(user.key) : null, JSON.stringify(user)]);
    });
  }

  get users(): number {
    return this.#seq;
  }

  /** Keys several WordPress users share: conflicts, whichever window their users fall in. */
  duplicateKeys(): Set<string> {
    const rows = this.#db.all<{ norm_key: string }>('SELECT norm_key FROM push_stage_users WHERE stage = ? AND norm_key IS NOT NULL GROUP BY norm_key HAVING COUNT(*) > 1', [this.#stage]);
    return new Set(rows.map((row) => row.norm_key));
  }

  distinctKeyCount(): number {
    return this.#db.get<{ n: number }>('SELECT COUNT(DISTINCT norm_key) AS n FROM push_stage_users WHERE stage = ? AND norm_key IS NOT NULL', [this.#stage])?.n ?? 0;
  }

  /** The distinct keys, `size` at a time (for `IN` look-ups). */
  *keyWindows(size = KEY_WINDOW): Generator<string[]> {
    let after = '';
    for (;;) {
      const rows = this.#db.all<{ norm_key: string }>('SELECT DISTINCT norm_key FROM push_stage_users WHERE stage = ? AND norm_key IS NOT NULL AND norm_key > ? ORDER BY norm_key LIMIT ?', [this.#stage, after, size]);
      if (rows.length === 0) return;
      after = rows.at(-1)!.norm_key;
      yield rows.map((row) => row.norm_key);
    }
  }

  /** The mapped users in WordPress's order, a window at a time. */
  *userWindows(size = STAGE_WINDOW): Generator<MappedUser[]> {
    let after = 0;
    for (;;) {
      const rows = this.#db.all<{ seq: number; data: string }>('SELECT seq, data FROM push_stage_users WHERE stage = ? AND seq > ? ORDER BY seq LIMIT ?', [this.#stage, after, size]);
      if (rows.length === 0) return;
      after = rows.at(-1)!.seq;
      yield rows.map((row) => JSON.parse(row.data) as MappedUser);
    }
  }

  /** Records found for the keys (a scan page or an `IN` answer), by normalized key. */
  addExisting(found: Iterable<readonly [string, readonly ExistingRecord[]]>): void {
    this.#db.transaction(() => {
      for (const [key, records] of found) {
        for (const record of records) this.#db.run('INSERT OR IGNORE INTO push_stage_existing (stage, norm_key, id, data) VALUES (?, ?, ?, ?)', [this.#stage, key, record.Id, JSON.stringify(record)]);
      }
    });
  }

  /**
   * The records found for a window's keys, in one query: libsql's `all()` keeps ~1 KB of
   * native memory per call (measured: 200,000 calls, +200 MB RSS after GC; `get()` does not),
   * so never one query per user.
   */
  existingFor(keys: readonly string[]): Map<string, ExistingRecord[]> {
    const found = new Map<string, ExistingRecord[]>();
    if (keys.length === 0) return found;
    const rows = this.#db.all<{ norm_key: string; data: string }>('SELECT norm_key, data FROM push_stage_existing WHERE stage = ? AND norm_key IN (SELECT value FROM json_each(?))', [this.#stage, JSON.stringify(keys)]);
    for (const row of rows) {
      const list = found.get(row.norm_key);
      const record = JSON.parse(row.data) as ExistingRecord;
      if (list === undefined) found.set(row.norm_key, [record]);
      else list.push(record);
    }
    return found;
  }

  /** A window's plan: writes (with whether fields go) and settled users, in WordPress's order. */
  addPlanned(rows: readonly { readonly write?: WriteItem; readonly settled?: SettledUser; readonly normKey: string | null }[]): void {
    this.#db.transaction(() => {
      for (const row of rows) {
        const seq = ++this.#planned;
        if (row.write !== undefined) this.#insertPlanned(seq, row.write.kind, row.write.wpUserId, row.normKey, row.write.salesforceId ?? null, hasFields(row.write), row.write.topics !== undefined, row.write);
        else if (row.settled !== undefined) this.#insertPlanned(seq, row.settled.kind, wpUserIdOf(row.settled), row.normKey, salesforceIdOf(row.settled), false, false, row.settled);
      }
    });
  }

  #planned = 0;

  #insertPlanned(seq: number, kind: StagedClass, wpUserId: number, normKey: string | null, salesforceId: string | null, send: boolean, topics: boolean, data: unknown): void {
    this.#db.run('INSERT INTO push_stage_planned (stage, seq, wp_user_id, class, class_order, send, norm_key, salesforce_id, topics, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      this.#stage,
      seq,
      wpUserId,
      kind,
      CLASS_ORDER[kind],
      send ? 1 : 0,
      normKey,
      salesforceId,
      topics ? 1 : 0,
      JSON.stringify(data),
    ]);
  }

  /** Every planned row of some classes, `size` at a time, with its position (to update it). */
  *planned(classes: readonly StagedClass[], size = STAGE_WINDOW): Generator<{ seq: number; kind: StagedClass; data: WriteItem | SettledUser }[]> {
    let after = 0;
    const marks = classes.map(() => '?').join(', ');
    for (;;) {
      const rows = this.#db.all<{ seq: number; class: StagedClass; data: string }>(`SELECT seq, class, data FROM push_stage_planned WHERE stage = ? AND seq > ? AND class IN (${marks}) ORDER BY seq LIMIT ?`, [this.#stage, after, ...classes, size]);
      if (rows.length === 0) return;
      after = rows.at(-1)!.seq;
      yield rows.map((row) => ({ seq: row.seq, kind: row.class, data: JSON.parse(row.data) as WriteItem | SettledUser }));
    }
  }

  /** Writes that change Topics (tag mode topics), a window at a time. */
  *topicWrites(size = STAGE_WINDOW): Generator<WriteItem[]> {
    let after = 0;
    for (;;) {
      const rows = this.#db.all<{ seq: number; data: string }>("SELECT seq, data FROM push_stage_planned WHERE stage = ? AND seq > ? AND topics = 1 AND class IN ('create', 'update') ORDER BY seq LIMIT ?", [this.#stage, after, size]);
      if (rows.length === 0) return;
      after = rows.at(-1)!.seq;
      yield rows.map((row) => JSON.parse(row.data) as WriteItem);
    }
  }

  /** Replaces a planned row (Topics planning turns an unchanged user into a Topics-only update). */
  replacePlanned(seq: number, item: WriteItem): void {
    this.#db.run('UPDATE push_stage_planned SET class = ?, class_order = ?, send = ?, salesforce_id = ?, topics = ?, data = ? WHERE stage = ? AND seq = ?', [
      item.kind,
      CLASS_ORDER[item.kind],
      hasFields(item) ? 1 : 0,
      item.salesforceId ?? null,
      item.topics === undefined ? 0 : 1,
      JSON.stringify(item),
      this.#stage,
      seq,
    ]);
  }

  /** How many users each class holds now. */
  counts(): Record<StagedClass, number> {
    const counts: Record<StagedClass, number> = { create: 0, update: 0, unchanged: 0, invalid: 0, conflict: 0, refused: 0 };
    for (const row of this.#db.all<{ class: StagedClass; n: number }>('SELECT class, COUNT(*) AS n FROM push_stage_planned WHERE stage = ? GROUP BY class', [this.#stage])) counts[row.class] = row.n;
    return counts;
  }

  /** Field writes per class (Topics-only updates send no fields). */
  sendCounts(): { create: number; update: number } {
    const rows = this.#db.all<{ class: string; n: number }>('SELECT class, COUNT(*) AS n FROM push_stage_planned WHERE stage = ? AND send = 1 GROUP BY class', [this.#stage]);
    return { create: rows.find((row) => row.class === 'create')?.n ?? 0, update: rows.find((row) => row.class === 'update')?.n ?? 0 };
  }

  /** The preview's first rows, in its order (class, then WordPress id). */
  previewRows(limit: number): { kind: StagedClass; data: WriteItem | SettledUser }[] {
    return this.#db
      .all<{ class: StagedClass; data: string }>('SELECT class, data FROM push_stage_planned WHERE stage = ? ORDER BY class_order, wp_user_id LIMIT ?', [this.#stage, limit])
      .map((row) => ({ kind: row.class, data: JSON.parse(row.data) as WriteItem | SettledUser }));
  }

  /** The executor's view: which operations, and their items read back in order. */
  setOperations(operations: WriteSource['operations']): void {
    this.#operations = operations;
  }

  get operations(): WriteSource['operations'] {
    return this.#operations;
  }

  *items(operation: CollectionsOperation): Generator<WriteItem> {
    const classes = operation === 'upsert' ? ['create', 'update'] : [operation];
    let after = 0;
    for (;;) {
      const rows = this.#db.all<{ seq: number; data: string }>(
        `SELECT seq, data FROM push_stage_planned WHERE stage = ? AND send = 1 AND class IN (${classes.map(() => '?').join(', ')}) AND seq > ? ORDER BY seq LIMIT 500`,
        [this.#stage, ...classes, after],
      );
      if (rows.length === 0) return;
      after = rows.at(-1)!.seq;
      for (const row of rows) yield JSON.parse(row.data) as WriteItem;
    }
  }

  find(operation: CollectionsOperation, value: string): WriteItem | undefined {
    // INDEXED BY: without statistics SQLite prefers the primary key's `stage = ?` (every row
    // of the run) and would scan every write for each result row.
    const row =
      operation === 'update'
        ? this.#db.get<{ data: string }>("SELECT data FROM push_stage_planned INDEXED BY push_stage_planned_by_id WHERE stage = ? AND salesforce_id = ? AND send = 1 AND class = 'update'", [this.#stage, value])
        : this.#db.get<{ data: string }>(
            `SELECT data FROM push_stage_planned INDEXED BY push_stage_planned_by_key WHERE stage = ? AND norm_key = ? AND send = 1 AND class IN (${operation === 'upsert' ? "'create', 'update'" : "'create'"})`,
            [this.#stage, value],
          );
    return row === undefined ? undefined : (JSON.parse(row.data) as WriteItem);
  }

  /** Forgets the stage's rows (the tables stay for the next run on this connection). */
  close(): void {
    for (const table of ['push_stage_users', 'push_stage_existing', 'push_stage_planned']) this.#db.run(`DELETE FROM ${table} WHERE stage = ?`, [this.#stage]);
  }
}

function hasFields(item: WriteItem): boolean {
  return item.kind === 'create' || Object.keys(item.record).length > 0;
}

function wpUserIdOf(settled: SettledUser): number {
  return settled.kind === 'refused' ? settled.item.wpUserId : settled.wpUserId;
}

function salesforceIdOf(settled: SettledUser): string | null {
  if (settled.kind === 'refused') return settled.item.salesforceId ?? null;
  if (settled.kind === 'unchanged') return settled.salesforceId;
  return null;
}
