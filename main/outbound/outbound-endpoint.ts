/**
 * Where Salesforce sends a site's Outbound Messages, and how the access key in that URL is
 * kept out of files, logs and the renderer.
 *
 * The connector this product grew from listens at `<site>/?wpf_action=update|update_tags|add&access_key=KEY`
 * (shared/reference/wordpress.md, "Webhook endpoints"); other connectors use other URLs, so
 * the endpoint is a setting. Either way it is stored as a template in which `{access_key}`
 * stands for the key, and the key itself lives in the keychain. A URL the admin pastes with
 * the key in it is split on save: the key goes to the keychain, the template to the file.
 */
import { AppError } from '../../common/errors';
import type { OutboundAction } from '../../common/outbound-models';
import { lastChars } from '../platform/logger';

export const ACCESS_KEY_PLACEHOLDER = '{access_key}';
const PLACEHOLDER_SENTINEL = 'FORCESITES_ACCESS_KEY_PLACEHOLDER';
/** Query parameters whose value is a secret when a pasted URL carries one. */
const SECRET_PARAMETER = /^(?:access_?key|key|api_?key|token|secret|password)$/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function defaultEndpointTemplate(siteUrl: string, action: OutboundAction): string {
  const base = siteUrl.replace(/\/+$/, '');
  return `${base}/?wpf_action=${action}&access_key=${ACCESS_KEY_PLACEHOLDER}`;
}

export interface SplitEndpoint {
  readonly template: string;
  /** A key the pasted URL carried, to be moved to the keychain. */
  readonly extractedKey: string | null;
}

/** Checks an endpoint the admin typed and moves any key out of it. */
export function splitCustomEndpoint(input: string): SplitEndpoint {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(trimmed.split(ACCESS_KEY_PLACEHOLDER).join(PLACEHOLDER_SENTINEL));
  } catch {
    throw invalidEndpoint(`“${trimmed.slice(0, 200)}” is not a web address.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidEndpoint('The endpoint must start with https://.');
  if (url.username !== '' || url.password !== '') throw invalidEndpoint('The endpoint must not contain a user name or password.');
  if (url.hash !== '') throw invalidEndpoint('The endpoint must not contain a # fragment: Salesforce does not send it.');
  let extractedKey: string | null = null;
  for (const [name, value] of [...url.searchParams.entries()]) {
    if (!SECRET_PARAMETER.test(name) || value === PLACEHOLDER_SENTINEL || value === '') continue;
    if (extractedKey !== null && extractedKey !== value) throw invalidEndpoint('The endpoint carries two different keys.');
    extractedKey = value;
    url.searchParams.set(name, PLACEHOLDER_SENTINEL);
  }
  return { template: url.toString().split(PLACEHOLDER_SENTINEL).join(ACCESS_KEY_PLACEHOLDER), extractedKey };
}

function invalidEndpoint(message: string): AppError {
  return new AppError('INVALID_REQUEST', message, {
    hint: 'Enter the full URL the WordPress connector listens on, e.g. https://example.org/?wpf_action=update&access_key={access_key}.',
  });
}

export function templateNeedsKey(template: string): boolean {
  return template.includes(ACCESS_KEY_PLACEHOLDER);
}

/** The URL to POST to. Throws when the template needs a key and none is saved. */
export function endpointUrl(template: string, accessKey: string | null): URL {
  if (templateNeedsKey(template) && (accessKey === null || accessKey === '')) {
    throw new AppError('INVALID_REQUEST', 'No access key is saved for this endpoint.', {
      hint: "Enter the access key from the WordPress connector's settings (WP Fusion: Settings » General » Access Key) and save.",
    });
  }
  return new URL(template.split(ACCESS_KEY_PLACEHOLDER).join(encodeURIComponent(accessKey ?? '')));
}

/** The template with the key shown as `…abcd` (or `…` when it is short): what the renderer and logs see. */
export function maskedEndpoint(template: string, accessKey: string | null): string {
  const shown = accessKey === null || accessKey === '' ? 'YOUR_ACCESS_KEY' : lastChars(accessKey);
  return template.split(ACCESS_KEY_PLACEHOLDER).join(shown);
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\./.test(hostname);
}

/**
 * Replaces every appearance of each secret (as is, URL-encoded and XML-escaped) with its
 * masked form, and any `access_key=` / `SessionId` value left over (an endpoint that echoes a
 * key it was not given, a session id from elsewhere) with `[masked]`.
 */
export function maskSecrets(text: string, secrets: readonly (string | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === null || secret.length < 4) continue;
    const masked = lastChars(secret);
    const forms = new Set([secret, encodeURIComponent(secret), secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')]);
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(masked);
  }
  out = out.replace(/([?&]access_key=)([^&\s"'<#]+)/gi, (whole, prefix: string, value: string) => (value.startsWith('…') ? whole : `${prefix}[masked]`));
  out = out.replace(/(<SessionId>)([^<]+)(<\/SessionId>)/g, (whole, open: string, value: string, close: string) => (value.startsWith('…') ? whole : `${open}[masked]${close}`));
  return out;
}
