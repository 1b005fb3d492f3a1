/**
 * SalesforceConnectionFactory with a fake token endpoint (injected fetch) and a tiny local
 * API that accepts only the current access token: the order of "persist the rotated refresh
 * token" and "use the new session", and what a locked keychain does mid-refresh.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { TokenClient } from '../../../main/salesforce/token-client';
import { TokenVault, type SecretStore } from '../../../main/platform/token-vault';
import { SalesforceConnectionFactory } from '../../../main/salesforce/connection-factory';
import type { ConnectionRecord } from '../../../main/platform/profile-records';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';

const timeline: string[] = [];
let validAccessToken = 'access-0';
let api: Server;
let instanceUrl: string;

beforeAll(async () => {
  api = createServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token !== validAccessToken) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
      return;
    }
    timeline.push(`api:${token}`);
    res.writeHead(200, { 'content-type': 'application/json', 'sforce-limit-info': 'api-usage=7/15000' });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  instanceUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
});

afterAll(async () => {
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});

function record(id: string): ConnectionRecord {
  return {
    id,
    loginUrl: 'https://login.example.test',
    instanceUrl,
    clientId: 'client',
    hasClientSecret: false,
    callbackPort: 1717,
    orgId: '00D000000000001',
    userId: '005000000000001',
    username: 'ada@example.test',
    displayName: 'Ada',
    apiVersion: '66.0',
    // Fixed: the factory treats a new authorization time as a new approval (a fresh Connection).
    authorizedAt: '2026-11-01T09:00:00.000Z',
    state: { kind: 'connected' },
  };
}

/** A token endpoint that rotates: every refresh returns refresh-N+1 and access-N+1. */
function rotatingTokenEndpoint(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  let generation = 0;
  const fake: typeof fetch = async (_input, init) => {
    const body = new URLSearchParams(String(init?.body));
    calls.push(body.get('refresh_token') ?? '');
    generation += 1;
    validAccessToken = `access-${generation}`;
    timeline.push(`token:${generation}`);
    return new Response(JSON.stringify({ access_token: validAccessToken, refresh_token: `refresh-${generation}`, instance_url: instanceUrl, token_type: 'Bearer' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fake, calls };
}

/** A keychain that takes its time, to prove nobody uses the new session before the write is done. */
class SlowSecretStore extends InMemorySecretStore implements SecretStore {
  override async set(account: string, secret: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await super.set(account, secret);
    timeline.push(`vault:${secret}`);
  }
}

describe('SalesforceConnectionFactory refresh', () => {
  it('writes a rotated refresh token to the keychain before the new session is used', async () => {
    timeline.length = 0;
    validAccessToken = 'not-yet';
    const secrets = new SlowSecretStore();
    const vault = new TokenVault(secrets);
    await vault.setRefreshToken('c1', 'refresh-0');
    const endpoint = rotatingTokenEndpoint();
    const factory = new SalesforceConnectionFactory({ vault, tokens: new TokenClient({ fetch: endpoint.fetch }), onAuthorizationLost: async () => undefined });
    const conn = await factory.get(record('c1'));
    timeline.length = 0;
    await Promise.all(Array.from({ length: 10 }, () => conn.request(`${instanceUrl}/services/data/v66.0/limits`)));
    expect(endpoint.calls).toEqual(['refresh-0']);
    expect(timeline.slice(0, 3)).toEqual(['token:1', 'vault:refresh-1', 'api:access-1']);
    expect(await vault.getRefreshToken('c1')).toBe('refresh-1');
    expect(factory.refreshCount('c1')).toBe(1);
  });

  it('fails with KEYCHAIN_UNAVAILABLE when the keychain refuses a rotated token, keeps it in memory and persists it on the next refresh', async () => {
    validAccessToken = 'not-yet';
    const secrets = new InMemorySecretStore();
    const vault = new TokenVault(secrets);
    await vault.setRefreshToken('c2', 'refresh-0');
    const endpoint = rotatingTokenEndpoint();
    const keychainErrors: string[] = [];
    const factory = new SalesforceConnectionFactory({
      vault,
      tokens: new TokenClient({ fetch: endpoint.fetch }),
      onAuthorizationLost: async () => undefined,
      onKeychainError: (_record, error) => keychainErrors.push(error.code),
    });
    const conn = await factory.get(record('c2'));
    secrets.locked = true;
    timeline.length = 0;
    const error = await conn.request(`${instanceUrl}/services/data/v66.0/limits`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(keychainErrors).toEqual(['KEYCHAIN_UNAVAILABLE']);
    // The new session was not used, and the (only valid) new refresh token was not dropped.
    expect(timeline.some((entry) => entry.startsWith('api:'))).toBe(false);
    expect(conn.refreshToken).toBe('refresh-1');
    secrets.locked = false;
    await conn.request(`${instanceUrl}/services/data/v66.0/limits`);
    expect(endpoint.calls).toEqual(['refresh-0', 'refresh-1']);
    expect(await vault.getRefreshToken('c2')).toBe('refresh-2');
  });

  it('reports invalid_grant once, marks the refresh token dead and forgets the Connection', async () => {
    validAccessToken = 'not-yet';
    const vault = new TokenVault(new InMemorySecretStore());
    await vault.setRefreshToken('c3', 'evicted');
    let tokenCalls = 0;
    const refusing: typeof fetch = async () => {
      tokenCalls += 1;
      return new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    };
    const lost: string[] = [];
    const factory = new SalesforceConnectionFactory({
      vault,
      tokens: new TokenClient({ fetch: refusing }),
      onAuthorizationLost: async (r, error) => {
        lost.push(`${r.id}:${error.oauthError}:${error.description}`);
      },
    });
    const conn = await factory.get(record('c3'));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => conn.request(`${instanceUrl}/services/data/v66.0/limits`)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as AppError).code === 'NEEDS_REAUTHORIZATION')).toBe(true);
    await expect(conn.request(`${instanceUrl}/services/data/v66.0/limits`)).rejects.toMatchObject({ code: 'NEEDS_REAUTHORIZATION' });
    expect(tokenCalls).toBe(1);
    expect(lost).toEqual(['c3:invalid_grant:expired access/refresh token']);
    expect(await factory.get(record('c3'))).not.toBe(conn);
  });

  it('builds the Connection with the chosen API version, instance URL and oauth2 settings, and shares it', async () => {
    const vault = new TokenVault(new InMemorySecretStore());
    await vault.setRefreshToken('c4', 'refresh');
    const factory = new SalesforceConnectionFactory({ vault, tokens: new TokenClient(), onAuthorizationLost: async () => undefined });
    const conn = await factory.get(record('c4'));
    expect(conn.version).toBe('66.0');
    expect(conn.instanceUrl).toBe(instanceUrl);
    expect(conn.oauth2.clientId).toBe('client');
    expect(await factory.get(record('c4'))).toBe(conn);
  });

  it('refuses a connection whose keychain entry is missing with NEEDS_REAUTHORIZATION', async () => {
    const factory = new SalesforceConnectionFactory({ vault: new TokenVault(new InMemorySecretStore()), tokens: new TokenClient(), onAuthorizationLost: async () => undefined });
    await expect(factory.get(record('missing'))).rejects.toMatchObject({ code: 'NEEDS_REAUTHORIZATION' });
  });
});
