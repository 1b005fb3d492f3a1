/**
 * The push survives being killed: a child process runs it against the emulator and is
 * SIGKILLed at several points — right after a batch is journaled (not yet sent), while a
 * batch is at Salesforce (sent, answer not yet back: the emulator's latency holds it), and
 * during a Bulk job — then started again on the same database. Every time: exactly one
 * Salesforce record per WordPress user, with the right values, and a third run writes nothing.
 *
 * The "committed but the answer never arrived" case is also made deterministic in-process:
 * the answer of one create batch is swallowed and the service abandoned; a new service on the
 * same journal recovers the batch by looking its keys up, never by sending it again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKillableChild, type Kill } from '../../support/killable-child';
import { localDatabasePath, openLocalDatabase } from '../../../main/platform/local-database';
import type { LookupApi } from '../../../main/sync/key-lookup';
import { SyncJournal } from '../../../main/sync/sync-journal';
import { connectWithPkce } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { addExternalIdField, contactsByEmail, EXTERNAL_ID, BASIC_SETTINGS, makeUsers, registryApi, syncUnderTest } from './support/sync-harness';

const emu = useEmulator();
const here = path.dirname(fileURLToPath(import.meta.url));
const USERS = 1_000;

const runChild = (config: object, kill: Kill | undefined) => runKillableChild(path.join(here, 'support/push-child.ts'), config, kill);

function expectExactlyOnePerUser(matchKind: 'email' | 'external-id'): void {
  const users = makeUsers(USERS);
  const contacts = emu.handle.records(undefined, 'Contact') as Record<string, unknown>[];
  if (matchKind === 'email') {
    const byEmail = contactsByEmail(emu);
    for (const user of users) {
      expect(byEmail.get(user.email)?.length, user.email).toBe(1);
      expect(byEmail.get(user.email)![0]).toMatchObject({ FirstName: user.firstName, LastName: user.lastName });
    }
  } else {
    const byId = new Map<unknown, Record<string, unknown>[]>();
    for (const c of contacts) if (c['WP_User_Id__c']) byId.set(c['WP_User_Id__c'], [...(byId.get(c['WP_User_Id__c']) ?? []), c]);
    expect(byId.size).toBe(USERS);
    for (const user of users) expect(byId.get(`site1-${user.id}`)).toEqual([expect.objectContaining({ Email: user.email, LastName: user.lastName })]);
  }
}

async function killAndResume(matchKind: 'email' | 'external-id', kills: readonly Kill[], options: { latencyMs: number; bulkThreshold: number }): Promise<void> {
  if (matchKind === 'external-id') addExternalIdField(emu);
  const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
  const dbFile = localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-kill-')));
  const config = { dbFile, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version: conn.version, users: USERS, matchKind, bulkThreshold: options.bulkThreshold };
  emu.handle.setLatency(options.latencyMs);
  for (const kill of kills) expect((await runChild(config, kill)).killed).toBe(true);
  emu.handle.setLatency(0);
  const finished = await runChild(config, undefined);
  expect(finished.run).toMatchObject({ state: 'completed', failed: 0 });
  expectExactlyOnePerUser(matchKind);
  // Idempotent: nothing to write the next time.
  emu.handle.clearRequestLog();
  const again = await runChild(config, undefined);
  expect(again.run).toMatchObject({ created: 0, updated: 0, unchanged: USERS });
  const writes = emu.handle.requestLog({}).entries.filter((entry) => entry.kind === 'composite' || entry.path.includes('/jobs/ingest'));
  expect(writes).toEqual([]);
  // The journal tells the story: every killed run was recovered and marked interrupted.
  const db = openLocalDatabase(dbFile);
  const runs = new SyncJournal(db).runs('site1');
  expect(runs.filter((r) => r.state === 'interrupted')).toHaveLength(kills.length);
  expect(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_batches WHERE state = 'sending'")).toEqual({ n: 0 });
  db.close();
}

describe('kill and resume (SIGKILL)', () => {
  it('by e-mail: killed after batch 1 is journaled, while batch 3 is at Salesforce, and while batch 2 of the next run is', async () => {
    await killAndResume('email', [{ atBatch: 1, afterMs: 0 }, { atBatch: 3, afterMs: 60 }, { atBatch: 2, afterMs: 100 }], { latencyMs: 200, bulkThreshold: 5_000 });
  });

  it('by external id: killed while upserts are at Salesforce', async () => {
    await killAndResume('external-id', [{ atBatch: 2, afterMs: 80 }, { atBatch: 1, afterMs: 120 }], { latencyMs: 200, bulkThreshold: 5_000 });
  });

  it('Bulk: killed while the ingest job runs; the job is waited for, then its keys are looked up', async () => {
    await killAndResume('email', [{ atBatch: 1, afterMs: 150 }], { latencyMs: 40, bulkThreshold: 100 });
  });
});

describe('a batch Salesforce committed but whose answer never arrived', () => {
  it('is recovered by looking its keys up on restart, never sent again', async () => {
    const { api } = await registryApi(emu);
    let swallowed = false;
    // The second create batch reaches Salesforce, which commits it; its answer is lost and
    // the process "dies" (the promise never settles).
    let creates = 0;
    const lossy: LookupApi = {
      ...api,
      request: (async (request: Parameters<LookupApi['request']>[0]) => {
        const answer = await api.request(request);
        if (typeof request === 'object' && request.method === 'POST' && request.url === '/composite/sobjects' && ++creates === 2) {
          swallowed = true;
          return new Promise(() => undefined);
        }
        return answer;
      }) as LookupApi['request'],
    };
    const first = syncUnderTest(lossy, { users: makeUsers(600), concurrency: () => 1, pid: 999_999, isLive: () => false });
    void first.service.start('site1');
    await waitFor(() => swallowed);
    const journal = first.service.journal;
    const [abandoned] = journal.runs('site1');
    expect(journal.openBatches(abandoned!.id)).toHaveLength(1);
    expect(contactsByEmail(emu).size).toBe(400); // batch 2 is in Salesforce

    emu.handle.resetApiCalls();
    const second = syncUnderTest(api, { users: makeUsers(600), db: first.db, isLive: () => false });
    const run = await second.service.start('site1');
    expect(run).toMatchObject({ state: 'completed', created: 200, unchanged: 400 });
    expect(emu.handle.apiCalls().collections).toBe(1);
    const recovered = second.service.journal.run(abandoned!.id);
    expect(recovered).toMatchObject({ state: 'interrupted', created: 400 });
    expect(second.service.journal.records(abandoned!.id, { outcome: 'recovered' }).total).toBe(200);
    expectExactlyOnePerUserOf(600);
  });

  it('by external id too: upserts are matched, not duplicated', async () => {
    addExternalIdField(emu);
    const { api } = await registryApi(emu);
    const settings = { ...BASIC_SETTINGS, matchKey: EXTERNAL_ID };
    const sut = syncUnderTest(api, { users: makeUsers(300), settings });
    await sut.service.start('site1');
    const again = syncUnderTest(api, { users: makeUsers(300), settings, db: sut.db });
    expect(await again.service.start('site1')).toMatchObject({ unchanged: 300 });
  });
});

function expectExactlyOnePerUserOf(count: number): void {
  const byEmail = contactsByEmail(emu);
  for (const user of makeUsers(count)) expect(byEmail.get(user.email)?.length, user.email).toBe(1);
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
