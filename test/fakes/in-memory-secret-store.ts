import { keychainUnavailable, type SecretStore } from '../../main/platform/token-vault';

/** A keychain in a Map. `locked = true` makes every call fail as a locked keychain does. */
export class InMemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  locked = false;
  /** Every secret ever written, so tests can search files and logs for all of them. */
  readonly written: string[] = [];

  async get(account: string): Promise<string | null> {
    this.#check('read a saved secret');
    return this.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.#check('save a secret');
    this.entries.set(account, secret);
    this.written.push(secret);
  }

  async delete(account: string): Promise<boolean> {
    this.#check('remove a saved secret');
    return this.entries.delete(account);
  }

  #check(action: string): void {
    if (this.locked) throw keychainUnavailable(action, new Error('The collection is locked (fake)'));
  }
}
