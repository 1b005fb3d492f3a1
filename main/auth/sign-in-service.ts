/**
 * Sign-in: OAuth 2.0 web-server flow with PKCE through the system browser and a loopback
 * listener. Starts a flow, waits for Salesforce in the background, and hands the approval
 * to the ConnectionRegistry (main/salesforce), which owns connections from then on.
 *
 * Before the browser opens, an injected preflight (health's approval census, wired by
 * main/app) may refuse a sign-in that would make Salesforce revoke another site's approval.
 * Outcomes are announced on the event bus ('sign-in.started', 'sign-in.finished').
 */
import { randomUUID } from 'node:crypto';
import { AppError, toErrorDto } from '../../common/errors';
import type { SignInRequest } from '../../common/contract';
import type { ConnectionDto, RevokedBySignIn, SignInStarted } from '../../common/models';
import type { EventBus } from '../platform/event-bus';
import { silentLogger, type Logger } from '../platform/logger';
import type { ConnectionRecord } from '../platform/profile-records';
import type { Timers } from '../platform/timers';
import type { ConnectionRegistry } from '../salesforce/connection-registry';
import { resolveLoginUrl } from '../salesforce/login-hosts';
import type { FetchFunction } from '../salesforce/token-client';
import { closeLingeringListeners, DEFAULT_CALLBACK_PATH } from './loopback-server';
import {
  OAuthFlow,
  SalesforceApiVersionReader,
  SalesforceIdentityReader,
  type ApiVersionReader,
  type IdentityReader,
  type OpenExternal,
} from './oauth-flow';

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
  /** The username the admin said they will sign in as (new connections only). */
  readonly expectedUsername?: string;
}

/**
 * Runs before the browser opens. Throw an AppError to stop the sign-in; it reaches the
 * renderer as the `auth:start` error. What it returns is handed to `afterSignIn` unread.
 */
export type SignInPreflight = (context: SignInPreflightContext) => Promise<unknown>;

/** Runs once a sign-in is saved: which approvals did Salesforce revoke because of it? Time-boxed. */
export type AfterSignIn = (connection: ConnectionDto, preflightSnapshot: unknown) => Promise<readonly RevokedBySignIn[]>;

const AFTER_SIGN_IN_TIMEOUT_MS = 10_000;

export interface SignInServiceOptions {
  readonly registry: ConnectionRegistry;
  readonly bus: EventBus;
  /** Opens the system browser (Electron: shell.openExternal behind the allowlist). */
  readonly openExternal: OpenExternal;
  /** Callback ports to try, in order (the settings' list). */
  readonly callbackPorts: () => readonly number[];
  readonly log?: Logger;
  /** Demo/test mode: allow http://localhost:PORT login hosts (the emulator). */
  readonly allowLoopbackHttp?: boolean;
  readonly preflight?: SignInPreflight;
  readonly afterSignIn?: AfterSignIn;
  /** Default 5 minutes. */
  readonly callbackTimeoutMs?: number;
  readonly timers?: Timers;
  /** The host in redirect_uri; must match the connected app's callback URL (default localhost). */
  readonly redirectHost?: 'localhost' | '127.0.0.1';
  readonly fetch?: FetchFunction;
  readonly newId?: () => string;
  // Salesforce-specific seams, replaced only to run the flow against a standards OAuth server.
  readonly identity?: IdentityReader;
  readonly apiVersions?: ApiVersionReader;
  readonly scope?: string;
  readonly extraAuthorizeParams?: Readonly<Record<string, string>>;
}

/** The sign-in that is waiting for Salesforce, as the renderer may ask for it after a reload. */
export interface PendingSignIn {
  readonly flowId: string;
  readonly authorizeUrl: string;
  readonly redirectUri: string;
  readonly startedAt: string;
  readonly reauthorizeConnectionId?: string;
}

interface ActiveFlow {
  readonly pending: PendingSignIn;
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
  readonly reauthorize: ConnectionRecord | undefined;
}

export class SignInService {
  readonly #options: SignInServiceOptions;
  readonly #registry: ConnectionRegistry;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #newId: () => string;
  #active: ActiveFlow | undefined;
  /** startSignIn calls run one after another, so a double click cannot start two listeners. */
  #starting: Promise<unknown> = Promise.resolve();

  constructor(options: SignInServiceOptions) {
    this.#options = options;
    this.#registry = options.registry;
    this.#bus = options.bus;
    this.#log = options.log ?? silentLogger;
    this.#newId = options.newId ?? randomUUID;
  }

