/**
 * Every standard object is served from a recording of a real org (fixtures/recorded) or, where
 * none was found, from its reference list (fixtures/reference, transcribed from Salesforce's
 * Field and Object References). These tests hold the served describes to those sources.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseProperties, type ReferenceObject } from './schema/reference';
import { STANDARD_OBJECTS } from './schema/standard-objects';
import { makeOrg, type TestOrg } from './test-helpers';

type Json = Record<string, unknown>;
type Describe = Json & { fields: Json[] };

const fixture = (path: string): string => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const recordedContact = JSON.parse(readFileSync(fixture('recorded/Contact.describe.json'), 'utf8')) as Describe;
const FIELD_KEYS = Object.keys(recordedContact.fields[0]!).sort();

/** Served describes carry the request's version and the org's host instead of the recorded ones. */
function versionless<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/\/services\/data\/v(?:\d+\.\d+|xx\.0)/g, '/services/data/vX')
      .replace(/https:\/\/[A-Za-z0-9.-]+\.salesforce\.com/g, 'https://host'),
  ) as T;
}

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
});

async function served(name: string): Promise<Describe> {
  const res = await t.call('GET', `sobjects/${name}/describe`);
  expect(res.status, name).toBe(200);
  return res.body as Describe;
}

const recorded = STANDARD_OBJECTS.filter((name) => existsSync(fixture(`recorded/${name}.describe.json`)));
const referenced = STANDARD_OBJECTS.filter((name) => !recorded.includes(name));

describe('standard objects and their sources', () => {
  it('every standard object the product touches has exactly one source', () => {
    expect(recorded).toEqual(['Account', 'Contact', 'Lead']);
    expect(referenced).toEqual(['User', 'Topic', 'TopicAssignment', 'Order', 'OrderItem', 'Product2', 'Pricebook2', 'PricebookEntry', 'RecordType']);
    for (const name of referenced) expect(existsSync(fixture(`reference/${name}.json`)), name).toBe(true);
  });

  it.each(recorded)('%s is served as recorded: every field, every key, in order', async (name) => {
    const recording = JSON.parse(readFileSync(fixture(`recorded/${name}.describe.json`), 'utf8')) as Describe;
    expect(versionless(await served(name))).toEqual(versionless(recording));
  });

  it('Lead has the real-org fields a hand-built one lacked', async () => {
    const names = (await served('Lead')).fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Latitude', 'Longitude', 'GeocodeAccuracy', 'Address', 'Fax', 'PhotoUrl', 'ConvertedOpportunityId', 'Jigsaw', 'CleanStatus', 'EmailBouncedReason', 'EmailBouncedDate', 'IndividualId']));
  });

  it.each(referenced)('%s is served as its reference list says: names, order, types, lengths, properties', async (name) => {
    const ref = JSON.parse(readFileSync(fixture(`reference/${name}.json`), 'utf8')) as ReferenceObject;
    const describe = await served(name);
    expect(describe).toMatchObject({ name: ref.object.name, label: ref.object.label, labelPlural: ref.object.labelPlural, keyPrefix: ref.object.keyPrefix });
    expect(describe.fields.map((f) => f.name)).toEqual(ref.fields.map((f) => f.name));
    const omitted = ref.omitted.flatMap((o) => o.name.split(',').map((n) => n.trim()));
    for (const field of describe.fields) expect(omitted, `${name}.${String(field.name)} is listed as omitted`).not.toContain(field.name);
    ref.fields.forEach((spec, i) => {
      const f = describe.fields[i]!;
      const where = `${name}.${spec.name}`;
      expect(Object.keys(f).sort(), where).toEqual(FIELD_KEYS);
      if (spec.recorded) {
        const base = recordedContact.fields.find((c) => c.name === spec.name)!;
        expect(f, where).toMatchObject({ type: base.type, length: base.length, soapType: base.soapType, ...(spec.label ? { label: spec.label } : { label: base.label }) });
        if (spec.referenceTo) expect(f.referenceTo, where).toEqual(spec.referenceTo);
      } else {
        expect(f, where).toMatchObject({ label: spec.label, type: spec.type });
        if (spec.length !== undefined) expect(f.length, where).toBe(spec.length);
        if (spec.precision !== undefined) expect([f.precision, f.scale], where).toEqual([spec.precision, spec.scale ?? 0]);
        if (spec.digits !== undefined) expect(f.digits, where).toBe(spec.digits);
        expect(f.referenceTo, where).toEqual(spec.referenceTo ?? []);
        if (spec.relationshipName !== undefined) expect(f.relationshipName, where).toBe(spec.relationshipName);
        expect((f.picklistValues as { value: string }[]).map((p) => p.value), where).toEqual((spec.picklistValues ?? []).map((p) => p.value));
      }
      if (spec.properties !== undefined) {
        const p = parseProperties(spec.properties);
        expect(
          {
            createable: f.createable, updateable: f.updateable, nillable: f.nillable, defaultedOnCreate: f.defaultedOnCreate, filterable: f.filterable,
            groupable: f.groupable, sortable: f.sortable, restrictedPicklist: f.restrictedPicklist, idLookup: f.idLookup, autoNumber: f.autoNumber,
          },
          where,
        ).toEqual({
          createable: p.has('create'), updateable: p.has('update'), nillable: p.has('nillable'), defaultedOnCreate: p.has('defaulted on create'), filterable: p.has('filter'),
          groupable: p.has('group'), sortable: p.has('sort'), restrictedPicklist: p.has('restricted picklist'), idLookup: p.has('idlookup'), autoNumber: p.has('autonumber'),
        });
      }
    });
    // Deletes follow childRelationships, so the served ones are the reference's.
    expect((describe.childRelationships as Json[]).map((c) => [c.childSObject, c.field, c.cascadeDelete, c.restrictedDelete])).toEqual(
      ref.childRelationships.map((c) => [c.childSObject, c.field, c.cascadeDelete, c.restrictedDelete]),
    );
  });

  it('a describe field marked required in the reference is required by the API (Order.EffectiveDate, OrderItem.PricebookEntryId)', async () => {
    const order = await t.call('POST', 'sobjects/Order', { Status: 'Draft' });
    expect((order.body as Json[])[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['EffectiveDate'] });
    const item = await t.call('POST', 'sobjects/OrderItem', { Quantity: 1, UnitPrice: 1 });
    expect((item.body as Json[])[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['OrderId', 'PricebookEntryId'] });
  });
});

