/**
 * WordPress as a feature module: `sites:check` ("is this site ready for ForceSites?") for the
 * site form. The application password is the one the admin just typed, or — for a saved site
 * checked again — the one in the keychain; it never goes back to the renderer. The same for a
 * WooCommerce REST API key when the orders read with one. Every request has the settings'
 * deadline.
 */
import { AppError } from '../../common/errors';
import type { FeatureModule } from '../platform/feature-module';
import { silentLogger, type Logger } from '../platform/logger';
import type { ProfileStore } from '../platform/profile-store';
import { TokenVault, type SecretStore } from '../platform/token-vault';
import { checkSite } from './check-site';

export type WordpressChannel = 'sites:check';

export interface WordpressModuleOptions {
  readonly store: ProfileStore;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
}

export function createWordpressModule(options: WordpressModuleOptions): FeatureModule<WordpressChannel> {
  const vault = new TokenVault(options.secrets);
  const logger = options.logger ?? silentLogger;
  return {
    handlers: {
      'sites:check': async (request) => {
        const saved = request.siteId === undefined ? undefined : options.store.getSite(request.siteId);
        if (request.siteId !== undefined && saved === undefined) {
          throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list and try again.' });
        }
        const password = request.wordpressPassword ?? (saved?.hasWordpressPassword ? await vault.getWordpressPassword(saved.id) : null);
        if (password === null || password === undefined) {
          throw new AppError('INVALID_REQUEST', 'Enter the WordPress application password to check the site.', {
            hint: 'Create one in WordPress under Users » Profile » Application Passwords.',
          });
        }
        // The WooCommerce step reads with the credential the orders will use.
        const woocommerceAuth = request.woocommerceAuth ?? (request.woocommerceKey ? 'consumer-key' : (saved?.woocommerceAuth ?? 'application-password'));
        const woocommerceKey = woocommerceAuth === 'consumer-key' ? (request.woocommerceKey ?? (saved?.hasWoocommerceKey ? await vault.getWoocommerceKey(saved.id) : null)) : undefined;
        if (woocommerceKey === null) {
          throw new AppError('INVALID_REQUEST', 'Enter the WooCommerce consumer key and secret to check the site, or let the orders use the application password.', {
            hint: 'Make a key in WordPress under WooCommerce » Settings » Advanced » REST API (Read access); the secret is shown only once.',
          });
        }
        return checkSite({
          siteUrl: request.wordpressUrl,
          username: request.wordpressUsername,
          password,
          timeoutMs: options.store.getSettings().requestTimeoutSeconds * 1000,
          logger,
          // Mappings name core user fields as is (`email`) and meta keys as `meta:<key>`: only
          // the meta keys need the companion plugin to expose them.
          requiredMetaKeys: (saved?.fieldMapping ?? []).flatMap((entry) => (entry.wordpressField.startsWith('meta:') ? [entry.wordpressField.slice('meta:'.length)] : [])),
          ...(woocommerceKey ? { woocommerceKey } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
      },
    },
    start() {},
    async stop() {},
  };
}
