/**
 * Which URLs ForceSites may hand to the system browser.
 *
 * The renderer is untrusted, so `shell:open-external` only opens https URLs on Salesforce's
 * hosts, Salesforce documentation hosts, or the configured WordPress sites. The browser
 * edition's demo mode also allows the local emulator (http on loopback), nothing else.
 */
const SALESFORCE_SUFFIXES = ['.salesforce.com', '.force.com', '.salesforce-setup.com', '.my.site.com'];
const DOC_HOSTS = ['help.salesforce.com', 'developer.salesforce.com', 'wordpress.org', 'woocommerce.com'];

export interface ExternalUrlPolicyOptions {
  /** Hosts of configured WordPress sites (e.g. `shop.example.org`). */
  readonly siteHosts: () => readonly string[];
  /** Only in demo/test mode: allow http://localhost and http://127.0.0.1 on any port. */
  readonly allowLoopbackHttp: boolean;
}

export function isAllowedExternalUrl(raw: string, options: ExternalUrlPolicyOptions): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    return options.allowLoopbackHttp && (host === 'localhost' || host === '127.0.0.1');
  }
  if (url.protocol !== 'https:') return false;
  if (host === 'salesforce.com' || SALESFORCE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true;
  if (DOC_HOSTS.includes(host)) return true;
  return options.siteHosts().some((site) => site.toLowerCase() === host);
}
