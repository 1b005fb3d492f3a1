import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Json = Record<string, unknown>;

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
});

async function describeOf(name: string): Promise<Json & { fields: Json[]; recordTypeInfos: Json[] }> {
  return (await t.call('GET', `sobjects/${name}/describe`)).body as Json & { fields: Json[]; recordTypeInfos: Json[] };
}

describe('record types', () => {
  it('an object starts with Master only and no RecordTypeId field', async () => {
    const contact = await describeOf('Contact');
    expect(contact.recordTypeInfos.map((i) => i.developerName)).toEqual(['Master']);
    expect(contact.fields.some((f) => f.name === 'RecordTypeId')).toBe(false);
    expect(((await t.call('GET', q('SELECT Id FROM RecordType'))).body as { totalSize: number }).totalSize).toBe(0);
  });

  it('addRecordType lists the type in recordTypeInfos, adds RecordTypeId, and makes it queryable', async () => {
    const retail = t.org.addRecordType?.('Contact', { name: 'Retail customer' }) as string;
    const wholesale = t.org.addRecordType?.('Contact', { name: 'Wholesale', default: true }) as string;
    t.org.addRecordType?.('Contact', { name: 'Old', active: false });
    const contact = await describeOf('Contact');
    expect(contact.recordTypeInfos.map((i) => [i.developerName, i.active, i.defaultRecordTypeMapping, i.master])).toEqual([
      ['Master', true, false, true],
      ['Retail_customer', true, false, false],
      ['Wholesale', true, true, false],
      ['Old', false, false, false],
    ]);
    expect(contact.recordTypeInfos[2]).toMatchObject({ recordTypeId: wholesale, name: 'Wholesale', available: true, urls: { layout: `/services/data/v66.0/sobjects/Contact/describe/layouts/${wholesale}` } });
    expect(contact.fields.find((f) => f.name === 'RecordTypeId')).toMatchObject({ type: 'reference', referenceTo: ['RecordType'], relationshipName: 'RecordType', createable: true, nillable: true });
    const rows = (await t.call('GET', q("SELECT Name, DeveloperName, SobjectType, IsActive FROM RecordType WHERE SobjectType = 'Contact' AND IsActive = true ORDER BY Name"))).body as { records: Json[] };
    expect(rows.records.map((r) => r.DeveloperName)).toEqual(['Retail_customer', 'Wholesale']);
    expect(retail).toMatch(/^012\w{15}$/);
  });

  it('new records get the default record type; a foreign or inactive one is refused with the field named', async () => {
    const wholesale = t.org.addRecordType?.('Contact', { name: 'Wholesale', default: true }) as string;
    const old = t.org.addRecordType?.('Contact', { name: 'Old', active: false }) as string;
    const onLead = t.org.addRecordType?.('Lead', { name: 'Partner' }) as string;
    const created = await t.call('POST', 'sobjects/Contact', { LastName: 'A' });
    expect(t.org.records('Contact')[0]).toMatchObject({ Id: (created.body as Json).id, RecordTypeId: wholesale });
    const relation = (await t.call('GET', q('SELECT RecordType.DeveloperName FROM Contact'))).body as { records: { RecordType: Json }[] };
    expect(relation.records[0]?.RecordType.DeveloperName).toBe('Wholesale');
    for (const bad of [old, onLead]) {
      const res = await t.call('POST', 'sobjects/Contact', { LastName: 'B', RecordTypeId: bad });
      expect(res.status).toBe(400);
      expect((res.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['RecordTypeId'], message: `Record Type ID: this ID value isn't valid for the user: ${bad}` });
    }
  });

  it('record types survive a data reset and go with a schema reset; bad specs are refused', () => {
    t.org.addRecordType?.('Order', { name: 'Web shop' });
    t.org.reset();
    expect(t.org.records('RecordType')).toHaveLength(1);
    t.org.reset({ schema: true });
    expect(t.org.records('RecordType')).toHaveLength(0);
    expect(() => t.org.addRecordType?.('Nope', { name: 'X' })).toThrow(/unknown sObject/);
    expect(() => t.org.addRecordType?.('Contact', { name: '' })).toThrow(/name/);
    expect(() => t.org.addRecordType?.('Contact', { name: 'X', developerName: '1bad' })).toThrow(/start with a letter/);
    t.org.addRecordType?.('Contact', { name: 'Same' });
    expect(() => t.org.addRecordType?.('Contact', { name: 'Same' })).toThrow(/already has/);
  });
});
