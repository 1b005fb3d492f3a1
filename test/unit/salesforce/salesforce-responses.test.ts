import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { pickApiVersion } from '../../../main/auth/oauth-flow';
import { TokenClient, TokenEndpointError } from '../../../main/salesforce/token-client';
import { readApiUsage } from '../../../main/salesforce/limit-info';
import { fromRestErrors, parseRestErrorBody, toSalesforceAppError } from '../../../main/salesforce/salesforce-errors';
import versions from '../../salesforce-emulator/fixtures/shapes/services_data_success_response.json';

describe('pickApiVersion', () => {
  it('picks the highest offered version within 59.0–66.0', () => {
    const offered = ['58.0', '59.0', '64.0', '65.0', '66.0', '67.0'].map((version) => ({ version, url: `/services/data/v${version}` }));
    expect(pickApiVersion(offered)).toBe('66.0');
    expect(pickApiVersion(offered.slice(0, 4))).toBe('65.0');
  });

  it('refuses an instance that offers nothing in range (the recorded shape offers 20.0 and 100)', () => {
    expect(() => pickApiVersion(versions)).toThrow(AppError);
    expect(() => pickApiVersion('nonsense')).toThrow(/no API version/);
  });
});

describe('Sforce-Limit-Info', () => {
  it('reads what jsforce recorded from the header', () => {
    expect(readApiUsage({ limitInfo: { apiUsage: { used: 3, limit: 10 } } })).toEqual({ used: 3, max: 10 });
    expect(readApiUsage({ limitInfo: {} })).toBeUndefined();
  });
});

describe('Salesforce error mapping', () => {
  it('keeps the Salesforce errorCode in the message and the original as cause', () => {
    const cause = Object.assign(new Error('TotalRequests Limit exceeded.'), { name: 'REQUEST_LIMIT_EXCEEDED', errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const mapped = toSalesforceAppError(cause);
    expect(mapped.code).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(mapped.message).toBe('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
    expect(mapped.cause).toBe(cause);
  });

  it('maps REST error arrays, including several errors and field lists', () => {
    const body = [
      { message: "No such column 'Foo__c' on entity 'Contact'", errorCode: 'INVALID_FIELD', fields: [] },
      { message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
    ];
    const mapped = fromRestErrors(parseRestErrorBody(body));
    expect(mapped.code).toBe('SALESFORCE_ERROR');
    expect(mapped.message).toContain('INVALID_FIELD');
    expect(mapped.message).toContain('REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] [LastName]');
    const multiple = toSalesforceAppError(Object.assign(new Error('Multiple errors returned.'), { errorCode: 'MULTIPLE_API_ERRORS', data: body }));
    expect(multiple.message).toContain('INVALID_FIELD');
  });

  it('maps permissions, network failures and unknown errors', () => {
    expect(toSalesforceAppError({ errorCode: 'INSUFFICIENT_ACCESS', message: 'no' }).code).toBe('PERMISSION_MISSING');
    expect(toSalesforceAppError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) })).code).toBe('NETWORK_ERROR');
    expect(toSalesforceAppError(new Error('weird')).code).toBe('SALESFORCE_ERROR');
    const app = new AppError('NEEDS_REAUTHORIZATION', 'x');
    expect(toSalesforceAppError(app)).toBe(app);
  });
});

describe('TokenClient', () => {
  function respond(status: number, body: unknown): typeof fetch {
    return async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }
  const endpoints = { authorize: 'https://l.test/a', token: 'https://l.test/t', revoke: 'https://l.test/r' };

  it('sends a PKCE code exchange as a form post without a secret for a public client', async () => {
    let sent: URLSearchParams | undefined;
    const client = new TokenClient({
      fetch: async (_url, init) => {
        sent = new URLSearchParams(String(init?.body));
        return new Response(JSON.stringify({ access_token: 'a', refresh_token: 'r', instance_url: 'https://i.test', id: 'https://l.test/id/o/u', issued_at: '1700000000000' }), { status: 200 });
      },
    });
    const tokens = await client.exchangeCode(endpoints, { clientId: 'cid' }, { code: 'c', redirectUri: 'http://localhost:1717/OauthRedirect', codeVerifier: 'v' });
    expect(Object.fromEntries(sent!)).toEqual({ grant_type: 'authorization_code', code: 'c', redirect_uri: 'http://localhost:1717/OauthRedirect', code_verifier: 'v', client_id: 'cid' });
    expect(tokens).toMatchObject({ accessToken: 'a', refreshToken: 'r', instanceUrl: 'https://i.test', identityUrl: 'https://l.test/id/o/u' });
    expect(tokens.issuedAt?.getTime()).toBe(1700000000000);
  });

  it('sends the client secret for a confidential app', async () => {
    let sent: URLSearchParams | undefined;
    const client = new TokenClient({
      fetch: async (_url, init) => {
        sent = new URLSearchParams(String(init?.body));
        return new Response(JSON.stringify({ access_token: 'a' }), { status: 200 });
      },
    });
    await client.refresh(endpoints, { clientId: 'cid', clientSecret: 'shh' }, 'r');
    expect(sent?.get('client_secret')).toBe('shh');
  });

  it('maps token errors by their OAuth error code', async () => {
    const grant = await new TokenClient({ fetch: respond(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' }) })
      .refresh(endpoints, { clientId: 'c' }, 'r')
      .catch((error: unknown) => error);
    expect(grant).toBeInstanceOf(TokenEndpointError);
    expect(grant).toMatchObject({ code: 'NEEDS_REAUTHORIZATION', oauthError: 'invalid_grant', description: 'expired access/refresh token' });
    const app = await new TokenClient({ fetch: respond(400, { error: 'invalid_app_access', error_description: 'user is not admin approved to access this app' }) })
      .refresh(endpoints, { clientId: 'c' }, 'r')
      .catch((error: unknown) => error);
    expect(app).toMatchObject({ code: 'PERMISSION_MISSING' });
    const network = await new TokenClient({
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    })
      .refresh(endpoints, { clientId: 'c' }, 'r')
      .catch((error: unknown) => error);
    expect(network).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('treats revoking an already-unknown token as already revoked (Salesforce answers 400)', async () => {
    expect(await new TokenClient({ fetch: respond(400, { error: 'invalid_token', error_description: 'invalid token' }) }).revoke(endpoints, { clientId: 'c' }, 't')).toBe('already-invalid');
    expect(await new TokenClient({ fetch: async () => new Response('', { status: 200 }) }).revoke(endpoints, { clientId: 'c' }, 't')).toBe('revoked');
    await expect(new TokenClient({ fetch: respond(503, {}) }).revoke(endpoints, { clientId: 'c' }, 't')).rejects.toMatchObject({ code: 'SALESFORCE_ERROR' });
  });
});
