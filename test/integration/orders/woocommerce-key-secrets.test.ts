/**
 * The WooCommerce REST API key never leaves the main process (like no-secret-leaves-main for the
 * tokens and the application password): through the contract, a site saved with a key, listed,
 * saved again, checked (a site that is not there: the check fails, the key must not show up in
 * its answer either) and deleted. Every IPC answer, event, log line and file is searched for
 * both halves of the key; the keychain is the only place holding them, and only while the site
 * reads orders with it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness } from '../app/app-harness';

const emu = useEmulator();
const KEY = { consumerKey: `ck_${'1f2e3d4c5b6a'.repeat(3)}abcd`, consumerSecret: `cs_${'a9b8c7d6e5f4'.repeat(3)}0123` };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the WooCommerce key never leaves main', () => {
  it('is kept in the keychain only, and never in IPC answers, events, logs or files', async () => {
    const h = await startAppHarness(emu);
    const base = {
      name: 'Shop',
      // Nothing listens here: the check fails fast, which is what a bad address does.
      wordpressUrl: 'http://127.0.0.1:9',
      wordpressUsername: 'admin',
      wordpressPassword: 'abcd EFGH ijkl MNOP qrst UVWX',
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'none' as const,
      tagField: null,
      fieldMapping: [],
    };
    const saved = await h.call('sites:save', { ...base, woocommerceAuth: 'consumer-key', woocommerceKey: KEY });
    expect(saved).toMatchObject({ woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: KEY.consumerKey.slice(-7) });
    const entries = [...h.secrets.entries];
    expect(entries.filter(([, secret]) => secret.includes(KEY.consumerSecret)).map(([account]) => account)).toEqual([`site:${saved.id}:woocommerce-key`]);

    await h.call('sites:list', {});
    await h.call('sites:save', { ...base, id: saved.id, name: 'Shop renamed' });
    const check = await h.call('sites:check', { siteId: saved.id, wordpressUrl: base.wordpressUrl, wordpressUsername: 'admin' });
    expect(check.reachable.status).toBe('failed');
    const typed = await h.send('sites:check', { wordpressUrl: base.wordpressUrl, wordpressUsername: 'admin', wordpressPassword: 'x', woocommerceKey: KEY });
    expect(typed.ok).toBe(true);
    await h.call('activity:list', {});
    await h.call('sites:delete', { siteId: saved.id });
    expect([...h.secrets.entries.keys()].filter((account) => account.startsWith(`site:${saved.id}:`))).toEqual([]);
    await h.app.close();

    const written = filesUnder(h.dataDir).map((file) => readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    for (const secret of [KEY.consumerKey, KEY.consumerSecret]) {
      for (const [where, texts] of [['IPC', h.wire], ['log', h.logger.lines], ['files', written]] as const) {
        expect(texts.filter((text) => text.includes(secret)), `${where} contains the WooCommerce key`).toEqual([]);
      }
    }
  });
});
