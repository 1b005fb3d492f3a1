/**
 * The push against the emulator through the ConnectionRegistry: plan (dry run) and run,
 * call budgets, idempotence, per-record failures with Salesforce's words, conflicts, the
 * external-id upsert, Bulk 2.0 for big runs, faults, stops, cancel and one run per site.
 */
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { addExternalIdField, BASIC_SETTINGS, contactsByEmail, EXTERNAL_ID, makeUser, makeUsers, registryApi, syncUnderTest } from './support/sync-harness';

const emu = useEmulator();

function expectOnePerUser(users: readonly { email: string; lastName: string; firstName: string }[]): void {
  const byEmail = contactsByEmail(emu);
  for (const user of users) {
    const records = byEmail.get(user.email.toLowerCase()) ?? [];
    expect(records, user.email).toHaveLength(1);
    expect(records[0]).toMatchObject({ LastName: user.lastName, FirstName: user.firstName });
  }
}

describe('push by e-mail', () => {
  it('previews without writing, then creates everyone in batches of 200 within the call budget', async () => {
    const { api, forSite } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(450), forSite });
    const before = emu.handle.records(undefined, 'Contact').length;
    const plan = await sut.service.plan('site1');
    expect(plan.counts).toEqual({ create: 450, update: 0, unchanged: 0, invalid: 0, conflict: 0 });
    expect(plan.strategy).toBe('collections');
    expect(plan.estimate.writeCalls).toBe(3);
    expect(plan.estimate.remainingDaily).toBeGreaterThan(0);
    expect(plan.rows[0]).toMatchObject({ class: 'create', changes: expect.arrayContaining([{ field: 'LastName', old: null, new: 'Last1' }]) });
    expect(emu.handle.records(undefined, 'Contact').length).toBe(before);

    emu.handle.resetApiCalls();
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ state: 'completed', created: 450, failed: 0, total: 450 });
    expect(emu.handle.apiCalls().total).toBeLessThanOrEqual(2 * Math.ceil(450 / 200) + 5);
    expect(emu.handle.apiCalls().collections).toBe(3);
    expectOnePerUser(sut.users);
    const records = sut.service.journal.records(run.id, { outcome: 'created', limit: 1 });
    expect(records.total).toBe(450);
    expect(records.rows[0]).toMatchObject({ outcome: 'created', salesforce_id: expect.stringMatching(/^003/) });
  });

  it('writes nothing the second time, and only what changed after an edit (old → new)', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(250) });
    await sut.service.start('site1');
    emu.handle.resetApiCalls();
    const again = await sut.service.start('site1');
    expect(again).toMatchObject({ state: 'completed', unchanged: 250, created: 0, updated: 0 });
    expect(emu.handle.apiCalls().collections).toBe(0);

    // The address differs only in case: still the same person, not a change.
    sut.users = sut.users.map((u) => (u.id === 3 ? { ...u, lastName: "O'Brien \\ Ünïcødé", email: u.email.toUpperCase() } : u));
    const plan = await sut.service.plan('site1');
    expect(plan.counts).toMatchObject({ update: 1, unchanged: 249 });
    expect(plan.rows.find((r) => r.wpUserId === 3)).toMatchObject({ class: 'update', changes: [{ field: 'LastName', old: 'Last3', new: "O'Brien \\ Ünïcødé" }] });
    emu.handle.resetApiCalls();
    const edited = await sut.service.start('site1');
    expect(edited).toMatchObject({ updated: 1, unchanged: 249 });
    expect(emu.handle.apiCalls().collections).toBe(1);
    expect(contactsByEmail(emu).get('user3@example.org')?.[0]).toMatchObject({ LastName: "O'Brien \\ Ünïcødé" });
  });

  it('reports conflicts and invalid users without writing them, and per-record failures in Salesforce’s words', async () => {
    const { api } = await registryApi(emu);
    emu.handle.seed(undefined, 'Contact', [
      { LastName: 'Twin A', Email: 'twin@example.org' },
      { LastName: 'Twin B', Email: 'TWIN@example.org' },
    ]);
    const users = [makeUser(1), makeUser(2, { email: 'twin@example.org' }), makeUser(3, { email: '' }), makeUser(4, { email: 'not an email' }), makeUser(5, { lastName: 'x'.repeat(81) }), makeUser(6, { lastName: '' }), makeUser(7, { email: 'same@example.org' }), makeUser(8, { email: 'Same@Example.org' })];
    const sut = syncUnderTest(api, { users });
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ created: 1, conflict: 3, invalid: 2, failed: 2 });
    const byUser = new Map(sut.service.journal.records(run.id).rows.map((r) => [r.wp_user_id, r]));
    expect(byUser.get(2)).toMatchObject({ outcome: 'conflict', error_message: expect.stringMatching(/2 Contact records have Email “twin@example.org”/) });
    expect(byUser.get(3)).toMatchObject({ outcome: 'invalid', error_message: expect.stringMatching(/no email/) });
    expect(byUser.get(5)).toMatchObject({ outcome: 'failed', error_code: 'STRING_TOO_LONG' });
    expect(byUser.get(6)).toMatchObject({ outcome: 'failed', error_code: 'REQUIRED_FIELD_MISSING', error_message: expect.stringMatching(/LastName/) });
    expect(byUser.get(7)).toMatchObject({ outcome: 'conflict', error_message: expect.stringMatching(/Several WordPress users/) });
    expect(contactsByEmail(emu).get('twin@example.org')).toHaveLength(2);
  });
});

