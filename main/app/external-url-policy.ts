/**
 * Which URLs ForceSites may hand to the system browser.
 *
 * The renderer is untrusted, so `shell:open-external` opens only:
 * - https on hosts Salesforce runs for everyone (`*.salesforce.com`, `*.salesforce-setup.com`)
 *   and Salesforce / WordPress documentation hosts: 'open';
 * - https on a host of one of the admin's own connections (its instance or login host, and
 *   the Lightning host of its My Domain): 'open'. `*.force.com` and `*.my.site.com` are NOT
 *   trusted as suffixes: anyone can host an Experience Cloud site there;
 * - https on a configured WordPress site: 'confirm'. The renderer itself saves site URLs, so
 *   a saved value alone must not authorise a host: main asks the admin first;
 * - in demo/test mode, http on loopback (the local emulator): 'open'.
 * Everything else is 'refuse'.
 */
const SALESFORCE_SUFFIXES = ['.salesforce.com', '.salesforce-setup.com'];
const DOC_HOSTS = ['help.salesforce.com', 'developer.salesforce.com', 'wordpress.org', 'woocommerce.com'];

export type ExternalUrlVerdict = 'open' | 'confirm' | 'refuse';

export interface ExternalUrlPolicyOptions {
  /** Hosts of configured WordPress sites (e.g. `shop.example.org`). */
  readonly siteHosts: () => readonly string[];
  /** Instance and login URLs of the admin's connections. */
  readonly connectionUrls?: () => readonly string[];
  /** Only in demo/test mode: allow http://localhost and http://127.0.0.1 on any port. */
  readonly allowLoopbackHttp: boolean;
}

export function externalUrlVerdict(raw: string, options: ExternalUrlPolicyOptions): ExternalUrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'refuse';
  }
  if (url.username !== '' || url.password !== '') return 'refuse';
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    return options.allowLoopbackHttp && (host === 'localhost' || host === '127.0.0.1') ? 'open' : 'refuse';
  }
  if (url.protocol !== 'https:') return 'refuse';
  if (host === 'salesforce.com' || SALESFORCE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'open';
  if (DOC_HOSTS.includes(host)) return 'open';
  if (connectionHosts(options.connectionUrls?.() ?? []).has(host)) return 'open';
  return options.siteHosts().some((site) => site.toLowerCase() === host) ? 'confirm' : 'refuse';
}

/** Opens without asking only what needs no confirmation (the renderer's own check). */
export function isAllowedExternalUrl(raw: string, options: ExternalUrlPolicyOptions): boolean {
  return externalUrlVerdict(raw, options) !== 'refuse';
}

/** A connection's hosts: instance, login host, and for a My Domain its Lightning host. */
function connectionHosts(urls: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const raw of urls) {
    let host: string;
    try {
      host = new URL(raw).hostname.toLowerCase();
    } catch {
      continue;
    }
    hosts.add(host);
    const myDomain = /^(.+)\.my\.salesforce\.com$/.exec(host);
    if (myDomain) hosts.add(`${myDomain[1]}.lightning.force.com`);
  }
  return hosts;
}
