/**
 * The local SQLite database: sync journals, run history with per-record outcomes and (later)
 * the field cache, in one file in the app's data folder. Profiles and settings stay in the
 * profile store; this holds what grows with use.
 *
 * Behind a small port so features never touch the binding: `run`, `get`, `all`,
 * `transaction`. The binding is `libsql` (a better-sqlite3-compatible API with N-API prebuilt
 * binaries; see docs/local-database.md for why). Synchronous on purpose: a journal entry must
 * be on disk before the request it describes leaves, and SQLite answers in microseconds.
 *
 * Crash safety: WAL mode with `synchronous = FULL`, so a committed transaction survives the
 * process being killed at any instant (SIGKILL, power is another matter the OS owns), and a
 * half-written transaction is rolled back on the next open. Numbered migrations run in
 * their own transaction each and record their number in `PRAGMA user_version`.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { AppError } from '../../common/errors';
import { LOCAL_DATABASE_MIGRATIONS, type LocalDatabaseMigration } from './local-database-migrations';

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number;
}

export interface LocalDatabase {
  readonly file: string;
  /** The migration number the file is at. */
  readonly schemaVersion: number;
  run(sql: string, params?: SqlParams): RunResult;
  get<T extends object>(sql: string, params?: SqlParams): T | undefined;
  all<T extends object>(sql: string, params?: SqlParams): T[];
  /** Runs `work` in one transaction (BEGIN IMMEDIATE): all of it is on disk, or none. */
  transaction<T>(work: () => T): T;
  close(): void;
}

export interface OpenLocalDatabaseOptions {
  readonly migrations?: readonly LocalDatabaseMigration[];
  /** How long a write waits for another process (the CLI and the app) to finish (ms). */
  readonly busyTimeoutMs?: number;
}

/** The file name inside the app's data folder. */
export const LOCAL_DATABASE_FILE = 'forcesites.db';

export function localDatabasePath(dataDir: string): string {
  return path.join(dataDir, LOCAL_DATABASE_FILE);
}

interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export function openLocalDatabase(file: string, options: OpenLocalDatabaseOptions = {}): LocalDatabase {
  const migrations = options.migrations ?? LOCAL_DATABASE_MIGRATIONS;
  checkMigrations(migrations);
  let db: InstanceType<typeof Database>;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    // Run history holds names and e-mail addresses: readable by this OS user only (SQLite
    // creates the -wal and -shm files with the database file's mode).
    if (file !== ':memory:') chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  } catch (error) {
    throw databaseError(file, 'could not be opened', error);
  }
  // libsql ignores better-sqlite3's `{simple: true}` and `pluck()`: read the column by name.
  const version = (): number => Number((db.prepare('PRAGMA user_version').get() as { user_version?: number } | undefined)?.user_version ?? 0);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = version();
  if (current > latest) {
    db.close();
    throw new AppError('INTERNAL', `The local database ${file} was written by a newer ForceSites (schema ${current}; this version knows ${latest}).`, {
      hint: 'Update ForceSites, or move the file aside to start with an empty history.',
    });
  }
  try {
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      // One transaction per migration: a crash between two leaves a valid, numbered file.
      db.transaction(() => {
        db.exec(migration.up);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    }
  } catch (error) {
    db.close();
    throw databaseError(file, 'could not be brought up to date', error);
  }

  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql) as unknown as Statement;
      statements.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: SqlParams | undefined): unknown[] => (params === undefined ? [] : Array.isArray(params) ? [...(params as SqlValue[])] : [params]);

  return {
    file,
    get schemaVersion() {
      return version();
    },
    run(sql, params) {
      const result = prepared(sql).run(...bind(params));
      return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
    },
    get<T extends object>(sql: string, params?: SqlParams) {
      const row = prepared(sql).get(...bind(params));
      return row === undefined || row === null ? undefined : (clean(row) as T);
    },
    all<T extends object>(sql: string, params?: SqlParams) {
      return prepared(sql)
        .all(...bind(params))
        .map((row) => clean(row) as T);
    },
    transaction(work) {
      return db.transaction(work).immediate();
    },
    close() {
      statements.clear();
      if (db.open) db.close();
    },
  };
}

/** libsql adds a `_metadata` (timing) property to every row; callers get the columns only. */
function clean(row: unknown): object {
  if (typeof row !== 'object' || row === null) return {};
  if (!('_metadata' in row)) return row;
  const { _metadata: _ignored, ...columns } = row as Record<string, unknown>;
  return columns;
}

function checkMigrations(migrations: readonly LocalDatabaseMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Local database migrations must be numbered 1, 2, 3 … in order; found ${migration.version} at position ${index + 1}.`);
  });
}

function databaseError(file: string, what: string, cause: unknown): AppError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AppError('INTERNAL', `The local database ${file} ${what}: ${detail}`, {
    hint: 'Check that the data folder is writable and has free space. If the file is damaged, quit ForceSites and move it aside: sync history starts again empty, profiles are not affected.',
    cause,
  });
}