  /**
   * Opens the Salesforce login in the system browser and returns at once; the result arrives
   * as a 'sign-in.finished' event. Throws (before opening anything) for a bad login host, a
   * busy callback port, a failed preflight or an unknown connection to reauthorize.
   */
  startSignIn(request: SignInRequest): Promise<SignInStarted> {
    const started = this.#starting.then(() => this.#startSignIn(request));
    this.#starting = started.catch(() => undefined);
    return started;
  }

  /** Reauthorizes a connection with its saved login host, connected app and port. */
  reauthorize(connectionId: string, options: { readonly chooseAnotherUser?: boolean } = {}): Promise<SignInStarted> {
    const record = this.#registry.record(connectionId);
    return this.startSignIn({
      loginHostKind: 'custom',
      clientId: record.clientId,
      chooseAnotherUser: options.chooseAnotherUser ?? false,
      reauthorizeConnectionId: connectionId,
    });
  }

  async cancelSignIn(flowId: string): Promise<{ cancelled: boolean }> {
    const active = this.#active;
    if (active === undefined || active.pending.flowId !== flowId) return { cancelled: false };
    active.abort.abort();
    await active.flow.cancel();
    await active.done;
    return { cancelled: true };
  }

  /** The sign-in still waiting for the browser, if any (the page shows it again after a reload). */
  pending(): PendingSignIn | null {
    return this.#active?.pending ?? null;
  }

  /** Resolves when the current sign-in (if any) has finished and announced its result. */
  async whenIdle(): Promise<void> {
    await this.#active?.done;
  }

  /**
   * Cancels a sign-in still waiting for the browser and closes its listener, including the
   * page a cancelled sign-in keeps up for its still-open tab (app quit, tests).
   */
  async close(): Promise<void> {
    const active = this.#active;
    if (active !== undefined) await this.cancelSignIn(active.pending.flowId);
    await closeLingeringListeners();
  }

