/**
 * The site address an admin types, made into the URL ForceSites talks to, and REST routes
 * made into request URLs for either discovery mode.
 */
import { WordpressError } from './wordpress-errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface SiteUrlOptions {
  /** Allow http:// for hosts other than loopback (never sensible with a real password). */
  readonly allowHttp?: boolean;
}

/**
 * `example.org`, `https://example.org/`, `https://example.org/blog/wp-admin/` and
 * `https://example.org/wp-json/` all become `https://example.org[/blog]`.
 */
export function normalizeSiteUrl(input: string, options: SiteUrlOptions = {}): string {
  const trimmed = input.trim();
  if (trimmed === '') throw invalid('Enter the address of the WordPress site.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`“${truncate(trimmed)}” is not a web address.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('The site address must start with https://.');
  if (url.username !== '' || url.password !== '') throw invalid('Leave the username and password out of the site address; enter them in their own fields.');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname) && options.allowHttp !== true) {
    throw new WordpressError('insecure-url', `ForceSites sends the application password only over HTTPS, and ${url.host} was given with http://.`, {
      hint: `Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}. WordPress itself offers application passwords only over HTTPS.`,
    });
  }
  // Addresses copied from the admin or the REST API: keep only the site part.
  let path = url.pathname.replace(/\/(wp-admin|wp-json|wp-login\.php|index\.php)(\/.*)?$/i, '');
  path = path.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export type Query = Readonly<Record<string, string | number | boolean | readonly (string | number)[] | undefined>>;

/**
 * The request URL for a REST route. `restUrl` is the API root found by discovery:
 * `https://x.org/wp-json/` (pretty) or `https://x.org/?rest_route=/` (plain permalinks,
 * where the route travels in the rest_route parameter).
 */
export function routeUrl(restUrl: string, route: string, query: Query = {}): string {
  const url = new URL(restUrl);
  const path = route.startsWith('/') ? route : `/${route}`;
  if (url.searchParams.has('rest_route')) {
    url.searchParams.set('rest_route', path);
  } else {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  }
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // WordPress reads PHP-style arrays: status[]=a&status[]=b.
      for (const item of value as readonly (string | number)[]) url.searchParams.append(`${key}[]`, String(item));
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function invalid(message: string): WordpressError {
  return new WordpressError('invalid-url', message, { hint: 'Enter the address you open the site with, for example https://example.org.' });
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
