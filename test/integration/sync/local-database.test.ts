/**
 * The local database port: migrations, WAL, and surviving a SIGKILL in the middle of a write
 * (a child process writing transactions as fast as it can is killed at several points; the
 * file reopens intact with every committed transaction whole and no partial one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localDatabasePath, openLocalDatabase } from '../../../main/platform/local-database';
import { LOCAL_DATABASE_MIGRATIONS } from '../../../main/platform/local-database-migrations';
import { CRASH_TEST_MIGRATIONS } from './support/crash-test-migrations';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'forcesites-db-'));

describe('openLocalDatabase', () => {
  it('creates the schema in WAL mode, at the last migration, and reopens without re-running it', () => {
    const file = localDatabasePath(freshDir());
    const db = openLocalDatabase(file);
    expect(db.schemaVersion).toBe(LOCAL_DATABASE_MIGRATIONS.length);
    expect(db.get<{ journal_mode: string }>('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    db.run("INSERT INTO sync_runs (id, site_id, direction, state, object_type, match_kind, match_field, strategy, started_at) VALUES ('r1', 's1', 'push', 'running', 'Contact', 'email', 'Email', 'collections', 'now')");
    db.close();
    const again = openLocalDatabase(file);
    expect(again.all('SELECT id, state FROM sync_runs')).toEqual([{ id: 'r1', state: 'running' }]);
    again.close();
  });

  it('keeps the database and its WAL readable by this OS user only (run history holds names and e-mails)', () => {
    const file = localDatabasePath(freshDir());
    const db = openLocalDatabase(file);
    db.run("INSERT INTO sync_runs (id, site_id, direction, state, object_type, match_kind, match_field, strategy, started_at) VALUES ('r1', 's1', 'push', 'running', 'Contact', 'email', 'Email', 'collections', 'now')");
    for (const name of [file, `${file}-wal`]) expect(statSync(name).mode & 0o777, name).toBe(0o600);
    db.close();
  });

  it('rolls a failed transaction back whole and rows carry only their columns', () => {
    const db = openLocalDatabase(localDatabasePath(freshDir()), { migrations: CRASH_TEST_MIGRATIONS });
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO writes (batch, n, payload) VALUES (1, 1, ?)', ['a']);
        db.run('INSERT INTO writes (batch, n, payload) VALUES (1, 1, ?)', ['duplicate key']);
      }),
    ).toThrow(/UNIQUE|constraint/i);
    expect(db.all('SELECT * FROM writes')).toEqual([]);
    db.run('INSERT INTO writes (batch, n, payload) VALUES (?, ?, ?)', [2, 0, 'b']);
    expect(db.get('SELECT * FROM writes')).toEqual({ batch: 2, n: 0, payload: 'b' });
    db.close();
  });

  it('refuses a file written by a newer version, saying what to do', () => {
    const file = localDatabasePath(freshDir());
    openLocalDatabase(file, { migrations: CRASH_TEST_MIGRATIONS }).close();
    expect(() => openLocalDatabase(file)).toThrow(/newer ForceSites/);
  });

  it('names the file and the fix when it cannot be opened', () => {
    const dir = freshDir();
    const notADatabase = path.join(dir, 'forcesites.db');
    writeFileSync(notADatabase, 'this is not a database '.repeat(100));
    expect(() => openLocalDatabase(notADatabase)).toThrow(expect.objectContaining({ message: expect.stringContaining(notADatabase), hint: expect.stringMatching(/move it aside/) }));
  });

  it.each([3, 40, 150])('survives SIGKILL after %i committed transactions: reopens intact, every transaction whole', async (killAfter) => {
    const file = localDatabasePath(freshDir());
    const lastReported = await writeUntilKilled(file, killAfter);
    const db = openLocalDatabase(file, { migrations: CRASH_TEST_MIGRATIONS });
    expect(db.get<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    const batches = db.all<{ batch: number; rows: number }>('SELECT batch, COUNT(*) AS rows FROM writes GROUP BY batch ORDER BY batch');
    // Everything the child saw committed is there; nothing partial is.
    expect(batches.length).toBeGreaterThanOrEqual(lastReported);
    expect(batches.every((b, i) => b.batch === i + 1 && b.rows === 50)).toBe(true);
    // And it takes writes again.
    db.run('INSERT INTO writes (batch, n, payload) VALUES (?, 0, ?)', [batches.length + 1, 'after']);
    db.close();
  });
});

/** Runs the writer until it reports `killAfter` commits, SIGKILLs it, returns the last count it printed. */
function writeUntilKilled(file: string, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, path.join(here, 'support/database-writer.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match) last = Number(match[1]);
      }
      if (last >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
    });
  });
}
