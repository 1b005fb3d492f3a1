import { describe, expect, it } from 'vitest';
import { browserLogin, connectWithPkce, exchange, refreshCall } from './test-support';
import { useEmulator } from './use-emulator';

const emu = useEmulator();

const EXPIRED = { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } };

async function freshRefreshToken(): Promise<string> {
  const { body } = await exchange(emu, await browserLogin(emu));
  return body.refresh_token!;
}

function setPolicy(policy: string): void {
  emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: policy });
}

describe('refresh token policies', () => {
  it('infinite: valid until revoked, even after a year of silence', async () => {
    setPolicy('infinite');
    const token = await freshRefreshToken();
    emu.handle.advanceClock({ days: 365 });
    expect((await refreshCall(emu, token)).status).toBe(200);
  });

  it('zero: "immediately expire refresh token" — the first refresh already fails', async () => {
    setPolicy('zero');
    const token = await freshRefreshToken();
    expect(await refreshCall(emu, token)).toEqual(EXPIRED);
  });

  it('specific_lifetime: counted from issue, use does not extend it', async () => {
    setPolicy('specific_lifetime:2:HOURS');
    const token = await freshRefreshToken();
    emu.handle.advanceClock({ minutes: 60 });
    expect((await refreshCall(emu, token)).status).toBe(200);
    emu.handle.advanceClock({ minutes: 61 });
    expect(await refreshCall(emu, token)).toEqual(EXPIRED);
  });

  it('specific_inactivity: counted from last use, each refresh extends it', async () => {
    setPolicy('specific_inactivity:30:DAYS');
    const token = await freshRefreshToken();
    for (let i = 0; i < 3; i++) {
      emu.handle.advanceClock({ days: 29 });
      expect((await refreshCall(emu, token)).status).toBe(200);
    }
    emu.handle.advanceClock({ days: 31 });
    expect(await refreshCall(emu, token)).toEqual(EXPIRED);
  });

  it('accepts minutes and months and the object form', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { refreshTokenPolicy: { kind: 'lifetime', amount: 1, unit: 'months' } });
    const token = await freshRefreshToken();
    emu.handle.advanceClock({ days: 29 });
    expect((await refreshCall(emu, token)).status).toBe(200);
    emu.handle.advanceClock({ days: 2 });
    expect(await refreshCall(emu, token)).toEqual(EXPIRED);

    setPolicy('specific_inactivity:10:MINUTES');
    const short = await freshRefreshToken();
    emu.handle.advanceClock({ minutes: 11 });
    expect(await refreshCall(emu, short)).toEqual(EXPIRED);
  });

  it('rejects an invalid policy through the control API with a 400', async () => {
    const res = await fetch(`${emu.controlUrl}/orgs/default/apps/ForceSites`, { method: 'PATCH', body: JSON.stringify({ refreshTokenPolicy: 'sometimes' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('invalid refresh token policy');
  });
});

describe('refresh token rotation', () => {
  it('returns no refresh_token on refresh while rotation is off', async () => {
    const token = await freshRefreshToken();
    const { body } = await refreshCall(emu, token);
    expect(body).not.toHaveProperty('refresh_token');
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
  });

  it('issues a new refresh token on each refresh; the new one works, the old one is dead', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const first = await freshRefreshToken();
    const r1 = await refreshCall(emu, first);
    expect(r1.status).toBe(200);
    const second = r1.body.refresh_token!;
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    const r2 = await refreshCall(emu, second);
    expect(r2.status).toBe(200);
    expect(r2.body.refresh_token).not.toBe(second);
  });

  it('revokes the whole family when a rotated-out token is reused', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const first = await freshRefreshToken();
    const r1 = await refreshCall(emu, first);
    const second = r1.body.refresh_token!;
    expect(await refreshCall(emu, first)).toEqual(EXPIRED); // reuse: theft assumed
    expect(await refreshCall(emu, second)).toEqual(EXPIRED); // the family is gone
    expect(emu.handle.approvals()).toHaveLength(0);
    const res = await fetch(`${emu.instanceUrl}/services/data/v66.0/limits`, { headers: { authorization: `Bearer ${r1.body.access_token}` } });
    expect(res.status).toBe(401);
  });

  it('lets a jsforce client follow rotation when it saves the refresh_token from the refresh event', async () => {
    emu.handle.configureApp(undefined, 'ForceSites', { rotation: true });
    const { conn } = await connectWithPkce(emu);
    conn.on('refresh', (_token: string, res: { refresh_token?: string }) => {
      if (res.refresh_token) conn.refreshToken = res.refresh_token;
    });
    for (let i = 0; i < 3; i++) {
      emu.handle.expireAllSessions();
      await conn.limits();
    }
    expect(emu.handle.approvals()[0]!.useCount).toBe(4);
  });
});