describe('custom objects from a declarative definition', () => {
  it('builds the object, its Name field and custom fields; the describe has the recorded key set', async () => {
    t.org.addCustomObject({
      name: 'Site__c',
      label: 'Site',
      labelPlural: 'Sites',
      nameField: { label: 'Site Number', type: 'autonumber' },
      fields: [
        { name: 'Url__c', label: 'URL', type: 'string', length: 255, externalId: true, unique: true },
        { name: 'Tags__c', label: 'Tags', type: 'multipicklist', picklistValues: ['news', 'sport'], restrictedPicklist: true },
      ],
    });
    const describe = await served('Site__c');
    expect(describe).toMatchObject({ name: 'Site__c', label: 'Site', labelPlural: 'Sites', custom: true, keyPrefix: 'a0X' });
    expect(describe.fields.map((f) => f.name)).toEqual(['Id', 'OwnerId', 'IsDeleted', 'Name', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'LastViewedDate', 'LastReferencedDate', 'Url__c', 'Tags__c']);
    for (const f of describe.fields) expect(Object.keys(f).sort()).toEqual(FIELD_KEYS);
    expect(describe.fields.find((f) => f.name === 'Name')).toMatchObject({ label: 'Site Number', autoNumber: true, createable: false });
    const created = await t.call('POST', 'sobjects/Site__c', { Url__c: 'https://a.example' });
    expect(created.status).toBe(201);
    const topics = await t.call('POST', 'sobjects/Topic', { Name: 'news' });
    const assign = await t.call('POST', 'sobjects/TopicAssignment', { TopicId: (topics.body as Json).id, EntityId: (created.body as Json).id });
    expect(assign.status).toBe(400); // topics start disabled on custom objects
  });

  it('refuses a definition without a proper API name or label, saying what is wrong', () => {
    expect(() => t.org.addCustomObject({ name: 'Site', label: 'Site' })).toThrow(/ending with __c/);
    expect(() => t.org.addCustomObject({ name: 'Site__c', label: ' ' })).toThrow(/needs a label/);
    expect(() => t.org.addCustomObject({ name: 'Bad__c', label: 'Bad', fields: [{ name: 'NoSuffix', label: 'x', type: 'string' }] })).toThrow(/must end with __c/);
  });
});
