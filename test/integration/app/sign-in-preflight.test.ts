/**
 * The preflight is enforced in main, not only shown by the renderer: a sign-in that would
 * make Salesforce revoke another site's approval starts only when the request names exactly
 * that approval (the admin's "Continue and disconnect").
 */
import { describe, expect, it } from 'vitest';
import { browserLogin, exchange } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness } from './app-harness';

const emu = useEmulator();

describe('sign-in preflight enforcement', () => {
  it('refuses to reauthorize at the cap until the admin acknowledges the approval that goes', async () => {
    const h = await startAppHarness(emu);
    const who = { username: h.user.username, password: h.user.password };
    const otherSite = async () => {
      const { status } = await exchange(emu, await browserLogin(emu, who));
      expect(status).toBe(200);
      emu.handle.advanceClock({ minutes: 1 }); // distinct CreatedDate per approval
    };

    await otherSite(); // the oldest approval: another site's, not ForceSites'
    emu.handle.advanceClock({ minutes: 1 });
    const signedIn = await h.signIn();
    expect(signedIn.ok).toBe(true);
    emu.handle.advanceClock({ minutes: 1 });
    for (let i = 0; i < 3; i++) await otherSite(); // 5 of 5
    const connectionId = signedIn.connection!.id;

    const preflight = await h.call('auth:preflight', { connectionId });
    expect(preflight.verdict).toBe('will-disconnect');
    expect(preflight.evicts).not.toBeNull();

    const refused = await h.send('auth:start', { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: true, reauthorizeConnectionId: connectionId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(emu.handle.approvals(undefined, { user: h.user.username })).toHaveLength(5);

    const wrongAck = await h.send('auth:start', { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: true, reauthorizeConnectionId: connectionId, acknowledgedApprovalId: '0CQ000000000000AAA' });
    expect(wrongAck).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const acknowledged = await h.signIn({ reauthorizeConnectionId: connectionId, acknowledgedApprovalId: preflight.evicts!.approvalId });
    expect(acknowledged.ok).toBe(true);
    await h.app.close();
  });
});
