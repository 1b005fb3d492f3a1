/**
 * The WooCommerce REST API key on the REAL OS keychain (Secret Service; `node scripts/test.mjs`
 * starts a private D-Bus session with a fresh keyring): one entry per site holding key and
 * secret together, read back whole, gone after delete. Skipped with the reason when no Secret
 * Service answers (outside `scripts/test.mjs`), a failure in CI.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../../main/platform/keyring-secret-store';
import { secretAccounts, TokenVault } from '../../../main/platform/token-vault';

const SERVICE = `ForceSites-test-${randomUUID()}`;
const KEY = { consumerKey: `ck_${'0a1b2c3d4e'.repeat(4)}`, consumerSecret: `cs_${'9f8e7d6c5b'.repeat(4)}` };

async function reachable(): Promise<string | null> {
  const store = new KeyringSecretStore({ service: SERVICE });
  try {
    await store.set('probe', 'probe');
    await store.delete('probe');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const unavailable = await reachable();

describe('keychain in CI', () => {
  it.runIf(Boolean(process.env['CI']) && unavailable !== null)('has a Secret Service', () => {
    throw new Error(`no Secret Service in CI: ${unavailable}`);
  });
});

describe.skipIf(unavailable !== null)(`WooCommerce key on the real keychain${unavailable === null ? '' : ` — skipped: ${unavailable}`}`, () => {
  it('is one entry per site, read back whole, deleted with the site', async () => {
    const store = new KeyringSecretStore({ service: SERVICE });
    const vault = new TokenVault(store);
    await vault.setWoocommerceKey('site-a', KEY);
    expect(await vault.getWoocommerceKey('site-a')).toEqual(KEY);
    expect(await vault.getWoocommerceKey('site-b')).toBeNull();
    // Key and secret live together in one entry: no half can be left behind.
    expect(JSON.parse((await store.get(secretAccounts.woocommerceKey('site-a')))!)).toEqual(KEY);
    expect(await vault.deleteWoocommerceKey('site-a')).toBe(true);
    expect(await vault.getWoocommerceKey('site-a')).toBeNull();
    expect(await vault.deleteWoocommerceKey('site-a')).toBe(false);
  });

  it('an entry that is not a key ForceSites wrote reads as no key, not as a broken one', async () => {
    const store = new KeyringSecretStore({ service: SERVICE });
    await store.set(secretAccounts.woocommerceKey('site-c'), 'not json');
    expect(await new TokenVault(store).getWoocommerceKey('site-c')).toBeNull();
    await store.delete(secretAccounts.woocommerceKey('site-c'));
  });
});
