/**
 * What the sync tests share: WordPress-shaped users, an in-process users source (pages of
 * 100 as the REST API serves them), a Salesforce API through the ConnectionRegistry (so the
 * guarded, metered transport is in the path), and a SyncService over a fresh local database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MATCH_KEY, type MatchKey } from '../../../../common/fields-models';
import type { WordpressUser } from '../../../../common/wordpress-models';
import { localDatabasePath, openLocalDatabase, type LocalDatabase } from '../../../../main/platform/local-database';
import { ProfileStore } from '../../../../main/platform/profile-store';
import { textRequestsOf } from '../../../../main/salesforce/salesforce-text';
import type { LookupApi } from '../../../../main/sync/key-lookup';
import type { PushSettings } from '../../../../main/sync/push-planner';
import { SyncService, type ReadUsers, type SyncServiceOptions } from '../../../../main/sync/sync-service';
import { connectionsUnderTest } from '../../../fakes/connections-under-test';
import { InMemorySecretStore } from '../../../fakes/in-memory-secret-store';
import type { RunningEmulator } from '../../../salesforce-emulator';
import { connectWithPkce } from '../../../salesforce-emulator/test-support';

export function makeUser(id: number, overrides: Partial<WordpressUser> = {}): WordpressUser {
  return {
    id,
    username: `user${id}`,
    name: `User ${id}`,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    email: `user${id}@example.org`,
    url: '',
    description: '',
    locale: 'en_US',
    nickname: `user${id}`,
    slug: `user${id}`,
    roles: ['subscriber'],
    registeredAt: '2024-01-02T03:04:05+00:00',
    tags: [],
    meta: {},
    ...overrides,
  };
}

export function makeUsers(count: number, start = 1): WordpressUser[] {
  return Array.from({ length: count }, (_, i) => makeUser(start + i));
}

/** Pages of 100, with X-WP-Total, like `WordpressClient.users()`. */
export function usersSource(users: () => readonly WordpressUser[], pageSize = 100): ReadUsers {
  return async function* (_siteId, signal) {
    const all = users();
    for (let start = 0; start < all.length; start += pageSize) {
      signal.throwIfAborted();
      yield { items: all.slice(start, start + pageSize), total: all.length };
    }
  };
}

export const BASIC_SETTINGS: PushSettings = {
  objectType: 'Contact',
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
    { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'push' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'both' },
    { wordpressField: 'description', salesforceField: 'Description', direction: 'pull' },
  ],
  matchKey: DEFAULT_MATCH_KEY,
  fieldDefaults: [],
  recordTypeId: null,
  sendEmptyValues: false,
  tagMode: 'none',
  tagField: null,
};

export const EXTERNAL_ID: MatchKey = { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'site1-' };

export function addExternalIdField(emu: RunningEmulator): void {
  emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 40, externalId: true, unique: true });
}

/** A Salesforce API for the emulator's admin, through the ConnectionRegistry. */
export async function registryApi(emu: RunningEmulator, requestTimeoutMs = 10_000): Promise<{ api: LookupApi; forSite: SyncServiceOptions['forSite']; siteCalls: (siteId: string) => number }> {
  const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
  const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-sync-')) });
  const h = connectionsUnderTest({ store, secrets: new InMemorySecretStore(), requestTimeoutMs: () => requestTimeoutMs });
  const identity = { orgId: conn.userInfo!.organizationId, userId: conn.userInfo!.id, username: emu.users[0]!.username, displayName: 'Admin' };
  const dto = await h.registry.register({
    loginUrl: emu.loginUrl, clientId: emu.clientId, clientSecret: undefined, newClientSecret: undefined, callbackPort: 1717,
    instanceUrl: conn.instanceUrl, apiVersion: conn.version, accessToken: conn.accessToken!, refreshToken: conn.refreshToken!, issuedAt: undefined, identity, reauthorizeConnectionId: undefined,
  });
  const jsforce = await h.registry.open(dto.id);
  return {
    api: { request: jsforce.request.bind(jsforce) as LookupApi['request'], requestText: textRequestsOf(jsforce), instanceUrl: jsforce.instanceUrl, version: jsforce.version },
    forSite: (siteId, work) => h.registry.meter.forSite(siteId, work),
    siteCalls: (siteId) => h.registry.meter.siteCalls(siteId),
  };
}

export function freshDatabase(): LocalDatabase {
  return openLocalDatabase(localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-syncdb-'))));
}

export interface ServiceUnderTest {
  readonly service: SyncService;
  readonly db: LocalDatabase;
  users: WordpressUser[];
  settings: PushSettings;
}

export function syncUnderTest(api: LookupApi, options: Partial<SyncServiceOptions> & { users?: WordpressUser[]; settings?: PushSettings } = {}): ServiceUnderTest {
  const db = options.db ?? freshDatabase();
  const state = { users: options.users ?? [], settings: options.settings ?? BASIC_SETTINGS };
  const service = new SyncService({
    readUsers: usersSource(() => state.users),
    settingsFor: () => state.settings,
    salesforceFor: () => Promise.resolve(api),
    retry: { attempts: 6, baseDelayMs: 20, maxDelayMs: 200 },
    pollIntervalMs: 20,
    ...options,
    db,
  });
  return Object.assign(state, { service, db });
}

/** Every Contact the emulator holds, by lower-cased Email. */
export function contactsByEmail(emu: RunningEmulator): Map<string, Record<string, unknown>[]> {
  const byEmail = new Map<string, Record<string, unknown>[]>();
  for (const record of emu.handle.records(undefined, 'Contact') as Record<string, unknown>[]) {
    const email = typeof record['Email'] === 'string' ? record['Email'].toLowerCase() : '';
    if (email === '') continue;
    byEmail.set(email, [...(byEmail.get(email) ?? []), record]);
  }
  return byEmail;
}
