import { beforeEach, describe, expect, it } from 'vitest';
import { idChecksum, normalizeId } from './ids';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Err = { errorCode: string; message: string; fields?: string[] }[];

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
  t.org.addCustomField('Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 20, externalId: true, unique: true });
  t.org.addCustomField('Contact', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['news', 'sport'], restrictedPicklist: true });
  t.org.addCustomField('Contact', { name: 'Level__c', label: 'Level', type: 'picklist', picklistValues: ['Gold', 'Silver'], restrictedPicklist: true });
});

async function createError(body: unknown, sobject = 'Contact'): Promise<{ status: number; errors: Err }> {
  const res = await t.call('POST', `sobjects/${sobject}`, body);
  return { status: res.status, errors: res.body as Err };
}

describe('ids', () => {
  it('computes the case-safe suffix and accepts 15- or 18-char ids', () => {
    expect(idChecksum('001A0000006Vm9r')).toBe('IAC');
    expect(normalizeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rXXX')).toBeUndefined();
    expect(normalizeId('abc')).toBeUndefined();
  });

  it('generates ids with the object key prefix and a valid suffix', async () => {
    const [lead] = t.org.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
    expect(lead).toMatch(/^00Q\w{15}$/);
    expect(normalizeId(lead)).toBe(lead);
    t.org.addCustomObject('Site__c', 'Site');
    const [site] = t.org.seed('Site__c', [{ Name: 'blog' }]);
    expect(site).toMatch(/^a0X\w{15}$/);
  });

  it('a 15-char id reads the same record as its 18-char form', async () => {
    const [id] = t.org.seed('Contact', [{ LastName: 'Short' }]);
    const res = await t.call('GET', `sobjects/Contact/${String(id).slice(0, 15)}`);
    expect(res.status).toBe(200);
    expect((res.body as { Id: string }).Id).toBe(id);
  });
});

describe('REST validation errors', () => {
  it('REQUIRED_FIELD_MISSING lists every missing field', async () => {
    expect(await createError({ FirstName: 'x' })).toEqual({
      status: 400,
      errors: [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }],
    });
    expect((await createError({}, 'Lead')).errors[0]).toMatchObject({ message: 'Required fields are missing: [LastName, Company]', fields: ['LastName', 'Company'] });
  });

  it('STRING_TOO_LONG and INVALID_EMAIL_ADDRESS', async () => {
    const long = `${'a'.repeat(75)}@x.com`;
    expect((await createError({ LastName: 'x', Email: long })).errors[0]).toEqual({
      message: `Email: data value too large: ${long} (max length=80)`, errorCode: 'STRING_TOO_LONG', fields: ['Email'],
    });
    expect((await createError({ LastName: 'x', Email: 'x' })).errors[0]).toEqual({ message: 'Email: invalid email address: x', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] });
    expect((await createError({ LastName: 'x'.repeat(81) })).errors[0]?.errorCode).toBe('STRING_TOO_LONG');
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST for picklists and each multi-select value', async () => {
    expect((await createError({ LastName: 'x', Level__c: 'Bronze' })).errors[0]).toEqual({
      message: 'Level: bad value for restricted picklist field: Bronze', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Level__c'],
    });
    expect((await createError({ LastName: 'x', WP_Tags__c: 'news;chess' })).errors[0]?.message).toBe('WP Tags: bad value for restricted picklist field: chess');
    expect((await t.call('POST', 'sobjects/Contact', { LastName: 'x', WP_Tags__c: 'news;sport' })).status).toBe(201);
  });

  it('an unrestricted multi-select picklist takes any value', async () => {
    t.org.addCustomField('Contact', { name: 'Free_Tags__c', label: 'Free Tags', type: 'multipicklist', picklistValues: ['a'] });
    expect((await t.call('POST', 'sobjects/Contact', { LastName: 'x', Free_Tags__c: 'a;anything' })).status).toBe(201);
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE for read-only fields', async () => {
    expect((await createError({ LastName: 'x', Name: 'y', CreatedDate: '2020-01-01T00:00:00Z' })).errors[0]).toEqual({
      message: 'Unable to create/update fields: Name, CreatedDate. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['Name', 'CreatedDate'],
    });
  });

  it('INVALID_FIELD for unknown fields and JSON_PARSER_ERROR for bad JSON or types', async () => {
    expect(await createError({ LastName: 'x', foo: 1 })).toEqual({ status: 400, errors: [{ message: "No such column 'foo' on sobject of type Contact", errorCode: 'INVALID_FIELD' }] });
    const broken = await t.call('POST', 'sobjects/Contact', '{"LastName": ', { raw: true });
    expect(broken.status).toBe(400);
    expect((broken.body as Err)[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    expect((await createError({ LastName: 'x', Birthdate: 'yesterday' })).errors[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    expect((await createError({ LastName: 'x', IsEmailBounced: 'maybe' })).errors[0]?.errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('DUPLICATE_VALUE for a unique field (case-insensitive)', async () => {
    const [first] = t.org.seed('Contact', [{ LastName: 'a', WP_User_Id__c: 'abc' }]);
    expect((await createError({ LastName: 'b', WP_User_Id__c: 'ABC' })).errors[0]).toEqual({
      message: `duplicate value found: WP_User_Id__c duplicates value on record with id: ${first}`, errorCode: 'DUPLICATE_VALUE', fields: [],
    });
  });

  it('MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION and ENTITY_IS_DELETED for references', async () => {
    expect((await createError({ LastName: 'x', AccountId: 'nope' })).errors[0]).toEqual({ message: 'Account ID: id value of incorrect type: nope', errorCode: 'MALFORMED_ID', fields: ['AccountId'] });
    const [lead] = t.org.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
    expect((await createError({ LastName: 'x', AccountId: lead })).errors[0]?.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const [account] = t.org.seed('Account', [{ Name: 'A' }]);
    await t.call('DELETE', `sobjects/Account/${account}`);
    expect((await createError({ LastName: 'x', AccountId: account })).errors[0]?.errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('UNABLE_TO_LOCK_ROW when the fault hook fires', async () => {
    const [id] = t.org.seed('Contact', [{ LastName: 'x' }]);
    t.faults.lock = true;
    const res = await t.call('PATCH', `sobjects/Contact/${id}`, { FirstName: 'y' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: `unable to obtain exclusive access to this record or 1 records: ${id}`, errorCode: 'UNABLE_TO_LOCK_ROW', fields: [] }]);
  });
});

describe('single-record CRUD', () => {
  it('maintains system fields with the injected clock and computes Name', async () => {
    const created = await t.call('POST', 'sobjects/Contact', { FirstName: 'Ann', LastName: 'Lee', Salutation: 'Dr.' });
    const id = (created.body as { id: string }).id;
    t.clock.now += 60_000;
    expect((await t.call('PATCH', `sobjects/Contact/${id}`, { LastName: 'Li' })).status).toBe(204);
    const rec = (await t.call('GET', `sobjects/Contact/${id}`)).body as Record<string, unknown>;
    expect(rec).toMatchObject({
      Id: id, Name: 'Ann Li', IsDeleted: false, CreatedDate: '2026-11-29T12:00:00.000+0000', LastModifiedDate: '2026-11-29T12:01:00.000+0000',
      SystemModstamp: '2026-11-29T12:01:00.000+0000', CreatedById: '005000000000001AAA', OwnerId: '005000000000001AAA', MailingAddress: null,
    });
    const some = (await t.call('GET', `sobjects/Contact/${id}?fields=LastName,Email`)).body;
    expect(some).toEqual({ attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${id}` }, LastName: 'Li', Email: null });
  });

  it('404s: unknown object, bad id, unknown id, and ENTITY_IS_DELETED after delete', async () => {
    expect((await t.call('GET', 'sobjects/Nope/describe')).body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    expect((await t.call('DELETE', 'sobjects/Contact/rid')).body).toEqual([{ message: 'Provided external ID field does not exist or is not accessible: rid', errorCode: 'NOT_FOUND' }]);
    expect((await t.call('GET', 'sobjects/Contact/003000000000000AAA')).status).toBe(404);
    const [id] = t.org.seed('Contact', [{ LastName: 'x' }]);
    expect((await t.call('DELETE', `sobjects/Contact/${id}`)).status).toBe(204);
    const again = await t.call('DELETE', `sobjects/Contact/${id}`);
    expect(again.status).toBe(404);
    expect((again.body as Err)[0]?.errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('upsert: 201 created, 200 updated (API 46+), 204 before 46, 300 on several matches, 404 for a bad field', async () => {
    t.org.addCustomField('Contact', { name: 'Legacy_Id__c', label: 'Legacy', type: 'string', externalId: true });
    const created = await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/7', { LastName: 'Seven' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [], created: true });
    const updated = await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/7', { LastName: 'Sept' });
    expect(updated).toMatchObject({ status: 200, body: { id: (created.body as { id: string }).id, success: true, errors: [], created: false } });
    expect((await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/7', { LastName: 'Old' }, { version: '45.0' })).status).toBe(204);
    expect((await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/8', { LastName: 'Old' }, { version: '45.0' })).body).toEqual({ id: expect.any(String), success: true, errors: [] });
    const ids = t.org.seed('Contact', [{ LastName: 'a', Legacy_Id__c: 'dup' }, { LastName: 'b', Legacy_Id__c: 'dup' }]);
    const multiple = await t.call('PATCH', 'sobjects/Contact/Legacy_Id__c/dup', { LastName: 'c' });
    expect(multiple).toMatchObject({ status: 300, body: ids.map((id) => `/services/data/v66.0/sobjects/Contact/${id}`) });
    expect((await t.call('PATCH', 'sobjects/Contact/Namez/1', { LastName: 'c' })).body).toEqual([
      { message: 'Provided external ID field does not exist or is not accessible: Namez', errorCode: 'NOT_FOUND' },
    ]);
    const byEmail = await t.call('PATCH', `sobjects/Contact/Email/${encodeURIComponent('x@example.com')}`, { LastName: 'Mail' });
    expect(byEmail.status).toBe(201);
    const rows = (await t.call('GET', q("SELECT Email FROM Contact WHERE LastName = 'Mail'"))).body as { records: { Email: string }[] };
    expect(rows.records[0]?.Email).toBe('x@example.com');
  });

  it('custom objects get describes, CRUD and SOQL', async () => {
    t.org.addCustomObject('Site__c', 'Site');
    t.org.addCustomField('Site__c', { name: 'Url__c', label: 'URL', type: 'string', length: 255, required: true });
    const describe = (await t.call('GET', 'sobjects/Site__c/describe')).body as { name: string; custom: boolean; fields: { name: string }[] };
    expect(describe).toMatchObject({ name: 'Site__c', custom: true });
    expect(describe.fields.map((f) => f.name)).toContain('Url__c');
    expect((await createError({ Name: 'x' }, 'Site__c')).errors[0]?.message).toBe('Required fields are missing: [Url__c]');
    expect((await t.call('POST', 'sobjects/Site__c', { Name: 'blog', Url__c: 'https://b' })).status).toBe(201);
    expect(((await t.call('GET', q('SELECT Name, Url__c FROM Site__c'))).body as { totalSize: number }).totalSize).toBe(1);
  });

  it('virtual objects are queryable but refuse DML', async () => {
    t.org.registerVirtualSObject('OauthToken', {
      describe: { name: 'OauthToken', label: 'Oauth Token', labelPlural: 'Oauth Tokens', keyPrefix: '0CQ', createable: false, updateable: false, deletable: false, fields: [{ name: 'Id', type: 'id', label: 'Id' }, { name: 'AppName', type: 'string', label: 'App', length: 255 }] },
      maxBatchSize: 500,
      maxTotalRows: 2500,
      rows: () => Array.from({ length: 3000 }, (_, i) => ({ Id: `0CQ${String(i).padStart(12, '0')}`, AppName: `App ${i}` })),
    });
    const first = (await t.call('GET', q('SELECT Id, AppName FROM OauthToken'))).body as { totalSize: number; records: unknown[]; nextRecordsUrl: string };
    expect(first.totalSize).toBe(2500);
    expect(first.records).toHaveLength(500);
    expect(first.nextRecordsUrl).toMatch(/-500$/);
    const res = await t.call('POST', 'sobjects/OauthToken', { AppName: 'x' });
    expect(res.status).toBe(400);
    expect((res.body as Err)[0]?.errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
  });

  it('reset drops records but keeps custom fields unless schema is true; the standard price book comes back', async () => {
    t.org.seed('Contact', [{ LastName: 'x', WP_User_Id__c: '1' }]);
    t.org.reset();
    expect(t.org.records('Contact')).toHaveLength(0);
    expect(t.org.records('Pricebook2')).toMatchObject([{ IsStandard: true, IsActive: true, Name: 'Standard Price Book' }]);
    expect((await t.call('POST', 'sobjects/Contact', { LastName: 'y', WP_User_Id__c: '1' })).status).toBe(201);
    t.org.reset({ schema: true });
    const res = await t.call('POST', 'sobjects/Contact', { LastName: 'y', WP_User_Id__c: '1' });
    expect((res.body as Err)[0]?.errorCode).toBe('INVALID_FIELD');
    expect(t.org.records('Pricebook2')).toHaveLength(1);
  });

  it('seed may set audit fields; relative date literals see them', async () => {
    t.org.seed('Contact', [{ LastName: 'old', CreatedDate: '2026-01-01T00:00:00.000Z' }, { LastName: 'new' }]);
    const rows = (await t.call('GET', q('SELECT LastName, CreatedDate FROM Contact WHERE CreatedDate = LAST_N_DAYS:30'))).body as { records: Record<string, unknown>[] };
    expect(rows.records.map((r) => r.LastName)).toEqual(['new']);
    expect(t.org.records('Contact')[0]?.CreatedDate).toBe('2026-01-01T00:00:00.000+0000');
  });

  it('POST sobjects/{Name}/Id creates (API 37.0+)', async () => {
    const res = await t.call('POST', 'sobjects/Contact/Id', { LastName: 'ViaId' });
    expect(res.status).toBe(201);
  });

  it('a virtual object the user may not see is INVALID_TYPE in SOQL and 404 in describe', async () => {
    t.org.registerVirtualSObject('ConnectedApplication', {
      describe: { name: 'ConnectedApplication', label: 'Connected App', labelPlural: 'Connected Apps', keyPrefix: '0H4', fields: [{ name: 'Id', type: 'id', label: 'Id' }] },
      accessible: (user) => user.permissions.has('ViewSetup'),
      rows: () => [],
    });
    const query = await t.call('GET', q('SELECT Id FROM ConnectedApplication'));
    expect((query.body as Err)[0]?.errorCode).toBe('INVALID_TYPE');
    expect((await t.call('GET', 'sobjects/ConnectedApplication/describe')).status).toBe(404);
    const global = (await t.call('GET', 'sobjects/')).body as { sobjects: { name: string }[] };
    expect(global.sobjects.some((s) => s.name === 'ConnectedApplication')).toBe(false);
    const admin = { id: '005000000000001AAA', username: 'a', permissions: new Set(['ViewSetup']) };
    expect((await t.call('GET', q('SELECT Id FROM ConnectedApplication'), undefined, { user: admin })).status).toBe(200);
  });
});
