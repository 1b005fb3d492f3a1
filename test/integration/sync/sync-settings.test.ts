/**
 * The Settings page's sync settings through the app's contract: changed with
 * `settings:update` while the app runs, they apply to the next plan and run (read per run, not
 * at start-up) — the Bulk threshold, the API share, and truncation of values longer than
 * their field: on, the value is cut to the field's length and the preview and the run's
 * records say so; off, the record fails with STRING_TOO_LONG (Salesforce's own error when the
 * field cache is not loaded, the planner's reason when it is).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { membersSite, startAppHarness, type AppHarness } from '../app/app-harness';
import { contactsByEmail } from './support/sync-harness';
import { startUsersServer, type RunningUsersServer, type UsersServerUser } from './support/users-server';

const emu = useEmulator();
let harness: AppHarness | undefined;
let wordpress: RunningUsersServer | undefined;

afterEach(async () => {
  await harness?.app.close();
  await wordpress?.close();
  harness = undefined;
  wordpress = undefined;
});

/**
 * 100 characters, 102 UTF-16 units; Contact.LastName takes 80 (Salesforce counts UTF-16 units,
 * an emoji is two). The 80th unit is the first half of 😀: the cut keeps 79 rather than split it.
 */
const LONG_NAME = `${'Ölmez-'.repeat(13)}a😀🎉${'é'.repeat(19)}`;

async function site(users: UsersServerUser[]): Promise<{ h: AppHarness; siteId: string }> {
  wordpress = await startUsersServer(() => users);
  harness = await startAppHarness(emu);
  const h = harness;
  const finished = await h.signIn();
  const saved = await h.call('sites:save', membersSite(wordpress, finished.connection!.id, { names: ['last_name'] }));
  return { h, siteId: saved.id };
}

async function runToEnd(h: AppHarness, siteId: string): Promise<string> {
  const done = new Promise<void>((resolve) => {
    const stop = h.app.events.subscribe((channel, payload) => {
      if (channel === 'sync:progress' && (payload as { phase: string }).phase === 'done') {
        stop();
        resolve();
      }
    });
  });
  const { runId } = await h.call('sync:start', { siteId, confirmed: true });
  await done;
  return runId;
}

const people = (count: number): UsersServerUser[] => Array.from({ length: count }, (_, i) => ({ id: i + 1, username: `s${i + 1}`, email: `s${i + 1}@example.org`, firstName: 'Sam', lastName: `Lee ${i + 1}` }));

describe('sync settings', () => {
  it('defaults: 4 in flight, Bulk above 2,000, ask above 50 %, no Topic removal, no truncation', async () => {
    harness = await startAppHarness(emu);
    expect(await harness.call('settings:get', {})).toMatchObject({ syncConcurrency: 4, syncBulkThreshold: 2000, syncApiSharePercent: 50, syncRemoveTopics: false, syncTruncateLongValues: false });
    const refused = await harness.send('settings:update', { syncConcurrency: 0 });
    expect(refused.ok).toBe(false);
    expect((await harness.send('settings:update', { syncBulkThreshold: 199 })).ok).toBe(false);
    expect((await harness.send('settings:update', { syncApiSharePercent: 101 })).ok).toBe(false);
  });

  it('the Bulk threshold and the API share changed while the app runs apply to the next plan', async () => {
    const { h, siteId } = await site(people(250));
    const before = await h.call('sync:plan', { siteId });
    expect(before).toMatchObject({ strategy: 'collections', estimate: { shareLimit: 0.5 } });
    await h.call('settings:update', { syncBulkThreshold: 200, syncApiSharePercent: 25, syncConcurrency: 2 });
    const after = await h.call('sync:plan', { siteId });
    expect(after).toMatchObject({ strategy: 'bulk', counts: { create: 250 }, estimate: { shareLimit: 0.25 } });
  });

  it('truncation off: without the field cache Salesforce fails the record with STRING_TOO_LONG; with it the preview says so first', async () => {
    const { h, siteId } = await site([...people(2), { id: 3, username: 'long', email: 'long@example.org', firstName: 'Lo', lastName: LONG_NAME }]);
    const runId = await runToEnd(h, siteId);
    const failed = await h.call('sync:run', { runId, outcome: 'failed' });
    expect(failed.records).toEqual([expect.objectContaining({ wpUserId: 3, errorCode: 'STRING_TOO_LONG' })]);
    expect(contactsByEmail(emu).has('long@example.org')).toBe(false);

    await h.call('fields:refresh', { siteId });
    const plan = await h.call('sync:plan', { siteId });
    expect(plan.counts).toMatchObject({ invalid: 1, unchanged: 2 });
    // 100 code points, two of them emoji: 102 UTF-16 units, as Salesforce counts them.
    expect(plan.rows.find((row) => row.wpUserId === 3)?.reason).toMatch(/102 characters; LastName takes at most 80 \(STRING_TOO_LONG\)/);
  });

  it('truncation on: the value is cut to the field’s length (never inside an emoji), the preview and the records say so, and a re-run writes nothing', async () => {
    const { h, siteId } = await site([{ id: 1, username: 'long', email: 'long@example.org', firstName: 'Lo', lastName: LONG_NAME }, ...people(3).map((p) => ({ ...p, id: p.id + 1 }))]);
    await h.call('fields:refresh', { siteId });
    await h.call('settings:update', { syncTruncateLongValues: true });
    const cut = `${'Ölmez-'.repeat(13)}a`;
    expect(LONG_NAME.startsWith(cut) && cut.length === 79).toBe(true);

    const plan = await h.call('sync:plan', { siteId });
    expect(plan.counts).toMatchObject({ create: 4, invalid: 0 });
    const row = plan.rows.find((r) => r.wpUserId === 1)!;
    expect(row.changes).toContainEqual({ field: 'LastName', old: null, new: cut, truncatedFrom: 100 });
    // Only the long value says it was cut.
    expect(plan.rows.filter((r) => r.changes.some((c) => c.truncatedFrom !== undefined)).map((r) => r.wpUserId)).toEqual([1]);

    const runId = await runToEnd(h, siteId);
    const created = await h.call('sync:run', { runId, outcome: 'created' });
    expect(created.total).toBe(4);
    expect(created.records.find((r) => r.wpUserId === 1)?.changes).toContainEqual({ field: 'LastName', old: null, new: cut, truncatedFrom: 100 });
    expect(contactsByEmail(emu).get('long@example.org')?.[0]?.['LastName']).toBe(cut);

    // The cut value is what Salesforce holds now: nothing to write the second time.
    const again = await h.call('sync:plan', { siteId });
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 4 });
  });
});
