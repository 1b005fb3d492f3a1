import { beforeEach, describe, expect, it } from 'vitest';
import { parseSoql } from './soql/parser';
import { tokenize } from './soql/lexer';
import { makeOrg, q, STANDARD_USER, type TestOrg } from './test-helpers';

type Body = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] };
type Err = { errorCode: string; message: string }[];

let t: TestOrg;

async function query(soql: string, all = false): Promise<Body> {
  const res = await t.call('GET', q(soql, all));
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Body;
}

async function queryError(soql: string): Promise<{ status: number; error: Err[number] }> {
  const res = await t.call('GET', q(soql));
  return { status: res.status, error: (res.body as Err)[0] as Err[number] };
}

const names = (body: Body): unknown[] => body.records.map((r) => r.LastName);

beforeEach(() => {
  t = makeOrg();
  t.org.addCustomField('Contact', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['news', 'sport', 'tech'] });
  t.org.addCustomField('Contact', { name: 'Score__c', label: 'Score', type: 'double' });
  const [acme] = t.org.seed('Account', [{ Name: 'Acme' }]);
  t.org.seed('Contact', [
    { FirstName: 'Ann', LastName: "O'Brien", Email: 'ann@example.com', AccountId: acme, WP_Tags__c: 'news;sport', Score__c: 3, Birthdate: '1990-05-01' },
    { FirstName: 'Bob', LastName: 'Smith', Email: 'bob@example.com', WP_Tags__c: 'tech', Score__c: 10 },
    { LastName: 'back\\slash', Score__c: 7 },
    { LastName: 'under_score' },
  ]);
});

