/**
 * The live pull (SyncService.openLivePull) against the emulator and the in-process WordPress
 * users API, written through the real WordPress client: records and ids applied to existing
 * users field by field, creates only when asked, deleted ids skipped, every outcome in one
 * origin-'live' run, the Salesforce calls counted, the run slot shared with a manual pull,
 * a create WordPress refuses because the address was taken meanwhile sent as an update, and
 * an open live run not making the site busy for another process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LookupApi } from '../../../main/sync/key-lookup';
import type { PushSettings } from '../../../main/sync/push-planner';
import type { WriteUsers } from '../../../main/sync/pull-runner';
import type { RunRow } from '../../../main/sync/sync-journal';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { BASIC_SETTINGS, freshDatabase, registryApi, syncUnderTest } from './support/sync-harness';
import { startUsersServer, type RunningUsersServer, type UsersServerUser } from './support/users-server';

const emu = useEmulator();
let wordpress: RunningUsersServer | undefined;

afterEach(async () => {
  await wordpress?.close();
  wordpress = undefined;
});

const SETTINGS: PushSettings = {
  ...BASIC_SETTINGS,
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'both' },
    { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'pull' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'both' },
  ],
};

async function setUp(users: UsersServerUser[], extra: { beforeSend?: (batchId: number) => void | Promise<void>; db?: ReturnType<typeof freshDatabase>; pid?: number; isLive?: (pid: number) => boolean; api?: LookupApi } = {}) {
  wordpress ??= await startUsersServer(() => users);
  const client = new WordpressClient({ siteUrl: wordpress.url, username: wordpress.username, password: wordpress.password });
  const writeUsers: WriteUsers = {
    create: (input, signal) => client.createUser(input, signal),
    update: (id, input, signal) => client.updateUser(id, input, signal),
    findByEmail: (email, signal) => client.findUserByEmail(email, signal),
    writeBatch: (writes, signal) => client.writeUsersBatch(writes, signal),
  };
  const registry = await registryApi(emu);
  const api = extra.api ?? registry.api;
  const sut = syncUnderTest(api, {
    forSite: registry.forSite,
    settings: SETTINGS,
    readUsers: async function* (_siteId, signal) {
      for await (const page of client.users({ signal })) yield { items: page.items, total: page.total };
    },
    writeUsers: () => writeUsers,
    ...(extra.db ? { db: extra.db } : {}),
    ...(extra.beforeSend ? { beforeSend: extra.beforeSend } : {}),
    ...(extra.pid ? { pid: extra.pid } : {}),
    ...(extra.isLive ? { isLive: extra.isLive } : {}),
  });
  return { ...sut, api, siteCalls: registry.siteCalls };
}

async function contacts(api: LookupApi, ids: readonly string[]): Promise<Record<string, unknown>[]> {
  const page = await api.request<{ records: Record<string, unknown>[] }>(`/query?q=${encodeURIComponent(`SELECT Id, SystemModstamp, Email, FirstName, LastName FROM Contact WHERE Id IN ('${ids.join("','")}')`)}`);
  return page.records;
}

describe('live pull', () => {
  it('applies records and ids to existing users, creates only when asked, skips deleted ids, and records everything in one live run', async () => {
    const users: UsersServerUser[] = [
      { id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' },
      { id: 2, username: 'ann', email: 'Ann@Example.org', firstName: 'Ann', lastName: 'Old' },
      { id: 3, username: 'bob', email: 'bob@example.org', firstName: 'Bob', lastName: 'Same' },
    ];
    const [ann, bob, newcomer, invalid, gone] = emu.handle.seed(undefined, 'Contact', [
      { FirstName: 'Ann', LastName: "O'Brien", Email: 'ann@example.org' },
      { FirstName: 'Bob', LastName: 'Same', Email: 'bob@example.org' },
      { FirstName: 'Nia', LastName: 'New', Email: 'nia@example.org' },
      { FirstName: 'Ivy', LastName: 'No address' },
      { FirstName: 'Gus', LastName: 'Gone', Email: 'gus@example.org' },
    ]) as string[];
    const { service, db, api, siteCalls } = await setUp(users);

    const live = await service.openLivePull('site1');
    expect(live.objectType).toBe('Contact');
    expect(live.selectFields).toEqual(['Id', 'SystemModstamp', 'Email', 'FirstName', 'LastName']);
    expect(db.get<RunRow>('SELECT * FROM sync_runs WHERE id = ?', [live.runId])).toMatchObject({ direction: 'pull', origin: 'live', state: 'running', strategy: 'live' });

    const fromRecords = await live.applyRecords(await contacts(api, [ann!, bob!, newcomer!, invalid!]));
    // No Topics or picklist: records already read cost no Salesforce call.
    expect(fromRecords).toEqual({ created: 0, updated: 1, unchanged: 1, failed: 1, skipped: 1, apiCalls: 0 });
    expect(users.find((u) => u.id === 2)).toMatchObject({ lastName: "O'Brien", email: 'Ann@Example.org' });
    expect(users.some((u) => u.email === 'nia@example.org')).toBe(false);

    await api.request({ method: 'PATCH', url: `/sobjects/Contact/${bob}`, body: JSON.stringify({ LastName: 'Changed' }), headers: { 'Content-Type': 'application/json' } });
    await api.request({ method: 'DELETE', url: `/sobjects/Contact/${gone}` });
    const metered = siteCalls('site1');
    const fromIds = await live.applyIds([bob!, gone!, bob!]);
    expect(fromIds).toEqual({ created: 0, updated: 1, unchanged: 0, failed: 0, skipped: 1, apiCalls: 1 });
    // The one query is counted for the site (the Health page's per-site API usage).
    expect(siteCalls('site1') - metered).toBe(1);
    expect(users.find((u) => u.id === 3)).toMatchObject({ lastName: 'Changed' });

    const history = service.run(live.runId)!;
    expect(history).toMatchObject({ state: 'running', updated: 2, invalid: 1 });
    live.close('completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Records, not calls: Ann, Bob (applied twice, his last outcome kept) and the one without an address.
    expect(service.run(live.runId)).toMatchObject({ direction: 'pull', origin: 'live', state: 'completed', total: 3, updated: 2, unchanged: 0, invalid: 1, apiCalls: 1 });
    await expect(live.applyIds([bob!])).rejects.toThrow(/closed/);
    const records = service.journal.records(live.runId).rows;
    expect(records.find((r) => r.salesforce_id === invalid)).toMatchObject({ outcome: 'invalid', error_message: expect.stringMatching(/no e-mail address/) });

    const creating = await service.openLivePull('site1', { createUsers: true, role: 'customer' });
    expect(await creating.applyIds([newcomer!])).toMatchObject({ created: 1, skipped: 0 });
    expect(users.filter((u) => u.email === 'nia@example.org')).toEqual([expect.objectContaining({ firstName: 'Nia', lastName: 'New', roles: ['customer'] })]);
    creating.close('cancelled', 'The feed was stopped.');
  });

  it('refuses bad input with a clear error', async () => {
    const { service } = await setUp([{ id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' }]);
    await expect(service.openLivePull('site1', { role: 'Not a role!' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', hint: expect.stringMatching(/role slug/) });
    const live = await service.openLivePull('site1');
    await expect(live.applyRecords(Array.from({ length: 201 }, (_, i) => ({ Id: `003000000000${String(i).padStart(3, '0')}`, Email: null })))).rejects.toThrow(/at most 200/);
    await expect(live.applyRecords([{ Email: 'x@example.org' }])).rejects.toThrow(/no Salesforce Id/);
    await expect(live.applyRecords([{ Id: '003000000000001AAA', LastName: 'No e-mail field' }])).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/without its Email field/), hint: expect.stringMatching(/selectFields/) });
    await expect(live.applyIds(["003' OR Name != '"])).rejects.toThrow(/not a Salesforce record Id/);
    live.close('completed');
  });

  it('waits for a manual pull of the site to finish, and holds the slot only while it applies', async () => {
    const users: UsersServerUser[] = [{ id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' }];
    const [first] = emu.handle.seed(undefined, 'Contact', [
      { FirstName: 'Ann', LastName: 'One', Email: 'ann@example.org' },
      { FirstName: 'Bea', LastName: 'Two', Email: 'bea@example.org' },
    ]) as string[];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const { service } = await setUp(users, {
      beforeSend: async () => {
        // The manual pull's first batch waits at the journal until the test lets it go.
        if (++batches === 1) await held;
      },
    });
    const live = await service.openLivePull('site1');
    const manual = service.startPull('site1', { filter: { kind: 'all' }, role: 'subscriber' });
    while (batches === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    let applied = false;
    const applying = live.applyIds([first!]).then((result) => {
      applied = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(applied).toBe(false);
    release();
    expect(await manual).toMatchObject({ state: 'completed', created: 2 });
    // The manual pull created Ann; the live call, after it, finds her unchanged.
    expect(await applying).toMatchObject({ unchanged: 1, created: 0 });
    expect(service.isRunning('site1')).toBe(false);
    live.close('completed');
  });

  it('sends a create as an update when the address was taken in WordPress after the session opened', async () => {
    const users: UsersServerUser[] = [{ id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' }];
    const [kim] = emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Kim', LastName: 'Salesforce', Email: 'kim@example.org' }]) as string[];
    const { service } = await setUp(users);
    const live = await service.openLivePull('site1', { createUsers: true });
    users.push({ id: 7, username: 'kim', email: 'KIM@example.org', firstName: 'Kim', lastName: 'WordPress' });
    expect(await live.applyIds([kim!])).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(users.filter((u) => u.email.toLowerCase() === 'kim@example.org')).toEqual([expect.objectContaining({ id: 7, lastName: 'Salesforce' })]);
    live.close('completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.journal.records(live.runId).rows).toEqual([expect.objectContaining({ salesforce_id: kim, outcome: 'updated', wp_user_id: 7 })]);
  });

  it('an open live run does not make the site busy for another process', async () => {
    const users: UsersServerUser[] = [{ id: 1, username: 'admin', email: 'admin@example.org', firstName: 'Site', lastName: 'Admin' }];
    emu.handle.seed(undefined, 'Contact', [{ FirstName: 'Ann', LastName: 'One', Email: 'ann@example.org' }]);
    const db = freshDatabase();
    const app = await setUp(users, { db, pid: 1001, isLive: () => true });
    const live = await app.service.openLivePull('site1');
    const cli = await setUp(users, { db, pid: 1002, isLive: () => true, api: app.api });
    expect(await cli.service.startPull('site1', { filter: { kind: 'all' }, role: 'subscriber' })).toMatchObject({ state: 'completed', created: 1 });
    live.close('completed');
  });
});

