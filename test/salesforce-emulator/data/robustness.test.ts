/**
 * Malformed input must come back as a Salesforce error body, never as an exception (the core
 * would turn that into a 500 UNKNOWN_EXCEPTION, which real Salesforce does not send for these).
 */
import { describe, expect, it } from 'vitest';
import { makeOrg, q } from './test-helpers';
import type { CallOptions } from './test-helpers';

type Case = [method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options?: CallOptions];

const RAW: CallOptions = { raw: true };
const CASES: Case[] = [
  ['POST', 'sobjects/Contact', '[1,2]', RAW],
  ['POST', 'sobjects/Contact', 'null', RAW],
  ['POST', 'sobjects/Contact', '', RAW],
  ['POST', 'sobjects/Contact', { LastName: { a: 1 } }],
  ['POST', 'sobjects/Contact', { LastName: 'x', AccountId: 5 }],
  ['POST', 'sobjects/Contact', { LastName: 'x', MailingAddress: { city: 'x' } }],
  ['POST', 'composite/sobjects', { records: [null, 5, 'x', []] }],
  ['POST', 'composite/sobjects', { records: 'x' }],
  ['POST', 'composite/sobjects', '{', RAW],
  ['PATCH', 'composite/sobjects', { records: [{ attributes: { type: 'Contact' }, id: 'bad', LastName: 'x' }] }],
  ['PATCH', 'composite/sobjects/Contact/Email', { records: [{ attributes: { type: 'Account' }, Name: 'x' }, { LastName: 'no type' }] }],
  ['DELETE', 'composite/sobjects'],
  ['GET', 'composite/sobjects/Contact?ids=bad&fields=Id'],
  ['GET', q('')],
  ['GET', q('SELECT')],
  ['GET', q('SELECT Id FROM Contact WHERE')],
  ['GET', q('SELECT Id FROM Contact WHERE LastName IN ()')],
  ["GET", q("SELECT Id FROM Contact WHERE LastName = 'x")],
  ['GET', q('SELECT Id FROM Contact LIMIT -1')],
  ['GET', q('SELECT Id FROM Contact WHERE CreatedDate = 2026-13-45')],
  ['GET', q('SELECT Id FROM Contact WHERE CreatedDate > LAST_N_DAYS')],
  ['GET', q('SELECT Id, (SELECT Id, (SELECT Id FROM Contacts) FROM Contacts) FROM Account')],
  ["GET", q("SELECT Id FROM Contact WHERE MailingAddress = 'x'")],
  ['GET', q('SELECT COUNT(), Id FROM Contact')],
  ['GET', q('SELECT Id FROM Contact WHERE Id IN (SELECT Id FROM Nope)')],
  ['GET', 'query/01g-abc'],
  ['POST', 'jobs/ingest', { object: 'Contact' }],
  ['PUT', 'jobs/ingest/nope/batches', 'x', RAW],
  ['PATCH', 'sobjects/Contact/Email/%E0%A4%A', { LastName: 'x' }],
  ['GET', 'sobjects/Contact/describe/extra'],
  ['PUT', 'sobjects/Contact'],
  ['GET', 'nothing/here'],
];

describe('malformed requests get Salesforce errors, not exceptions', () => {
  it.each(CASES)('%s %s', async (method, path, body, options) => {
    const t = makeOrg();
    const res = await t.call(method, path, body, options);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) {
      expect(Array.isArray(res.body)).toBe(true);
      expect((res.body as { errorCode: string }[])[0]?.errorCode).toMatch(/^[A-Z_]+$/);
    }
  });

  it('odd Bulk CSV uploads end as Failed or JobComplete with per-row errors', async () => {
    const t = makeOrg();
    const outcomes: string[] = [];
    for (const csv of ['', 'LastName\n', 'LastName\n"unterminated\n', 'LastName,Email\nA\n', 'Id\nabc\n']) {
      const job = (await t.call('POST', 'jobs/ingest', { object: 'Contact', operation: csv.startsWith('Id') ? 'delete' : 'insert' })).body as { id: string };
      await t.call('PUT', `jobs/ingest/${job.id}/batches`, csv, { raw: true });
      await t.call('PATCH', `jobs/ingest/${job.id}`, { state: 'UploadComplete' });
      await t.call('GET', `jobs/ingest/${job.id}`);
      const info = (await t.call('GET', `jobs/ingest/${job.id}`)).body as { state: string; numberRecordsFailed: number };
      outcomes.push(`${info.state}:${info.numberRecordsFailed}`);
    }
    expect(outcomes).toEqual(['Failed:0', 'JobComplete:0', 'Failed:0', 'JobComplete:1', 'JobComplete:1']);
  });
});
