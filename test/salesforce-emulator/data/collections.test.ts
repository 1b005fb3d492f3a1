import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Result = { id?: string; success: boolean; errors: { statusCode: string; message: string; fields: string[] }[]; created?: boolean };

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
  t.org.addCustomField('Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 20, externalId: true, unique: true });
});

const contact = (fields: Record<string, unknown>): Record<string, unknown> => ({ attributes: { type: 'Contact' }, ...fields });
const count = async (): Promise<number> => ((await t.call('GET', q('SELECT COUNT() FROM Contact'))).body as { totalSize: number }).totalSize;

describe('sObject Collections', () => {
  it('creates with per-record results and partial success by default', async () => {
    const res = await t.call('POST', 'composite/sobjects', { records: [contact({ LastName: 'A' }), contact({ FirstName: 'no last name' })] });
    expect(res.status).toBe(200);
    const results = res.body as Result[];
    expect(results[0]).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(results[1]).toEqual({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] });
    expect(await count()).toBe(1);
  });

  it('allOrNone rolls every record back and reports ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const res = await t.call('POST', 'composite/sobjects', { allOrNone: true, records: [contact({ LastName: 'A' }), contact({ LastName: 'B', Email: 'bad' })] });
    const results = res.body as Result[];
    expect(results[0]).toEqual({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
    });
    expect(results[1]?.errors[0]?.statusCode).toBe('INVALID_EMAIL_ADDRESS');
    expect(await count()).toBe(0);
  });

  it('allOrNone rollback also restores updated records and unique indexes', async () => {
    const [id] = t.org.seed('Contact', [{ LastName: 'Orig', WP_User_Id__c: 'k1' }]);
    const res = await t.call('PATCH', 'composite/sobjects', {
      allOrNone: true,
      records: [contact({ id, LastName: 'Changed', WP_User_Id__c: 'k2' }), contact({ id: '003000000000000AAA', LastName: 'x' })],
    });
    expect((res.body as Result[]).every((r) => !r.success)).toBe(true);
    expect(t.org.records('Contact')[0]).toMatchObject({ LastName: 'Orig', WP_User_Id__c: 'k1' });
    const upsert = await t.call('PATCH', 'composite/sobjects/Contact/WP_User_Id__c', { records: [contact({ WP_User_Id__c: 'k1', LastName: 'Again' })] });
    expect((upsert.body as Result[])[0]).toMatchObject({ id, created: false });
  });

  it('updates need an id; unknown ids fail per record', async () => {
    const res = await t.call('PATCH', 'composite/sobjects', { records: [contact({ LastName: 'x' }), contact({ id: '003000000000000AAA', LastName: 'x' })] });
    const results = res.body as Result[];
    expect(results[0]?.errors[0]).toMatchObject({ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call' });
    expect(results[1]?.errors[0]?.statusCode).toBe('ENTITY_IS_DELETED');
  });

  it('upserts on an external id with created flags, and fails duplicate keys within one call', async () => {
    t.org.seed('Contact', [{ LastName: 'Old', WP_User_Id__c: '1' }]);
    const res = await t.call('PATCH', 'composite/sobjects/Contact/WP_User_Id__c', {
      records: [contact({ WP_User_Id__c: '1', LastName: 'One' }), contact({ WP_User_Id__c: '2', LastName: 'Two' }), contact({ WP_User_Id__c: '3', LastName: 'x' }), contact({ WP_User_Id__c: '3', LastName: 'y' })],
    });
    const results = res.body as Result[];
    expect(results.map((r) => r.created)).toEqual([false, true, undefined, undefined]);
    expect(results[2]?.errors[0]).toMatchObject({ statusCode: 'DUPLICATE_EXTERNAL_ID', message: 'Duplicate external id specified: 3' });
    expect(t.org.records('Contact').map((r) => r.LastName)).toEqual(['One', 'Two']);
  });

  it('upsert by collections needs API 46.0 and a real external id field', async () => {
    expect((await t.call('PATCH', 'composite/sobjects/Contact/WP_User_Id__c', { records: [] }, { version: '45.0' })).status).toBe(404);
    const bad = await t.call('PATCH', 'composite/sobjects/Contact/LastName', { records: [] });
    expect(bad.status).toBe(404);
  });

  it('refuses more than 200 records', async () => {
    const res = await t.call('POST', 'composite/sobjects', { records: Array.from({ length: 201 }, (_, i) => contact({ LastName: `n${i}` })) });
    expect(res.status).toBe(400);
    expect((res.body as { errorCode: string }[])[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('records without attributes.type fail; unknown fields fail the whole request', async () => {
    const res = await t.call('POST', 'composite/sobjects', { records: [{ LastName: 'x' }] });
    expect((res.body as Result[])[0]?.errors[0]?.statusCode).toBe('INVALID_TYPE');
    const unknown = await t.call('POST', 'composite/sobjects', { records: [contact({ LastName: 'x', Nope__c: 1 })] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual([{ message: "No such column 'Nope__c' on sobject of type Contact", errorCode: 'INVALID_FIELD' }]);
  });

  it('deletes by ids with allOrNone, and retrieves by ids and fields', async () => {
    const ids = t.org.seed('Contact', [{ LastName: 'a' }, { LastName: 'b' }]);
    const retrieved = await t.call('GET', `composite/sobjects/Contact?ids=${ids.join(',')},003000000000000AAA&fields=LastName`);
    expect(retrieved.body).toEqual([
      { attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${ids[0]}` }, LastName: 'a' },
      { attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${ids[1]}` }, LastName: 'b' },
      null,
    ]);
    const failing = await t.call('DELETE', `composite/sobjects?ids=${ids[0]},bad&allOrNone=true`);
    const results = failing.body as Result[];
    expect(results[0]?.errors[0]?.statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(results[1]?.errors[0]).toMatchObject({ statusCode: 'MALFORMED_ID', message: 'malformed id bad' });
    expect(await count()).toBe(2);
    const ok = await t.call('DELETE', `composite/sobjects?ids=${ids.join(',')}`);
    expect(ok.body).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
    expect(await count()).toBe(0);
  });

  it('UNABLE_TO_LOCK_ROW fails every record of a faulted call', async () => {
    t.faults.lock = true;
    const res = await t.call('POST', 'composite/sobjects', { records: [contact({ LastName: 'a' }), contact({ LastName: 'b' })] });
    expect((res.body as Result[]).map((r) => r.errors[0]?.statusCode)).toEqual(['UNABLE_TO_LOCK_ROW', 'UNABLE_TO_LOCK_ROW']);
    expect((res.body as Result[])[0]?.errors[0]?.message).toMatch(/^unable to obtain exclusive access to this record or 1 records: 003\w{15}$/);
  });
});
