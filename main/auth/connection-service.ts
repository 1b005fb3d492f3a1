/**
 * Salesforce connections: sign in, reauthorize, list, disconnect, and hand a ready jsforce
 * Connection to the other services.
 *
 * A connection is one Salesforce approval: org + connected app + user. Salesforce keeps only
 * a few approvals per user per app and silently revokes the oldest when another is made, so
 * ForceSites keeps ONE connection per org+app+user and lets several site profiles share it:
 * signing in again as the same user updates that connection (and revokes the approval it
 * replaces, so ForceSites never holds two slots for one user).
 *
 * Tokens stay here: the refresh token goes to the keychain, DTOs and events carry metadata only.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'jsforce';
import { AppError, toErrorDto } from '../../common/errors';
import type { ConnectionDto, ConnectionState, ReauthorizationCause, SignInRequest, SignInStarted } from '../../common/models';
import { SalesforceConnectionFactory } from '../salesforce/connection-factory';
import { connectionDtos, siteDtos, toConnectionDto } from '../platform/profile-dtos';
import type { EventSink } from '../platform/event-sink';
import type { ConnectionRecord } from '../platform/profile-records';
import type { ProfileStore } from '../platform/profile-store';
import { isSandboxLoginUrl, resolveLoginUrl } from '../salesforce/login-hosts';
import { silentLogger, type Logger } from '../platform/logger';
import { DEFAULT_CALLBACK_PATH } from './loopback-server';
import {
  OAuthFlow,
  SalesforceApiVersionReader,
  SalesforceIdentityReader,
  type ApiVersionReader,
  type IdentityReader,
  type OpenExternal,
  type SignInResult,
} from './oauth-flow';
import type { Timers } from '../platform/timers';
import { salesforceEndpoints, TokenClient, type FetchFunction, type OAuthEndpoints, type TokenEndpointError } from '../salesforce/token-client';
import { TokenVault, type SecretStore } from '../platform/token-vault';

/** What a preflight check sees before the browser opens. */
export interface SignInPreflightContext {
  readonly loginUrl: string;
  readonly clientId: string;
  readonly chooseAnotherUser: boolean;
  /** Set when reauthorizing. */
  readonly connection?: ConnectionDto;
  /** Connections already holding approvals for this login host and connected app. */
  readonly existingConnections: readonly ConnectionDto[];
  /** The approval the admin agreed to lose (SignInRequest.acknowledgedApprovalId). */
  readonly acknowledgedApprovalId?: string;
}

/**
 * Runs before the browser opens (the health engineer's approval census plugs in here).
 * Throw an AppError to stop the sign-in; it reaches the renderer as the `auth:start` error.
 */
export type SignInPreflight = (context: SignInPreflightContext) => Promise<void>;

export interface InvalidGrantExplanation {
  readonly cause: ReauthorizationCause;
  readonly detail: string;
}

/**
 * Explains why Salesforce refused a refresh token (e.g. the census shows the approval was
 * evicted by the approval cap). Return undefined when it cannot tell; it is time-boxed.
 */
export type InvalidGrantExplainer = (
  connection: ConnectionDto,
  refusal: { readonly error: string; readonly description: string },
) => Promise<InvalidGrantExplanation | undefined>;

export interface ConnectionServiceOptions {
  readonly store: ProfileStore;
  readonly secrets: SecretStore;
  /** Opens the system browser (Electron: shell.openExternal behind the allowlist). */
  readonly openExternal: OpenExternal;
  readonly events: EventSink;
  readonly log?: Logger;
  /** Demo/test mode: allow http://localhost:PORT login hosts (the emulator). */
  readonly allowLoopbackHttp?: boolean;
  readonly preflight?: SignInPreflight;
  readonly explainInvalidGrant?: InvalidGrantExplainer;
  /** Told after every successful token refresh (health's keep-alive restarts its window). */
  readonly onRefreshed?: (connectionId: string) => void;
  /** Default 5 minutes. */
  readonly callbackTimeoutMs?: number;
  readonly timers?: Timers;
  /** The host in redirect_uri; must match the connected app's callback URL (default localhost). */
  readonly redirectHost?: 'localhost' | '127.0.0.1';
  readonly fetch?: FetchFunction;
  readonly newId?: () => string;
  readonly now?: () => Date;
  /** See GuardedRefreshDelegate (default 60 s). */
  readonly freshTokenGraceMs?: number;
  // Salesforce-specific seams, replaced only to run the flow against a standards OAuth server.
  readonly endpointsFor?: (loginUrl: string) => OAuthEndpoints;
  readonly identity?: IdentityReader;
  readonly apiVersions?: ApiVersionReader;
  readonly scope?: string;
  readonly extraAuthorizeParams?: Readonly<Record<string, string>>;
}

