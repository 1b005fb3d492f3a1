/**
 * What a "Refresh Available Topics & Fields" relies on: the Composite resource (several reads
 * in one API call), If-Modified-Since on describes, describes that change when an admin edits
 * a field or switches topics, and record type availability.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrg, q, START, type TestOrg } from './test-helpers';

type Json = Record<string, unknown>;
interface SubResult {
  readonly body: unknown;
  readonly httpHeaders: Record<string, string>;
  readonly httpStatusCode: number;
  readonly referenceId: string;
}

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
});

async function composite(compositeRequest: unknown[], allOrNone = false): Promise<{ status: number; results: SubResult[]; body: unknown }> {
  const res = await t.call('POST', 'composite', { allOrNone, compositeRequest });
  return { status: res.status, body: res.body, results: (res.body as { compositeResponse?: SubResult[] }).compositeResponse ?? [] };
}

const v = '/services/data/v66.0';

describe('Composite resource', () => {
  it('runs a describe and a query in one request and answers each with status, headers and body', async () => {
    t.org.seed('Topic', [{ Name: 'Newsletter' }, { Name: 'Member' }]);
    const { status, results } = await composite([
      { method: 'GET', url: `${v}/sobjects/Lead/describe`, referenceId: 'describe' },
      { method: 'GET', url: `${v}/${q('SELECT Name FROM Topic ORDER BY Name')}`, referenceId: 'topics' },
    ]);
    expect(status).toBe(200);
    expect(results.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['describe', 200],
      ['topics', 200],
    ]);
    expect((results[0]!.body as Json).name).toBe('Lead');
    expect(results[0]!.httpHeaders['Last-Modified']).toBe(new Date(START).toUTCString());
    expect(((results[1]!.body as { records: Json[] }).records).map((r) => r.Name)).toEqual(['Member', 'Newsletter']);
  });

  it('passes httpHeaders to the subrequest: a describe unchanged since If-Modified-Since answers 304 with no body', async () => {
    const first = await composite([{ method: 'GET', url: `${v}/sobjects/Contact/describe`, referenceId: 'd' }]);
    const since = first.results[0]!.httpHeaders['Last-Modified']!;
    t.clock.now += 60_000;
    const again = await composite([{ method: 'GET', url: `${v}/sobjects/Contact/describe`, referenceId: 'd', httpHeaders: { 'If-Modified-Since': since } }]);
    expect(again.results[0]).toMatchObject({ httpStatusCode: 304, body: null });
    t.org.addCustomField('Contact', { name: 'Level__c', label: 'Level', type: 'string', length: 20 });
    const changed = await composite([{ method: 'GET', url: `${v}/sobjects/Contact/describe`, referenceId: 'd', httpHeaders: { 'If-Modified-Since': since } }]);
    expect(changed.results[0]!.httpStatusCode).toBe(200);
    expect(((changed.results[0]!.body as { fields: Json[] }).fields).some((f) => f.name === 'Level__c')).toBe(true);
    expect(Date.parse(changed.results[0]!.httpHeaders['Last-Modified']!)).toBe(START + 60_000);
  });

  it('reports a failed subrequest in its own result and keeps going; a reference to it is halted', async () => {
    const { status, results } = await composite([
      { method: 'GET', url: `${v}/sobjects/Nope__c/describe`, referenceId: 'missing' },
      { method: 'GET', url: `${v}/${q('SELECT Id FROM Contact')}`, referenceId: 'contacts' },
      { method: 'GET', url: `${v}/sobjects/@{missing.name}/describe`, referenceId: 'dependent' },
    ]);
    expect(status).toBe(200);
    expect(results[0]).toMatchObject({ httpStatusCode: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    expect(results[1]!.httpStatusCode).toBe(200);
    expect(results[2]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
  });

  it('resolves @{ref.path} references in urls and bodies', async () => {
    const { results } = await composite([
      { method: 'POST', url: `${v}/sobjects/Account`, referenceId: 'account', body: { Name: 'Acme' } },
      { method: 'POST', url: `${v}/sobjects/Contact`, referenceId: 'contact', body: { LastName: 'Lovelace', AccountId: '@{account.id}' } },
      { method: 'GET', url: `${v}/sobjects/Contact/@{contact.id}?fields=AccountId`, referenceId: 'read' },
    ]);
    expect(results.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
    expect((results[2]!.body as Json).AccountId).toBe((results[0]!.body as Json).id);
  });

  it('refuses malformed bodies, too many subrequests, forbidden headers, nesting and other methods', async () => {
    expect((await t.call('POST', 'composite', { compositeRequest: 'x' })).status).toBe(400);
    const many = Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: `${v}/sobjects/Contact/describe`, referenceId: `r${i}` }));
    expect(await composite(many)).toMatchObject({ status: 400, body: [{ errorCode: 'LIMIT_EXCEEDED' }] });
    expect(await composite([{ method: 'GET', url: `${v}/sobjects/Contact/describe`, referenceId: 'a', httpHeaders: { Authorization: 'Bearer x' } }])).toMatchObject({ status: 400 });
    const nested = await composite([{ method: 'POST', url: `${v}/composite`, referenceId: 'n', body: { compositeRequest: [] } }]);
    expect(nested.results[0]!.httpStatusCode).toBe(400);
    expect((await t.call('GET', 'composite')).status).toBe(405);
    expect((await composite([{ method: 'POST', url: `${v}/sobjects/Account`, referenceId: 'a', body: { Name: 'X' } }], true)).status).toBe(400);
  });
});

describe('describes that change', () => {
  it('sObject Describe honours If-Modified-Since directly, too', async () => {
    const first = await t.call('GET', 'sobjects/Lead/describe');
    const since = first.headers?.['Last-Modified'] as string;
    expect((await t.call('GET', 'sobjects/Lead/describe', undefined, { headers: { 'If-Modified-Since': since } })).status).toBe(304);
    expect((await t.call('GET', 'sobjects/Lead/describe', undefined, { headers: { 'If-Modified-Since': 'not a date' } })).status).toBe(200);
  });

  it('changeField resizes, retypes and deactivates picklist values; removeField deletes', async () => {
    t.org.addCustomField('Contact', { name: 'Interests__c', label: 'Interests', type: 'multipicklist', picklistValues: ['News', 'Sport'], restrictedPicklist: true });
    t.org.changeField?.('Contact', 'Title', { length: 40 });
    t.org.changeField?.('Contact', 'Department', { type: 'textarea', length: 1000 });
    t.org.changeField?.('Contact', 'Interests__c', { picklistValues: [{ value: 'News', active: false }, 'Sport', 'Music'] });
    t.org.changeField?.('Contact', 'Description', { label: 'Notes' });
    t.org.removeField?.('Contact', 'AssistantName');
    const describe = (await t.call('GET', 'sobjects/Contact/describe')).body as { fields: Json[] };
    const field = (name: string) => describe.fields.find((f) => f.name === name);
    expect(field('Title')).toMatchObject({ length: 40, byteLength: 120 });
    expect(field('Department')).toMatchObject({ type: 'textarea', length: 1000, extraTypeInfo: 'plaintextarea' });
    expect((field('Interests__c')!.picklistValues as Json[]).map((p) => [p.value, p.active])).toEqual([
      ['News', false],
      ['Sport', true],
      ['Music', true],
    ]);
    expect(field('Description')!.label).toBe('Notes');
    expect(field('AssistantName')).toBeUndefined();
    // An inactive value of a restricted picklist is refused like an unknown one.
    const refused = await t.call('POST', 'sobjects/Contact', { LastName: 'A', Interests__c: 'News' });
    expect((refused.body as Json[])[0]).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    expect(() => t.org.changeField?.('Contact', 'Nope__c', { length: 1 })).toThrow(/no field Nope__c/);
    expect(() => t.org.removeField?.('Nope', 'X')).toThrow(/unknown sObject/);
  });

  it('objects with topics enabled have the TopicAssignments child relationship; switching topics off removes it and changes the describe', async () => {
    const topicsChild = (d: unknown) => ((d as { childRelationships: Json[] }).childRelationships).some((c) => c.childSObject === 'TopicAssignment' && c.field === 'EntityId');
    const before = await t.call('GET', 'sobjects/Contact/describe');
    expect(topicsChild(before.body)).toBe(true);
    t.clock.now += 5_000;
    t.org.setTopicsEnabled('Contact', false);
    const after = await t.call('GET', 'sobjects/Contact/describe', undefined, { headers: { 'If-Modified-Since': before.headers?.['Last-Modified'] as string } });
    expect(after.status).toBe(200);
    expect(topicsChild(after.body)).toBe(false);

    t.org.addCustomObject({ name: 'Member__c', label: 'Member' });
    expect(topicsChild((await t.call('GET', 'sobjects/Member__c/describe')).body)).toBe(false);
    t.org.setTopicsEnabled('Member__c', true);
    const enabled = (await t.call('GET', 'sobjects/Member__c/describe')).body as { childRelationships: Json[] };
    expect(topicsChild(enabled)).toBe(true);
  });

  it('a record type the user may not use is listed as unavailable and refused on create', async () => {
    const hidden = t.org.addRecordType?.('Lead', { name: 'Partner', available: false }) as string;
    t.org.addRecordType?.('Lead', { name: 'Web' });
    const infos = ((await t.call('GET', 'sobjects/Lead/describe')).body as { recordTypeInfos: Json[] }).recordTypeInfos;
    expect(infos.map((i) => [i.developerName, i.available])).toEqual([
      ['Master', true],
      ['Partner', false],
      ['Web', true],
    ]);
    const refused = await t.call('POST', 'sobjects/Lead', { LastName: 'A', Company: 'B', RecordTypeId: hidden });
    expect((refused.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['RecordTypeId'] });
  });
});
