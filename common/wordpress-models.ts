/**
 * What ForceSites reads from and writes to a WordPress site, as main and the renderer see
 * it. Nothing here holds a secret: the application password stays in main (keychain).
 * See ../../shared/reference/wordpress.md for the REST API these mirror.
 */

/** How the REST API is reached: `/wp-json/` (pretty permalinks) or `/?rest_route=/`. */
export type WordpressDiscoveryMode = 'pretty' | 'rest_route';

export interface WordpressDiscovery {
  /** The site URL as the admin entered it, normalised (no trailing slash). */
  readonly siteUrl: string;
  /** The REST API root, e.g. `https://example.org/wp-json/` or `https://example.org/?rest_route=/`. */
  readonly restUrl: string;
  readonly mode: WordpressDiscoveryMode;
  readonly siteName: string;
  readonly namespaces: readonly string[];
  /** `forcesites/v1` is listed: the ForceSites Companion plugin is active. */
  readonly companionPlugin: boolean;
  /** `wc/v3` is listed: WooCommerce's REST API is there. */
  readonly woocommerce: boolean;
  /** The site advertises application passwords (WordPress 5.6+, https or a local site). */
  readonly applicationPasswords: boolean;
}

/** GET /wp-json/forcesites/v1/info from the companion plugin. */
export interface CompanionInfo {
  readonly pluginVersion: string;
  readonly wordpressVersion: string;
  readonly siteName: string;
  /** User meta keys the plugin exposes besides the tags key. */
  readonly metaKeys: readonly string[];
  readonly tagsMetaKey: string;
  readonly woocommerceActive: boolean;
  readonly woocommerceVersion: string | null;
  readonly applicationPasswordsAvailable: boolean;
  readonly canListUsers: boolean;
  readonly canEditUsers: boolean;
  readonly canCreateUsers: boolean;
}

/** The account ForceSites signs in as (GET /wp/v2/users/me?context=edit). */
export interface WordpressAccount {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly canListUsers: boolean;
  readonly canEditUsers: boolean;
  readonly canCreateUsers: boolean;
}

