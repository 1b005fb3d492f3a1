/**
 * End to end through HTTP: the core server (startEmulator) in front of the data half, driven
 * by jsforce 3.10.16 the way the app drives Salesforce.
 */
import type { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';
import { connectWithPkce } from '../test-support';

let emu: RunningEmulator;
let conn: Connection;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  emu.handle.reset();
  emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 40, externalId: true, unique: true });
  emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['news', 'sport'] });
  ({ conn } = await connectWithPkce(emu));
});

describe('jsforce against the emulator', () => {
  it('conn.query with autoFetch pages through nextRecordsUrl', async () => {
    emu.handle.seed(undefined, 'Contact', Array.from({ length: 4500 }, (_, i) => ({ LastName: `C${String(i).padStart(4, '0')}` })));
    const first = await conn.query<{ LastName: string }>('SELECT LastName FROM Contact ORDER BY LastName');
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    const more = await conn.queryMore<{ LastName: string }>(String(first.nextRecordsUrl));
    expect(more.records[0]?.LastName).toBe('C2000');
    const all: string[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ LastName: string }>('SELECT LastName FROM Contact ORDER BY LastName')
        .on('record', (r: { LastName: string }) => all.push(r.LastName))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(all).toHaveLength(4500);
    expect(all.at(-1)).toBe('C4499');
  });

  it("escapes O'Brien in SOQL and rejects a malformed query with jsforce's error", async () => {
    emu.handle.seed(undefined, 'Contact', [{ LastName: "O'Brien" }]);
    const res = await conn.query("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien'");
    expect(res.totalSize).toBe(1);
    await expect(conn.query('SELECT Id FORM Contact')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('sobject().upsert creates then updates; sobject().create reports validation errors', async () => {
    const created = await conn.sobject('Contact').upsert({ WP_User_Id__c: '42', LastName: 'Doe' }, 'WP_User_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn.sobject('Contact').upsert({ WP_User_Id__c: '42', LastName: 'Dough' }, 'WP_User_Id__c');
    expect(updated).toMatchObject({ success: true, created: false, id: created.id });
    await expect(conn.sobject('Contact').create({ FirstName: 'x' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    const many = await conn.sobject('Contact').upsert(
      [{ WP_User_Id__c: '42', LastName: 'Again' }, { WP_User_Id__c: '43', LastName: 'New', WP_Tags__c: 'news;sport' }],
      'WP_User_Id__c',
    );
    expect(many.map((r) => r.created)).toEqual([false, true]);
    // Owner resolves through the core's virtual User rows.
    const owner = await conn.query<{ Owner: { Username: string } }>("SELECT Owner.Username FROM Contact WHERE WP_User_Id__c = '42'");
    expect(owner.records[0]?.Owner.Username).toBe(emu.users[0]?.username);
  });

  it('conn.requestPost to sObject Collections with allOrNone', async () => {
    const results = await conn.requestPost<{ success: boolean; errors: { statusCode: string }[] }[]>('/services/data/v66.0/composite/sobjects', {
      allOrNone: true,
      records: [{ attributes: { type: 'Contact' }, LastName: 'A' }, { attributes: { type: 'Contact' }, Email: 'nope' }],
    });
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'REQUIRED_FIELD_MISSING']);
    expect(emu.handle.records(undefined, 'Contact')).toHaveLength(0);
  });

  it('conn.bulk2.loadAndWaitForResults polls an ingest job to completion', async () => {
    const input = 'WP_User_Id__c,LastName,Email\n1,"Smith, Jr",a@example.com\n2,,b@example.com\n3,Lee,c@example.com\n';
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'WP_User_Id__c', input, pollInterval: 5, pollTimeout: 10_000 });
    expect(results.successfulResults).toHaveLength(2);
    expect(results.successfulResults[0]).toMatchObject({ sf__Created: 'true', LastName: 'Smith, Jr' });
    expect(results.failedResults).toHaveLength(1);
    expect(results.failedResults[0]?.sf__Error).toBe('REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --');
    expect(emu.handle.records(undefined, 'Contact')).toHaveLength(2);
  });

  it('conn.bulk2.query creates a query job, polls it to JobComplete and reads the CSV results', async () => {
    emu.handle.seed(undefined, 'Contact', Array.from({ length: 120 }, (_, i) => ({ LastName: `Q${String(i).padStart(3, '0')}`, Email: `q${i}@example.com` })));
    const stream = await conn.bulk2.query("SELECT Id, LastName, Email FROM Contact WHERE LastName LIKE 'Q%' ORDER BY LastName", { pollInterval: 5, pollTimeout: 10_000 });
    const records = (await stream.toArray()) as Record<string, string>[];
    expect(records).toHaveLength(120);
    expect(records[0]).toMatchObject({ LastName: 'Q000', Email: 'q0@example.com' });
    expect(records[0]?.Id).toMatch(/^003\w{15}$/);
    expect(records.at(-1)?.LastName).toBe('Q119');
    const paths = emu.handle.requestLog({ kind: 'bulk' }).entries.map((e) => `${e.method} ${e.path.replace(/750\w{15}/, 'ID')}`);
    expect(paths).toEqual([
      'POST /services/data/v66.0/jobs/query',
      'GET /services/data/v66.0/jobs/query/ID',
      'GET /services/data/v66.0/jobs/query/ID',
      'GET /services/data/v66.0/jobs/query/ID/results',
    ]);
    // jsforce 3.10.16 pipes every results page into one stream and ends it after the first page
    // (ERR_STREAM_WRITE_AFTER_END, jsforce issues #1546 and #1693): results larger than one page
    // must be read by following Sforce-Locator directly, as below.
    const job = await conn.requestPost<{ id: string }>('/services/data/v66.0/jobs/query', { operation: 'query', query: 'SELECT LastName FROM Contact' });
    for (let i = 0; i < 2; i++) await conn.request(`/services/data/v66.0/jobs/query/${job.id}`);
    const names: string[] = [];
    let locator = '';
    do {
      const res = await fetch(`${emu.instanceUrl}/services/data/v66.0/jobs/query/${job.id}/results?maxRecords=50${locator ? `&locator=${locator}` : ''}`, {
        headers: { Authorization: `Bearer ${String(conn.accessToken)}`, Accept: 'text/csv' },
        signal: AbortSignal.timeout(5_000),
      });
      names.push(...(await res.text()).trim().split('\n').slice(1));
      locator = String(res.headers.get('sforce-locator'));
    } while (locator !== 'null');
    expect(names).toHaveLength(120);
  });

  it('conn.bulk2.query rejects with Salesforce\'s error for a bad query', async () => {
    await expect(conn.bulk2.query('SELECT Nope FROM Contact', { pollInterval: 5, pollTimeout: 10_000 })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('describe and describeGlobal', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Contact', 'Topic', 'TopicAssignment', 'OauthToken']));
    const contact = await conn.sobject('Contact').describe();
    expect(contact.fields.find((f) => f.name === 'WP_User_Id__c')).toMatchObject({ externalId: true, unique: true });
    await expect(conn.sobject('Nope').describe()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});
