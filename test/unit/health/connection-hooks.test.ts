import { describe, expect, it } from 'vitest';
import type { ConnectionDto } from '../../../common/models';
import type { PreflightResult } from '../../../common/health-models';
import { isAppError } from '../../../common/errors';
import { preflightHook, preflightRequestFor } from '../../../main/health/connection-hooks';
import type { SignInPreflight } from '../../../main/auth/sign-in-service';

const connection = { id: 'conn-1', orgId: '00D', userId: '005A', username: 'ada@x.test', authorizedAt: '2026-11-01T00:00:00Z' } as ConnectionDto;

const disconnecting: PreflightResult = {
  verdict: 'will-disconnect',
  appName: 'ForceSites',
  userLabel: 'ada@x.test',
  used: 5,
  cap: 5,
  evicts: { approvalId: '0CQ1', authorizedAt: '2026-11-01T00:00:00Z', attribution: { kind: 'unknown-site' } },
  message: 'Authorizing now as ada@x.test will disconnect an unknown site or app (authorized 2026-11-01 00:00 UTC): …',
  suggestion: 'Use a dedicated Salesforce integration user per group of at most 4 sites …',
};

describe('the sign-in preflight hook', () => {
  it('fits the type sign-in consumes', () => {
    const preflight: SignInPreflight = preflightHook(async () => ({ result: disconnecting }));
    expect(typeof preflight).toBe('function');
  });

  it('asks about the user the admin named for a new sign-in', () => {
    expect(preflightRequestFor({ chooseAnotherUser: true, existingConnections: [], expectedUsername: 'ops@x.test' })).toEqual({ username: 'ops@x.test' });
  });

  it('asks about the connection being reauthorized, and about nobody for a new sign-in', () => {
    expect(preflightRequestFor({ chooseAnotherUser: false, connection, existingConnections: [] })).toEqual({ connectionId: 'conn-1' });
    expect(preflightRequestFor({ chooseAnotherUser: true, existingConnections: [connection] })).toEqual({});
  });

  it('only logs by default, so a sign-in the admin confirmed in the dialog goes ahead', async () => {
    await expect(preflightHook(async () => ({ result: disconnecting }))({ chooseAnotherUser: false, connection, existingConnections: [] })).resolves.toEqual({ census: null });
  });

  it('when enforcing, stops an unacknowledged eviction with the warning sentence and the fix', async () => {
    const hook = preflightHook(async () => ({ result: disconnecting }), { enforce: true });
    const error = await hook({ chooseAnotherUser: false, connection, existingConnections: [] }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('CONFLICT');
    expect((error as Error).message).toBe(disconnecting.message);
    await expect(hook({ chooseAnotherUser: false, connection, existingConnections: [], acknowledgedApprovalId: '0CQ1' })).resolves.toEqual({ census: null });
  });

  it('never blocks a sign-in because the census failed', async () => {
    await expect(preflightHook(async () => Promise.reject(new Error('offline')), { enforce: true })({ chooseAnotherUser: false, existingConnections: [] })).resolves.toEqual({ census: null });
  });
});
