/** The generic helpers the orders feature added below the features: back-off with jitter and the failure reading. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { retryDelay, waitFor, withRetries } from '../../../main/platform/retry-with-jitter';
import { salesforceFailureKind } from '../../../main/salesforce/salesforce-failure-kind';

describe('retry with jitter', () => {
  it('waits between half and all of a ceiling that doubles up to the maximum', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
    expect(retryDelay({ ...policy, random: () => 0 }, 1)).toBe(50);
    expect(retryDelay({ ...policy, random: () => 1 }, 1)).toBe(100);
    expect(retryDelay({ ...policy, random: () => 1 }, 2)).toBe(200);
    expect(retryDelay({ ...policy, random: () => 1 }, 5)).toBe(300);
  });

  it('retries what may be retried, up to the attempts, and throws the last error', async () => {
    let calls = 0;
    const flaky = () => {
      calls += 1;
      return calls < 3 ? Promise.reject(Object.assign(new Error('busy'), { errorCode: 'SERVER_UNAVAILABLE' })) : Promise.resolve('ok');
    };
    expect(await withRetries(flaky, { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 }, () => true)).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetries(flaky, { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, () => true)).rejects.toThrow('busy');
    expect(calls).toBe(2);
    calls = 0;
    await expect(withRetries(flaky, { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 }, () => false)).rejects.toThrow('busy');
    expect(calls).toBe(1);
  });

  it('a cancelled wait ends at once with the reason', async () => {
    const controller = new AbortController();
    const waiting = waitFor(60_000, controller.signal);
    controller.abort(new Error('Cancelled.'));
    await expect(waiting).rejects.toThrow('Cancelled.');
  });
});

describe('salesforceFailureKind', () => {
  it('stops on a lost authorization or the API limit, retries outages and locks, settles the rest as record failures', () => {
    expect(salesforceFailureKind(Object.assign(new Error('TotalRequests Limit exceeded.'), { errorCode: 'REQUEST_LIMIT_EXCEEDED' }))).toBe('stop');
    expect(salesforceFailureKind(Object.assign(new Error('Session expired or invalid'), { errorCode: 'INVALID_SESSION_ID' }))).toBe('stop');
    expect(salesforceFailureKind(new AppError('NEEDS_REAUTHORIZATION', 'Reauthorize.'))).toBe('stop');
    expect(salesforceFailureKind(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('retry');
    expect(salesforceFailureKind(Object.assign(new Error(''), { errorCode: 'SERVER_UNAVAILABLE' }))).toBe('retry');
    expect(salesforceFailureKind(Object.assign(new Error(''), { errorCode: 'UNABLE_TO_LOCK_ROW' }))).toBe('retry');
    expect(salesforceFailureKind(new AppError('REQUEST_TIMEOUT', 'Salesforce did not answer within 30 seconds.'))).toBe('retry');
    expect(salesforceFailureKind(Object.assign(new Error('Required fields are missing'), { errorCode: 'REQUIRED_FIELD_MISSING' }))).toBe('records');
  });
});
