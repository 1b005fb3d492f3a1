/**
 * Every way a WordPress site can fail a request, turned into an AppError whose message says
 * what happened and whose hint says what to do on the site.
 *
 * The AppError code is the nearest shared one (common/errors.ts); `reason` is the precise
 * cause (common/wordpress-models.ts) for callers that word their advice by it, and `wpCode`
 * is WordPress's own error code when it sent one. Messages quote WordPress's text only after
 * stripping its HTML, and never include a request's headers.
 */
import { AppError, type ErrorCode } from '../../common/errors';
import type { WordpressErrorReason } from '../../common/wordpress-models';

export class WordpressError extends AppError {
  readonly reason: WordpressErrorReason;
  /** HTTP status, when the site answered. */
  readonly status: number | undefined;
  /** WordPress's error code (`rest_forbidden`, `incorrect_password`, ...), when it sent JSON. */
  readonly wpCode: string | undefined;

  constructor(reason: WordpressErrorReason, message: string, options: { hint?: string; cause?: unknown; status?: number; wpCode?: string } = {}) {
    super(CODE_BY_REASON[reason], message, { ...(options.hint === undefined ? {} : { hint: options.hint }), ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'WordpressError';
    this.reason = reason;
    this.status = options.status;
    this.wpCode = options.wpCode;
  }
}

export function isWordpressError(error: unknown): error is WordpressError {
  return error instanceof WordpressError;
}

const CODE_BY_REASON: Record<WordpressErrorReason, ErrorCode> = {
  'invalid-url': 'INVALID_REQUEST',
  'insecure-url': 'INVALID_REQUEST',
  unreachable: 'NETWORK_ERROR',
  certificate: 'NETWORK_ERROR',
  timeout: 'NETWORK_ERROR',
  'not-wordpress': 'NETWORK_ERROR',
  blocked: 'NETWORK_ERROR',
  'html-error-page': 'NETWORK_ERROR',
  'server-error': 'NETWORK_ERROR',
  'invalid-response': 'NETWORK_ERROR',
  'no-credentials': 'AUTH_DENIED',
  'bad-credentials': 'AUTH_DENIED',
  'application-passwords-unavailable': 'AUTH_DENIED',
  'missing-capability': 'PERMISSION_MISSING',
  'plugin-missing': 'NOT_FOUND',
  'woocommerce-missing': 'NOT_FOUND',
  'route-missing': 'NOT_FOUND',
  'not-found': 'NOT_FOUND',
  'invalid-request': 'INVALID_REQUEST',
  conflict: 'CONFLICT',
  'rest-error': 'NETWORK_ERROR',
};

/** What the client was doing, for the message ("listing users", "reading the plugin's info"). */
export interface RequestContext {
  readonly host: string;
  readonly route: string;
  readonly action: string;
  readonly username: string;
  readonly timeoutMs: number;
  /** Set when the request was signed with a WooCommerce REST API key: its last characters, as WooCommerce shows them. */
  readonly woocommerceKeyEnding?: string;
}

export const COMPANION_PLUGIN_HINT =
  'Install and activate the ForceSites Companion plugin on the site: in WordPress go to Plugins → Add New → Upload Plugin and upload forcesites-companion.zip (built by "npm run plugin:zip"), then activate it.';

const AUTH_HEADER_HINT =
  'If the password is right, the web server may be dropping the Authorization header (common with Apache running PHP as CGI/FastCGI): ask the host to pass HTTP_AUTHORIZATION through to PHP.';

/** A fetch that threw: DNS, refused connection, TLS, or our own deadline. */
export function errorFromFetchFailure(error: unknown, context: RequestContext, timedOut: boolean): WordpressError {
  if (timedOut) {
    return new WordpressError('timeout', `${context.host} did not answer within ${Math.round(context.timeoutMs / 1000)} s while ${context.action}.`, {
      hint: 'Open the site in a browser to see whether it is up. A very slow site may be overloaded, or a security plugin may be holding requests from ForceSites.',
      cause: error,
    });
  }
  const code = networkCode(error);
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) {
    return new WordpressError('certificate', `${context.host}'s HTTPS certificate is not valid (${code}).`, {
      hint: 'Renew or fix the site’s certificate (your host or Let’s Encrypt). ForceSites never sends the application password to a site whose certificate it cannot verify.',
      cause: error,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new WordpressError('unreachable', `There is no site at ${context.host} (the name does not resolve).`, {
      hint: 'Check the site address for typos. If the domain is new, its DNS may not have spread yet.',
      cause: error,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new WordpressError('unreachable', `${context.host} refused the connection.`, {
      hint: 'Check the site address (and port). The web server may be down: open the site in a browser.',
      cause: error,
    });
  }
  return new WordpressError('unreachable', `Could not reach ${context.host}${code === undefined ? '' : ` (${code})`}.`, {
    hint: 'Check the internet connection and the site address, and that the site opens in a browser.',
    cause: error,
  });
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface FailedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A response WordPress (or whatever answers in its place) sent instead of what we asked for. */
export function errorFromResponse(response: FailedResponse, context: RequestContext): WordpressError {
  const json = parseJsonObject(response.body);
  if (json !== undefined && typeof json.code === 'string') return errorFromWordpressError(response.status, json.code, plainText(String(json.message ?? '')), json.data, context);
  if (looksLikeHtml(response)) return errorFromHtml(response, context);
  if (response.status >= 500) {
    return new WordpressError('server-error', `${context.host} failed with HTTP ${response.status} while ${context.action}.`, {
      hint: 'The site or its host had a problem. Try again in a few minutes; if it keeps happening, check the site’s PHP error log.',
      status: response.status,
    });
  }
  return new WordpressError('invalid-response', `${context.host} answered HTTP ${response.status} without a WordPress error while ${context.action}.`, {
    hint: 'Something in front of WordPress (a proxy, firewall or caching plugin) may be answering instead of it.',
    status: response.status,
  });
}

/** A 2xx answer whose body is not the JSON WordPress sends. */
export function errorFromUnreadableSuccess(response: FailedResponse, context: RequestContext): WordpressError {
  // PHP notices printed before the JSON (display_errors on): the answer is there, spoiled.
  const brace = response.body.search(/[[{]/);
  if (brace > 0 && !/Fatal error/i.test(response.body.slice(0, brace)) && parseJson(response.body.slice(brace)) !== undefined) {
    return new WordpressError('invalid-response', `${context.host} printed PHP warnings or notices before its answer, so ForceSites cannot read it.`, {
      hint: 'Hide PHP messages on the site: in wp-config.php set WP_DEBUG_DISPLAY to false (and display_errors off). The message text is in the site’s PHP error log.',
      status: response.status,
    });
  }
  if (looksLikeHtml(response)) return errorFromHtml(response, context);
  return new WordpressError('invalid-response', `${context.host} sent an answer ForceSites cannot read while ${context.action}.`, {
    hint: 'Something in front of WordPress (a proxy, firewall or caching plugin) may be changing the REST API’s answers; allow /wp-json/ through unchanged.',
    status: response.status,
  });
}

function errorFromWordpressError(status: number, wpCode: string, wpMessage: string, data: unknown, context: RequestContext): WordpressError {
  const options = { status, wpCode };
  const said = wpMessage === '' ? '' : ` WordPress said: “${truncate(wpMessage, 300)}”`;
  const namespace = context.route.split('/').filter(Boolean).slice(0, 2).join('/');

  if (wpCode === 'application_passwords_disabled' || wpCode === 'application_passwords_disabled_for_user') {
    return new WordpressError('application-passwords-unavailable', `${context.host} does not accept application passwords${wpCode.endsWith('for_user') ? ` for ${context.username}` : ''}.`, {
      ...options,
      hint: 'WordPress offers application passwords only over HTTPS: use the site’s https:// address. If it already is https, a security plugin may have turned them off; re-enable them there.',
    });
  }
  if (context.woocommerceKeyEnding !== undefined && (status === 401 || wpCode.startsWith('woocommerce_rest_authentication'))) return woocommerceKeyRefused(wpCode, wpMessage, context, options);
  if (status === 401 || ['incorrect_password', 'invalid_username', 'invalid_email', 'rest_not_logged_in'].includes(wpCode)) {
    const unknownUser = wpCode === 'invalid_username' || wpCode === 'invalid_email';
    return new WordpressError('bad-credentials', unknownUser ? `${context.host} has no user “${context.username}”.` : `${context.host} did not accept the username and application password.`, {
      ...options,
      hint: unknownUser
        ? 'Enter the WordPress username (or email) of the account the application password belongs to.'
        : `Create a new application password in WordPress (Users → Profile → Application Passwords, for the account ${context.username}) and paste it into the site profile. ${AUTH_HEADER_HINT}`,
    });
  }
  if (status === 403 || wpCode === 'rest_forbidden' || wpCode.startsWith('rest_cannot_') || wpCode === 'woocommerce_rest_cannot_view') {
    const woo = namespace === 'wc/v3';
    if (woo && context.woocommerceKeyEnding !== undefined) {
      // The key signs in as the user it was made for, not as the site's WordPress account.
      return new WordpressError('missing-capability', `The user the WooCommerce REST API key ending in …${context.woocommerceKeyEnding} belongs to is not allowed to do this (${context.action}).${said}`, {
        ...options,
        hint: 'Make the key (WooCommerce → Settings → Advanced → REST API) for a user who can manage WooCommerce, such as an administrator or shop manager, and paste it into the site.',
      });
    }
    return new WordpressError('missing-capability', `The WordPress account ${context.username} is not allowed to do this (${context.action}).${said}`, {
      ...options,
      hint: woo
        ? 'Use an account that can manage WooCommerce (an administrator or shop manager has manage_woocommerce).'
        : 'Use an administrator account, or give this account the list_users and edit_users capabilities (create_users to add users).',
    });
  }
  if (status === 404 && wpCode === 'rest_no_route') {
    if (namespace === 'forcesites/v1') {
      return new WordpressError('plugin-missing', `The ForceSites Companion plugin is not active on ${context.host}.`, { ...options, hint: COMPANION_PLUGIN_HINT });
    }
    if (namespace === 'wc/v3') {
      return new WordpressError('woocommerce-missing', `WooCommerce is not active on ${context.host}, so there are no orders to read.`, {
        ...options,
        hint: 'Activate WooCommerce on the site, or turn off order sync for this site.',
      });
    }
    return new WordpressError('route-missing', `${context.host} does not offer ${context.route}.`, {
      ...options,
      hint: 'The site may run an old WordPress (ForceSites needs 5.6 or later) or a plugin may hide parts of the REST API.',
    });
  }
  if (status === 404) {
    return new WordpressError('not-found', `${context.host} has no such item (${context.action}).${said}`, { ...options, hint: 'It may have been deleted on the site. Refresh and try again.' });
  }
  if (wpCode === 'existing_user_login' || wpCode === 'existing_user_email' || wpCode === 'rest_user_exists') {
    return new WordpressError('conflict', `${context.host} already has a user with that ${wpCode.includes('email') ? 'email address' : 'username'}.${said}`, {
      ...options,
      hint: 'Link the existing WordPress user instead of creating a new one.',
    });
  }
  if (status === 400 || wpCode === 'rest_invalid_param' || wpCode === 'rest_missing_callback_param') {
    const params = invalidParams(data);
    return new WordpressError('invalid-request', `${context.host} refused the request (${context.action})${params === '' ? '' : `: ${params}`}.${said}`, {
      ...options,
      hint: 'Correct the value WordPress names and try again.',
    });
  }
  if (status >= 500) {
    return new WordpressError('server-error', `WordPress on ${context.host} hit an error while ${context.action} (HTTP ${status}).${said}`, {
      ...options,
      hint: 'A plugin or theme probably crashed. WordPress emails the site admin the details of critical errors; the site’s PHP error log has them too. Deactivating the plugin named there usually fixes it.',
    });
  }
  return new WordpressError('rest-error', `${context.host} refused the request (${context.action}, HTTP ${status}, ${wpCode}).${said}`, {
    ...options,
    hint: 'Check the site’s settings and plugins for what blocks this request.',
  });
}

function errorFromHtml(response: FailedResponse, context: RequestContext): WordpressError {
  const text = plainText(response.body);
  const { status } = response;
  if (/Error establishing a database connection/i.test(text)) {
    return new WordpressError('html-error-page', `WordPress on ${context.host} cannot reach its database.`, {
      status,
      hint: 'The site is down for everyone: check the database server and the credentials in wp-config.php (or ask the host).',
    });
  }
  if (/critical error on (this|your) website/i.test(text)) {
    return new WordpressError('html-error-page', `WordPress on ${context.host} crashed (“There has been a critical error on this website”) while ${context.action}.`, {
      status,
      hint: 'A plugin or theme crashed. WordPress emails the site admin the details; the site’s PHP error log has them too. Deactivating the plugin named there usually fixes it.',
    });
  }
  const fatal = /(?:PHP )?(Fatal error|Parse error)\s*:\s*(.{0,200})/i.exec(text);
  if (fatal) {
    return new WordpressError('html-error-page', `PHP failed on ${context.host} while ${context.action}: ${fatal[1]}: ${truncate(fatal[2]!.trim(), 160)}`, {
      status,
      hint: 'Fix or deactivate the plugin or theme named in the error (rename its folder in wp-content/plugins if the admin pages are down too). Turning off display_errors keeps such errors out of pages.',
    });
  }
  if (status === 403 || status === 406 || status === 429 || /access denied|blocked|firewall|captcha|cloudflare|security check/i.test(text)) {
    return new WordpressError('blocked', `${context.host} blocked ForceSites's request with a web page (HTTP ${status}) instead of answering from WordPress.`, {
      status,
      hint: 'A security plugin, the host’s firewall or a service such as Cloudflare is blocking the REST API. Allow requests to /wp-json/ (or ?rest_route=) from ForceSites.',
    });
  }
  if (status >= 500) {
    return new WordpressError('html-error-page', `${context.host} answered with an error page (HTTP ${status}) while ${context.action}.`, {
      status,
      hint: 'The site or its host had a problem. Open the site in a browser; check the site’s PHP error log.',
    });
  }
  return new WordpressError('not-wordpress', `${context.host} answered with a web page instead of WordPress’s REST API (HTTP ${status}).`, {
    status,
    hint: 'Check that the address is the WordPress site itself. If it is, a security or caching plugin may be turning off the REST API; allow /wp-json/ for ForceSites.',
  });
}

function looksLikeHtml(response: FailedResponse): boolean {
  return /html/i.test(response.contentType) || /^\s*(<!doctype|<html|<head|<body|<br\s*\/?>|<b>|<p>|<h1)/i.test(response.body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const value = parseJson(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function invalidParams(data: unknown): string {
  const params = (data as { params?: unknown } | undefined)?.params;
  if (params === null || typeof params !== 'object') return '';
  return Object.entries(params as Record<string, unknown>)
    .map(([name, problem]) => `${name}: ${plainText(String(problem))}`)
    .join('; ');
}

/** WordPress messages carry HTML (`<strong>Error:</strong> …`) and entities. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&#x27;/g, "'")
    .replace(/&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** WooCommerce refused its REST API key: its own words, and what to do for each of its reasons. */
function woocommerceKeyRefused(wpCode: string, wpMessage: string, context: RequestContext, options: { status: number; wpCode: string }): WordpressError {
  const said = wpMessage === '' ? '' : ` WooCommerce said: “${truncate(wpMessage, 300)}”`;
  const makeKey = 'In WordPress go to WooCommerce → Settings → Advanced → REST API, add a key with Read access for a user who can manage WooCommerce, and paste its consumer key and secret into the site (the secret is shown only once).';
  let hint = makeKey;
  if (/timestamp/i.test(wpMessage)) hint = 'WooCommerce accepts a signed request only within 15 minutes of its own clock: set this computer’s clock (and the server’s) to the right time automatically.';
  else if (/read permissions/i.test(wpMessage)) hint = 'The key is Write-only: edit it in WooCommerce → Settings → Advanced → REST API and give it Read (or Read/Write) access.';
  else if (wpCode === 'woocommerce_rest_authentication_missing_parameter' || /signature|nonce/i.test(wpMessage)) hint = `${makeKey} If the key is right, the address ForceSites signs is not the one WooCommerce rebuilds: enter the site address exactly as WordPress → Settings → General → Site Address shows it, or use the site's https:// address (then no signature is needed).`;
  return new WordpressError('bad-credentials', `${context.host} did not accept the WooCommerce REST API key ending in …${context.woocommerceKeyEnding}.${said}`, { ...options, hint });
}
