/**
 * The Salesforce layer's batch helpers against the emulator, through a Connection built by
 * the ConnectionRegistry (so deadlines, the call meter and the refresh guard are in the path):
 * Collections in 200s with per-record errors, Bulk 2.0 ingest with results matched back, and
 * Bulk 2.0 query paged by locator.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bulkIngest, bulkQuery, type BulkRow } from '../../../main/salesforce/bulk2';
import { writeCollections } from '../../../main/salesforce/collections';
import { textRequestsOf } from '../../../main/salesforce/salesforce-text';
import { ProfileStore } from '../../../main/platform/profile-store';
import { connectionsUnderTest } from '../../fakes/connections-under-test';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { connectWithPkce } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';

const emu = useEmulator();

async function registryConnection() {
  const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
  const secrets = new InMemorySecretStore();
  const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-bulk-')) });
  const h = connectionsUnderTest({ store, secrets });
  const identity = { orgId: conn.userInfo!.organizationId, userId: conn.userInfo!.id, username: emu.users[0]!.username, displayName: 'Admin' };
  const dto = await h.registry.register({
    loginUrl: emu.loginUrl, clientId: emu.clientId, clientSecret: undefined, newClientSecret: undefined, callbackPort: 1717,
    instanceUrl: conn.instanceUrl, apiVersion: conn.version, accessToken: conn.accessToken!, refreshToken: conn.refreshToken!, issuedAt: undefined, identity, reauthorizeConnectionId: undefined,
  });
  const jsforce = await h.registry.open(dto.id);
  return { api: { request: jsforce.request.bind(jsforce) as never, requestText: textRequestsOf(jsforce) }, meter: h.registry.meter, connectionId: dto.id, jsforce };
}

beforeEach(() => {
  emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 20, externalId: true, unique: true });
});

describe('the transport hook', () => {
  it('meters and guards calls that bypass Connection.request: jsforce Bulk 2.0 and SOAP Metadata', async () => {
    const { meter, connectionId, jsforce } = await registryConnection();
    let before = meter.connectionCalls(connectionId);
    await jsforce.bulk2.query('SELECT Id FROM Contact', { pollInterval: 10 });
    expect(meter.connectionCalls(connectionId) - before).toBeGreaterThanOrEqual(3); // create, poll(s), results
    before = meter.connectionCalls(connectionId);
    await jsforce.metadata.read('ConnectedApp', ['ForceSites']).catch(() => undefined);
    expect(meter.connectionCalls(connectionId) - before).toBe(1);
  });
});

describe('sObject Collections', () => {
  it('upserts 450 records in 3 calls, with per-record errors from Salesforce and results in input order', async () => {
    const { api, meter, connectionId } = await registryConnection();
    const before = meter.connectionCalls(connectionId);
    const records = Array.from({ length: 450 }, (_, i) => ({ WP_User_Id__c: `wp-${i}`, LastName: i === 7 ? '' : `Person ${i}`, Email: i === 9 ? 'not-an-email' : `p${i}@example.org` }));
    const results = await writeCollections(api, { operation: 'upsert', sobject: 'Contact', externalIdField: 'WP_User_Id__c', records, concurrency: 2 });
    expect(meter.connectionCalls(connectionId) - before).toBe(3);
    expect(results).toHaveLength(450);
    expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
    expect(results[7]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(results[9]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS' }] });
    expect(results.filter((r) => r.success)).toHaveLength(448);
    expect(results[0]).toMatchObject({ success: true, created: true, id: expect.stringMatching(/^003/) });
    // The same again: matched on the external id, nothing new.
    const again = await writeCollections(api, { operation: 'upsert', sobject: 'Contact', externalIdField: 'WP_User_Id__c', records: records.slice(0, 5) });
    expect(again.map((r) => r.created)).toEqual([false, false, false, false, false]);
  });
});

describe('Bulk API 2.0', () => {
  it('ingests CSV and matches each result back to its row, names and quotes intact', async () => {
    const { api } = await registryConnection();
    const records = [
      { WP_User_Id__c: 'b1', LastName: "O'Brien, Jr", Email: 'ann@example.org' },
      { WP_User_Id__c: 'b2', LastName: '', Email: 'bob@example.org' },
      { WP_User_Id__c: 'b3', LastName: 'Ünïcødé "quoted"', Email: 'cy@example.org' },
    ];
    let polls = 0;
    const result = await bulkIngest(api, { object: 'Contact', operation: 'upsert', externalIdFieldName: 'WP_User_Id__c', records, pollIntervalMs: 10, onPoll: () => (polls += 1) });
    expect(result.state).toBe('JobComplete');
    expect(result.polls).toBe(polls);
    expect(result.successful.map((row) => row['WP_User_Id__c']).sort()).toEqual(['b1', 'b3']);
    expect(result.successful.find((row) => row['WP_User_Id__c'] === 'b3')?.['LastName']).toBe('Ünïcødé "quoted"');
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ WP_User_Id__c: 'b2' });
    expect(result.failed[0]!['sf__Error']).toMatch(/REQUIRED_FIELD_MISSING/);
  });

  it('queries many rows page by page through the locator, one page in memory at a time', async () => {
    const { api } = await registryConnection();
    emu.handle.seed(undefined, 'Contact', Array.from({ length: 2_500 }, (_, i) => ({ LastName: `Row ${i}`, Email: `row${i}@example.org` })));
    const counters = { polls: 0 };
    const pages: number[] = [];
    const emails = new Set<string>();
    for await (const page of bulkQuery(api, { soql: 'SELECT Id, Email FROM Contact', pageSize: 1_000, pollIntervalMs: 10 }, counters)) {
      pages.push(page.length);
      for (const row of page as BulkRow[]) emails.add(row['Email']!);
    }
    expect(pages).toEqual([1_000, 1_000, 500]);
    expect(emails.size).toBe(2_500);
    expect(counters.polls).toBeGreaterThanOrEqual(1);
  });

  it('reports a query Salesforce refuses, with its reason', async () => {
    const { api } = await registryConnection();
    const run = async () => {
      for await (const page of bulkQuery(api, { soql: 'SELECT Nope FROM Contact', pollIntervalMs: 10 })) void page;
    };
    await expect(run()).rejects.toThrow(/query job|No such column|INVALIDJOB|Failed/i);
  });
});
