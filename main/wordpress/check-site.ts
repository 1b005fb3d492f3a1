/**
 * "Is this site ready for ForceSites?" for the site form: reachable (and how the REST API is
 * reached), credentials accepted, the capabilities ForceSites needs, the companion plugin and
 * its version, which meta keys it exposes, WooCommerce. Each step says what it found and
 * what to do on the site. Site problems never throw: they are failed steps, and the steps
 * that depend on a failed one are skipped. The result holds no secret and can go to the
 * renderer as is.
 */
import type { SiteCheckResult, SiteCheckStep, WordpressAccount, WordpressDiscovery, CompanionInfo } from '../../common/wordpress-models';
import { WordpressClient, type WordpressClientOptions } from './wordpress-client';
import { COMPANION_PLUGIN_HINT, WordpressError } from './wordpress-errors';

/** The oldest companion plugin this ForceSites works with. */
export const MINIMUM_COMPANION_VERSION = '0.1.0';

/** User fields WordPress's REST API returns without the plugin; mappings may name them freely. */
const CORE_USER_FIELDS = new Set(['id', 'username', 'name', 'first_name', 'last_name', 'email', 'url', 'description', 'locale', 'nickname', 'slug', 'roles', 'registered_date', 'firstName', 'lastName', 'registeredAt', 'tags']);

export interface CheckSiteOptions extends Pick<WordpressClientOptions, 'siteUrl' | 'username' | 'password' | 'fetch' | 'timeoutMs' | 'logger' | 'allowHttp' | 'woocommerceKey'> {
  /** WordPress fields the site profile's mapping uses; those that are not core user fields must be exposed meta keys. */
  readonly requiredMetaKeys?: readonly string[];
  /** Order sync is on for this site: WooCommerce missing is then a failure, not a note. */
  readonly requireWoocommerce?: boolean;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
}

const skipped = (message = 'Not checked: an earlier step failed.'): SiteCheckStep => ({ status: 'skipped', message });

