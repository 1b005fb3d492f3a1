/**
 * The `SecretStore` adapter for the real OS keychain (macOS Keychain, Windows Credential
 * Manager, Secret Service on Linux) through @napi-rs/keyring's keytar-compatible API.
 *
 * Plain Node, no Electron: the same adapter serves the desktop app and the keychain tests.
 */
import * as keytar from '@napi-rs/keyring/keytar.js';
import { KEYCHAIN_SERVICE, keychainUnavailable, type SecretStore } from './token-vault';

/** The subset of the keytar API this adapter uses; injectable so failures can be simulated. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeyringSecretStoreOptions {
  /** Defaults to `ForceSites`; tests use their own service name so they never touch real entries. */
  readonly service?: string;
  readonly keytar?: KeytarApi;
}

export class KeyringSecretStore implements SecretStore {
  readonly #service: string;
  readonly #keytar: KeytarApi;

  constructor(options: KeyringSecretStoreOptions = {}) {
    this.#service = options.service ?? KEYCHAIN_SERVICE;
    this.#keytar = options.keytar ?? keytar;
  }

  async get(account: string): Promise<string | null> {
    try {
      return (await this.#keytar.getPassword(this.#service, account)) ?? null;
    } catch (error) {
      // Errors never include the secret; the keyring only reports why it could not answer.
      throw keychainUnavailable('read a saved secret', error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await this.#keytar.setPassword(this.#service, account, secret);
    } catch (error) {
      throw keychainUnavailable('save a secret', error);
    }
    // Some Secret Service setups accept a write into a locked or transient collection and
    // drop it; read it back so "saved" means the secret will be there next time.
    const readBack = await this.get(account);
    if (readBack !== secret) throw keychainUnavailable('save a secret (the keychain did not keep it)');
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.#keytar.deletePassword(this.#service, account);
    } catch (error) {
      throw keychainUnavailable('remove a saved secret', error);
    }
  }
}
