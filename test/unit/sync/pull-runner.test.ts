/**
 * The pull's journaled writes (writePullBatches) on a real local database: batches of 25,
 * each journaled `sending` before it leaves and `answered` with its outcomes after; a record
 * WordPress refuses fails alone in its words; a site-level failure stops the run with the
 * batch left `sending` and the answered part kept; `batch/v1` when the port offers it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WordpressUserInput } from '../../../common/wordpress-models';
import { openLocalDatabase, type LocalDatabase } from '../../../main/platform/local-database';
import { PullJournal } from '../../../main/sync/pull-journal';
import type { PullPlan } from '../../../main/sync/pull-planner';
import { writePullBatches, type UserWrite, type WriteUsers } from '../../../main/sync/pull-runner';
import { SyncJournal, type PullOutcomeRow } from '../../../main/sync/sync-journal';
import { WordpressError } from '../../../main/wordpress/wordpress-errors';
import { makeUser } from '../../integration/sync/support/sync-harness';

function database(): { db: LocalDatabase; journal: PullJournal } {
  const db = openLocalDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'forcesites-pullw-')), 'sync.db'));
  new SyncJournal(db, process.pid).startRun({ id: 'run1', siteId: 'site1', direction: 'pull', objectType: 'Contact', matchKind: 'email', matchField: 'Email', strategy: 'wordpress', startedAt: '2026-01-01T00:00:00Z' });
  return { db, journal: new PullJournal(db, process.pid) };
}

const create = (n: number): PullPlan => ({ kind: 'create', salesforceId: `003${String(n).padStart(3, '0')}`, email: `u${n}@example.org`, input: { email: `u${n}@example.org`, username: `u${n}` }, changes: [] });

function writer(overrides: Partial<WriteUsers> = {}): WriteUsers & { created: WordpressUserInput[] } {
  let id = 10;
  const created: WordpressUserInput[] = [];
  return {
    created,
    create: async (input) => {
      if (input.email === 'u2@example.org') throw new WordpressError('conflict', 'Sorry, that email address is already used!', { status: 400, wpCode: 'existing_user_email' });
      created.push(input);
      return makeUser(id++, { email: input.email ?? '' });
    },
    update: () => Promise.reject(new Error('unused')),
    findByEmail: () => Promise.resolve(undefined),
    ...overrides,
  };
}

function states(db: LocalDatabase): string[] {
  return db.all<{ state: string; size: number }>('SELECT state, size FROM sync_pull_batches ORDER BY id').map((row) => `${row.state}:${row.size}`);
}

describe('writePullBatches', () => {
  it('journals batches of 25 and fails a record WordPress refuses with its own code, carrying on', async () => {
    const { db, journal } = database();
    const rows: PullOutcomeRow[] = [];
    const sendingWhenSent: string[][] = [];
    await writePullBatches(
      { write: writer(), journal, runId: 'run1', siteId: 'site1', now: () => '2026-01-01T00:00:01Z', concurrency: 2, signal: new AbortController().signal, onSettled: (r) => rows.push(...r), beforeSend: () => void sendingWhenSent.push(states(db)) },
      Array.from({ length: 30 }, (_, i) => create(i + 1)),
    );
    expect(states(db)).toEqual(['answered:25', 'answered:5']);
    // Each batch was on disk as `sending` before its writes left.
    expect(sendingWhenSent[0]).toContain('sending:25');
    expect(rows).toHaveLength(30);
    expect(rows.find((r) => r.salesforceId === '003002')).toMatchObject({ outcome: 'failed', errorCode: 'existing_user_email', errorMessage: 'Sorry, that email address is already used!' });
    expect(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_records WHERE run_id = 'run1' AND outcome = 'created'")?.n).toBe(29);
  });

  it('stops when WordPress refuses the credentials: the answered part is kept and the batch stays sending for recovery', async () => {
    const { db, journal } = database();
    let calls = 0;
    const write = writer({
      create: async (input) => {
        if (++calls === 3) throw new WordpressError('bad-credentials', 'WordPress refused the application password.', { status: 401 });
        return makeUser(100 + calls, { email: input.email ?? '' });
      },
    });
    await expect(writePullBatches({ write, journal, runId: 'run1', siteId: 'site1', now: () => 'now', concurrency: 1, signal: new AbortController().signal, onSettled: () => undefined }, [create(1), create(3), create(4), create(5)])).rejects.toMatchObject({ reason: 'bad-credentials' });
    expect(states(db)).toEqual(['sending:4']);
    expect(db.all<{ salesforce_id: string }>("SELECT salesforce_id FROM sync_pull_records WHERE run_id = 'run1' ORDER BY salesforce_id").map((r) => r.salesforce_id)).toEqual(['003001', '003003']);
  });

  it('sends a batch as one batch/v1 call when the port offers it, and one by one when it answers undefined', async () => {
    const { journal } = database();
    const batches: UserWrite[][] = [];
    const batched = writer({
      writeBatch: async (writes) => {
        batches.push([...writes]);
        return writes.map((w, i) => (i === 0 ? { ok: false as const, error: new WordpressError('invalid-request', 'Invalid parameter(s): email', { status: 400, wpCode: 'rest_invalid_param' }) } : { ok: true as const, user: makeUser(50 + i, { email: w.input.email ?? '' }) }));
      },
    });
    const rows: PullOutcomeRow[] = [];
    await writePullBatches({ write: batched, journal, runId: 'run1', siteId: 'site1', now: () => 'now', concurrency: 1, signal: new AbortController().signal, onSettled: (r) => rows.push(...r) }, [create(1), create(3), create(4)]);
    expect(batches).toHaveLength(1);
    expect(batched.created).toHaveLength(0);
    expect(rows.map((r) => [r.outcome, r.errorCode ?? null, r.wpUserId])).toEqual([['failed', 'rest_invalid_param', null], ['created', null, 51], ['created', null, 52]]);

    const fallback = writer({ writeBatch: () => Promise.resolve(undefined) });
    await writePullBatches({ write: fallback, journal, runId: 'run1', siteId: 'site1', now: () => 'now', concurrency: 1, signal: new AbortController().signal, onSettled: () => undefined }, [create(6), create(7)]);
    expect(fallback.created.map((input) => input.email)).toEqual(['u6@example.org', 'u7@example.org']);
  });
});
