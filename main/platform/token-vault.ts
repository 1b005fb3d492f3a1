/**
 * Where secrets live: the OS keychain, behind the `SecretStore` port.
 *
 * Every secret has exactly one keychain entry under the service `ForceSites`; the account
 * names below are the whole naming scheme. There is deliberately no plaintext fallback: when
 * the keychain is missing or locked the adapter throws KEYCHAIN_UNAVAILABLE and the caller
 * tells the admin how to fix it.
 */
import { AppError } from '../../common/errors';

export const KEYCHAIN_SERVICE = 'ForceSites';

/** The keychain port. Implementations throw AppError('KEYCHAIN_UNAVAILABLE') when they cannot reach the keychain. */
export interface SecretStore {
  /** The secret, or null when there is no entry. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was removed, false when there was none. */
  delete(account: string): Promise<boolean>;
}

export const secretAccounts = {
  refreshToken: (connectionId: string): string => `connection:${connectionId}:refresh`,
  clientSecret: (connectionId: string): string => `connection:${connectionId}:client-secret`,
  wordpressPassword: (siteId: string): string => `site:${siteId}:wordpress`,
  /** The access key in a site's Outbound Message endpoint URL (issue 15). */
  outboundAccessKey: (siteId: string): string => `site:${siteId}:outbound-access-key`,
  /** A WooCommerce REST API key (consumer key and secret, one entry) the orders read with (issue 14). */
  woocommerceKey: (siteId: string): string => `site:${siteId}:woocommerce-key`,
} as const;

/** A WooCommerce REST API key: `ck_…` and `cs_…`, as WooCommerce → Settings → Advanced → REST API shows them once. */
export interface WoocommerceKey {
  readonly consumerKey: string;
  readonly consumerSecret: string;
}

export const KEYCHAIN_HINT =
  'ForceSites keeps tokens and passwords only in the system keychain. On Linux install and unlock GNOME Keyring ' +
  '(or KWallet with its Secret Service bridge); on macOS unlock the login keychain in Keychain Access; on Windows ' +
  'make sure Credential Manager is available. Then try again.';

export function keychainUnavailable(action: string, cause?: unknown): AppError {
  return new AppError('KEYCHAIN_UNAVAILABLE', `The system keychain is unavailable, so ForceSites could not ${action}.`, {
    hint: KEYCHAIN_HINT,
    cause,
  });
}

/** Typed access to the secrets ForceSites keeps, so no caller builds account names by hand. */
export class TokenVault {
  readonly #store: SecretStore;

  constructor(store: SecretStore) {
    this.#store = store;
  }

  getRefreshToken(connectionId: string): Promise<string | null> {
    return this.#store.get(secretAccounts.refreshToken(connectionId));
  }

  setRefreshToken(connectionId: string, token: string): Promise<void> {
    return this.#store.set(secretAccounts.refreshToken(connectionId), token);
  }

  getClientSecret(connectionId: string): Promise<string | null> {
    return this.#store.get(secretAccounts.clientSecret(connectionId));
  }

  setClientSecret(connectionId: string, secret: string): Promise<void> {
    return this.#store.set(secretAccounts.clientSecret(connectionId), secret);
  }

  getWordpressPassword(siteId: string): Promise<string | null> {
    return this.#store.get(secretAccounts.wordpressPassword(siteId));
  }

  setWordpressPassword(siteId: string, password: string): Promise<void> {
    return this.#store.set(secretAccounts.wordpressPassword(siteId), password);
  }

  deleteWordpressPassword(siteId: string): Promise<boolean> {
    return this.#store.delete(secretAccounts.wordpressPassword(siteId));
  }

  getOutboundAccessKey(siteId: string): Promise<string | null> {
    return this.#store.get(secretAccounts.outboundAccessKey(siteId));
  }

  setOutboundAccessKey(siteId: string, key: string): Promise<void> {
    return this.#store.set(secretAccounts.outboundAccessKey(siteId), key);
  }

  deleteOutboundAccessKey(siteId: string): Promise<boolean> {
    return this.#store.delete(secretAccounts.outboundAccessKey(siteId));
  }

  /** The site's WooCommerce key, or null when none is stored (or the entry is not one ForceSites wrote). */
  async getWoocommerceKey(siteId: string): Promise<WoocommerceKey | null> {
    const stored = await this.#store.get(secretAccounts.woocommerceKey(siteId));
    if (stored === null) return null;
    try {
      const parsed = JSON.parse(stored) as Partial<WoocommerceKey>;
      return typeof parsed.consumerKey === 'string' && typeof parsed.consumerSecret === 'string' ? { consumerKey: parsed.consumerKey, consumerSecret: parsed.consumerSecret } : null;
    } catch {
      return null;
    }
  }

  /** Key and secret in one entry, so they can never be saved or deleted half. */
  setWoocommerceKey(siteId: string, key: WoocommerceKey): Promise<void> {
    return this.#store.set(secretAccounts.woocommerceKey(siteId), JSON.stringify({ consumerKey: key.consumerKey, consumerSecret: key.consumerSecret }));
  }

  deleteWoocommerceKey(siteId: string): Promise<boolean> {
    return this.#store.delete(secretAccounts.woocommerceKey(siteId));
  }

  /** Removes the refresh token and the client secret of a connection. */
  async deleteConnectionSecrets(connectionId: string): Promise<void> {
    await this.#store.delete(secretAccounts.refreshToken(connectionId));
    await this.#store.delete(secretAccounts.clientSecret(connectionId));
  }
}
