/**
 * Contract tests: the emulator's OAuth and plumbing responses against the recorded
 * Salesforce shapes in fixtures/shapes (same keys, value types, status codes, error codes).
 * Query, upsert and describe shapes belong to the data half's contract tests.
 */
import { describe, expect, it } from 'vitest';
import { expectSameShape, loadFixture } from './shape';
import { api, browserLogin, exchange, refreshCall, tokenCall } from './test-support';
import { useEmulator } from './use-emulator';

const emu = useEmulator();

describe('contract: fixtures/shapes', () => {
  it('auth_success_response.json — authorization_code grant (plus refresh_token, scope, token_type)', async () => {
    const { status, body } = await exchange(emu, await browserLogin(emu));
    expect(status).toBe(200);
    expectSameShape(body, loadFixture('auth_success_response'), { extraKeys: ['refresh_token', 'scope', 'token_type'] });
    const fixture = loadFixture('auth_success_response') as Record<string, string>;
    // Same formats: access token `<orgId15>!…`, id `…/id/<org>/<user>`.
    expect(body.access_token!.split('!')[0]).toHaveLength(fixture.access_token!.split('!')[0]!.length);
    expect(new URL(body.id!).pathname).toMatch(/^\/id\/00D\w+\/005\w+$/);
  });

  it('auth_error_response.json — a failed authorization_code grant is a 400 invalid_grant object', async () => {
    const r = await tokenCall(emu, { grant_type: 'authorization_code', code: 'bogus', client_id: emu.clientId, redirect_uri: emu.redirectUris[0]!, code_verifier: 'v'.repeat(43) });
    expect(r.status).toBe(400);
    expectSameShape(r.body, loadFixture('auth_error_response'));
    expect((r.body as { error: string }).error).toBe((loadFixture('auth_error_response') as { error: string }).error);
  });

  it('refresh_success_response.json — refresh_token grant (plus scope, token_type)', async () => {
    const { body } = await exchange(emu, await browserLogin(emu));
    const r = await refreshCall(emu, body.refresh_token!);
    expect(r.status).toBe(200);
    expectSameShape(r.body, loadFixture('refresh_success_response'), { extraKeys: ['scope', 'token_type'] });
  });

  it('refresh_success_response.json with rotation on (plus refresh_token)', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const { body } = await exchange(emu, await browserLogin(emu));
    const r = await refreshCall(emu, body.refresh_token!);
    expectSameShape(r.body, loadFixture('refresh_success_response'), { extraKeys: ['scope', 'token_type', 'refresh_token'] });
  });

  it('refresh_error_response.json — evicted, revoked and unknown refresh tokens, byte for byte', async () => {
    const fixture = loadFixture('refresh_error_response');
    emu.handle.configureOrg(undefined, { approvalCap: 1 });
    const evicted = (await exchange(emu, await browserLogin(emu))).body.refresh_token!;
    await exchange(emu, await browserLogin(emu));
    for (const token of [evicted, 'unknown-token']) {
      const r = await refreshCall(emu, token);
      expect(r.status).toBe(400);
      expectSameShape(r.body, fixture);
      expect(r.body).toEqual(fixture);
    }
  });

  it('expired_session_response.json — 401 with the same body', async () => {
    const { body } = await exchange(emu, await browserLogin(emu));
    emu.handle.advanceClock({ hours: 3 });
    const res = await api(emu, body.access_token!, 'limits');
    expect(res.status).toBe(401);
    const json = await res.json();
    expectSameShape(json, loadFixture('expired_session_response'));
    expect(json).toEqual(loadFixture('expired_session_response'));
  });

  it('services_data_success_response.json — the version list', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/data/`);
    expect(res.status).toBe(200);
    expectSameShape(await res.json(), loadFixture('services_data_success_response'));
  });

  it('sobject_describe_error_response.json — NOT_FOUND for an unsupported API version', async () => {
    const { body } = await exchange(emu, await browserLogin(emu));
    const res = await fetch(`${emu.instanceUrl}/services/data/v20.0/sobjects`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(res.status).toBe(404);
    const json = await res.json();
    expectSameShape(json, loadFixture('sobject_describe_error_response'));
    expect(json).toEqual(loadFixture('sobject_describe_error_response'));
  });

  it('REST error arrays (write_error_response.json shape) for the core’s own errors: quota and usage permission', async () => {
    const fixture = loadFixture('write_error_response');
    emu.handle.configureOrg(undefined, { dailyApiMax: 0 });
    const { body } = await exchange(emu, await browserLogin(emu));
    const limited = await api(emu, body.access_token!, 'limits');
    expect(limited.status).toBe(403);
    expectSameShape(await limited.json(), fixture);
    emu.handle.configureOrg(undefined, { dailyApiMax: 100 });
    const other = emu.users[1]!;
    const { body: b2 } = await exchange(emu, await browserLogin(emu, { username: other.username, password: other.password }));
    const forbidden = await api(emu, b2.access_token!, 'apps/oauth/usage');
    expect(forbidden.status).toBe(403);
    expectSameShape(await forbidden.json(), fixture);
  });
});
