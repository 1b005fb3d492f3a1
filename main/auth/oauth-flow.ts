/**
 * One OAuth 2.0 web server flow with PKCE, from opening the browser to a verified identity.
 *
 * start(): bind the loopback listener, build the authorize URL, open it in the system
 * browser. complete(): wait for the callback, redeem the code with the verifier, read who
 * signed in and which API version to use. The tokens it returns stay in main: the caller
 * (ConnectionService) puts the refresh token in the keychain and hands out only metadata.
 *
 * Identity and API version sit behind small ports because they are Salesforce-specific;
 * the integration test against a standards OAuth server swaps them, and nothing else.
 */
import { AppError } from '../../common/errors';
import { silentLogger, type Logger } from '../platform/logger';
import { LoopbackServer } from './loopback-server';
import { createPkcePair, createState } from './pkce';
import type { Timers } from '../platform/timers';
import type { ClientCredentials, FetchFunction, OAuthEndpoints, TokenClient, TokenSet } from '../salesforce/token-client';

export const SALESFORCE_SCOPE = 'api refresh_token offline_access id';

/** API versions ForceSites is written and tested against: Winter '24 (59.0) to Spring '26 (66.0). */
export const MIN_API_VERSION = 59;
export const MAX_API_VERSION = 66;

export interface Identity {
  readonly orgId: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
}

/** Who signed in. Salesforce: the identity URL from the token response. */
export interface IdentityReader {
  read(tokens: TokenSet, context: { readonly loginUrl: string; readonly instanceUrl: string }): Promise<Identity>;
}

/** Which REST API version to use on an instance. Salesforce: GET /services/data/. */
export interface ApiVersionReader {
  pick(instanceUrl: string, accessToken: string): Promise<string>;
}

export type OpenExternal = (url: string) => Promise<void> | void;

export interface OAuthFlowOptions {
  readonly loginUrl: string;
  readonly endpoints: OAuthEndpoints;
  readonly client: ClientCredentials;
  readonly port: number;
  readonly path?: string;
  readonly redirectHost?: 'localhost' | '127.0.0.1';
  /** Sends `prompt=login` so the admin can sign in as another user than the browser's session. */
  readonly chooseAnotherUser: boolean;
  /** Prefills the username (used when reauthorizing a known connection). */
  readonly loginHint?: string;
  readonly scope?: string;
  /** Extra authorize parameters for non-Salesforce servers (e.g. `prompt=consent`). */
  readonly extraAuthorizeParams?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** How long a cancelled sign-in keeps telling its browser tab so (LoopbackServer; 0: not at all). */
  readonly cancelledPageMs?: number;
  readonly timers?: Timers;
  readonly signal?: AbortSignal;
}

export interface OAuthFlowPorts {
  readonly openExternal: OpenExternal;
  readonly tokens: TokenClient;
  readonly identity: IdentityReader;
  readonly apiVersions: ApiVersionReader;
  readonly log?: Logger;
}

/** What a finished flow yields. Holds tokens: main-only, never serialised or logged. */
export interface SignInResult {
  readonly identity: Identity;
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Salesforce's `issued_at`: the approval's time by Salesforce's clock, not this machine's. */
  readonly issuedAt: Date | undefined;
}

export class OAuthFlow {
  readonly authorizeUrl: string;
  readonly redirectUri: string;
  readonly #options: OAuthFlowOptions;
  readonly #ports: OAuthFlowPorts;
  readonly #server: LoopbackServer;
  readonly #verifier: string;

  static async start(options: OAuthFlowOptions, ports: OAuthFlowPorts): Promise<OAuthFlow> {
    const pkce = createPkcePair();
    const state = createState();
    const server = await LoopbackServer.listen({
      port: options.port,
      expectedState: state,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.redirectHost === undefined ? {} : { redirectHost: options.redirectHost }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.cancelledPageMs === undefined ? {} : { cancelledPageMs: options.cancelledPageMs }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(ports.log === undefined ? {} : { log: ports.log }),
    });
    const url = new URL(options.endpoints.authorize);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', options.client.clientId);
    url.searchParams.set('redirect_uri', server.redirectUri);
    url.searchParams.set('code_challenge', pkce.challenge);
    url.searchParams.set('code_challenge_method', pkce.method);
    url.searchParams.set('state', state);
    url.searchParams.set('scope', options.scope ?? SALESFORCE_SCOPE);
    if (options.chooseAnotherUser) url.searchParams.set('prompt', 'login');
    if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
    for (const [key, value] of Object.entries(options.extraAuthorizeParams ?? {})) url.searchParams.set(key, value);
    const flow = new OAuthFlow(options, ports, server, pkce.verifier, url.toString());
    try {
      await ports.openExternal(flow.authorizeUrl);
    } catch (error) {
      // No browser tab exists to come back, so nothing to tell: release the port now.
      await server.shutdown();
      throw new AppError('INTERNAL', 'ForceSites could not open the browser for the Salesforce sign-in.', {
        hint: 'Copy the sign-in link into your browser, or check the default browser setting.',
        cause: error,
      });
    }
    return flow;
  }

  private constructor(options: OAuthFlowOptions, ports: OAuthFlowPorts, server: LoopbackServer, verifier: string, authorizeUrl: string) {
    this.#options = options;
    this.#ports = ports;
    this.#server = server;
    this.#verifier = verifier;
    this.authorizeUrl = authorizeUrl;
    this.redirectUri = server.redirectUri;
  }