export interface DisconnectResult {
  readonly revokedAtSalesforce: boolean;
  readonly removedLocally: boolean;
  readonly message: string;
}

interface ActiveFlow {
  readonly flowId: string;
  readonly flow: OAuthFlow;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

interface FlowContext {
  readonly loginUrl: string;
  readonly clientId: string;
  /** Typed by the admin in this request (a reauthorization reuses the saved one instead). */
  readonly newClientSecret: string | undefined;
  readonly clientSecret: string | undefined;
  readonly port: number;
  readonly reauthorize: ConnectionRecord | undefined;
}

const EXPLAIN_TIMEOUT_MS = 10_000;

export class ConnectionService {
  readonly #options: ConnectionServiceOptions;
  readonly #store: ProfileStore;
  readonly #vault: TokenVault;
  readonly #events: EventSink;
  readonly #log: Logger;
  readonly #tokens: TokenClient;
  readonly #factory: SalesforceConnectionFactory;
  readonly #endpointsFor: (loginUrl: string) => OAuthEndpoints;
  readonly #newId: () => string;
  readonly #now: () => Date;
  #active: ActiveFlow | undefined;
  /** startSignIn calls run one after another, so a double click cannot start two listeners. */
  #starting: Promise<unknown> = Promise.resolve();

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#vault = new TokenVault(options.secrets);
    this.#events = options.events;
    this.#log = options.log ?? silentLogger;
    this.#tokens = new TokenClient({ log: this.#log, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
    this.#endpointsFor = options.endpointsFor ?? salesforceEndpoints;
    this.#newId = options.newId ?? randomUUID;
    this.#now = options.now ?? (() => new Date());
    this.#factory = new SalesforceConnectionFactory({
      vault: this.#vault,
      tokens: this.#tokens,
      endpointsFor: this.#endpointsFor,
      log: this.#log,
      ...(options.freshTokenGraceMs === undefined ? {} : { freshTokenGraceMs: options.freshTokenGraceMs }),
      onAuthorizationLost: (record, error) => this.#recordLostAuthorization(record, error),
      onRefreshed: (record, change) => this.#recordRefresh(record, change.instanceUrl),
      onKeychainError: (record, error) =>
        this.#setState(record.id, { kind: 'keychain-error', detail: `${error.message} Salesforce issued a new refresh token that ForceSites holds only in memory until the keychain accepts it; unlock the keychain before quitting ForceSites, or reauthorize later.` }),
    });
  }

  // ---- sign-in ----

  /**
   * Opens the Salesforce login in the system browser and returns at once; the result arrives
   * as an `auth:finished` event. Throws (before opening anything) for a bad login host, a
   * busy callback port, a failed preflight or an unknown connection to reauthorize.
   */
  startSignIn(request: SignInRequest): Promise<SignInStarted> {
    const started = this.#starting.then(() => this.#startSignIn(request));
    this.#starting = started.catch(() => undefined);
    return started;
  }

  async #startSignIn(request: SignInRequest): Promise<SignInStarted> {
    const context = await this.#flowContext(request);
    const settings = this.#store.getSettings();
    const sameApp = this.list().filter((c) => c.loginUrl === context.loginUrl && c.clientId === context.clientId);
    await this.#options.preflight?.({
      loginUrl: context.loginUrl,
      clientId: context.clientId,
      chooseAnotherUser: request.chooseAnotherUser,
      existingConnections: sameApp,
      ...(request.acknowledgedApprovalId === undefined ? {} : { acknowledgedApprovalId: request.acknowledgedApprovalId }),
      ...(context.reauthorize === undefined ? {} : { connection: toConnectionDto(context.reauthorize, this.#store.listSites()) }),
    });
    // One sign-in at a time: a new one replaces a flow the admin abandoned in the browser.
    if (this.#active !== undefined) await this.cancelSignIn(this.#active.flowId);

    const ports = candidatePorts(request.callbackPort, context.reauthorize?.callbackPort, settings.callbackPorts);
    const abort = new AbortController();
    const flow = await this.#startOnFirstFreePort(ports, context, request, abort.signal);
    const flowId = this.#newId();
    const flowContext: FlowContext = { ...context, port: new URL(flow.redirectUri).port === '' ? 80 : Number(new URL(flow.redirectUri).port) };
    const active: ActiveFlow = {
      flowId,
      flow,
      abort,
      done: this.#finishInBackground(flowId, flow, flowContext),
    };
    this.#active = active;
    this.#log.info('sign-in started', { flowId, loginUrl: context.loginUrl, redirectUri: flow.redirectUri });
    return { flowId, authorizeUrl: flow.authorizeUrl, redirectUri: flow.redirectUri };
  }

  /** Reauthorizes a connection with its saved login host, connected app and port. */
  reauthorize(connectionId: string, options: { readonly chooseAnotherUser?: boolean } = {}): Promise<SignInStarted> {
    const record = this.#require(connectionId);
    return this.startSignIn({
      loginHostKind: 'custom',
      clientId: record.clientId,
      chooseAnotherUser: options.chooseAnotherUser ?? false,
      reauthorizeConnectionId: connectionId,
    });
  }

  async cancelSignIn(flowId: string): Promise<{ cancelled: boolean }> {
    const active = this.#active;
    if (active === undefined || active.flowId !== flowId) return { cancelled: false };
    active.abort.abort();
    await active.flow.cancel();
    await active.done;
    return { cancelled: true };
  }

  /** Resolves when the current sign-in (if any) has finished and announced its result. */
  async whenIdle(): Promise<void> {
    await this.#active?.done;
  }

  // ---- connections ----

  list(): ConnectionDto[] {
    return connectionDtos(this.#store);
  }

  /**
   * The jsforce Connection for other main-process services. Shared per connection, so its
   * refreshes are single-flight. Throws NEEDS_REAUTHORIZATION for a connection Salesforce no
   * longer accepts, KEYCHAIN_UNAVAILABLE when the keychain is locked.
   */
  async getConnection(connectionId: string): Promise<Connection> {
    const record = this.#require(connectionId);
    if (record.state.kind === 'needs-reauthorization') {
      throw new AppError('NEEDS_REAUTHORIZATION', `The connection for ${record.username} needs to be reauthorized. ${record.state.detail}`, {
        hint: 'Reauthorize it on the Connections page.',
      });
    }
    try {
      const connection = await this.#factory.get(record);
      if (record.state.kind === 'keychain-error') this.#setState(record.id, { kind: 'connected' });
      return connection;
    } catch (error) {
      if (error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE') {
        this.#setState(record.id, { kind: 'keychain-error', detail: error.message });
      }
      throw error;
    }
  }

  /**
   * Refreshes the connection's session now: one token call (shared with any refresh already
   * running), a rotated token persisted first. For the health keep-alive, which keeps refresh
   * tokens alive under "expire if not used" policies. Rejects with NEEDS_REAUTHORIZATION when
   * Salesforce refuses the refresh token (and records why, as any refresh does).
   */
  async refresh(connectionId: string): Promise<void> {
    const record = this.#require(connectionId);
    if (record.state.kind === 'needs-reauthorization') {
      throw new AppError('NEEDS_REAUTHORIZATION', `The connection for ${record.username} needs to be reauthorized.`, {
        hint: 'Reauthorize it on the Connections page.',
      });
    }
    await this.getConnection(connectionId);
    await this.#factory.refreshNow(record);
  }

  /** Cancels a sign-in still waiting for the browser and closes its listener (app quit, tests). */
  async close(): Promise<void> {
    const active = this.#active;
    if (active !== undefined) await this.cancelSignIn(active.flowId);
  }

  /**
   * Revokes the approval at Salesforce, then deletes the keychain entries and the record
   * (site profiles that used it are detached). If Salesforce cannot be reached, nothing is
   * removed unless `removeLocallyIfRevokeFails`: the admin decides whether to leave an
   * approval behind in Salesforce.
   */
  async disconnect(connectionId: string, removeLocallyIfRevokeFails: boolean): Promise<DisconnectResult> {
    const record = this.#require(connectionId);
    let revoked = false;
    let revokeProblem = '';
    let token: string | null | undefined = this.#factory.currentRefreshToken(connectionId);
    if (token === undefined) {
      try {
        token = await this.#vault.getRefreshToken(connectionId);
      } catch (error) {
        token = null;
        revokeProblem = error instanceof AppError ? error.message : 'The keychain could not be read.';
      }
    }
    let alreadyGone = false;
    if (token === null) {
      revokeProblem ||= 'No saved authorization was found in the keychain, so there was nothing ForceSites could revoke.';
    } else {
      try {
        const client = { clientId: record.clientId, clientSecret: await this.#clientSecretOf(record).catch(() => undefined) };
        const outcome = await this.#tokens.revoke(this.#endpointsFor(record.loginUrl), client, token);
        revoked = true;
        alreadyGone = outcome === 'already-invalid';
      } catch (error) {
        revokeProblem = error instanceof AppError ? error.message : 'Salesforce could not be reached.';
      }
    }
    const revokedText = alreadyGone ? 'Salesforce had already revoked this approval.' : 'The approval was revoked in Salesforce.';
    if (!revoked && !removeLocallyIfRevokeFails) {
      return {
        revokedAtSalesforce: false,
        removedLocally: false,
        message: `${revokeProblem} Nothing was removed. Try again, or remove the connection locally and revoke it in Salesforce under Setup » Connected Apps OAuth Usage.`,
      };
    }
    this.#factory.forget(connectionId);
    try {
      await this.#vault.deleteConnectionSecrets(connectionId);
    } catch (error) {
      // Keep the record so the keychain entry is not orphaned; the admin can retry once unlocked.
      if (revoked) this.#setState(connectionId, { kind: 'needs-reauthorization', cause: 'revoked', detail: 'Disconnected in ForceSites.' });
      return {
        revokedAtSalesforce: revoked,
        removedLocally: false,
        message: `${revoked ? revokedText : revokeProblem} ${error instanceof AppError ? error.message : 'The keychain refused.'} Unlock the keychain and disconnect again to remove it from ForceSites.`,
      };
    }
    this.#store.deleteConnection(connectionId);
    this.#log.info('connection removed', { connectionId, revoked });
    this.#announceConnections();
    this.#events.emit('sites:changed', siteDtos(this.#store));
    return {
      revokedAtSalesforce: revoked,
      removedLocally: true,
      message: revoked
        ? `${revokedText} The connection was removed from ForceSites.`
        : `${revokeProblem} The connection was removed from ForceSites only; revoke it in Salesforce under Setup » Connected Apps OAuth Usage.`,
    };
  }

  // ---- internals: sign-in ----

  async #flowContext(request: SignInRequest): Promise<Omit<FlowContext, 'port'>> {
    if (request.reauthorizeConnectionId !== undefined) {
      const record = this.#require(request.reauthorizeConnectionId);
      const saved = record.hasClientSecret ? await this.#vault.getClientSecret(record.id) : null;
      const secret = request.clientSecret ?? saved ?? undefined;
      return { loginUrl: record.loginUrl, clientId: record.clientId, clientSecret: secret, newClientSecret: request.clientSecret, reauthorize: record };
    }
    const loginUrl = resolveLoginUrl(request.loginHostKind, request.loginHost, { allowLoopbackHttp: this.#options.allowLoopbackHttp ?? false });
    const clientId = request.clientId.trim();
    if (clientId === '') throw new AppError('INVALID_REQUEST', 'Enter the consumer key of the connected app.');
    return { loginUrl, clientId, clientSecret: request.clientSecret, newClientSecret: request.clientSecret, reauthorize: undefined };
  }

  async #startOnFirstFreePort(
    ports: readonly number[],
    context: Omit<FlowContext, 'port'>,
    request: SignInRequest,
    signal: AbortSignal,
  ): Promise<OAuthFlow> {
    const busy: number[] = [];
    for (const port of ports) {
      try {
        return await OAuthFlow.start(
          {
            loginUrl: context.loginUrl,
            endpoints: this.#endpointsFor(context.loginUrl),
            client: { clientId: context.clientId, clientSecret: context.clientSecret },
            port,
            path: DEFAULT_CALLBACK_PATH,
            chooseAnotherUser: request.chooseAnotherUser,
            signal,
            ...(context.reauthorize === undefined ? {} : { loginHint: context.reauthorize.username }),
            ...(this.#options.redirectHost === undefined ? {} : { redirectHost: this.#options.redirectHost }),
            ...(this.#options.callbackTimeoutMs === undefined ? {} : { timeoutMs: this.#options.callbackTimeoutMs }),
            ...(this.#options.timers === undefined ? {} : { timers: this.#options.timers }),
            ...(this.#options.scope === undefined ? {} : { scope: this.#options.scope }),
            ...(this.#options.extraAuthorizeParams === undefined ? {} : { extraAuthorizeParams: this.#options.extraAuthorizeParams }),
          },
          {
            openExternal: this.#options.openExternal,
            tokens: this.#tokens,
            identity: this.#options.identity ?? new SalesforceIdentityReader(this.#fetchOption()),
            apiVersions: this.#options.apiVersions ?? new SalesforceApiVersionReader(this.#fetchOption()),
            log: this.#log,
          },
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'AUTH_PORT_BUSY' && ports.length > 1) {
          busy.push(port);
          continue;
        }
        throw error;
      }
    }
    throw new AppError('AUTH_PORT_BUSY', `Ports ${busy.join(', ')} on this computer are all in use, so ForceSites cannot receive the sign-in.`, {
      hint: 'Close the program using one of them (often another Salesforce tool waiting for a sign-in), then try again.',
    });
  }

  async #finishInBackground(flowId: string, flow: OAuthFlow, context: FlowContext): Promise<void> {
    // Let startSignIn register the flow before a very fast failure settles it.
    await Promise.resolve();
    try {
      const result = await flow.complete();
      const connection = await this.#saveSignIn(result, context);
      this.#log.info('sign-in finished', { flowId, connectionId: connection.id });
      this.#events.emit('auth:finished', { flowId, ok: true, connection });
      this.#announceConnections();
    } catch (error) {
      const dto = toErrorDto(error);
      this.#log.warn('sign-in failed', { flowId, code: dto.code, message: dto.message });
      if (!(error instanceof AppError)) this.#log.error('unexpected sign-in failure', { flowId, error: describe(error) });
      this.#events.emit('auth:finished', { flowId, ok: false, error: dto });
    } finally {
      await flow.cancel().catch(() => undefined);
      if (this.#active?.flowId === flowId) this.#active = undefined;
    }
  }

  async #saveSignIn(result: SignInResult, context: FlowContext): Promise<ConnectionDto> {
    const { identity } = result;
    const endpoints = this.#endpointsFor(context.loginUrl);
    const client = { clientId: context.clientId, clientSecret: context.clientSecret };
    const target = context.reauthorize;
    if (target !== undefined && (target.orgId !== identity.orgId || target.userId !== identity.userId)) {
      // The new approval is not wanted: give its slot back rather than leave it counting.
      await this.#tokens.revoke(endpoints, client, result.refreshToken).catch(() => undefined);
      throw new AppError('CONFLICT', `You signed in as ${identity.username}, but this connection belongs to ${target.username}.`, {
        hint: `Reauthorize again and sign in as ${target.username}, or add a new connection for ${identity.username}.`,
      });
    }
    const existing = target ?? this.#store.findConnection(identity.orgId, identity.userId, context.clientId);
    const id = existing?.id ?? this.#newId();
    const previousToken = existing === undefined ? null : await this.#vault.getRefreshToken(id).catch(() => null);
    try {
      await this.#vault.setRefreshToken(id, result.refreshToken);
      if (context.newClientSecret !== undefined) await this.#vault.setClientSecret(id, context.newClientSecret);
    } catch (error) {
      // Without the keychain the approval is useless to us; do not let it occupy a slot.
      await this.#tokens.revoke(endpoints, client, result.refreshToken).catch(() => undefined);
      throw error;
    }
    const record: ConnectionRecord = {
      id,
      loginUrl: context.loginUrl,
      instanceUrl: result.instanceUrl,
      clientId: context.clientId,
      hasClientSecret: context.clientSecret !== undefined,
      callbackPort: context.port,
      orgId: identity.orgId,
      userId: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      apiVersion: result.apiVersion,
      // Salesforce's own time for the approval: the census matches approvals to connections by
      // it, and this machine's clock may be off by minutes.
      authorizedAt: (result.issuedAt ?? this.#now()).toISOString(),
      state: { kind: 'connected' },
    };
    try {
      this.#store.saveConnection(record);
    } catch (error) {
      if (existing === undefined) await this.#vault.deleteConnectionSecrets(id).catch(() => undefined);
      throw error;
    }
    this.#factory.prime(id, result.accessToken);
    if (previousToken !== null && previousToken !== result.refreshToken) {
      // Each sign-in is a new approval; revoking the one it replaces frees its slot at once.
      void this.#tokens.revoke(endpoints, client, previousToken).then(
        (outcome) => this.#log.info('revoked the approval this sign-in replaced', { connectionId: id, outcome }),
        () => this.#log.warn('could not revoke the approval this sign-in replaced', { connectionId: id }),
      );
    }
    return toConnectionDto(record, this.#store.listSites());
  }

  // ---- internals: refresh outcomes ----

  async #recordLostAuthorization(record: ConnectionRecord, error: TokenEndpointError): Promise<void> {
    const current = this.#store.getConnection(record.id);
    if (current === undefined) return;
    const dto = toConnectionDto(current, this.#store.listSites());
    let explanation: InvalidGrantExplanation | undefined;
    if (this.#options.explainInvalidGrant !== undefined) {
      explanation = await withTimeout(this.#options.explainInvalidGrant(dto, { error: error.oauthError, description: error.description }), EXPLAIN_TIMEOUT_MS).catch(
        (explainError: unknown) => {
          this.#log.warn('could not explain the refused authorization', { connectionId: record.id, error: describe(explainError) });
          return undefined;
        },
      );
    }
    explanation ??= guessCause(current, error, this.#store.getSettings().approvalCap);
    this.#setState(record.id, { kind: 'needs-reauthorization', cause: explanation.cause, detail: explanation.detail });
    this.#log.warn('connection needs reauthorization', { connectionId: record.id, cause: explanation.cause });
  }

  #recordRefresh(record: ConnectionRecord, instanceUrl: string): void {
    this.#options.onRefreshed?.(record.id);
    const current = this.#store.getConnection(record.id);
    if (current === undefined) return;
    if (current.instanceUrl !== instanceUrl || current.state.kind === 'keychain-error') {
      this.#store.saveConnection({ ...current, instanceUrl, state: current.state.kind === 'keychain-error' ? { kind: 'connected' } : current.state });
      this.#announceConnections();
    }
  }

  #setState(connectionId: string, state: ConnectionState): void {
    const current = this.#store.getConnection(connectionId);
    if (current === undefined || JSON.stringify(current.state) === JSON.stringify(state)) return;
    this.#store.setConnectionState(connectionId, state);
    this.#announceConnections();
  }

  #announceConnections(): void {
    this.#events.emit('connections:changed', this.list());
  }

  #require(connectionId: string): ConnectionRecord {
    const record = this.#store.getConnection(connectionId);
    if (record === undefined) {
      throw new AppError('NOT_FOUND', 'That Salesforce connection no longer exists.', { hint: 'Reload the Connections page.' });
    }
    return record;
  }

  async #clientSecretOf(record: ConnectionRecord): Promise<string | undefined> {
    return record.hasClientSecret ? ((await this.#vault.getClientSecret(record.id)) ?? undefined) : undefined;
  }

  #fetchOption(): { fetch?: FetchFunction } {
    return this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch };
  }
}

/** Requested port only; else the connection's own port first, then the configured list. */
function candidatePorts(requested: number | undefined, saved: number | undefined, configured: readonly number[]): number[] {
  if (requested !== undefined) return [requested];
  return [...new Set([...(saved === undefined || saved === 0 ? [] : [saved]), ...configured])];
}

/**
 * Without a census we cannot tell eviction from expiry: Salesforce says "expired access/refresh
 * token" for both. Say so, and name what the admin can check.
 */
function guessCause(record: ConnectionRecord, error: TokenEndpointError, approvalCap: number): InvalidGrantExplanation {
  if (error.oauthError === 'inactive_user') {
    return { cause: 'revoked', detail: `Salesforce says the user ${record.username} is inactive.` };
  }
  const said = error.description === '' ? error.oauthError : `“${error.description}”`;
  if (/inactiv|idle|lifetime|policy/i.test(error.description)) {
    return { cause: 'policy-expiry', detail: `Salesforce refused the saved authorization (${said}); the connected app’s refresh token policy expired it.` };
  }
  const sandbox = isSandboxLoginUrl(record.loginUrl) ? ' If this sandbox was refreshed, its approvals were reset too.' : '';
  return {
    cause: 'unknown',
    detail:
      `Salesforce refused the saved authorization (${said}). Likely causes: ${record.username} authorized this connected app ` +
      `somewhere else and Salesforce keeps only ${approvalCap} approvals per user per app, dropping the oldest; the app’s ` +
      `refresh token policy expired it; or an admin revoked it.${sandbox}`,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    handle = setTimeout(() => resolve(undefined), ms);
    handle.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(handle));
}

/** For logs: the error's name and code, never a message that might quote a URL with a token. */
function describe(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}${'code' in error ? ` (${String((error as { code: unknown }).code)})` : ''}`;
  return typeof error;
}