describe('SOQL lexer and parser', () => {
  it('unescapes quotes, backslashes and control characters in string literals', () => {
    const strings = tokenize("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien' OR LastName = 'a\\\\b\\n'").filter((tk) => tk.type === 'string');
    expect(strings.map((s) => s.value)).toEqual(["O'Brien", 'a\\b\n']);
  });

  it('parses keywords case-insensitively with ORDER BY, NULLS, LIMIT and OFFSET', () => {
    const parsed = parseSoql('select id, account.name from contact where (lastname = \'x\' or email != null) and not score__c > 1 order by lastname desc nulls first, id limit 10 offset 5');
    expect(parsed.from.name).toBe('contact');
    expect(parsed.orderBy).toHaveLength(2);
    expect(parsed.orderBy[0]).toMatchObject({ descending: true, nullsLast: false });
    expect(parsed.orderBy[1]).toMatchObject({ descending: false, nullsLast: false });
    expect(parsed.limit).toBe(10);
    expect(parsed.offset).toBe(5);
  });

  it('reports MALFORMED_QUERY with the Salesforce excerpt, caret and Row:Column', async () => {
    const { status, error } = await queryError('SELECT Id FORM Contact');
    expect(status).toBe(400);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toBe("\nSELECT Id FORM Contact\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'");
  });

  it('refuses AND and OR mixed without parentheses', async () => {
    const { error } = await queryError("SELECT Id FROM Contact WHERE LastName = 'a' AND Email = null OR Score__c = 1");
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain("unexpected token: 'OR'");
  });

  it('rejects an unknown escape sequence', async () => {
    const { error } = await queryError("SELECT Id FROM Contact WHERE LastName = 'a\\qb'");
    expect(error.errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('SOQL binding errors', () => {
  it('INVALID_FIELD for an unknown column, worded and located as Salesforce does', async () => {
    const { status, error } = await queryError('SELECT Id, Foo FROM Contact');
    expect(status).toBe(400);
    expect(error).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Id, Foo FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('INVALID_TYPE for an unknown object', async () => {
    const { error } = await queryError('SELECT Id FROM Foo');
    expect(error.errorCode).toBe('INVALID_TYPE');
    expect(error.message).toContain("sObject type 'Foo' is not supported.");
    expect(error.message).toContain('ERROR at Row:1:Column:16');
  });

  it('INVALID_FIELD for an unknown relationship and for a quoted number', async () => {
    expect((await queryError('SELECT Foo.Name FROM Contact')).error.message).toContain("Didn't understand relationship 'Foo' in field path.");
    const typed = await queryError("SELECT Id FROM Contact WHERE Score__c = '3'");
    expect(typed.error.errorCode).toBe('INVALID_FIELD');
    expect(typed.error.message).toContain("value of filter criterion for field 'Score__c' must be of type double and should not be enclosed in quotes");
  });

  it('INVALID_QUERY_FILTER_OPERATOR for a malformed id literal', async () => {
    const { error } = await queryError("SELECT Id FROM Contact WHERE Id = 'abc'");
    expect(error.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(error.message).toContain('invalid ID field: abc');
  });

  it('OFFSET above 2000 is NUMBER_OUTSIDE_VALID_RANGE', async () => {
    const { error } = await queryError('SELECT Id FROM Contact LIMIT 5 OFFSET 2001');
    expect(error).toEqual({ errorCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Maximum SOQL offset allowed is 2000' });
  });

  it('fields the describe marks as not filterable / sortable are refused', async () => {
    expect((await queryError("SELECT Id FROM Contact WHERE Description = 'x'")).error.message).toContain("field 'Description' can not be filtered in a query call");
    expect((await queryError('SELECT Id FROM Contact ORDER BY Description')).error.message).toContain("field 'Description' can not be sorted in a query call");
  });

  it('INCLUDES on a non-multipicklist field is refused', async () => {
    expect((await queryError("SELECT Id FROM Contact WHERE LastName INCLUDES ('a')")).error.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  });
});

describe('SOQL evaluation', () => {
  it("matches O'Brien through an escaped quote, case-insensitively", async () => {
    expect(names(await query("SELECT LastName FROM Contact WHERE LastName = 'o\\'brien'"))).toEqual(["O'Brien"]);
    expect(names(await query("SELECT LastName FROM Contact WHERE LastName = 'back\\\\slash'"))).toEqual(['back\\slash']);
  });

  it('supports every comparison operator', async () => {
    const cases: [string, unknown[]][] = [
      ['Score__c = 3', ["O'Brien"]],
      ['Score__c != 3', ['Smith', 'back\\slash', 'under_score']],
      ['Score__c <> 3', ['Smith', 'back\\slash', 'under_score']],
      ['Score__c < 7', ["O'Brien"]],
      ['Score__c <= 7', ["O'Brien", 'back\\slash']],
      ['Score__c > 7', ['Smith']],
      ['Score__c >= 7', ['Smith', 'back\\slash']],
      ['Score__c = null', ['under_score']],
      ['Score__c != null', ["O'Brien", 'Smith', 'back\\slash']],
      ["LastName IN ('smith', 'nobody')", ['Smith']],
      ["LastName NOT IN ('smith')", ["O'Brien", 'back\\slash', 'under_score']],
      ["LastName LIKE 'sm%'", ['Smith']],
      ["LastName LIKE '_mith'", ['Smith']],
      ["LastName LIKE 'under\\_%'", ['under_score']],
      ["WP_Tags__c INCLUDES ('sport')", ["O'Brien"]],
      ["WP_Tags__c INCLUDES ('news;sport', 'tech')", ["O'Brien", 'Smith']],
      ["WP_Tags__c INCLUDES ('news;tech')", []],
      ["WP_Tags__c EXCLUDES ('news')", ['Smith', 'back\\slash', 'under_score']],
      ["NOT LastName = 'Smith'", ["O'Brien", 'back\\slash', 'under_score']],
      ["(LastName = 'Smith' OR Score__c = 3) AND Email != null", ["O'Brien", 'Smith']],
      ['Birthdate = 1990-05-01', ["O'Brien"]],
      ['Birthdate > 1990-05-01', []],
      ['CreatedDate = TODAY', ["O'Brien", 'Smith', 'back\\slash', 'under_score']],
      ['CreatedDate < LAST_N_DAYS:3', []],
      ['CreatedDate >= 2026-11-29T00:00:00Z', ["O'Brien", 'Smith', 'back\\slash', 'under_score']],
      ['CreatedDate > 2026-11-29T12:00:00.000+0000', []],
      ['IsDeleted = false', ["O'Brien", 'Smith', 'back\\slash', 'under_score']],
    ];
    for (const [where, expected] of cases) {
      const body = await query(`SELECT LastName FROM Contact WHERE ${where} ORDER BY CreatedDate, Id`);
      expect({ where, got: names(body) }).toEqual({ where, got: expected });
    }
  });

  it('indexed = / IN lookups (Id, external ids, Email) give the same rows as a scan, in creation order', async () => {
    t.org.addCustomField('Contact', { name: 'Ext__c', label: 'Ext', type: 'string', length: 20, externalId: true, unique: true });
    const ids = t.org.seed('Contact', [{ LastName: 'x1', Ext__c: 'AbC' }, { LastName: 'x2', Ext__c: 'def' }, { LastName: 'x3', Ext__c: 'ghi' }]);
    expect(names(await query(`SELECT LastName FROM Contact WHERE Id IN ('${ids[2]}', '${String(ids[0]).slice(0, 15)}')`))).toEqual(['x1', 'x3']);
    expect(names(await query("SELECT LastName FROM Contact WHERE Ext__c IN ('ghi', 'abc') AND LastName != 'x3'"))).toEqual(['x1']);
    expect(names(await query("SELECT LastName FROM Contact WHERE Email = 'BOB@example.com'"))).toEqual(['Smith']);
    expect(names(await query("SELECT LastName FROM Contact WHERE Ext__c = 'nope'"))).toEqual([]);
  });

  it('orders by several keys with Salesforce null placement', async () => {
    expect(names(await query('SELECT LastName FROM Contact ORDER BY Score__c'))).toEqual(['under_score', "O'Brien", 'back\\slash', 'Smith']);
    expect(names(await query('SELECT LastName FROM Contact ORDER BY Score__c DESC'))).toEqual(['Smith', 'back\\slash', "O'Brien", 'under_score']);
    expect(names(await query('SELECT LastName FROM Contact ORDER BY Score__c ASC NULLS LAST'))).toEqual(["O'Brien", 'back\\slash', 'Smith', 'under_score']);
    expect(names(await query('SELECT LastName FROM Contact ORDER BY Email DESC NULLS LAST, LastName ASC LIMIT 3 OFFSET 1'))).toEqual(["O'Brien", 'back\\slash', 'under_score']);
  });

  it('returns canonical field names, attributes and one-level relationships', async () => {
    const body = await query("select lastname, account.name, ACCOUNT.id from contact where email like '%example.com' order by lastname");
    expect(body.records[0]).toEqual({
      attributes: { type: 'Contact', url: expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Contact\/003\w{15}$/) },
      LastName: "O'Brien",
      Account: { attributes: { type: 'Account', url: expect.stringMatching(/\/sobjects\/Account\/001/) }, Name: 'Acme', Id: expect.any(String) },
    });
    expect(body.records[1]).toMatchObject({ LastName: 'Smith', Account: null });
  });

  it('child relationship subqueries through the describe childRelationships', async () => {
    const body = await query("SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'x' ORDER BY LastName DESC) FROM Account");
    expect(body.records[0]).toMatchObject({
      Name: 'Acme',
      Contacts: { totalSize: 1, done: true, records: [{ attributes: { type: 'Contact' }, LastName: "O'Brien" }] },
    });
    const [other] = t.org.seed('Account', [{ Name: 'Empty' }]);
    const empty = await query(`SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id = '${other}'`);
    expect(empty.records[0]?.Contacts).toBeNull();
    const [topic] = t.org.seed('Topic', [{ Name: 'news' }]);
    const contactId = String(t.org.records('Contact')[0]?.Id);
    t.org.seed('TopicAssignment', [{ TopicId: topic, EntityId: contactId }]);
    const topics = await query(`SELECT Id, (SELECT Topic.Name FROM TopicAssignments) FROM Contact WHERE Id = '${contactId}'`);
    expect((topics.records[0]?.TopicAssignments as Body).records[0]).toMatchObject({ Topic: { Name: 'news' } });
    const bad = await queryError('SELECT Id, (SELECT Id FROM Nopes) FROM Account');
    expect(bad.error.errorCode).toBe('INVALID_TYPE');
    expect(bad.error.message).toContain("Didn't understand relationship 'Nopes' in FROM part of query call.");
  });

  it('semi-joins and anti-joins on id fields', async () => {
    const [news] = t.org.seed('Topic', [{ Name: 'news' }]);
    const contacts = t.org.records('Contact');
    t.org.seed('TopicAssignment', [{ TopicId: news, EntityId: contacts[1]?.Id }]);
    const tagged = await query(`SELECT LastName FROM Contact WHERE Id IN (SELECT EntityId FROM TopicAssignment WHERE TopicId = '${news}')`);
    expect(names(tagged)).toEqual(['Smith']);
    const untagged = await query("SELECT LastName FROM Contact WHERE Id NOT IN (SELECT EntityId FROM TopicAssignment WHERE Topic.Name = 'news') AND Score__c != null");
    expect(names(untagged)).toEqual(["O'Brien", 'back\\slash']);
    expect((await queryError('SELECT Id FROM Contact WHERE Id IN (SELECT Name FROM Topic)')).error.errorCode).toBe('MALFORMED_QUERY');
  });

  it('filters and orders on relationship fields', async () => {
    expect(names(await query("SELECT LastName FROM Contact WHERE Account.Name = 'acme'"))).toEqual(["O'Brien"]);
  });

  it('COUNT() gives totalSize without records; COUNT(field) and GROUP BY give AggregateResult rows', async () => {
    expect(await query("SELECT COUNT() FROM Contact WHERE Email != null")).toEqual({ totalSize: 2, done: true, records: [] });
    const agg = await query('SELECT COUNT(Id), COUNT(Email) emails, MAX(Score__c) FROM Contact');
    expect(agg.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 4, emails: 2, expr1: 10 }]);
    const grouped = await query('SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId');
    expect(grouped.totalSize).toBe(2);
    const bad = await queryError('SELECT LastName, COUNT(Id) FROM Contact');
    expect(bad.error.message).toContain('Field must be grouped or aggregated: LastName');
  });

  it('query hides deleted records; queryAll shows them with IsDeleted = true', async () => {
    const { records } = await query("SELECT Id FROM Contact WHERE LastName = 'Smith'");
    const id = String(records[0]?.Id);
    expect((await t.call('DELETE', `sobjects/Contact/${id}`)).status).toBe(204);
    expect((await query("SELECT Id FROM Contact WHERE LastName = 'Smith'")).totalSize).toBe(0);
    const all = await query("SELECT Id, IsDeleted FROM Contact WHERE LastName = 'Smith'", true);
    expect(all.records[0]).toMatchObject({ Id: id, IsDeleted: true });
  });

  it('pages with nextRecordsUrl, honouring Sforce-Query-Options batchSize', async () => {
    t.org.seed('Lead', Array.from({ length: 450 }, (_, i) => ({ LastName: `L${i}`, Company: 'C' })));
    const first = await t.call('GET', q('SELECT Id, LastName FROM Lead'), undefined, { headers: { 'sforce-query-options': 'batchSize=200' } });
    const body = first.body as Body;
    expect(body).toMatchObject({ totalSize: 450, done: false });
    expect(body.records).toHaveLength(200);
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g\w{15}-200$/);
    const path = String(body.nextRecordsUrl).replace('/services/data/v66.0/', '');
    const second = (await t.call('GET', path)).body as Body;
    expect(second.records[0]?.LastName).toBe('L200');
    const third = (await t.call('GET', String(second.nextRecordsUrl).replace('/services/data/v66.0/', ''))).body as Body;
    expect(third).toMatchObject({ done: true, totalSize: 450 });
    expect(third.records).toHaveLength(50);
    expect('nextRecordsUrl' in third).toBe(false);
    const bad = await t.call('GET', 'query/01gNOPE-200');
    expect(bad.status).toBe(400);
    expect((bad.body as Err)[0]?.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('TopicAssignment queries need an EntityId filter or LIMIT ≤ 1100 without View All Data', async () => {
    const res = await t.call('GET', q('SELECT Id FROM TopicAssignment'), undefined, { user: STANDARD_USER });
    expect(res.status).toBe(400);
    expect((res.body as Err)[0]?.errorCode).toBe('MALFORMED_QUERY');
    expect((await t.call('GET', q('SELECT Id FROM TopicAssignment LIMIT 1100'), undefined, { user: STANDARD_USER })).status).toBe(200);
    expect((await t.call('GET', q("SELECT Id FROM TopicAssignment WHERE EntityId = '003000000000000AAA'"), undefined, { user: STANDARD_USER })).status).toBe(200);
    expect((await t.call('GET', q('SELECT Id FROM TopicAssignment'))).status).toBe(200);
    // Only an '=' filter on Id or EntityId lifts the restriction, as the object reference words it.
    expect((await t.call('GET', q("SELECT Id FROM TopicAssignment WHERE EntityId IN ('003000000000000AAA')"), undefined, { user: STANDARD_USER })).status).toBe(400);
  });
});
