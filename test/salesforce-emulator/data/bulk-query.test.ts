import { beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { makeOrg, STANDARD_USER, type TestOrg } from './test-helpers';

type Job = Record<string, unknown> & { id: string; state: string };

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
});

async function create(body: Record<string, unknown>): Promise<Job> {
  const res = await t.call('POST', 'jobs/query', { operation: 'query', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Job;
}

async function poll(job: Job): Promise<{ final: Job; states: string[] }> {
  const states: string[] = [];
  let info: Job;
  do {
    info = (await t.call('GET', `jobs/query/${job.id}`)).body as Job;
    states.push(info.state);
  } while (info.state === 'UploadComplete' || info.state === 'InProgress');
  return { final: info, states };
}

async function page(job: Job, params = ''): Promise<{ rows: string[][]; locator: string; count: string; raw: string }> {
  const res = await t.call('GET', `jobs/query/${job.id}/results${params}`);
  expect(res.status, String(JSON.stringify(res.body))).toBe(200);
  expect(res.headers?.['content-type']).toBe('text/csv');
  const raw = String(res.body);
  return { rows: parseCsv(raw), locator: String(res.headers?.['Sforce-Locator']), count: String(res.headers?.['Sforce-NumberOfRecords']), raw };
}

describe('Bulk API 2.0 query jobs', () => {
  it('creates a job with the documented keys and state UploadComplete', async () => {
    const job = await create({ query: 'SELECT Id FROM Contact', contentType: 'CSV' });
    expect(Object.keys(job)).toEqual(['id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state', 'concurrencyMode', 'contentType', 'apiVersion', 'lineEnding', 'columnDelimiter']);
    expect(job).toMatchObject({ id: expect.stringMatching(/^750\w{15}$/), operation: 'query', object: 'Contact', state: 'UploadComplete', concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: 66, lineEnding: 'LF', columnDelimiter: 'COMMA' });
  });

  it('progresses UploadComplete → InProgress → JobComplete when polled, and reports the rows processed', async () => {
    t.org.seed('Contact', [{ LastName: 'A' }, { LastName: 'B' }]);
    const job = await create({ query: 'SELECT Id, LastName FROM Contact' });
    const { final, states } = await poll(job);
    expect(states).toEqual(['InProgress', 'JobComplete']);
    expect(Object.keys(final)).toEqual([
      'id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state', 'concurrencyMode', 'contentType', 'apiVersion', 'jobType',
      'lineEnding', 'columnDelimiter', 'numberRecordsProcessed', 'retries', 'totalProcessingTime', 'isPkChunkingSupported',
    ]);
    expect(final).toMatchObject({ jobType: 'V2Query', numberRecordsProcessed: 2, retries: 0 });
  });

  it('returns quoted CSV in the requested column order, relationship columns by path, nulls empty, datetimes in Z', async () => {
    t.org.addCustomField('Contact', { name: 'Opted_Out__c', label: 'Opted out', type: 'boolean' });
    const [accountId] = t.org.seed('Account', [{ Name: 'Acme, "Inc"' }]);
    t.org.seed('Contact', [{ LastName: "O'Brien", FirstName: 'Ann', AccountId: accountId, Email: 'ann@example.com', Opted_Out__c: true }, { LastName: 'Lone' }]);
    const job = await create({ query: 'SELECT LastName, Account.Name, Email, Opted_Out__c, CreatedDate FROM Contact ORDER BY LastName' });
    await poll(job);
    const { rows, locator, count, raw } = await page(job);
    expect(raw.split('\n')[0]).toBe('"LastName","Account.Name","Email","Opted_Out__c","CreatedDate"');
    expect(rows.slice(1)).toEqual([
      ['Lone', '', '', 'false', '2026-11-29T12:00:00.000Z'],
      ["O'Brien", 'Acme, "Inc"', 'ann@example.com', 'true', '2026-11-29T12:00:00.000Z'],
    ]);
    expect(locator).toBe('null');
    expect(count).toBe('2');
  });

  it('pages with maxRecords and the Sforce-Locator header until it is the string null', async () => {
    t.org.seed('Contact', Array.from({ length: 250 }, (_, i) => ({ LastName: `C${String(i).padStart(3, '0')}` })));
    const job = await create({ query: 'SELECT LastName FROM Contact ORDER BY LastName' });
    await poll(job);
    const seen: string[] = [];
    const counts: string[] = [];
    let locator = '';
    do {
      const p = await page(job, `?maxRecords=100${locator ? `&locator=${locator}` : ''}`);
      seen.push(...p.rows.slice(1).map((r) => r[0] as string));
      counts.push(p.count);
      locator = p.locator;
    } while (locator !== 'null');
    expect(counts).toEqual(['100', '100', '50']);
    expect(seen).toHaveLength(250);
    expect(seen[0]).toBe('C000');
    expect(seen.at(-1)).toBe('C249');
    // A locator stays valid: the same page can be read again.
    const again = await page(job, '?maxRecords=100&locator=MTAw');
    expect(again.rows[1]).toEqual(['C100']);
  });

  it('honours columnDelimiter and lineEnding', async () => {
    t.org.seed('Contact', [{ LastName: 'Semi;colon', FirstName: 'X' }]);
    const job = await create({ query: 'SELECT FirstName, LastName FROM Contact', columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' });
    await poll(job);
    const res = await t.call('GET', `jobs/query/${job.id}/results`);
    expect(res.body).toBe('"FirstName";"LastName"\r\n"X";"Semi;colon"\r\n');
  });

  it('query skips deleted rows, queryAll returns them', async () => {
    const [a] = t.org.seed('Contact', [{ LastName: 'Gone' }, { LastName: 'Kept' }]);
    expect((await t.call('DELETE', `sobjects/Contact/${a}`)).status).toBe(204);
    const live = await create({ query: 'SELECT LastName, IsDeleted FROM Contact ORDER BY LastName' });
    const all = await create({ operation: 'queryAll', query: 'SELECT LastName, IsDeleted FROM Contact ORDER BY LastName' });
    await poll(live);
    await poll(all);
    expect((await page(live)).rows.slice(1)).toEqual([['Kept', 'false']]);
    expect((await page(all)).rows.slice(1)).toEqual([['Gone', 'true'], ['Kept', 'false']]);
  });

  it('returns the rows live when the job is processed, not when it was created', async () => {
    const job = await create({ query: 'SELECT LastName FROM Contact' });
    t.org.seed('Contact', [{ LastName: 'Late' }]);
    const { final } = await poll(job);
    expect(final.numberRecordsProcessed).toBe(1);
  });

  it('refuses a bad query at creation with the REST query error', async () => {
    const bad = await t.call('POST', 'jobs/query', { operation: 'query', query: 'SELECT Id, Nope FROM Contact' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([{ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope' on entity 'Contact'") }]);
    const syntax = await t.call('POST', 'jobs/query', { operation: 'query', query: 'SELECT Id FORM Contact' });
    expect((syntax.body as { errorCode: string }[])[0]?.errorCode).toBe('MALFORMED_QUERY');
    const type = await t.call('POST', 'jobs/query', { operation: 'query', query: 'SELECT Id FROM Nope__c' });
    expect((type.body as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_TYPE');
  });

  it('refuses what Bulk queries cannot do: compound fields, aggregates, OFFSET, child subqueries', async () => {
    const cases: [string, string][] = [
      ['SELECT MailingAddress FROM Contact', 'Selecting compound data not supported in Bulk Query'],
      ['SELECT COUNT() FROM Contact', 'Aggregate queries are not supported in Bulk Query'],
      ['SELECT LastName, COUNT(Id) FROM Contact GROUP BY LastName', 'Aggregate queries are not supported in Bulk Query'],
      ['SELECT Id FROM Contact OFFSET 5', 'OFFSET is not supported in Bulk Query'],
      ['SELECT Name, (SELECT LastName FROM Contacts) FROM Account', 'Aggregate Relationships not supported in Bulk Query'],
    ];
    for (const [query, message] of cases) {
      const res = await t.call('POST', 'jobs/query', { operation: 'query', query });
      expect(res.status, query).toBe(400);
      expect(res.body, query).toEqual([{ errorCode: 'API_ERROR', message }]);
    }
  });

  it('refuses a bad request body with a message that says what to send', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ operation: 'insert', query: 'SELECT Id FROM Contact' }, /query or queryAll/],
      [{ operation: 'query' }, /A query string has to be specified/],
      [{ operation: 'query', query: 'SELECT Id FROM Contact', contentType: 'JSON' }, /Only CSV/],
      [{ operation: 'query', query: 'SELECT Id FROM Contact', lineEnding: 'CR' }, /LF or CRLF/],
      [{ operation: 'query', query: 'SELECT Id FROM Contact', columnDelimiter: 'STAR' }, /COMMA/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call('POST', 'jobs/query', body);
      expect(res.status).toBe(400);
      expect((res.body as { message: string }[])[0]?.message).toMatch(message);
    }
  });

  it('with invalidQuery fail-job, a bad query is accepted and the job ends Failed with errorMessage', async () => {
    t.org.configureBulkQueries?.({ invalidQuery: 'fail-job' });
    const job = await create({ query: 'SELECT Id, Nope FROM Contact' });
    const { final, states } = await poll(job);
    expect(states).toEqual(['InProgress', 'Failed']);
    expect(final.errorMessage).toMatch(/^InvalidBatch : Failed to process query: INVALID_FIELD: SELECT Id, Nope FROM Contact \^ ERROR at Row:1:Column:12 No such column 'Nope' on entity 'Contact'/);
    const res = await t.call('GET', `jobs/query/${job.id}/results`);
    expect(res.status).toBe(400);
    // Bulk-unsupported SOQL is still refused at creation.
    expect((await t.call('POST', 'jobs/query', { operation: 'query', query: 'SELECT COUNT() FROM Contact' })).status).toBe(400);
  });

  it('failRate makes processed jobs end Failed with a QUERY_TIMEOUT message, deterministically', async () => {
    t.org.configureBulkQueries?.({ failRate: 1 });
    const job = await create({ query: 'SELECT Id FROM Contact' });
    const { final } = await poll(job);
    expect(final).toMatchObject({ state: 'Failed', errorMessage: expect.stringContaining('QUERY_TIMEOUT') });
  });

  it('results: refused before completion, with another API version (409), or with a bad locator or maxRecords', async () => {
    t.org.seed('Contact', [{ LastName: 'A' }]);
    const job = await create({ query: 'SELECT LastName FROM Contact' });
    expect((await t.call('GET', `jobs/query/${job.id}/results`)).status).toBe(400);
    await poll(job);
    expect((await t.call('GET', `jobs/query/${job.id}/results`, undefined, { version: '65.0' })).status).toBe(409);
    expect((await t.call('GET', `jobs/query/${job.id}/results?locator=%%%`)).status).toBe(400);
    expect((await t.call('GET', `jobs/query/${job.id}/results?maxRecords=0`)).status).toBe(400);
    expect((await t.call('GET', `jobs/query/${job.id}/results?maxRecords=abc`)).status).toBe(400);
  });

  it('defaultMaxRecords pages results when the client sends no maxRecords', async () => {
    t.org.seed('Contact', Array.from({ length: 5 }, (_, i) => ({ LastName: `C${i}` })));
    t.org.configureBulkQueries?.({ defaultMaxRecords: 2 });
    const job = await create({ query: 'SELECT LastName FROM Contact' });
    await poll(job);
    const first = await page(job);
    expect(first.count).toBe('2');
    expect(first.locator).not.toBe('null');
  });

  it('aborts an unfinished job (PATCH Aborted) and then refuses to abort it again', async () => {
    const job = await create({ query: 'SELECT Id FROM Contact' });
    const aborted = await t.call('PATCH', `jobs/query/${job.id}`, { state: 'Aborted' });
    expect(aborted.status).toBe(200);
    expect((aborted.body as Job).state).toBe('Aborted');
    const { states } = await poll(job);
    expect(states).toEqual(['Aborted']);
    expect((await t.call('PATCH', `jobs/query/${job.id}`, { state: 'Aborted' })).status).toBe(400);
    expect((await t.call('PATCH', `jobs/query/${job.id}`, { state: 'UploadComplete' })).status).toBe(400);
  });

  it('lists query jobs (and no ingest jobs), deletes a finished job, refuses to delete a running one', async () => {
    await t.call('POST', 'jobs/ingest', { object: 'Contact', operation: 'insert' });
    const a = await create({ query: 'SELECT Id FROM Contact' });
    const b = await create({ query: 'SELECT Id FROM Account' });
    const list = (await t.call('GET', 'jobs/query')).body as { done: boolean; records: Job[]; nextRecordsUrl: null };
    expect(list).toMatchObject({ done: true, nextRecordsUrl: null });
    expect(list.records.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(list.records[0]).toMatchObject({ jobType: 'V2Query', object: 'Contact' });
    expect(((await t.call('GET', 'jobs/query?jobType=Classic')).body as { records: unknown[] }).records).toEqual([]);
    await t.call('GET', `jobs/query/${a.id}`); // InProgress
    expect((await t.call('DELETE', `jobs/query/${a.id}`)).status).toBe(400);
    await t.call('GET', `jobs/query/${a.id}`); // JobComplete
    expect((await t.call('DELETE', `jobs/query/${a.id}`)).status).toBe(204);
    expect((await t.call('GET', `jobs/query/${a.id}`)).body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('runs with the creator\'s visibility: the TopicAssignment restriction applies to users without View All Data', async () => {
    const res = await t.call('POST', 'jobs/query', { operation: 'query', query: 'SELECT Id FROM TopicAssignment' }, { user: STANDARD_USER });
    expect(res.status).toBe(400);
    expect((res.body as { errorCode: string }[])[0]?.errorCode).toBe('MALFORMED_QUERY');
  });

  it('pages 100,000 rows without building them all at once', async () => {
    t.org.seed('Contact', Array.from({ length: 100_000 }, (_, i) => ({ LastName: `L${i}`, Email: `u${i}@example.com` })));
    const job = await create({ query: 'SELECT Id, Email FROM Contact' });
    const { final } = await poll(job);
    expect(final.numberRecordsProcessed).toBe(100_000);
    let rows = 0;
    let locator = '';
    let pages = 0;
    do {
      const p = await page(job, `?maxRecords=25000${locator ? `&locator=${locator}` : ''}`);
      rows += p.rows.length - 1;
      pages += 1;
      locator = p.locator;
    } while (locator !== 'null');
    expect({ rows, pages }).toEqual({ rows: 100_000, pages: 4 });
  });
});
