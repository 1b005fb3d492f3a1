/**
 * The whole app, composed as the editions compose it (createApp), driven only through the
 * IPC contract (dispatchInvoke) against the Salesforce emulator: sign in, save a site with
 * a WordPress application password, run the health checks, disconnect. Then every IPC
 * answer, every event, every log line and every file ForceSites wrote is searched for the
 * refresh token, the access token and the password. None may appear.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvokeChannel, RequestOf } from '../../../common/contract';
import type { SignInFinished } from '../../../common/models';
import { createApp } from '../../../main/app/create-app';
import { dispatchInvoke } from '../../../main/app/dispatch';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { FORCESITES_REDIRECT_URIS } from '../../salesforce-emulator/index';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { signInWithForms } from '../auth/support/form-browser';
import { freePort } from '../auth/support/free-port';

const emu = useEmulator();
const WORDPRESS_PASSWORD = 'abcd EFGH ijkl MNOP qrst UVWX';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secrets never leave the main process', () => {
  it('keeps tokens and passwords out of IPC answers, events, logs and files through a full run', async () => {
    const callbackPort = await freePort();
    emu.handle.configureApp(undefined, 'ForceSites', { redirectUris: [...FORCESITES_REDIRECT_URIS, `http://localhost:${callbackPort}/OauthRedirect`] });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'forcesites-app-'));
    const secrets = new InMemorySecretStore();
    const logger = new CapturingLogger();
    const user = emu.users[0]!;
    const app = await createApp({
      edition: 'browser',
      dataDir,
      appVersion: '0.0.0-test',
      allowLoopbackHttp: true,
      secrets,
      logger,
      scheduleHealthChecks: false,
      // The "system browser": fills Salesforce's login and consent forms like a person.
      openExternal: async (url) => {
        void signInWithForms(url, {
          fill: { username: user.username, password: user.password },
          press: ['approve'],
          callbackPrefix: `http://localhost:${callbackPort}/OauthRedirect`,
        }).catch(() => undefined);
        return true;
      },
    });

    const wire: string[] = [];
    app.events.subscribe((channel, payload) => wire.push(JSON.stringify({ channel, payload })));
    const call = async <C extends InvokeChannel>(channel: C, request: RequestOf<C>) => {
      const result = await dispatchInvoke(app.handlers, channel, request, { edition: 'browser' });
      wire.push(JSON.stringify(result));
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
      return result.value as never;
    };

    await call('settings:update', { callbackPorts: [callbackPort] });
    const finished = new Promise<SignInFinished>((resolve) => app.events.subscribe((channel, payload) => channel === 'auth:finished' && resolve(payload as SignInFinished)));
    await call('auth:start', { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: true });
    const outcome = await finished;
    expect(outcome.ok).toBe(true);
    const connectionId = outcome.connection!.id;

    const jsforce = await app.connections.getConnection(connectionId);
    await jsforce.query('SELECT Id FROM Contact LIMIT 1');
    const accessToken = jsforce.accessToken!;
    const refreshToken = [...secrets.entries.values()][0]!;
    expect(accessToken.length).toBeGreaterThan(20);
    expect(refreshToken.length).toBeGreaterThan(20);

    await call('sites:save', {
      name: 'Members',
      wordpressUrl: 'https://members.example.org',
      wordpressUsername: 'admin',
      wordpressPassword: WORDPRESS_PASSWORD,
      connectionId,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [{ wordpressField: 'user_email', salesforceField: 'Email', direction: 'both' }],
    });
    const report = (await call('health:check', {})) as { cards: unknown[]; censuses: unknown[] };
    expect(report.cards).toHaveLength(1);
    expect(report.censuses.length).toBeGreaterThan(0);
    await call('health:census', { connectionId });
    await call('auth:preflight', { connectionId });
    await call('connections:list', {});
    await call('sites:list', {});
    await call('activity:list', {});
    const disconnected = (await call('connections:disconnect', { connectionId, removeLocallyIfRevokeFails: false })) as { revokedAtSalesforce: boolean };
    expect(disconnected.revokedAtSalesforce).toBe(true);
    await app.close();

    const written = filesUnder(dataDir).map((file) => readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    for (const secret of [accessToken, refreshToken, WORDPRESS_PASSWORD, WORDPRESS_PASSWORD.replace(/ /g, '')]) {
      for (const [where, texts] of [['IPC', wire], ['log', logger.lines], ['files', written]] as const) {
        const leaks = texts.filter((text) => text.includes(secret));
        expect(leaks, `${where} contains a secret`).toEqual([]);
      }
    }
    // The password went to the keychain, and only there.
    expect([...secrets.entries.values()]).toContain(WORDPRESS_PASSWORD);
  });
});
