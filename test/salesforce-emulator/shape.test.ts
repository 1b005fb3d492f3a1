import { describe, expect, it } from 'vitest';
import { expectSameShape, loadFixture, shapeMismatches } from './shape';

describe('expectSameShape', () => {
  it('accepts a response with the same keys and value types as the fixture', () => {
    const fixture = loadFixture('refresh_success_response');
    expect(() =>
      expectSameShape(
        { id: 'http://localhost:1/id/00D/005', issued_at: '1700000000000', instance_url: 'http://127.0.0.1:1', signature: 'x=', access_token: '00D!x' },
        fixture,
      ),
    ).not.toThrow();
  });

  it('reports missing keys, extra keys, wrong types and a number where a digit string was recorded', () => {
    const problems = shapeMismatches({ issued_at: 1700000000000, extra: 1, id: '/id/x' }, { issued_at: '1700000000000', id: 'https://x/id', access_token: 'a' });
    expect(problems).toEqual([
      '$.issued_at: expected string, got number',
      '$.id: expected an absolute URL, got "/id/x"',
      '$.access_token: missing',
      '$.extra: not in fixture',
    ]);
  });

  it('compares every array item with the first fixture item and allows declared extra or optional keys', () => {
    const fixture = loadFixture('expired_session_response');
    expect(shapeMismatches([{ message: 'm', errorCode: 'E', fields: [] }], fixture, { extraKeys: ['fields'] })).toEqual([]);
    expect(shapeMismatches([{ message: 'm' }], fixture, { optionalKeys: ['errorCode'] })).toEqual([]);
    expect(shapeMismatches([{ message: 1, errorCode: 'E' }], fixture)).toEqual(['$[0].message: expected string, got number']);
  });

  it('treats short digit strings such as key prefixes as ordinary strings', () => {
    expect(shapeMismatches({ keyPrefix: '0CQ' }, { keyPrefix: '003' })).toEqual([]);
  });

  it('treats a recorded null as nullable and an empty fixture file as no body', () => {
    expect(shapeMismatches({ a: 'x' }, { a: null })).toEqual([]);
    expect(loadFixture('upsert_updated_success_response')).toBeUndefined();
    expect(shapeMismatches('', undefined)).toEqual([]);
  });
});
