/**
 * One way main/app makes a WordPress client for a saved site, for every port it hands to a
 * feature (fields, sync, orders, outbound): the site's address and user, the application
 * password read from the keychain only when WordPress asks for it (and the WooCommerce REST API
 * key, for the WooCommerce routes, when the profile says the orders read with one), and the
 * settings' deadline read when the client is made.
 */
import { AppError } from '../../common/errors';
import type { SiteProfileDto } from '../../common/models';
import type { Logger } from '../platform/logger';
import type { WoocommerceKey } from '../wordpress/woocommerce-auth';
import { WordpressClient } from '../wordpress/wordpress-client';

export interface SiteWordpressDeps {
  readonly site: (siteId: string) => SiteProfileDto | undefined;
  readonly password: (siteId: string) => Promise<string | null>;
  /** The site's WooCommerce REST API key from the keychain (used only when the profile chose it). */
  readonly woocommerceKey?: (siteId: string) => Promise<WoocommerceKey | null>;
  readonly timeoutMs: () => number;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
}

export interface ClientTuning {
  /** Pages read at once (default the client's). */
  readonly concurrency?: number;
  readonly pageSize?: number;
}

/** A client for the site; NOT_FOUND when the profile is gone. */
export function siteWordpressClient(siteId: string, deps: SiteWordpressDeps, tuning: ClientTuning = {}): WordpressClient {
  const site = deps.site(siteId);
  if (site === undefined) throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the page.' });
  return new WordpressClient({
    siteUrl: site.wordpressUrl,
    username: site.wordpressUsername,
    password: () => deps.password(siteId),
    // No reader wired means no key: the client then says none is stored, never falls back silently.
    ...(site.woocommerceAuth === 'consumer-key' ? { woocommerceKey: () => deps.woocommerceKey?.(siteId) ?? Promise.resolve(null) } : {}),
    timeoutMs: deps.timeoutMs(),
    logger: deps.logger,
    ...(tuning.concurrency === undefined ? {} : { concurrency: tuning.concurrency }),
    ...(tuning.pageSize === undefined ? {} : { pageSize: tuning.pageSize }),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}
