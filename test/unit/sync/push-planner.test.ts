import { describe, expect, it } from 'vitest';
import type { SalesforceFieldDto } from '../../../common/fields-models';
import { keyChunks, scanWhere } from '../../../main/sync/key-lookup';
import { classify, comparedFields, mapUser, sameValue, type PushSettings } from '../../../main/sync/push-planner';
import { backoffDelay } from '../../../main/sync/retry';
import { BASIC_SETTINGS, EXTERNAL_ID, makeUser } from '../../integration/sync/support/sync-harness';

const settings: PushSettings = { ...BASIC_SETTINGS, tagMode: 'picklist', tagField: 'Interests__c', fieldDefaults: [{ salesforceField: 'LeadSource', value: 'WordPress' }], recordTypeId: '012000000000001AAA' };

describe('mapUser', () => {
  it('maps push fields byte-exact, skips pull-only ones, joins picklist tags and carries the key', () => {
    const mapped = mapUser(makeUser(7, { lastName: "O'Brien 🙂", description: 'not pushed', tags: ['Gold', 'Events, 2024'] }), settings);
    expect(mapped).toEqual({ ok: true, wpUserId: 7, key: 'user7@example.org', values: { Email: 'user7@example.org', FirstName: 'First7', LastName: "O'Brien 🙂", Interests__c: 'Gold;Events, 2024' }, tags: [] });
  });

  it('refuses users without a usable e-mail when matching by e-mail, with the reason', () => {
    expect(mapUser(makeUser(1, { email: '' }), settings)).toMatchObject({ ok: false, reason: expect.stringMatching(/no email/) });
    expect(mapUser(makeUser(1, { email: 'nobody' }), settings)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid email/) });
  });

  it('uses the external id (with the site prefix) as the key and sends it', () => {
    expect(mapUser(makeUser(42, { email: '' }), { ...settings, matchKey: EXTERNAL_ID })).toMatchObject({ ok: true, key: 'site1-42', values: { WP_User_Id__c: 'site1-42' } });
  });

  it('leaves empty values out unless the site sends them (clearing the field)', () => {
    expect(mapUser(makeUser(1, { firstName: '' }), settings)).toMatchObject({ ok: true, values: expect.not.objectContaining({ FirstName: expect.anything() }) });
    expect(mapUser(makeUser(1, { firstName: '' }), { ...settings, sendEmptyValues: true })).toMatchObject({ ok: true, values: expect.objectContaining({ FirstName: null }) });
  });

  it('checks values against the describe when it has one: too long fails the user before anything is sent', () => {
    const lastName = { name: 'LastName', type: 'string', length: 10 } as unknown as SalesforceFieldDto;
    expect(mapUser(makeUser(1, { lastName: 'x'.repeat(11) }), { ...settings, fields: [lastName] })).toMatchObject({ ok: false, reason: expect.stringMatching(/LastName: .*STRING_TOO_LONG/) });
  });
});

describe('classify', () => {
  const mapped = mapUser(makeUser(3), settings);

  it('creates with defaults and the record type when nothing matches', () => {
    const plan = classify(mapped, [], settings);
    expect(plan).toMatchObject({ kind: 'create', record: { LeadSource: 'WordPress', RecordTypeId: '012000000000001AAA', LastName: 'Last3' } });
  });

  it('updates only the fields that differ, saying old → new; the e-mail compared case-insensitively', () => {
    const plan = classify(mapped, [{ Id: '003A', Email: 'USER3@example.org', FirstName: 'First3', LastName: 'Old', Interests__c: null }], settings);
    expect(plan).toEqual({ kind: 'update', wpUserId: 3, key: 'user3@example.org', salesforceId: '003A', record: { LastName: 'Last3' }, changes: [{ field: 'LastName', old: 'Old', new: 'Last3' }] });
  });

  it('is unchanged when Salesforce already holds the values (Bulk CSV text included)', () => {
    expect(classify(mapped, [{ Id: '003A', Email: 'user3@example.org', FirstName: 'First3', LastName: 'Last3', Interests__c: '' }], settings)).toMatchObject({ kind: 'unchanged', salesforceId: '003A' });
  });

  it('never picks one of several matching records', () => {
    expect(classify(mapped, [{ Id: '003A' }, { Id: '003B' }], settings)).toMatchObject({ kind: 'conflict', salesforceIds: ['003A', '003B'], reason: expect.stringMatching(/2 Contact records/) });
  });
});

describe('helpers', () => {
  it('sameValue: numbers, booleans and multi-select order as Salesforce returns them', () => {
    expect(sameValue(5, '5.0')).toBe(true);
    expect(sameValue(true, 'true')).toBe(true);
    expect(sameValue('a;b', 'b;a')).toBe(true);
    expect(sameValue('A', 'a')).toBe(false);
    expect(sameValue(null, '')).toBe(true);
  });

  it('comparedFields: Id, the key and mapped push fields once each', () => {
    expect(comparedFields(settings)).toEqual(['Id', 'Email', 'FirstName', 'LastName', 'Interests__c']);
  });

  it('keyChunks: at most 200 keys and a bounded URL per IN list', () => {
    expect(keyChunks(Array.from({ length: 450 }, (_, i) => `k${i}`)).map((c) => c.length)).toEqual([200, 200, 50]);
    const long = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(90)}${i}@example.org`);
    expect(keyChunks(long).length).toBeGreaterThan(1);
  });

  it('scanWhere escapes the prefix for LIKE', () => {
    expect(scanWhere({ kind: 'external-id', field: 'WP__c', prefix: "a_b'%" })).toBe("WP__c != null AND WP__c LIKE 'a\\_b\\'\\%%'");
  });

  it('backoffDelay: exponential with jitter inside [ceiling/2, ceiling], capped', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay({ ...policy, random: () => 0 }, 1)).toBe(50);
    expect(backoffDelay({ ...policy, random: () => 1 }, 3)).toBe(400);
    expect(backoffDelay({ ...policy, random: () => 1 }, 10)).toBe(1_000);
  });
});
