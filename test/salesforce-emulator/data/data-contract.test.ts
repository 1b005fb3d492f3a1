/**
 * Contract tests of the data half against the recorded Salesforce shapes (fixtures/shapes)
 * and recorded describes (fixtures/recorded): same keys, value types, status codes and error
 * codes. Calls createOrgData directly; the jsforce end-to-end test goes through HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSameShape, loadFixture } from '../shape';
import { makeOrg, q, type TestOrg } from './test-helpers';

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
  t.org.addCustomField('Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 20, externalId: true, unique: true });
});

const errorCodeOf = (body: unknown): string => (body as { errorCode: string }[])[0]!.errorCode;

describe('contract: fixtures/shapes (data)', () => {
  it('create_success_response.json', async () => {
    const res = await t.call('POST', 'sobjects/Contact', { LastName: 'x' });
    expect(res.status).toBe(201);
    expectSameShape(res.body, loadFixture('create_success_response'));
  });

  it('query_empty_response.json', async () => {
    const res = await t.call('GET', q("SELECT Id FROM Contact WHERE LastName = 'nobody'"));
    expect(res.status).toBe(200);
    expectSameShape(res.body, loadFixture('query_empty_response'));
  });

  it('query_error_response.json (INVALID_FIELD, 400)', async () => {
    const res = await t.call('GET', q('SELECT Id, Nope FROM Contact'));
    expect(res.status).toBe(400);
    expectSameShape(res.body, loadFixture('query_error_response'));
    expect(errorCodeOf(res.body)).toBe(errorCodeOf(loadFixture('query_error_response')));
  });

  it('query_paginated_first_page / last_page', async () => {
    t.org.seed('Contact', Array.from({ length: 2001 }, (_, i) => ({ LastName: `n${i}` })));
    const first = await t.call('GET', q('SELECT LastName FROM Contact'));
    expectSameShape(first.body, loadFixture('query_paginated_first_page_response'), { extraKeys: ['LastName'], optionalKeys: ['Text_Label'] });
    const next = String((first.body as { nextRecordsUrl: string }).nextRecordsUrl);
    expect(next).toMatch(/^\/services\/data\/v66\.0\/query\/01g\w+-2000$/);
    const last = await t.call('GET', next.replace('/services/data/v66.0/', ''));
    expectSameShape(last.body, loadFixture('query_paginated_last_page_response'), { extraKeys: ['LastName'], optionalKeys: ['Text_Label'] });
  });

  it('query_aggregate_success_response.json', async () => {
    const [acme] = t.org.seed('Account', [{ Name: 'Acme' }]);
    t.org.seed('Contact', [{ LastName: 'a', AccountId: acme }, { LastName: 'b' }]);
    const res = await t.call('GET', q('SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId'));
    expectSameShape(res.body, loadFixture('query_aggregate_success_response'), { extraKeys: ['AccountId'], optionalKeys: ['CampaignId'] });
  });

  it('upsert_created_success_response.json (API < 46 has no created flag)', async () => {
    const res = await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/1', { LastName: 'x' }, { version: '45.0' });
    expect(res.status).toBe(201);
    expectSameShape(res.body, loadFixture('upsert_created_success_response'));
    const modern = await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/2', { LastName: 'x' });
    expectSameShape(modern.body, loadFixture('upsert_created_success_response'), { extraKeys: ['created'] });
  });

  it('upsert_updated_success_response.json (empty 204 before API 46)', async () => {
    t.org.seed('Contact', [{ LastName: 'x', WP_User_Id__c: '1' }]);
    const res = await t.call('PATCH', 'sobjects/Contact/WP_User_Id__c/1', { LastName: 'y' }, { version: '45.0' });
    expect(res.status).toBe(204);
    expectSameShape(res.body, loadFixture('upsert_updated_success_response'));
  });

  it('upsert_error_response.json (404 NOT_FOUND for an unknown external id field)', async () => {
    const res = await t.call('PATCH', 'sobjects/Contact/Namez/1', { LastName: 'y' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual([{ message: 'Provided external ID field does not exist or is not accessible: Namez', errorCode: 'NOT_FOUND' }]);
    expectSameShape(res.body, loadFixture('upsert_error_response'));
  });

  it('upsert_multiple_error_response.json (300 with record URLs)', async () => {
    t.org.addCustomField('Contact', { name: 'Legacy__c', label: 'Legacy', type: 'string', externalId: true });
    t.org.seed('Contact', [{ LastName: 'a', Legacy__c: 'k' }, { LastName: 'b', Legacy__c: 'k' }]);
    const res = await t.call('PATCH', 'sobjects/Contact/Legacy__c/k', { LastName: 'c' });
    expect(res.status).toBe(300);
    expectSameShape(res.body, loadFixture('upsert_multiple_error_response'));
  });

  it('delete_error_response.json (404 for a non-id path segment)', async () => {
    const res = await t.call('DELETE', 'sobjects/Contact/rid');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(loadFixture('delete_error_response'));
  });

  it('write_error_response.json (INVALID_FIELD for an unknown field on write)', async () => {
    const res = await t.call('POST', 'sobjects/Contact', { LastName: 'x', foo: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: "No such column 'foo' on sobject of type Contact", errorCode: 'INVALID_FIELD' }]);
    expectSameShape(res.body, loadFixture('write_error_response'));
  });

  it('sobject_describe_error_response.json (404 NOT_FOUND for an unknown object)', async () => {
    const res = await t.call('GET', 'sobjects/Whizbang/describe');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(loadFixture('sobject_describe_error_response'));
  });
});

describe('contract: fixtures/recorded describes', () => {
  const recordedContact = loadFixture('recorded/Contact.describe.json') as Record<string, unknown> & { fields: Record<string, unknown>[] };
  const recordedAccount = loadFixture('recorded/Account.describe.json') as Record<string, unknown>;
  const recordedGlobal = loadFixture('recorded/global.describe.json') as { sobjects: Record<string, unknown>[] };
  const versionless = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/\/services\/data\/v[^/]+/g, '/services/data/vX').replace(/https?:\/\/[^/"]+/g, 'HOST'));

  it('Contact and Account describes are the recordings (versions/hosts rewritten, custom fields appended)', async () => {
    const contact = (await t.call('GET', 'sobjects/Contact/describe')).body as typeof recordedContact;
    expect(versionless({ ...contact, fields: contact.fields.slice(0, -1) })).toEqual(versionless(recordedContact));
    expect(contact.fields.at(-1)).toMatchObject({ name: 'WP_User_Id__c', externalId: true, unique: true, custom: true, type: 'string', length: 20 });
    expect(JSON.stringify(contact)).toContain('/services/data/v66.0/sobjects/Contact/describe');
    const account = (await t.call('GET', 'sobjects/Account/describe')).body;
    expect(versionless(account)).toEqual(versionless(recordedAccount));
  });

  it('built describes have the recorded key set for the object and every field', async () => {
    const fieldTemplate = recordedContact.fields[0];
    const { fields: _f, ...topTemplate } = recordedContact;
    for (const name of ['Lead', 'User', 'Topic', 'TopicAssignment', 'Order', 'OrderItem', 'Product2', 'Pricebook2', 'PricebookEntry']) {
      const res = await t.call('GET', `sobjects/${name}/describe`);
      expect(res.status).toBe(200);
      const body = res.body as Record<string, unknown> & { fields: Record<string, unknown>[] };
      const { fields, ...top } = body;
      expectSameShape(top, topTemplate);
      for (const field of fields) expectSameShape(field, fieldTemplate);
    }
    t.org.addCustomObject('Site__c', 'Site');
    t.org.addCustomField('Contact', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['a', 'b'], restrictedPicklist: true });
    const tags = ((await t.call('GET', 'sobjects/Contact/describe')).body as typeof recordedContact).fields.find((f) => f.name === 'WP_Tags__c');
    expectSameShape(tags, fieldTemplate);
    expect(tags).toMatchObject({ type: 'multipicklist', restrictedPicklist: true, picklistValues: [{ value: 'a', label: 'a', active: true, defaultValue: false, validFor: null }, { value: 'b' }] });
    const site = (await t.call('GET', 'sobjects/Site__c/describe')).body as Record<string, unknown>;
    expect(site).toMatchObject({ name: 'Site__c', custom: true, keyPrefix: 'a0X' });
  });

  it('Lead: LastName and Company required, Status picklist with a default', async () => {
    const lead = (await t.call('GET', 'sobjects/Lead/describe')).body as { fields: Record<string, unknown>[] };
    const field = (n: string) => lead.fields.find((f) => f.name === n);
    expect(field('LastName')).toMatchObject({ nillable: false, createable: true, defaultedOnCreate: false });
    expect(field('Company')).toMatchObject({ nillable: false, createable: true, defaultedOnCreate: false });
    expect(field('Status')).toMatchObject({ type: 'picklist', defaultedOnCreate: true });
    expect((field('Status')?.picklistValues as { defaultValue: boolean; value: string }[]).find((p) => p.defaultValue)?.value).toBe('Open - Not Contacted');
    const [id] = t.org.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
    expect(t.org.records('Lead')[0]).toMatchObject({ Id: id, Status: 'Open - Not Contacted', Name: 'L' });
  });

  it('global describe: recorded encoding/maxBatchSize/entries plus every supported object', async () => {
    const res = await t.call('GET', 'sobjects/');
    const body = res.body as { encoding: string; maxBatchSize: number; sobjects: Record<string, unknown>[] };
    expect(body.encoding).toBe('UTF-8');
    expect(body.maxBatchSize).toBe(200);
    const names = body.sobjects.map((s) => s.name);
    for (const recorded of recordedGlobal.sobjects) expect(names).toContain(recorded.name);
    for (const ours of ['Topic', 'TopicAssignment', 'Order', 'OrderItem', 'Product2', 'Pricebook2', 'PricebookEntry']) expect(names).toContain(ours);
    // Many recorded entries have a null keyPrefix (change events, shares): null matches anything.
    const template = { ...recordedGlobal.sobjects.find((s) => s.name === 'Contact'), keyPrefix: null };
    const recordedNames = new Set(recordedGlobal.sobjects.map((s) => s.name));
    for (const entry of body.sobjects.filter((s) => !recordedNames.has(s.name))) expectSameShape(entry, template, { optionalKeys: ['approvalLayouts', 'listviews', 'compactLayouts', 'layouts', 'quickActions'], extraKeys: ['namedLayouts', 'passwordUtilities', 'caseRowArticleSuggestions', 'caseArticleSuggestions', 'push', 'defaultValues', 'uiDetailTemplate', 'uiEditTemplate', 'uiNewRecord'] });
    expect(body.sobjects.find((s) => s.name === 'Lead')?.keyPrefix).toBe('00Q');
    const basic = await t.call('GET', 'sobjects/Contact');
    expect(Object.keys(basic.body as object)).toEqual(['objectDescribe', 'recentItems']);
  });
});
