import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyringSecretStore, type KeytarApi } from '../../../main/platform/keyring-secret-store';
import { KEYCHAIN_SERVICE, secretAccounts, TokenVault } from '../../../main/platform/token-vault';
import { ProfileStore } from '../../../main/platform/profile-store';
import { SiteService } from '../../../main/sites/site-service';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { RecordingEventSink } from '../../fakes/recording-event-sink';
import { EventBus } from '../../../main/platform/event-bus';
import { rejection } from '../../support/app-error-rejection';

describe('TokenVault', () => {
  it('keeps one keychain entry per secret under the documented account names', async () => {
    const secrets = new InMemorySecretStore();
    const vault = new TokenVault(secrets);
    await vault.setRefreshToken('c1', 'refresh-1');
    await vault.setClientSecret('c1', 'client-secret-1');
    await vault.setWordpressPassword('s1', 'abcd efgh ijkl');
    expect([...secrets.entries.keys()].sort()).toEqual(['connection:c1:client-secret', 'connection:c1:refresh', 'site:s1:wordpress']);
    expect(secretAccounts.refreshToken('x')).toBe('connection:x:refresh');
    await vault.deleteConnectionSecrets('c1');
    expect([...secrets.entries.keys()]).toEqual(['site:s1:wordpress']);
  });

  it('fails with KEYCHAIN_UNAVAILABLE when the keychain is locked, and keeps nothing anywhere else', async () => {
    const secrets = new InMemorySecretStore();
    secrets.locked = true;
    const vault = new TokenVault(secrets);
    const error = await rejection(vault.setRefreshToken('c1', 'refresh-1'));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.hint).toMatch(/GNOME Keyring|KWallet|Keychain/);
    expect(error.message).not.toContain('refresh-1');
    secrets.locked = false;
    expect(await vault.getRefreshToken('c1')).toBeNull();
  });
});

describe('KeyringSecretStore', () => {
  it('uses the ForceSites service and the keytar API', async () => {
    const calls: string[] = [];
    const saved = new Map<string, string>();
    const keytar: KeytarApi = {
      getPassword: async (service, account) => {
        calls.push(`get ${service} ${account}`);
        return saved.get(account) ?? null;
      },
      setPassword: async (service, account, password) => {
        calls.push(`set ${service} ${account}`);
        saved.set(account, password);
      },
      deletePassword: async (service, account) => {
        calls.push(`delete ${service} ${account}`);
        return saved.delete(account);
      },
    };
    const store = new KeyringSecretStore({ keytar });
    await store.set('connection:c1:refresh', 'tok');
    expect(await store.get('connection:c1:refresh')).toBe('tok');
    expect(await store.delete('connection:c1:refresh')).toBe(true);
    expect(calls.every((call) => call.split(' ')[1] === KEYCHAIN_SERVICE)).toBe(true);
  });

  it('turns any keyring failure into KEYCHAIN_UNAVAILABLE with a hint, never a fallback', async () => {
    const failing: KeytarApi = {
      getPassword: async () => {
        throw new Error('Platform secure storage failure: no secret service');
      },
      setPassword: async () => {
        throw new Error('Platform secure storage failure: collection is locked');
      },
      deletePassword: async () => {
        throw new Error('Platform secure storage failure');
      },
    };
    const store = new KeyringSecretStore({ keytar: failing });
    for (const attempt of [store.get('a'), store.set('a', 'secret-value'), store.delete('a')]) {
      const error = await rejection(attempt);
      expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(error.hint).toContain('GNOME Keyring');
      expect(error.message).not.toContain('secret-value');
    }
  });

  it('treats a write the keychain silently dropped as KEYCHAIN_UNAVAILABLE', async () => {
    const forgetful: KeytarApi = {
      getPassword: async () => null,
      setPassword: async () => undefined,
      deletePassword: async () => false,
    };
    expect((await rejection(new KeyringSecretStore({ keytar: forgetful }).set('a', 'b'))).code).toBe('KEYCHAIN_UNAVAILABLE');
  });
});

describe('SiteService secrets', () => {
  const input = {
    name: 'Shop',
    wordpressUrl: 'https://shop.example.com',
    wordpressUsername: 'editor',
    wordpressPassword: 'abcd EFGH ijkl MNOP qrst UVWX',
    connectionId: null,
    objectType: 'Contact',
    tagMode: 'topics' as const,
    tagField: null,
    fieldMapping: [],
  };

  it('puts the WordPress application password in the keychain and only a flag in the profile', async () => {
    const secrets = new InMemorySecretStore();
    const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-sites-')) });
    const bus = new EventBus();
    const events = new RecordingEventSink().attach(bus, store);
    const sites = new SiteService({ store, secrets, bus });
    const saved = await sites.save(input);
    expect(saved.hasWordpressPassword).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(input.wordpressPassword);
    expect(readFileSync(store.path, 'utf8')).not.toContain(input.wordpressPassword);
    expect(JSON.stringify(events.events)).not.toContain(input.wordpressPassword);
    expect(await sites.getWordpressPassword(saved.id)).toBe(input.wordpressPassword);

    // Updating without a password keeps the stored one.
    const { wordpressPassword: _omit, ...withoutPassword } = input;
    const updated = await sites.save({ ...withoutPassword, id: saved.id, name: 'Shop 2' });
    expect(updated).toMatchObject({ name: 'Shop 2', hasWordpressPassword: true, createdAt: saved.createdAt });
    expect(await sites.getWordpressPassword(saved.id)).toBe(input.wordpressPassword);

    await sites.delete(saved.id);
    expect(secrets.entries.size).toBe(0);
    expect(sites.list()).toEqual([]);
  });

  it('keeps what other features store on the profile (order settings) when the site form saves', async () => {
    const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-sites-')) });
    const sites = new SiteService({ store, secrets: new InMemorySecretStore(), bus: new EventBus() });
    const saved = await sites.save(input);
    store.saveSite({ ...store.getSite(saved.id)!, orders: { statuses: ['completed'], activate: true } });
    await sites.save({ ...input, id: saved.id, name: 'Renamed', wordpressPassword: undefined });
    expect(store.getSite(saved.id)).toMatchObject({ name: 'Renamed', orders: { statuses: ['completed'], activate: true } });
  });

  it('saves nothing when the keychain is locked', async () => {
    const secrets = new InMemorySecretStore();
    secrets.locked = true;
    const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-sites-')) });
    const sites = new SiteService({ store, secrets, bus: new EventBus() });
    expect((await rejection(sites.save(input))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(sites.list()).toEqual([]);
    expect(readFileSync(store.path, 'utf8')).not.toContain(input.wordpressPassword);
  });

  it('rejects an unknown site id and an unknown connection', async () => {
    const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-sites-')) });
    const sites = new SiteService({ store, secrets: new InMemorySecretStore(), bus: new EventBus() });
    expect((await rejection(sites.save({ ...input, id: 'nope' }))).code).toBe('NOT_FOUND');
    expect((await rejection(sites.save({ ...input, connectionId: 'missing' }))).code).toBe('NOT_FOUND');
    expect((await rejection(sites.delete('nope'))).code).toBe('NOT_FOUND');
  });
});
