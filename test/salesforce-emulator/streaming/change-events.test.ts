import { describe, expect, it } from 'vitest';
import type { RecordChange } from '../data/seam';
import { changeEventChannel, changeEventsOf, entityOfChannel } from './change-events';

const CONTACT = new Map([
  ['FirstName', 'Name'],
  ['LastName', 'Name'],
  ['MailingCity', 'MailingAddress'],
  ['MailingStreet', 'MailingAddress'],
]);
const ACCOUNT = new Map([['Name', 'Name']]);

const change = (overrides: Partial<RecordChange>): RecordChange => ({ sobject: 'Contact', id: '003A', changeType: 'UPDATE', before: null, after: null, compoundFields: CONTACT, ...overrides });
let commit = 100;
const build = (changes: RecordChange[], enabled = (entity: string) => entity !== 'Lead') => changeEventsOf({ origin: 'com/salesforce/api/rest/66.0', changes }, enabled, { now: 1_000, nextCommitNumber: () => (commit += 1) });

describe('change events of a transaction', () => {
  it('nests compound fields, lists their parts with dot notation, and keeps Account’s self-named Name plain', () => {
    const [update] = build([
      change({
        before: { Id: '003A', Name: 'Ada L', FirstName: 'Ada', LastName: 'L', MailingCity: 'Paris', SystemModstamp: 'a', LastModifiedDate: 'x', LastModifiedById: '005U' },
        after: { Id: '003A', Name: 'Ada Lovelace', FirstName: 'Ada', LastName: 'Lovelace', MailingCity: 'London', MailingStreet: '1 Road', SystemModstamp: 'b', LastModifiedDate: 'y', LastModifiedById: '005U' },
      }),
    ]);
    expect(update!.payload).toEqual({
      ChangeEventHeader: {
        entityName: 'Contact',
        recordIds: ['003A'],
        changeType: 'UPDATE',
        changeOrigin: 'com/salesforce/api/rest/66.0',
        transactionKey: expect.any(String),
        sequenceNumber: 1,
        commitTimestamp: 1_000,
        commitNumber: commit,
        commitUser: '005U',
        nulledFields: [],
        diffFields: [],
        changedFields: ['Name.LastName', 'MailingAddress.City', 'LastModifiedDate', 'MailingAddress.Street'],
      },
      Name: { LastName: 'Lovelace' },
      MailingAddress: { City: 'London', Street: '1 Road' },
      LastModifiedDate: 'y',
    });
    const [account] = build([change({ sobject: 'Account', id: '001A', changeType: 'CREATE', after: { Id: '001A', Name: 'Acme', IsDeleted: false }, compoundFields: ACCOUNT })]);
    expect(account!.payload).toMatchObject({ Name: 'Acme' });
    expect(account!.payload).not.toHaveProperty('IsDeleted');
  });

  it('nets several writes to one record, drops a create-then-delete and a write that changed nothing visible', () => {
    const events = build([
      change({ id: '003B', changeType: 'CREATE', after: { Id: '003B', LastName: 'One' } }),
      change({ id: '003B', changeType: 'UPDATE', before: { Id: '003B', LastName: 'One' }, after: { Id: '003B', LastName: 'Two' } }),
      change({ id: '003C', changeType: 'CREATE', after: { Id: '003C', LastName: 'Gone' } }),
      change({ id: '003C', changeType: 'DELETE', before: { Id: '003C', LastName: 'Gone' } }),
      change({ id: '003D', changeType: 'UPDATE', before: { Id: '003D', SystemModstamp: 'a' }, after: { Id: '003D', SystemModstamp: 'b' } }),
    ]);
    expect(events.map((e) => [e.payload.ChangeEventHeader.changeType, e.payload.ChangeEventHeader.recordIds, e.payload.Name])).toEqual([['CREATE', ['003B'], { LastName: 'Two' }]]);
  });

  it('combines records with the same change into one event, skips objects not selected, and numbers events in a transaction', () => {
    const same = (id: string) => change({ id, before: { Id: id, Title: 'a' }, after: { Id: id, Title: 'b' } });
    const events = build([same('003E'), same('003F'), change({ sobject: 'Lead', id: '00QA', changeType: 'CREATE', after: { Id: '00QA', LastName: 'L' } }), change({ id: '003G', changeType: 'DELETE', before: { Id: '003G' } })]);
    expect(events.map((e) => [e.payload.ChangeEventHeader.changeType, e.payload.ChangeEventHeader.recordIds, e.payload.ChangeEventHeader.sequenceNumber])).toEqual([
      ['UPDATE', ['003E', '003F'], 1],
      ['DELETE', ['003G'], 2],
    ]);
    expect(new Set(events.map((e) => e.payload.ChangeEventHeader.transactionKey)).size).toBe(1);
    expect(build([change({ sobject: 'Lead', changeType: 'CREATE', after: { Id: '00Q' } })])).toEqual([]);
  });

  it('names channels as Salesforce does and reads them back', () => {
    expect(changeEventChannel('Contact')).toBe('/data/ContactChangeEvent');
    expect(changeEventChannel('Member__c')).toBe('/data/Member__ChangeEvent');
    expect(entityOfChannel('/data/ContactChangeEvent')).toBe('Contact');
    expect(entityOfChannel('/data/Member__ChangeEvent')).toBe('Member__c');
    expect(entityOfChannel('/topic/Contacts')).toBeUndefined();
    expect(entityOfChannel('/data/ChangeEvents')).toBeUndefined();
  });
});
