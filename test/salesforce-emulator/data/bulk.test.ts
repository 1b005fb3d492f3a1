import { beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Job = Record<string, unknown> & { id: string; state: string };

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
  t.org.addCustomField('Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 20, externalId: true, unique: true });
});

async function createJob(body: Record<string, unknown>): Promise<Job> {
  const res = await t.call('POST', 'jobs/ingest', { contentType: 'CSV', lineEnding: 'LF', ...body });
  expect(res.status).toBe(200);
  return res.body as Job;
}

async function runJob(job: Job, csv: string): Promise<Job> {
  expect((await t.call('PUT', `jobs/ingest/${job.id}/batches`, csv, { raw: true, headers: { 'content-type': 'text/csv' } })).status).toBe(201);
  expect(((await t.call('PATCH', `jobs/ingest/${job.id}`, { state: 'UploadComplete' })).body as Job).state).toBe('UploadComplete');
  const polls: string[] = [];
  let info: Job;
  do {
    info = (await t.call('GET', `jobs/ingest/${job.id}`)).body as Job;
    polls.push(info.state);
  } while (info.state === 'InProgress' || info.state === 'UploadComplete');
  expect(polls[0]).toBe('InProgress');
  return info;
}

async function results(job: Job, kind: string): Promise<string> {
  const res = await t.call('GET', `jobs/ingest/${job.id}/${kind}/`);
  expect(res.headers?.['content-type']).toBe('text/csv');
  return String(res.body);
}

describe('CSV', () => {
  it('parses RFC 4180 quoting, embedded newlines and doubled quotes', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n,last\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere'], ['', 'last']]);
    expect(parseCsv('a;b\r\n1;2', ';')).toEqual([['a', 'b'], ['1', '2']]);
  });
});

describe('Bulk API 2.0 ingest', () => {
  it('creates a job with the real job-info keys', async () => {
    const job = await createJob({ object: 'Contact', operation: 'insert' });
    expect(Object.keys(job)).toEqual(['id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state', 'concurrencyMode', 'contentType', 'apiVersion', 'contentUrl', 'lineEnding', 'columnDelimiter']);
    expect(job).toMatchObject({ id: expect.stringMatching(/^750\w{15}$/), state: 'Open', concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: 66, columnDelimiter: 'COMMA', contentUrl: `services/data/v66.0/jobs/ingest/${job.id}/batches` });
  });

  it('inserts, reporting successes and failures as CSV once polled to JobComplete', async () => {
    const job = await createJob({ object: 'Contact', operation: 'insert' });
    const done = await runJob(job, 'FirstName,LastName,Email\nAnn,"O\'Brien, Jr",ann@example.com\nBob,,bob@example.com\nCy,Bad,nope\n');
    expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 2, jobType: 'V2Ingest', retries: 0 });
    const ok = (await results(job, 'successfulResults')).split('\n');
    expect(ok[0]).toBe('"sf__Id","sf__Created",FirstName,LastName,Email');
    expect(ok[1]).toMatch(/^"003\w{15}","true","Ann","O'Brien, Jr","ann@example.com"$/);
    const failed = (await results(job, 'failedResults')).split('\n');
    expect(failed[0]).toBe('"sf__Id","sf__Error",FirstName,LastName,Email');
    expect(failed[1]).toBe('"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --","Bob","","bob@example.com"');
    expect(failed[2]).toContain('INVALID_EMAIL_ADDRESS:Email: invalid email address: nope:Email --');
    expect(t.org.records('Contact')).toHaveLength(1);
  });

  it('data does not land until a client polls past InProgress', async () => {
    const job = await createJob({ object: 'Contact', operation: 'insert' });
    await t.call('PUT', `jobs/ingest/${job.id}/batches`, 'LastName\nA\n', { raw: true });
    await t.call('PATCH', `jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    expect(t.org.records('Contact')).toHaveLength(0);
    expect(((await t.call('GET', `jobs/ingest/${job.id}`)).body as Job).state).toBe('InProgress');
    expect(t.org.records('Contact')).toHaveLength(0);
    expect(((await t.call('GET', `jobs/ingest/${job.id}`)).body as Job).state).toBe('JobComplete');
    expect(t.org.records('Contact')).toHaveLength(1);
  });

  it('upserts on an external id, updates and deletes', async () => {
    t.org.seed('Contact', [{ LastName: 'Old', WP_User_Id__c: '1' }]);
    const upsert = await createJob({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'WP_User_Id__c' });
    expect(upsert.externalIdFieldName).toBe('WP_User_Id__c');
    await runJob(upsert, 'WP_User_Id__c,LastName\n1,New\n2,Two\n');
    const rows = (await results(upsert, 'successfulResults')).trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[1])).toEqual(['"false"', '"true"']);
    const ids = t.org.records('Contact').map((r) => String(r.Id));
    const update = await createJob({ object: 'Contact', operation: 'update' });
    await runJob(update, `Id,Email\n${ids[0]},#N/A\n${ids[1]},two@example.com\n`);
    expect(t.org.records('Contact').map((r) => r.Email ?? null)).toEqual([null, 'two@example.com']);
    const del = await createJob({ object: 'Contact', operation: 'delete' });
    const done = await runJob(del, `Id\n${ids[0]}\n`);
    expect(done.numberRecordsFailed).toBe(0);
    expect(((await t.call('GET', q('SELECT COUNT() FROM Contact'))).body as { totalSize: number }).totalSize).toBe(1);
  });

  it('fails the job for an unknown column or a wrong line ending', async () => {
    const job = await createJob({ object: 'Contact', operation: 'insert' });
    const done = await runJob(job, 'LastName,Nope\nA,b\n');
    expect(done).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Nope' });
    const crlf = await createJob({ object: 'Contact', operation: 'insert' });
    expect((await runJob(crlf, 'LastName\r\nA\r\n')).errorMessage).toBe('ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF');
  });

  it('allows one upload per job, aborts, lists and deletes jobs', async () => {
    const job = await createJob({ object: 'Contact', operation: 'insert' });
    await t.call('PUT', `jobs/ingest/${job.id}/batches`, 'LastName\nA\n', { raw: true });
    const second = await t.call('PUT', `jobs/ingest/${job.id}/batches`, 'LastName\nB\n', { raw: true });
    expect(second.status).toBe(400);
    expect((await t.call('PATCH', `jobs/ingest/${job.id}`, { state: 'Aborted' })).status).toBe(200);
    expect(await results(job, 'unprocessedrecords')).toBe('LastName\n"A"\n');
    const list = (await t.call('GET', 'jobs/ingest')).body as { done: boolean; records: Job[] };
    expect(list.records.map((r) => r.state)).toEqual(['Aborted']);
    expect((await t.call('DELETE', `jobs/ingest/${job.id}`)).status).toBe(204);
    expect((await t.call('GET', `jobs/ingest/${job.id}`)).status).toBe(404);
  });

  it('validates job creation', async () => {
    expect((await t.call('POST', 'jobs/ingest', { object: 'Nope', operation: 'insert' })).status).toBe(400);
    const upsert = await t.call('POST', 'jobs/ingest', { object: 'Contact', operation: 'upsert' });
    expect((upsert.body as { message: string }[])[0]?.message).toContain('External ID was blank for Contact');
  });
});