/** One WordPress user, values exactly as WordPress stores them. */
export interface WordpressUser {
  readonly id: number;
  readonly username: string;
  /** display_name */
  readonly name: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly url: string;
  readonly description: string;
  readonly locale: string;
  readonly nickname: string;
  readonly slug: string;
  readonly roles: readonly string[];
  /** ISO 8601 with offset, as WordPress prints it: `2019-03-04T05:06:07+00:00`. */
  readonly registeredAt: string;
  /** The user's tags (the companion plugin's `forcesites_tags`); empty without the plugin. */
  readonly tags: readonly string[];
  /** Exposed meta besides the tags, key → value. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Fields to create or change; omitted fields stay as they are. */
export interface WordpressUserInput {
  readonly username?: string;
  readonly email?: string;
  /** Only on create: WordPress requires one; ForceSites generates a random one if omitted. */
  readonly password?: string;
  readonly name?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly nickname?: string;
  readonly url?: string;
  readonly description?: string;
  readonly locale?: string;
  readonly roles?: readonly string[];
  /** Replaces the whole tag list. */
  readonly tags?: readonly string[];
  /** Exposed meta keys to set; others stay. */
  readonly meta?: Readonly<Record<string, string>>;
}

export interface WooAddress {
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
  readonly email: string;
  readonly phone: string;
  readonly address1: string;
  readonly address2: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  readonly country: string;
}

export interface WooLineItem {
  readonly id: number;
  readonly name: string;
  readonly productId: number;
  readonly variationId: number;
  readonly quantity: number;
  readonly subtotal: string;
  readonly total: string;
  readonly sku: string;
  /** WooCommerce sends a number here although its table says string. */
  readonly price: number;
}

export interface WooRefund {
  readonly id: number;
  readonly reason: string;
  /** Negative, as WooCommerce prints it: "-10.00". */
  readonly total: string;
}

/** A WooCommerce order: money stays in WooCommerce's decimal strings (no float rounding). */
export interface WooOrder {
  readonly id: number;
  readonly number: string;
  readonly status: string;
  readonly currency: string;
  /** GMT, ISO 8601 without a zone as WooCommerce prints it (`2017-03-22T19:28:02`). */
  readonly dateCreatedGmt: string;
  readonly datePaidGmt: string | null;
  readonly dateCompletedGmt: string | null;
  readonly total: string;
  readonly totalTax: string;
  readonly shippingTotal: string;
  readonly discountTotal: string;
  /** 0 for a guest order. */
  readonly customerId: number;
  readonly billing: WooAddress;
  readonly lineItems: readonly WooLineItem[];
  readonly refunds: readonly WooRefund[];
}

export interface WooProduct {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly sku: string;
  readonly price: string;
  readonly regularPrice: string;
  readonly parentId: number;
}

/**
 * Why a WordPress request failed, finer than the error code: the site form and the Activity
 * page word their advice by it.
 */
export type WordpressErrorReason =
  | 'invalid-url'
  | 'insecure-url'
  | 'unreachable'
  | 'certificate'
  | 'timeout'
  | 'not-wordpress'
  | 'blocked'
  | 'html-error-page'
  | 'server-error'
  | 'invalid-response'
  | 'no-credentials'
  | 'bad-credentials'
  | 'application-passwords-unavailable'
  | 'missing-capability'
  | 'plugin-missing'
  | 'woocommerce-missing'
  | 'route-missing'
  | 'not-found'
  | 'invalid-request'
  | 'conflict'
  | 'rest-error';

// ---------------------------------------------------------------------------------------
// Site check: "is this site ready for ForceSites?", one step per question, in order.
// ---------------------------------------------------------------------------------------

/** ok: fine. warning: works, but something is worth fixing. failed: blocks ForceSites. skipped: an earlier step failed. */
export type SiteCheckStatus = 'ok' | 'warning' | 'failed' | 'skipped';

export interface SiteCheckStep {
  readonly status: SiteCheckStatus;
  /** What was found, in one sentence. */
  readonly message: string;
  /** What to do on the site (absent when nothing needs doing). */
  readonly hint?: string;
  /** The failure's reason when the step failed on a WordPress error. */
  readonly reason?: WordpressErrorReason;
}

export interface SiteCheckResult {
  readonly siteUrl: string;
  readonly checkedAt: string;
  /** Every step is ok or warning: ForceSites can sync this site. */
  readonly ready: boolean;
  readonly reachable: SiteCheckStep & {
    readonly mode: WordpressDiscoveryMode | null;
    readonly restUrl: string | null;
    readonly siteName: string | null;
  };
  readonly credentials: SiteCheckStep & {
    /** The WordPress login ForceSites signed in as. */
    readonly username: string | null;
  };
  readonly capability: SiteCheckStep & {
    readonly listUsers: boolean | null;
    readonly editUsers: boolean | null;
    readonly createUsers: boolean | null;
  };
  readonly companion: SiteCheckStep & {
    readonly installed: boolean | null;
    readonly version: string | null;
    readonly minimumVersion: string;
  };
  readonly metaKeys: SiteCheckStep & {
    readonly exposed: readonly string[];
    readonly tagsKey: string | null;
    /** Keys the site profile's field mapping needs that the plugin does not expose. */
    readonly missing: readonly string[];
  };
  readonly woocommerce: SiteCheckStep & {
    readonly active: boolean | null;
    readonly version: string | null;
    /** The credential the orders read with, when orders were read (issue 14): the application password or a WooCommerce REST API key. */
    readonly credential?: 'application-password' | 'consumer-key';
  };
}

/** The order the site form lists the steps in. */
export const SITE_CHECK_STEPS = ['reachable', 'credentials', 'capability', 'companion', 'metaKeys', 'woocommerce'] as const;
export type SiteCheckStepName = (typeof SITE_CHECK_STEPS)[number];