describe('records Salesforce refused', () => {
  it('are remembered and not sent again while their values are unchanged; new values or “retry refused” send them', async () => {
    const { api } = await registryApi(emu);
    const users = [...makeUsers(3), makeUser(4, { lastName: 'x'.repeat(81) }), makeUser(5, { lastName: '' })];
    const sut = syncUnderTest(api, { users });
    const first = await sut.service.start('site1');
    expect(first).toMatchObject({ created: 3, failed: 2 });

    // The preview says so: not a create, a count of its own, Salesforce's words and the date.
    const plan = await sut.service.plan('site1');
    expect(plan.counts).toMatchObject({ create: 0, unchanged: 3 });
    expect(plan.notResent).toBe(2);
    expect(plan.estimate.writeCalls).toBe(0);
    expect(plan.rows.find((r) => r.wpUserId === 4)).toMatchObject({ notResent: true, reason: expect.stringMatching(/^STRING_TOO_LONG: .*not re-sent: unchanged since Salesforce refused it on \d{4}-\d{2}-\d{2}/) });

    emu.handle.resetApiCalls();
    const again = await sut.service.start('site1');
    expect(again).toMatchObject({ state: 'completed', unchanged: 3, failed: 2, created: 0 });
    expect(emu.handle.apiCalls().collections).toBe(0);
    const byUser = new Map(sut.service.journal.records(again.id).rows.map((r) => [r.wp_user_id, r]));
    expect(byUser.get(4)).toMatchObject({ outcome: 'failed', error_code: 'STRING_TOO_LONG', error_message: expect.stringMatching(/not re-sent: unchanged since Salesforce refused it on/) });
    expect(byUser.get(5)).toMatchObject({ outcome: 'failed', error_code: 'REQUIRED_FIELD_MISSING' });

    // New values go, and a record written is forgotten; the other stays remembered.
    sut.users = sut.users.map((u) => (u.id === 4 ? { ...u, lastName: 'Short' } : u));
    emu.handle.resetApiCalls();
    expect(await sut.service.start('site1')).toMatchObject({ created: 1, failed: 1 });
    expect(emu.handle.apiCalls().collections).toBe(1);
    expect(contactsByEmail(emu).get('user4@example.org')?.[0]).toMatchObject({ LastName: 'Short' });
    expect((await sut.service.plan('site1')).notResent).toBe(1);

    // The admin fixed something in Salesforce (a rule, a field): retry sends the same values.
    emu.handle.resetApiCalls();
    const retried = await sut.service.start('site1', { retryRefused: true });
    expect(emu.handle.apiCalls().collections).toBe(1);
    expect(sut.service.journal.records(retried.id, { outcome: 'failed' }).rows[0]).toMatchObject({ wp_user_id: 5, error_code: 'REQUIRED_FIELD_MISSING', error_message: expect.not.stringMatching(/not re-sent/) });
  });

  it('never remembers a transient failure (a lock that outlasted the retries): the next run sends it', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(20), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    emu.handle.setFaults({ seed: 3, lockRowRate: 1 });
    const locked = await sut.service.start('site1').finally(() => emu.handle.clearFaults());
    expect(locked.failed).toBe(20);
    expect(sut.service.journal.records(locked.id, { outcome: 'failed' }).rows[0]).toMatchObject({ error_code: 'UNABLE_TO_LOCK_ROW' });
    expect((await sut.service.plan('site1')).notResent).toBe(0);
    expect(await sut.service.start('site1')).toMatchObject({ created: 20, failed: 0 });
  });

  it('through Bulk too: a record its ingest job refused is not in the next job', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: [...makeUsers(400), makeUser(401, { lastName: 'y'.repeat(81) })], bulkThreshold: () => 300 });
    expect(await sut.service.start('site1')).toMatchObject({ strategy: 'bulk', created: 400, failed: 1 });
    sut.users = sut.users.map((u) => (u.id <= 350 ? { ...u, firstName: `Changed${u.id}` } : u));
    emu.handle.clearRequestLog();
    const second = await sut.service.start('site1');
    expect(second).toMatchObject({ strategy: 'bulk', updated: 350, unchanged: 50, failed: 1 });
    expect(sut.service.journal.records(second.id, { outcome: 'failed' }).rows[0]).toMatchObject({ wp_user_id: 401, error_code: 'STRING_TOO_LONG', error_message: expect.stringMatching(/not re-sent/) });
    // One ingest job, the update; none for the refused create.
    const jobs = emu.handle.requestLog({ limit: 10_000 }).entries.filter((entry) => entry.method === 'POST' && /\/jobs\/ingest$/.test(entry.path));
    expect(jobs).toHaveLength(1);
  });
});