  async #startSignIn(request: SignInRequest): Promise<SignInStarted> {
    const context = await this.#flowContext(request);
    const sameApp = this.#registry.list().filter((c) => c.loginUrl === context.loginUrl && c.clientId === context.clientId);
    const reauthorizing = context.reauthorize === undefined ? undefined : this.#registry.find(context.reauthorize.id);
    const snapshot = await this.#options.preflight?.({
      loginUrl: context.loginUrl,
      clientId: context.clientId,
      chooseAnotherUser: request.chooseAnotherUser,
      existingConnections: sameApp,
      ...(request.acknowledgedApprovalId === undefined ? {} : { acknowledgedApprovalId: request.acknowledgedApprovalId }),
      ...(request.expectedUsername === undefined ? {} : { expectedUsername: request.expectedUsername }),
      ...(reauthorizing === undefined ? {} : { connection: reauthorizing }),
    });
    // One sign-in at a time: a new one replaces a flow the admin abandoned in the browser.
    if (this.#active !== undefined) await this.cancelSignIn(this.#active.pending.flowId);

    const ports = candidatePorts(request.callbackPort, context.reauthorize?.callbackPort, this.#options.callbackPorts());
    const abort = new AbortController();
    const flow = await this.#startOnFirstFreePort(ports, context, request, abort.signal);
    const flowId = this.#newId();
    const port = new URL(flow.redirectUri).port === '' ? 80 : Number(new URL(flow.redirectUri).port);
    const pending: PendingSignIn = {
      flowId,
      authorizeUrl: flow.authorizeUrl,
      redirectUri: flow.redirectUri,
      startedAt: new Date().toISOString(),
      ...(context.reauthorize === undefined ? {} : { reauthorizeConnectionId: context.reauthorize.id }),
    };
    this.#active = { pending, flow, abort, done: this.#finishInBackground(flowId, flow, context, port, snapshot) };
    this.#log.info('sign-in started', { flowId, loginUrl: context.loginUrl, redirectUri: flow.redirectUri });
    this.#bus.emit('sign-in.started', {
      flowId,
      loginUrl: context.loginUrl,
      ...(context.reauthorize === undefined ? {} : { reauthorizeConnectionId: context.reauthorize.id }),
    });
    return { flowId, authorizeUrl: flow.authorizeUrl, redirectUri: flow.redirectUri };
  }

  async #flowContext(request: SignInRequest): Promise<FlowContext> {
    if (request.reauthorizeConnectionId !== undefined) {
      const record = this.#registry.record(request.reauthorizeConnectionId);
      const saved = await this.#registry.clientSecretOf(record);
      const secret = request.clientSecret ?? saved;
      return { loginUrl: record.loginUrl, clientId: record.clientId, clientSecret: secret, newClientSecret: request.clientSecret, reauthorize: record };
    }
    const loginUrl = resolveLoginUrl(request.loginHostKind, request.loginHost, { allowLoopbackHttp: this.#options.allowLoopbackHttp ?? false });
    const clientId = request.clientId.trim();
    if (clientId === '') throw new AppError('INVALID_REQUEST', 'Enter the consumer key of the connected app.');
    return { loginUrl, clientId, clientSecret: request.clientSecret, newClientSecret: request.clientSecret, reauthorize: undefined };
  }

  async #startOnFirstFreePort(ports: readonly number[], context: FlowContext, request: SignInRequest, signal: AbortSignal): Promise<OAuthFlow> {
    const busy: number[] = [];
    const fetchOption = this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch };
    for (const port of ports) {
      try {
        return await OAuthFlow.start(
          {
            loginUrl: context.loginUrl,
            endpoints: this.#registry.endpointsFor(context.loginUrl),
            client: { clientId: context.clientId, clientSecret: context.clientSecret },
            port,
            path: DEFAULT_CALLBACK_PATH,
            chooseAnotherUser: request.chooseAnotherUser,
            signal,
            ...(context.reauthorize === undefined
              ? request.expectedUsername === undefined
                ? {}
                : { loginHint: request.expectedUsername }
              : { loginHint: context.reauthorize.username }),
            ...(this.#options.redirectHost === undefined ? {} : { redirectHost: this.#options.redirectHost }),
            ...(this.#options.callbackTimeoutMs === undefined ? {} : { timeoutMs: this.#options.callbackTimeoutMs }),
            ...(this.#options.timers === undefined ? {} : { timers: this.#options.timers }),
            ...(this.#options.scope === undefined ? {} : { scope: this.#options.scope }),
            ...(this.#options.extraAuthorizeParams === undefined ? {} : { extraAuthorizeParams: this.#options.extraAuthorizeParams }),
          },
          {
            openExternal: this.#options.openExternal,
            tokens: this.#registry.tokens,
            identity: this.#options.identity ?? new SalesforceIdentityReader(fetchOption),
            apiVersions: this.#options.apiVersions ?? new SalesforceApiVersionReader(fetchOption),
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

  async #finishInBackground(flowId: string, flow: OAuthFlow, context: FlowContext, port: number, snapshot: unknown): Promise<void> {
    // Let startSignIn register the flow before a very fast failure settles it.
    await Promise.resolve();
    try {
      const result = await flow.complete();
      const connection = await this.#registry.register({
        loginUrl: context.loginUrl,
        clientId: context.clientId,
        clientSecret: context.clientSecret,
        newClientSecret: context.newClientSecret,
        callbackPort: port,
        instanceUrl: result.instanceUrl,
        apiVersion: result.apiVersion,
        accessToken: result.accessToken,
        refreshToken: result.refreshToken,
        issuedAt: result.issuedAt,
        identity: result.identity,
        reauthorizeConnectionId: context.reauthorize?.id,
      });
      this.#log.info('sign-in finished', { flowId, connectionId: connection.id });
      const revokedBySignIn = await this.#revokedBy(connection, snapshot);
      this.#clearActive(flowId);
      this.#bus.emit('sign-in.finished', { flowId, ok: true, connection, ...(revokedBySignIn.length > 0 ? { revokedBySignIn } : {}) });
    } catch (error) {
      const dto = toErrorDto(error);
      this.#log.warn('sign-in failed', { flowId, code: dto.code, message: dto.message });
      if (!(error instanceof AppError)) this.#log.error('unexpected sign-in failure', { flowId, error });
      this.#clearActive(flowId);
      this.#bus.emit('sign-in.finished', { flowId, ok: false, error: dto });
    } finally {
      await flow.cancel().catch(() => undefined);
    }
  }

  /** Never fails the sign-in: a census that cannot be taken just says nothing. */
  async #revokedBy(connection: ConnectionDto, snapshot: unknown): Promise<readonly RevokedBySignIn[]> {
    const after = this.#options.afterSignIn;
    if (after === undefined) return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<readonly RevokedBySignIn[]>((resolve) => {
      timer = setTimeout(() => resolve([]), AFTER_SIGN_IN_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([after(connection, snapshot), timeout]);
    } catch (error) {
      this.#log.warn('could not compare approvals after the sign-in', { error });
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  #clearActive(flowId: string): void {
    if (this.#active?.pending.flowId === flowId) this.#active = undefined;
  }
}

/** Requested port only; else the connection's own port first, then the configured list. */
function candidatePorts(requested: number | undefined, saved: number | undefined, configured: readonly number[]): number[] {
  if (requested !== undefined) return [requested];
  return [...new Set([...(saved === undefined || saved === 0 ? [] : [saved]), ...configured])];
}
