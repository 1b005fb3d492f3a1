/**
 * The HTTP side of OAuth: the token endpoint (authorization code and refresh grants) and
 * revocation, with plain `fetch` and form posts.
 *
 * Written against RFC 6749/7636/7009 plus Salesforce's documented deviations (a string
 * `issued_at`, no `expires_in`, `instance_url` and `id` in the token response, 400 on
 * revoking an unknown token), so it runs unchanged against Salesforce, the emulator and a
 * standards server. jsforce's OAuth2 class is not used: it assumes an `id` in every token
 * response and cannot send a PKCE verifier it did not create.
 */
import { AppError, type ErrorCode } from '../../common/errors';
import { silentLogger, type Logger } from '../platform/logger';

export interface OAuthEndpoints {
  readonly authorize: string;
  readonly token: string;
  readonly revoke: string;
}

/** Salesforce's endpoints under a login URL (production, sandbox, My Domain, the emulator). */
export function salesforceEndpoints(loginUrl: string): OAuthEndpoints {
  const base = loginUrl.replace(/\/+$/, '');
  return {
    authorize: `${base}/services/oauth2/authorize`,
    token: `${base}/services/oauth2/token`,
    revoke: `${base}/services/oauth2/revoke`,
  };
}

export interface ClientCredentials {
  readonly clientId: string;
  /** Only for confidential connected apps. A public (PKCE) client sends none. */
  readonly clientSecret?: string | undefined;
}

/** A token response. Holds secrets: it never leaves main and is never logged. */
export interface TokenSet {
  readonly accessToken: string;
  /** Present on the code grant when the refresh scope was granted, and on a refresh when rotation is on. */
  readonly refreshToken: string | undefined;
  readonly instanceUrl: string | undefined;
  /** Salesforce's identity URL (`.../id/<orgId>/<userId>`). */
  readonly identityUrl: string | undefined;
  readonly scope: string | undefined;
  readonly issuedAt: Date | undefined;
}

/** A refusal from the token endpoint, with the OAuth `error` kept for callers that branch on it. */
export class TokenEndpointError extends AppError {
  readonly oauthError: string;
  readonly description: string;
  readonly status: number;

  constructor(code: ErrorCode, oauthError: string, description: string, status: number, hint: string) {
    super(code, `Salesforce refused the token request (${oauthError}${description === '' ? '' : `: ${description}`}).`, { hint });
    this.oauthError = oauthError;
    this.description = description;
    this.status = status;
  }
}

export type FetchFunction = typeof fetch;

export interface TokenClientOptions {
  readonly fetch?: FetchFunction;
  readonly log?: Logger;
  /** Per request; Salesforce answers token calls in well under a second. */
  readonly timeoutMs?: number;
}

export type RevokeOutcome = 'revoked' | 'already-invalid';

export class TokenClient {
  readonly #fetch: FetchFunction;
  readonly #log: Logger;
  readonly #timeoutMs: number;

  constructor(options: TokenClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#log = options.log ?? silentLogger;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  exchangeCode(
    endpoints: OAuthEndpoints,
    client: ClientCredentials,
    grant: { readonly code: string; readonly redirectUri: string; readonly codeVerifier: string },
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    return this.#tokenRequest(
      endpoints,
      client,
      { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier },
      signal,
    );
  }

  refresh(endpoints: OAuthEndpoints, client: ClientCredentials, refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    return this.#tokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, signal);
  }

  /**
   * Revokes a token. Salesforce answers 400 for a token it no longer knows (unlike RFC 7009),
   * which for us means the approval is already gone: 'already-invalid', not a failure.
   */
  async revoke(endpoints: OAuthEndpoints, client: ClientCredentials, token: string, signal?: AbortSignal): Promise<RevokeOutcome> {
    const body = new URLSearchParams({ token, client_id: client.clientId });
    const response = await this.#post(endpoints.revoke, body, signal);
    if (response.ok) return 'revoked';
    const payload = await readJson(response);
    const oauthError = typeof payload?.['error'] === 'string' ? payload['error'] : '';
    if (response.status === 400 && (oauthError === 'invalid_token' || oauthError === 'invalid_grant')) return 'already-invalid';
    throw new AppError('SALESFORCE_ERROR', `Salesforce could not revoke the token (HTTP ${response.status}${oauthError === '' ? '' : `, ${oauthError}`}).`, {
      hint: 'Try again later, or revoke the approval in Salesforce under Setup » Connected Apps OAuth Usage.',
    });
  }

  async #tokenRequest(
    endpoints: OAuthEndpoints,
    client: ClientCredentials,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<TokenSet> {
    const body = new URLSearchParams({ ...params, client_id: client.clientId });
    if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret);
    const response = await this.#post(endpoints.token, body, signal);
    const payload = await readJson(response);
    if (!response.ok) throw tokenError(response.status, payload);
    const accessToken = payload?.['access_token'];
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new AppError('SALESFORCE_ERROR', `The token endpoint answered HTTP ${response.status} without an access token.`, {
        hint: 'Check that the login host is a Salesforce login address.',
      });
    }
    this.#log.debug('token endpoint answered', { grant: params['grant_type'], rotated: typeof payload?.['refresh_token'] === 'string' });
    return {
      accessToken,
      refreshToken: stringOrUndefined(payload?.['refresh_token']),
      instanceUrl: stringOrUndefined(payload?.['instance_url']),
      identityUrl: stringOrUndefined(payload?.['id']),
      scope: stringOrUndefined(payload?.['scope']),
      issuedAt: parseIssuedAt(payload?.['issued_at']),
    };
  }

  async #post(url: string, body: URLSearchParams, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        redirect: 'error',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal?.aborted) throw new AppError('AUTH_CANCELLED', 'Sign-in was cancelled.', { cause: error });
      // The URL is safe to name (no secret in it); the body is not, and is not included.
      throw new AppError('NETWORK_ERROR', `Could not reach ${new URL(url).origin}.`, {
        hint: 'Check the internet connection and the login host, then try again.',
        cause: error,
      });
    }
  }
}

function tokenError(status: number, payload: Record<string, unknown> | undefined): AppError {
  const oauthError = typeof payload?.['error'] === 'string' ? payload['error'].slice(0, 100) : `http_${status}`;
  const description = typeof payload?.['error_description'] === 'string' ? payload['error_description'].slice(0, 500) : '';
  switch (oauthError) {
    case 'invalid_grant':
      return new TokenEndpointError('NEEDS_REAUTHORIZATION', oauthError, description, status, 'Reauthorize this connection: sign in to Salesforce again.');
    case 'inactive_user':
      return new TokenEndpointError('NEEDS_REAUTHORIZATION', oauthError, description, status, 'The Salesforce user is inactive. Reauthorize as an active user.');
    case 'invalid_client_id':
    case 'invalid_client':
      return new TokenEndpointError('SALESFORCE_ERROR', oauthError, description, status, 'Check the consumer key of the connected app (and that it exists in this org).');
    case 'invalid_app_access':
      return new TokenEndpointError('PERMISSION_MISSING', oauthError, description, status, 'Ask your Salesforce admin to approve this user for the connected app (Manage Connected Apps » Profiles or Permission Sets).');
    case 'inactive_org':
      return new TokenEndpointError('SALESFORCE_ERROR', oauthError, description, status, 'The org is locked, deleted or inactive.');
    default:
      return new TokenEndpointError('SALESFORCE_ERROR', oauthError, description, status, 'Check the connected app settings in Salesforce, then try again.');
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Salesforce sends epoch milliseconds as a string; tolerate a number too. */
function parseIssuedAt(value: unknown): Date | undefined {
  const ms = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}