function failed(error: unknown, fallback: string): SiteCheckStep {
  if (error instanceof WordpressError) {
    return { status: 'failed', message: error.message, reason: error.reason, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  }
  return { status: 'failed', message: fallback, hint: 'Try again. If it keeps happening, the Activity page lists what ForceSites did.' };
}

export async function checkSite(options: CheckSiteOptions): Promise<SiteCheckResult> {
  const checkedAt = (options.now?.() ?? new Date()).toISOString();
  const requiredMetaKeys = [...new Set((options.requiredMetaKeys ?? []).filter((key) => !CORE_USER_FIELDS.has(key)))];
  let siteUrl = options.siteUrl.trim();

  let reachable: SiteCheckResult['reachable'] = { ...skipped(), mode: null, restUrl: null, siteName: null };
  let credentials: SiteCheckResult['credentials'] = { ...skipped(), username: null };
  let capability: SiteCheckResult['capability'] = { ...skipped(), listUsers: null, editUsers: null, createUsers: null };
  let companion: SiteCheckResult['companion'] = { ...skipped(), installed: null, version: null, minimumVersion: MINIMUM_COMPANION_VERSION };
  let metaKeys: SiteCheckResult['metaKeys'] = { ...skipped(), exposed: [], tagsKey: null, missing: requiredMetaKeys };
  let woocommerce: SiteCheckResult['woocommerce'] = { ...skipped(), active: null, version: null };
  const result = (): SiteCheckResult => {
    const steps = [reachable, credentials, capability, companion, metaKeys, woocommerce];
    return { siteUrl, checkedAt, ready: steps.every((step) => step.status === 'ok' || step.status === 'warning'), reachable, credentials, capability, companion, metaKeys, woocommerce };
  };

  let client: WordpressClient;
  try {
    client = new WordpressClient({ ...options, concurrency: 1 });
    siteUrl = client.siteUrl;
  } catch (error) {
    reachable = { ...reachable, ...failed(error, 'The site address is not valid.') };
    return result();
  }

  // 1. Reachable: the REST API, and how.
  let discovery: WordpressDiscovery;
  try {
    discovery = await client.discover(options.signal);
    reachable = {
      status: 'ok',
      message:
        discovery.mode === 'pretty'
          ? `Found WordPress “${discovery.siteName}” and its REST API at ${discovery.restUrl}.`
          : `Found WordPress “${discovery.siteName}”; pretty permalinks are off, so ForceSites uses ${discovery.restUrl}.`,
      mode: discovery.mode,
      restUrl: discovery.restUrl,
      siteName: discovery.siteName,
    };
  } catch (error) {
    reachable = { ...reachable, ...failed(error, `Could not check ${siteUrl}.`) };
    return result();
  }

  // 2. Credentials.
  let account: WordpressAccount;
  try {
    account = await client.currentAccount(options.signal);
    credentials = { status: 'ok', message: `Signed in as ${account.username}${account.name && account.name !== account.username ? ` (${account.name})` : ''}.`, username: account.username };
  } catch (error) {
    const step = failed(error, 'Could not sign in.');
    credentials = {
      ...credentials,
      ...step,
      ...(error instanceof WordpressError && error.reason === 'bad-credentials' && !discovery.applicationPasswords
        ? { hint: `${step.hint ?? ''} This site does not advertise application passwords: WordPress offers them only over HTTPS (or on a site marked as local), and some security plugins turn them off.`.trim() }
        : {}),
    };
    return result();
  }

  // 3. Capabilities.
  const missing = [account.canListUsers ? null : 'list_users', account.canEditUsers ? null : 'edit_users'].filter((cap): cap is string => cap !== null);
  capability = {
    listUsers: account.canListUsers,
    editUsers: account.canEditUsers,
    createUsers: account.canCreateUsers,
    ...(missing.length > 0
      ? {
          status: 'failed' as const,
          message: `${account.username} lacks ${missing.join(' and ')}, so ForceSites cannot read and update this site's users.`,
          hint: 'Use an administrator account, or give this account the list_users and edit_users capabilities (for example with a role editor plugin).',
          reason: 'missing-capability' as const,
        }
      : account.canCreateUsers
        ? { status: 'ok' as const, message: `${account.username} can list, edit and create users.` }
        : {
            status: 'warning' as const,
            message: `${account.username} can list and edit users but not create them: Salesforce records without a WordPress user will not get one.`,
            hint: 'Give this account the create_users capability (administrators have it) if ForceSites should create users.',
          }),
  };

  // 4. Companion plugin.
  let info: CompanionInfo | undefined;
  if (!discovery.companionPlugin) {
    companion = { ...companion, status: 'failed', installed: false, message: `The ForceSites Companion plugin is not active on ${new URL(siteUrl).host}.`, hint: COMPANION_PLUGIN_HINT, reason: 'plugin-missing' };
  } else {
    try {
      info = await client.companionInfo(options.signal);
      const old = compareVersions(info.pluginVersion, MINIMUM_COMPANION_VERSION) < 0;
      companion = {
        ...companion,
        installed: true,
        version: info.pluginVersion,
        ...(old
          ? {
              status: 'failed' as const,
              message: `The ForceSites Companion plugin is version ${info.pluginVersion}; ForceSites needs ${MINIMUM_COMPANION_VERSION} or later.`,
              hint: `Update the plugin: upload the new forcesites-companion.zip under Plugins → Add New → Upload Plugin and choose “Replace current with uploaded”.`,
            }
          : { status: 'ok' as const, message: `ForceSites Companion ${info.pluginVersion} is active (WordPress ${info.wordpressVersion}).` }),
      };
    } catch (error) {
      companion = { ...companion, ...failed(error, 'Could not read the companion plugin’s information.'), installed: error instanceof WordpressError && error.reason === 'plugin-missing' ? false : null };
    }
  }

  // 5. Meta keys.
  if (info !== undefined) {
    const exposed = info.metaKeys;
    const absent = requiredMetaKeys.filter((key) => !exposed.includes(key));
    metaKeys = {
      exposed,
      tagsKey: info.tagsMetaKey,
      missing: absent,
      ...(absent.length > 0
        ? {
            status: 'failed' as const,
            message: `The field mapping uses user meta the plugin does not expose: ${absent.join(', ')}.`,
            hint: `In WordPress go to Settings → ForceSites and add ${absent.length === 1 ? 'this key' : 'these keys'} (one per line): ${absent.join(', ')}.`,
          }
        : {
            status: 'ok' as const,
            message: exposed.length === 0 ? `Tags are exposed (${info.tagsMetaKey}); no other user meta is.` : `Tags (${info.tagsMetaKey}) and ${exposed.length} user meta ${exposed.length === 1 ? 'key is' : 'keys are'} exposed: ${exposed.join(', ')}.`,
          }),
    };
  }

  // 6. WooCommerce.
  const active = info?.woocommerceActive ?? discovery.woocommerce;
  const version = info?.woocommerceVersion ?? null;
  if (!active) {
    woocommerce = options.requireWoocommerce
      ? { status: 'failed', active: false, version, message: 'WooCommerce is not active, but order sync is on for this site.', hint: 'Activate WooCommerce on the site, or turn off order sync for this site.', reason: 'woocommerce-missing' }
      : { status: 'ok', active: false, version, message: 'WooCommerce is not active (order sync is not available for this site).' };
  } else {
    // Read with the credential the orders will use, and say which one that is.
    const credential = client.woocommerceCredential;
    const withWhat = credential === 'consumer-key' ? 'with the WooCommerce REST API key' : `with ${credentials.username ?? 'the account'}’s application password`;
    try {
      await client.getJson('/wc/v3/orders', { per_page: 1 }, options.signal);
      woocommerce = { status: 'ok', active: true, version, credential, message: `WooCommerce${version ? ` ${version}` : ''} is active and ForceSites can read its orders ${withWhat}.` };
    } catch (error) {
      const step = failed(error, 'Could not read WooCommerce orders.');
      woocommerce = { ...step, status: options.requireWoocommerce ? 'failed' : 'warning', active: true, version, credential };
    }
  }

  return result();
}

/** -1, 0 or 1 for dotted numeric versions (`1.10.0` > `1.9.2`); a suffix after "-" is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split('-')[0]!.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