  /** Waits for the browser, then redeems the code. Throws AppError (denied, timeout, cancelled, …). */
  async complete(): Promise<SignInResult> {
    const log = this.#ports.log ?? silentLogger;
    const signal = this.#options.signal;
    const { code } = await this.#server.result;
    checkAborted(signal);
    const tokens = await this.#ports.tokens.exchangeCode(
      this.#options.endpoints,
      this.#options.client,
      { code, redirectUri: this.redirectUri, codeVerifier: this.#verifier },
      signal,
    );
    checkAborted(signal);
    if (tokens.refreshToken === undefined) {
      throw new AppError('SALESFORCE_ERROR', 'Salesforce signed you in but issued no refresh token.', {
        hint: 'In the connected app, add the OAuth scope "Perform requests at any time (refresh_token, offline_access)", then sign in again.',
      });
    }
    const instanceUrl = tokens.instanceUrl ?? this.#options.loginUrl;
    const identity = await this.#ports.identity.read(tokens, { loginUrl: this.#options.loginUrl, instanceUrl });
    checkAborted(signal);
    const apiVersion = await this.#ports.apiVersions.pick(instanceUrl, tokens.accessToken);
    checkAborted(signal);
    log.info('signed in to Salesforce', { orgId: identity.orgId, userId: identity.userId, apiVersion });
    return { identity, instanceUrl, apiVersion, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, issuedAt: tokens.issuedAt };
  }

  /**
   * Cancels a waiting flow (its browser tab is told so for a short while, then the port is
   * released: LoopbackServer.close) or releases the listener of a finished one.
   */
  cancel(): Promise<void> {
    return this.#server.close();
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('AUTH_CANCELLED', 'Sign-in was cancelled.');
}

/**
 * Reads Salesforce's identity URL. The access token is sent only to the login host, the
 * instance, or a Salesforce host over https, so a tampered `id` cannot collect it.
 */
export class SalesforceIdentityReader implements IdentityReader {
  readonly #fetch: FetchFunction;

  constructor(options: { readonly fetch?: FetchFunction } = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async read(tokens: TokenSet, context: { readonly loginUrl: string; readonly instanceUrl: string }): Promise<Identity> {
    if (tokens.identityUrl === undefined) {
      throw new AppError('SALESFORCE_ERROR', 'The token response had no identity URL.', { hint: 'Make sure the connected app grants the "id" scope.' });
    }
    const idUrl = new URL(tokens.identityUrl);
    const trusted =
      idUrl.origin === new URL(context.loginUrl).origin ||
      idUrl.origin === new URL(context.instanceUrl).origin ||
      (idUrl.protocol === 'https:' && (idUrl.hostname.endsWith('.salesforce.com') || idUrl.hostname.endsWith('.force.com')));
    if (!trusted) throw new AppError('SALESFORCE_ERROR', `The identity URL points to an unexpected host (${idUrl.host}).`);
    const response = await this.#fetch(idUrl, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    }).catch((error: unknown) => {
      throw new AppError('NETWORK_ERROR', `Could not reach ${idUrl.origin}.`, { hint: 'Check the internet connection.', cause: error });
    });
    if (!response.ok) {
      throw new AppError('SALESFORCE_ERROR', `Salesforce did not say who signed in (identity URL answered HTTP ${response.status}).`, {
        hint: 'Make sure the connected app grants the "id" scope, then sign in again.',
      });
    }
    const body = (await response.json()) as Record<string, unknown>;
    const [orgFromUrl, userFromUrl] = idUrl.pathname.split('/').slice(-2);
    const orgId = str(body['organization_id']) ?? orgFromUrl;
    const userId = str(body['user_id']) ?? userFromUrl;
    const username = str(body['username']);
    if (orgId === undefined || userId === undefined || username === undefined) {
      throw new AppError('SALESFORCE_ERROR', 'Salesforce’s identity response lacked the org, user or username.');
    }
    return { orgId, userId, username, displayName: str(body['display_name']) ?? username };
  }
}

/**
 * Picks the highest API version the instance offers within what ForceSites supports.
 *
 * Newer versions than MAX_API_VERSION are skipped because their behaviour is untested here
 * (Salesforce keeps old versions for years, so the highest supported one is always offered).
 * An instance whose newest version is below MIN_API_VERSION is not a current Salesforce
 * (every org is upgraded three times a year), so that is an error rather than a guess.
 */
export class SalesforceApiVersionReader implements ApiVersionReader {
  readonly #fetch: FetchFunction;

  constructor(options: { readonly fetch?: FetchFunction } = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async pick(instanceUrl: string, accessToken: string): Promise<string> {
    const url = `${instanceUrl.replace(/\/+$/, '')}/services/data/`;
    const response = await this.#fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    }).catch((error: unknown) => {
      throw new AppError('NETWORK_ERROR', `Could not reach ${new URL(url).origin}.`, { hint: 'Check the internet connection.', cause: error });
    });
    if (!response.ok) throw new AppError('SALESFORCE_ERROR', `Listing API versions failed (HTTP ${response.status}).`);
    return pickApiVersion(await response.json());
  }
}

/** Pure part of SalesforceApiVersionReader, exported for tests. */
export function pickApiVersion(versions: unknown): string {
  const offered = Array.isArray(versions)
    ? versions
        .map((entry: unknown) => Number((entry as { version?: unknown } | null)?.version))
        .filter((value) => Number.isFinite(value))
    : [];
  const usable = offered.filter((value) => value >= MIN_API_VERSION && value <= MAX_API_VERSION);
  if (usable.length === 0) {
    const newest = offered.length === 0 ? 'none' : Math.max(...offered).toFixed(1);
    throw new AppError('SALESFORCE_ERROR', `This Salesforce instance offers no API version ForceSites supports (newest offered: ${newest}; needs ${MIN_API_VERSION}.0–${MAX_API_VERSION}.0).`, {
      hint: 'Check that the login host is a current Salesforce org.',
    });
  }
  return Math.max(...usable).toFixed(1);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
