/**
 * How a request authenticates with a WooCommerce REST API key (consumer key `ck_…` and secret
 * `cs_…`), as WooCommerce's WC_REST_Authentication checks it:
 *
 * - over https: HTTP Basic `ck:cs` (the TLS connection protects the secret);
 * - over plain http (ForceSites allows it only for a site on this computer): OAuth 1.0a
 *   "one-legged" (RFC 5849 without a token), signed HMAC-SHA256 with `cs&` as the key, so the
 *   secret itself never travels. The parameters go in an `Authorization: OAuth …` header, which
 *   WooCommerce reads as well as the query string, so the key stays out of server access logs.
 *
 * WooCommerce's signature base string has its own details, followed here exactly:
 * `METHOD&rawurlencode(home_url(path))&` then every query parameter (as PHP decodes them:
 * `status[]=a` is `status[0]=a`) and every oauth_ parameter but the signature, sorted by name
 * (byte order), name and value each RFC 3986-encoded, each `name=value` pair encoded once more,
 * the pairs joined with `%26`. The nonce is checked against the last 15 minutes' and the
 * timestamp must be within 15 minutes of the site's clock.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface WoocommerceKey {
  readonly consumerKey: string;
  readonly consumerSecret: string;
}

export interface OAuthSigningInput {
  readonly method: string;
  /** The full request URL, query included. */
  readonly url: string;
  /** The WordPress site address (its home URL), e.g. `http://127.0.0.1:8080` or `http://localhost/blog`. */
  readonly siteUrl: string;
  readonly key: WoocommerceKey;
  /** Seconds since the epoch (default now). */
  readonly timestamp?: number;
  /** 32 letters and digits (default random). */
  readonly nonce?: string;
}

/** RFC 3986 percent-encoding, as PHP's rawurlencode (encodeURIComponent leaves !'()* alone). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** HTTP Basic with the key as user and the secret as password (https only). */
export function woocommerceBasicAuthorization(key: WoocommerceKey): string {
  return `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`, 'utf8').toString('base64')}`;
}

/**
 * The base URI WooCommerce signs: `home_url()` of the request path relative to the site's
 * path, so an install in a subfolder and plain permalinks (`/?rest_route=…`, path `/`) sign
 * what WooCommerce rebuilds.
 */
export function oauthBaseUri(url: string, siteUrl: string): string {
  const request = new URL(url);
  const home = siteUrl.replace(/\/+$/, '');
  const homePath = new URL(`${home}/`).pathname;
  let path = request.pathname;
  if (path.startsWith(homePath)) path = path.slice(homePath.length);
  path = path.replace(/^\/+/, '');
  return path === '' ? home : `${home}/${path}`;
}

/** The query parameters as PHP's $_GET holds them, flattened the way WooCommerce signs them. */
function queryPairs(url: string): [string, string][] {
  const scalars = new Map<string, string>();
  const arrays = new Map<string, string[]>();
  for (const [name, value] of new URL(url).searchParams) {
    if (name.endsWith('[]')) {
      const base = name.slice(0, -2);
      arrays.set(base, [...(arrays.get(base) ?? []), value]);
    } else {
      scalars.set(name, value);
    }
  }
  const pairs: [string, string][] = [];
  const names = [...new Set([...scalars.keys(), ...arrays.keys()])];
  for (const name of names) {
    const list = arrays.get(name);
    if (list !== undefined) list.forEach((value, index) => pairs.push([`${rfc3986(name)}%5B${index}%5D`, rfc3986(value)]));
    else pairs.push([rfc3986(name), rfc3986(scalars.get(name)!)]);
  }
  return pairs;
}

export function oauthBaseString(method: string, url: string, siteUrl: string, oauth: Readonly<Record<string, string>>): string {
  // Sorted by the parameter's (top-level) name before encoding, as WooCommerce's uksort does;
  // the entries of one array keep their order.
  const top = (pair: [string, string]): string => decodeURIComponent(pair[0].replace(/%5B\d+%5D$/, ''));
  const pairs = [...queryPairs(url), ...Object.entries(oauth).map(([name, value]) => [rfc3986(name), rfc3986(value)] as [string, string])];
  const sorted = pairs.map((pair, index) => ({ pair, index })).sort((a, b) => compareBytes(top(a.pair), top(b.pair)) || a.index - b.index);
  const joined = sorted.map(({ pair }) => rfc3986(`${pair[0]}=${pair[1]}`)).join('%26');
  return `${method.toUpperCase()}&${rfc3986(oauthBaseUri(url, siteUrl))}&${joined}`;
}

/** PHP's strcmp: byte order of the UTF-8 strings. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function oauthSignature(baseString: string, consumerSecret: string): string {
  return createHmac('sha256', `${consumerSecret}&`).update(baseString, 'utf8').digest('base64');
}

/** The `Authorization: OAuth …` header for one request (a fresh nonce each time: WooCommerce refuses a nonce twice). */
export function woocommerceOAuthAuthorization(input: OAuthSigningInput): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.key.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const signature = oauthSignature(oauthBaseString(input.method, input.url, input.siteUrl, oauth), input.key.consumerSecret);
  const params = { ...oauth, oauth_signature: signature };
  return `OAuth ${Object.entries(params)
    .map(([name, value]) => `${name}="${rfc3986(value)}"`)
    .join(', ')}`;
}

/** The last characters WooCommerce itself shows of a key ("Consumer key ending in …"). */
export function keyEnding(consumerKey: string): string {
  return consumerKey.slice(-7);
}