describe('bounded memory', () => {
  it('looks keys up with IN lists when the org holds many more keyed records than the run has users', async () => {
    const { api } = await registryApi(emu);
    emu.handle.seed(undefined, 'Contact', Array.from({ length: 5_000 }, (_, i) => ({ LastName: `Seeded${i + 1}`, Email: `user${i + 1}@example.org` })));
    // 300 users: 1–100 exist (their LastName differs), 5,001–5,200 do not.
    const sut = syncUnderTest(api, { users: [...makeUsers(100), ...makeUsers(200, 5_001)] });
    emu.handle.resetApiCalls();
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ created: 200, updated: 100, unchanged: 0, conflict: 0 });
    expect(emu.handle.apiCalls().total).toBeLessThanOrEqual(2 * Math.ceil(300 / 200) + 5);
    // COUNT(), two IN lists, limits, a create and an update call; a scan would read 3 pages instead of 2 lists.
    expect(emu.handle.apiCalls().total).toBeLessThanOrEqual(6);
    expect(contactsByEmail(emu).get('user42@example.org')).toEqual([expect.objectContaining({ LastName: 'Last42' })]);
  });

  it('catches several WordPress users with one key in different windows as conflicts, and writes neither', async () => {
    const { api } = await registryApi(emu);
    // Windows are 500 users: 7 and 1,207 fall in different ones.
    const users = makeUsers(1_300).map((u) => (u.id === 1_207 ? { ...u, email: 'USER7@example.org' } : u));
    const sut = syncUnderTest(api, { users });
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ created: 1_298, conflict: 2 });
    const byUser = new Map(sut.service.journal.records(run.id, { outcome: 'conflict' }).rows.map((r) => [r.wp_user_id, r]));
    expect([...byUser.keys()].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([7, 1_207]);
    expect(contactsByEmail(emu).get('user7@example.org')).toBeUndefined();
  });
});

describe('push by external id', () => {
  it('upserts on the external id within ceil(N/200) + 5 calls and is idempotent', async () => {
    addExternalIdField(emu);
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(600), settings: { ...BASIC_SETTINGS, matchKey: EXTERNAL_ID } });
    emu.handle.resetApiCalls();
    const run = await sut.service.start('site1');
    expect(run).toMatchObject({ state: 'completed', created: 600 });
    expect(emu.handle.apiCalls().total).toBeLessThanOrEqual(Math.ceil(600 / 200) + 5);
    const ids = (emu.handle.records(undefined, 'Contact') as Record<string, unknown>[]).map((r) => r['WP_User_Id__c']).filter(Boolean);
    expect(new Set(ids).size).toBe(600);
    expect(ids).toContain('site1-42');
    emu.handle.resetApiCalls();
    expect(await sut.service.start('site1')).toMatchObject({ unchanged: 600, created: 0, updated: 0 });
    expect(emu.handle.apiCalls().collections).toBe(0);
  });
});

describe('Bulk API 2.0 above the threshold', () => {
  it('looks keys up with one query job and writes with one ingest job per operation, results matched back', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(700), bulkThreshold: () => 300 });
    const first = await sut.service.start('site1');
    expect(first).toMatchObject({ state: 'completed', strategy: 'bulk', created: 700 });
    sut.users = [...sut.users.map((u) => (u.id <= 350 ? { ...u, firstName: `Changed${u.id}` } : u)), ...makeUsers(10, 701)];
    emu.handle.resetApiCalls();
    const second = await sut.service.start('site1');
    expect(second).toMatchObject({ strategy: 'bulk', created: 10, updated: 350, unchanged: 350 });
    const calls = emu.handle.apiCalls();
    expect(calls.collections).toBe(0);
    // query job + insert job + update job, each a handful of calls plus polls
    expect(calls.total - calls.bulkPoll).toBeLessThanOrEqual(3 + 5 + 5 + 2);
    expectOnePerUser(sut.users);
  });
});

