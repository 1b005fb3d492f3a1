/**
 * Recovery of pull batches left `sending` (a killed process), on a real local database: a
 * create WordPress carried out is found by e-mail and recorded created with that user; one it
 * did not is recorded NOT_WRITTEN (the next pull creates it); an unanswered update is
 * UNCONFIRMED (the next pull compares again); what was answered before the stop keeps its
 * outcome; the run is marked interrupted; a run a live process is still doing is left alone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalDatabase } from '../../../main/platform/local-database';
import { PullJournal } from '../../../main/sync/pull-journal';
import { recoverPull } from '../../../main/sync/pull-recovery';
import { SyncJournal } from '../../../main/sync/sync-journal';
import { makeUser } from '../../integration/sync/support/sync-harness';

const DEAD = 4_000_001;
const ALIVE = 4_000_002;

function setUp(ownerPid: number) {
  const db = openLocalDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'forcesites-pullrec-')), 'sync.db'));
  const runs = new SyncJournal(db, ownerPid);
  runs.startRun({ id: 'run1', siteId: 'site1', direction: 'pull', objectType: 'Contact', matchKind: 'email', matchField: 'Email', strategy: 'wordpress', startedAt: '2026-01-01T00:00:00Z' });
  const killed = new PullJournal(db, ownerPid);
  const batchId = killed.begin(
    'run1',
    'site1',
    [
      { sf: '003A', email: 'made@example.org', wp: null, kind: 'create' },
      { sf: '003B', email: 'lost@example.org', wp: null, kind: 'create' },
      { sf: '003C', email: 'upd@example.org', wp: 12, kind: 'update' },
      { sf: '003D', email: 'done@example.org', wp: null, kind: 'create' },
    ],
    '2026-01-01T00:00:01Z',
  );
  // Answered before the kill: kept as it is.
  killed.record('run1', [{ salesforceId: '003D', wpUserId: 40, matchValue: 'done@example.org', outcome: 'created' }]);
  return { db, batchId, runs: new SyncJournal(db, process.pid), journal: new PullJournal(db, process.pid) };
}

describe('recoverPull', () => {
  it('settles a dead process’s unanswered batch by looking the e-mails up, writing nothing', async () => {
    const { db, runs, journal } = setUp(DEAD);
    const looked: string[] = [];
    const result = await recoverPull({
      journal,
      runs,
      siteId: 'site1',
      findByEmail: async (email) => {
        looked.push(email);
        return email === 'made@example.org' ? makeUser(31, { email: 'Made@Example.org' }) : undefined;
      },
      isLive: (pid) => pid === ALIVE,
      now: () => '2026-01-01T00:01:00Z',
    });
    expect(result).toEqual({ batches: 1, found: 1, missing: 1 });
    // Only the unanswered creates are looked up.
    expect(looked).toEqual(['made@example.org', 'lost@example.org']);
    const rows = runs.records('run1').rows.map((r) => [r.salesforce_id, r.outcome, r.wp_user_id, r.error_code]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['003A', 'created', 31, null],
        ['003B', 'failed', null, 'NOT_WRITTEN'],
        ['003C', 'failed', 12, 'UNCONFIRMED'],
        ['003D', 'created', 40, null],
      ]),
    );
    expect(runs.run('run1')).toMatchObject({ state: 'interrupted', created: 2, failed: 2 });
    expect(db.all<{ state: string }>('SELECT state FROM sync_pull_batches')).toEqual([{ state: 'recovered' }]);
    // Nothing left to recover.
    expect(await recoverPull({ journal, runs, siteId: 'site1', findByEmail: () => Promise.reject(new Error('not called')), isLive: () => false, now: () => 'later' })).toEqual({ batches: 0, found: 0, missing: 0 });
  });

  it('leaves alone a run another live process is doing', async () => {
    const { runs, journal } = setUp(ALIVE);
    const result = await recoverPull({ journal, runs, siteId: 'site1', findByEmail: () => Promise.reject(new Error('not called')), isLive: (pid) => pid === ALIVE, now: () => 'now' });
    expect(result).toEqual({ batches: 0, found: 0, missing: 0 });
    expect(runs.run('run1')?.state).toBe('running');
  });
});
