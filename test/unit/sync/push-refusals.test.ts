/**
 * What a remembered refusal compares and which failures are remembered at all.
 */
import { describe, expect, it } from 'vitest';
import { notResentNote, sentValuesHash } from '../../../main/sync/push-refusals';
import { isPermanentRefusal } from '../../../main/sync/sync-errors';

describe('sentValuesHash', () => {
  const create = { kind: 'create' as const, key: 'ann@example.org', record: { Email: 'ann@example.org', LastName: 'O’Brien', FirstName: 'Ann' } };

  it('is the same for the same values in any field order', () => {
    expect(sentValuesHash(create)).toBe(sentValuesHash({ ...create, record: { FirstName: 'Ann', LastName: 'O’Brien', Email: 'ann@example.org' } }));
  });

  it('changes with any value, a field more, the operation or the record it targets', () => {
    const base = sentValuesHash(create);
    expect(sentValuesHash({ ...create, record: { ...create.record, LastName: 'O’Brien ' } })).not.toBe(base);
    expect(sentValuesHash({ ...create, record: { ...create.record, Phone: null } })).not.toBe(base);
    expect(sentValuesHash({ ...create, kind: 'update', salesforceId: '003000000000001AAA' })).not.toBe(base);
    const update = { ...create, kind: 'update' as const, salesforceId: '003000000000001AAA' };
    expect(sentValuesHash({ ...update, salesforceId: '003000000000002AAA' })).not.toBe(sentValuesHash(update));
  });

  it('tells a number from the same text (Salesforce may judge them differently)', () => {
    expect(sentValuesHash({ ...create, record: { Age__c: 5 } })).not.toBe(sentValuesHash({ ...create, record: { Age__c: '5' } }));
  });
});

describe('isPermanentRefusal', () => {
  it('remembers Salesforce refusing the values', () => {
    for (const code of ['DUPLICATES_DETECTED', 'INVALID_EMAIL_ADDRESS', 'STRING_TOO_LONG', 'REQUIRED_FIELD_MISSING', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'FIELD_CUSTOM_VALIDATION_EXCEPTION']) {
      expect(isPermanentRefusal(code), code).toBe(true);
    }
  });

  it('never remembers locks, outages, rolled-back batches, stops or ForceSites’ own codes', () => {
    for (const code of ['UNABLE_TO_LOCK_ROW', 'UNKNOWN_EXCEPTION', 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'REQUEST_LIMIT_EXCEEDED', 'INVALID_SESSION_ID', 'SERVER_UNAVAILABLE', 'ERROR_HTTP_503', 'NOT_PROCESSED', 'NOT_WRITTEN', 'UNKNOWN', '']) {
      expect(isPermanentRefusal(code), code).toBe(false);
    }
  });
});

it('the note names the day of the refusal', () => {
  expect(notResentNote({ valuesHash: 'x', code: 'STRING_TOO_LONG', message: 'too long', refusedAt: '2026-11-30T10:00:00.000Z' })).toBe('not re-sent: unchanged since Salesforce refused it on 2026-11-30');
});
