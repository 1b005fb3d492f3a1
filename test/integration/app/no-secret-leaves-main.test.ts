/**
 * The whole app, driven only through the IPC contract against the Salesforce emulator: sign
 * in, save a site with a WordPress application password, run the health checks, disconnect.
 * Then every IPC answer, every event, every log line and every file ForceSites wrote is
 * searched for the refresh token, the access token and the password. None may appear.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness } from './app-harness';

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
    const h = await startAppHarness(emu);
    const outcome = await h.signIn();
    expect(outcome.ok).toBe(true);
    const connectionId = outcome.connection!.id;

    const jsforce = await h.app.registry.open(connectionId);
    await jsforce.query('SELECT Id FROM Contact LIMIT 1');
    const accessToken = jsforce.accessToken!;
    const refreshToken = [...h.secrets.entries.values()][0]!;
    expect(accessToken.length).toBeGreaterThan(20);
    expect(refreshToken.length).toBeGreaterThan(20);

    await h.call('sites:save', {
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
    const report = await h.call('health:check', {});
    expect(report.cards).toHaveLength(1);
    expect(report.censuses.length).toBeGreaterThan(0);
    await h.call('health:census', { connectionId });
    await h.call('auth:preflight', { connectionId });
    await h.call('connections:list', {});
    await h.call('sites:list', {});
    await h.call('activity:list', {});
    const disconnected = await h.call('connections:disconnect', { connectionId, removeLocallyIfRevokeFails: false });
    expect(disconnected.revokedAtSalesforce).toBe(true);
    await h.app.close();

    const written = filesUnder(h.dataDir).map((file) => readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    for (const secret of [accessToken, refreshToken, WORDPRESS_PASSWORD, WORDPRESS_PASSWORD.replace(/ /g, '')]) {
      for (const [where, texts] of [['IPC', h.wire], ['log', h.logger.lines], ['files', written]] as const) {
        const leaks = texts.filter((text) => text.includes(secret));
        expect(leaks, `${where} contains a secret`).toEqual([]);
      }
    }
    // The password went to the keychain, and only there.
    expect([...h.secrets.entries.values()]).toContain(WORDPRESS_PASSWORD);
  });
});