describe('faults', () => {
  it('retries 5xx, dropped connections and UNABLE_TO_LOCK_ROW and still ends with exactly one record per user', async () => {
    const { api } = await registryApi(emu, 3_000);
    const sut = syncUnderTest(api, { users: makeUsers(800), retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 50 } });
    emu.handle.setFaults({ seed: 7, error500Rate: 0.1, error503Rate: 0.1, dropRate: 0.1, lockRowRate: 0.3 });
    const run = await sut.service.start('site1').finally(() => emu.handle.clearFaults());
    expect(run.failed).toBe(0);
    expectOnePerUser(sut.users);
    expect(await sut.service.start('site1')).toMatchObject({ unchanged: 800 });
  });

  it('stops on REQUEST_LIMIT_EXCEEDED with the journal intact, and the next run finishes the job', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(1_000), concurrency: () => 1 });
    const plan = await sut.service.plan('site1');
    // Room for the lookups and two write batches, not five.
    const used = emu.handle.apiCalls().total;
    emu.handle.configureOrg(undefined, { dailyApiMax: used + plan.estimate.planCalls + 3, apiUsed: used });
    const stopped = await sut.service.start('site1', { confirmed: true }).catch((error: unknown) => error);
    expect(stopped).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', hint: expect.stringMatching(/journal saved/) });
    const [failedRun] = sut.service.runs('site1');
    expect(failedRun).toMatchObject({ state: 'failed', errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(failedRun!.created).toBeGreaterThan(0);
    emu.handle.configureOrg(undefined, { dailyApiMax: 1_000_000 });
    const next = await sut.service.start('site1');
    expect(next.state).toBe('completed');
    expectOnePerUser(sut.users);
  });

  it('refreshes an expired session and carries on', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(600), concurrency: () => 1, beforeSend: (batchId) => {
      if (batchId === 2) emu.handle.expireAllSessions();
    } });
    emu.handle.resetApiCalls();
    expect(await sut.service.start('site1')).toMatchObject({ state: 'completed', created: 600, failed: 0 });
    expect(emu.handle.apiCalls().token).toBe(1);
    expectOnePerUser(sut.users);
  });

  it('stops with NEEDS_REAUTHORIZATION when the session and the refresh token are gone', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(50) });
    for (const approval of emu.handle.approvals()) emu.handle.revokeToken((approval as { refreshToken?: string }).refreshToken ?? '');
    emu.handle.expireAllSessions();
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: 'zero' });
    const error = await sut.service.start('site1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NEEDS_REAUTHORIZATION', hint: expect.stringMatching(/Reauthorize/) });
  });
});

describe('runs', () => {
  it('one sync per site at a time; another site may sync meanwhile; Cancel stops after the batches in flight', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(2_000), concurrency: () => 1, bulkThreshold: () => 5_000 });
    emu.handle.setLatency(40);
    const running = sut.service.start('site1');
    await expect(sut.service.start('site1')).rejects.toMatchObject({ code: 'CONFLICT' });
    const other = syncUnderTest(api, { users: [makeUser(5_001)], db: sut.db });
    await expect(other.service.start('site2')).resolves.toMatchObject({ created: 1 });
    await waitFor(() => sut.service.journal.runs('site1')[0]?.created !== undefined && (sut.service.journal.records(sut.service.runs('site1')[0]!.id, { outcome: 'created' }).total ?? 0) >= 200);
    expect(sut.service.cancel('site1')).toBe(true);
    const cancelled = await running;
    emu.handle.setLatency(0);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.created).toBeGreaterThanOrEqual(200);
    expect(cancelled.created).toBeLessThan(2_000);
    const rest = await sut.service.start('site1');
    expect(rest.created + cancelled.created).toBe(2_000);
    expectOnePerUser(sut.users);
  });

  it('asks first when the writes would use more than the share of the org’s remaining requests', async () => {
    const { api } = await registryApi(emu);
    const sut = syncUnderTest(api, { users: makeUsers(1_000) });
    const used = emu.handle.apiCalls().total;
    emu.handle.configureOrg(undefined, { dailyApiMax: used + 12, apiUsed: used });
    const plan = await sut.service.plan('site1');
    expect(plan.estimate).toMatchObject({ writeCalls: 5, needsConfirmation: true, shareLimit: 0.5 });
    expect(plan.estimate.remainingDaily).toBeLessThan(10);
    await expect(sut.service.start('site1')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/50%/) });
    expect(sut.service.runs('site1')).toEqual([]);
    emu.handle.configureOrg(undefined, { dailyApiMax: used + 100 });
    expect(await sut.service.start('site1', { confirmed: true })).toMatchObject({ created: 1_000 });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
