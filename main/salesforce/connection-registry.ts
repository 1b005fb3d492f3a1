/**
 * The Salesforce connections ForceSites holds, and the one way any feature gets a ready
 * jsforce Connection.
 *
 * A connection is one Salesforce approval: org + connected app + user. Salesforce keeps only
 * a few approvals per user per app and silently revokes the oldest when another is made, so
 * ForceSites keeps ONE connection per org+app+user and lets several site profiles share it:
 * registering a new approval for the same user replaces that connection (and revokes the
 * approval it replaces, so ForceSites never holds two slots for one user).
 *
 * Tokens stay here: refresh tokens go to the keychain, DTOs and events carry metadata only.
 * State changes are announced on the event bus ('connections.changed', 'connection.*');
 * this layer never emits IPC channels and never calls a feature.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'jsforce';
import { AppError } from '../../common/errors';
import type { ConnectionDto, ConnectionState, ReauthorizationCause } from '../../common/models';
import type { EventBus } from '../platform/event-bus';
import { silentLogger, type Logger } from '../platform/logger';
import { connectionDtos, toConnectionDto } from '../platform/profile-dtos';
import type { ConnectionRecord } from '../platform/profile-records';
import type { ProfileStore } from '../platform/profile-store';
import type { SecretStore } from '../platform/token-vault';
import { TokenVault } from '../platform/token-vault';
import { ApiCallMeter } from './api-call-meter';
import { DEFAULT_REQUEST_TIMEOUT_MS, SalesforceConnectionFactory } from './connection-factory';
import { isSandboxLoginUrl } from './login-hosts';
import { salesforceEndpoints, TokenClient, type ClientCredentials, type FetchFunction, type OAuthEndpoints, type TokenEndpointError } from './token-client';

export interface ConnectionRegistryOptions {
  readonly store: ProfileStore;
  readonly secrets: SecretStore;
  readonly bus: EventBus;
  readonly log?: Logger;
  readonly meter?: ApiCallMeter;
  /** Deadline for one Salesforce request (default: the settings' value, else 30 s). */
  readonly requestTimeoutMs?: () => number;
  readonly fetch?: FetchFunction;
  readonly newId?: () => string;
  readonly now?: () => Date;
  /** See GuardedRefreshDelegate (default 60 s). */
  readonly freshTokenGraceMs?: number;
  /** Replaced only to run against a standards OAuth server in tests. */
  readonly endpointsFor?: (loginUrl: string) => OAuthEndpoints;
}

/** What a finished sign-in hands over: the new approval and who made it. */
export interface NewApproval {
  readonly loginUrl: string;
  readonly clientId: string;
  /** The secret the flow used (typed now or saved earlier); undefined for a public client. */
  readonly clientSecret: string | undefined;
  /** Set when the admin typed a secret in this sign-in: it goes to the keychain. */
  readonly newClientSecret: string | undefined;
  readonly callbackPort: number;
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly issuedAt: Date | undefined;
  readonly identity: { readonly orgId: string; readonly userId: string; readonly username: string; readonly displayName: string };
  /** The connection this sign-in reauthorizes, if any. */
  readonly reauthorizeConnectionId: string | undefined;
}

export interface DisconnectResult {
  readonly revokedAtSalesforce: boolean;
  readonly removedLocally: boolean;
  readonly message: string;
  /** Site profiles that used the connection and now have none. */
  readonly detachedSites: readonly { readonly id: string; readonly name: string }[];
}

export class ConnectionRegistry {
  readonly meter: ApiCallMeter;
  readonly tokens: TokenClient;
  readonly #store: ProfileStore;
  readonly #vault: TokenVault;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #factory: SalesforceConnectionFactory;
  readonly #endpointsFor: (loginUrl: string) => OAuthEndpoints;
  readonly #newId: () => string;
  readonly #now: () => Date;

  constructor(options: ConnectionRegistryOptions) {
    this.#store = options.store;
    this.#vault = new TokenVault(options.secrets);
    this.#bus = options.bus;
    this.#log = options.log ?? silentLogger;
    this.meter = options.meter ?? new ApiCallMeter();
    this.tokens = new TokenClient({ log: this.#log, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
    this.#endpointsFor = options.endpointsFor ?? salesforceEndpoints;
    this.#newId = options.newId ?? randomUUID;
    this.#now = options.now ?? (() => new Date());
    const timeoutFromSettings = (): number => {
      const seconds = this.#store.getSettings().requestTimeoutSeconds;
      return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_REQUEST_TIMEOUT_MS;
    };
    this.#factory = new SalesforceConnectionFactory({
      vault: this.#vault,
      tokens: this.tokens,
      endpointsFor: this.#endpointsFor,
      log: this.#log,
      meter: this.meter,
      requestTimeoutMs: options.requestTimeoutMs ?? timeoutFromSettings,
      ...(options.freshTokenGraceMs === undefined ? {} : { freshTokenGraceMs: options.freshTokenGraceMs }),
      onAuthorizationLost: async (record, error) => this.#recordLostAuthorization(record, error),
      onRefreshed: (record, change) => this.#recordRefresh(record, change.instanceUrl, change.rotated),
      onKeychainError: (record, error) =>
        this.#setState(record.id, {
          kind: 'keychain-error',
          detail: `${error.message} Salesforce issued a new refresh token that ForceSites holds only in memory until the keychain accepts it; unlock the keychain before quitting ForceSites, or reauthorize later.`,
        }),
    });
    // Whoever can tell why an authorization was lost (health's census) says so on the bus.
    this.#bus.on('connection.diagnosed', ({ connection, cause, detail }) => {
      const current = this.#store.getConnection(connection.id);
      if (current?.state.kind === 'needs-reauthorization') this.#setState(connection.id, { kind: 'needs-reauthorization', cause, detail });
    });
  }

  // ---- reading ----

  list(): ConnectionDto[] {
    return connectionDtos(this.#store);
  }

  find(connectionId: string): ConnectionDto | undefined {
    const record = this.#store.getConnection(connectionId);
    return record === undefined ? undefined : toConnectionDto(record, this.#store.listSites());
  }

  /** The saved record (with its callback port and whether it has a client secret). */
  record(connectionId: string): ConnectionRecord {
    const record = this.#store.getConnection(connectionId);
    if (record === undefined) {
      throw new AppError('NOT_FOUND', 'That Salesforce connection no longer exists.', { hint: 'Reload the Connections page.' });
    }
    return record;
  }

  /** An existing connection for this user and app, if ForceSites holds one. */
  findFor(orgId: string, userId: string, clientId: string): ConnectionRecord | undefined {
    return this.#store.findConnection(orgId, userId, clientId);
  }

  endpointsFor(loginUrl: string): OAuthEndpoints {
    return this.#endpointsFor(loginUrl);
  }

  async clientSecretOf(record: ConnectionRecord): Promise<string | undefined> {
    return record.hasClientSecret ? ((await this.#vault.getClientSecret(record.id)) ?? undefined) : undefined;
  }

  // ---- using ----

  /**
   * The jsforce Connection for this connection. Shared per connection, so its refreshes are
   * single-flight; built once even when many callers ask at the same moment. Throws
   * NEEDS_REAUTHORIZATION for a connection Salesforce no longer accepts, KEYCHAIN_UNAVAILABLE
   * when the keychain is locked.
   */
  async open(connectionId: string): Promise<Connection> {
    const record = this.record(connectionId);
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
   * running), a rotated token persisted first. For keep-alive under "expire if not used"
   * policies. Rejects with NEEDS_REAUTHORIZATION when Salesforce refuses the refresh token.
   */
  async refresh(connectionId: string): Promise<void> {
    const record = this.record(connectionId);
    await this.open(connectionId);
    await this.#factory.refreshNow(record);
  }

  /** Token endpoint calls made for this connection since its Connection was built (tests). */
  refreshCount(connectionId: string): number {
    return this.#factory.refreshCount(connectionId);
  }

  // ---- changing ----

  /**
   * Saves the approval a sign-in produced: refresh token (and a typed client secret) to the
   * keychain first, then the record. Signing in again as a user ForceSites already holds
   * replaces that connection and revokes the approval it replaces.
   */
  async register(approval: NewApproval): Promise<ConnectionDto> {
    const { identity } = approval;
    const endpoints = this.#endpointsFor(approval.loginUrl);
    const client: ClientCredentials = { clientId: approval.clientId, clientSecret: approval.clientSecret };
    const target = approval.reauthorizeConnectionId === undefined ? undefined : this.record(approval.reauthorizeConnectionId);
    if (target !== undefined && (target.orgId !== identity.orgId || target.userId !== identity.userId)) {
      // The new approval is not wanted: give its slot back rather than leave it counting.
      await this.tokens.revoke(endpoints, client, approval.refreshToken).catch(() => undefined);
      throw new AppError('CONFLICT', `You signed in as ${identity.username}, but this connection belongs to ${target.username}.`, {
        hint: `Reauthorize again and sign in as ${target.username}, or add a new connection for ${identity.username}.`,
      });
    }
    const existing = target ?? this.#store.findConnection(identity.orgId, identity.userId, approval.clientId);
    const id = existing?.id ?? this.#newId();
    const previousToken = existing === undefined ? null : await this.#vault.getRefreshToken(id).catch(() => null);
    try {
      await this.#vault.setRefreshToken(id, approval.refreshToken);
      if (approval.newClientSecret !== undefined) await this.#vault.setClientSecret(id, approval.newClientSecret);
    } catch (error) {
      // Without the keychain the approval is useless to us; do not let it occupy a slot.
      await this.tokens.revoke(endpoints, client, approval.refreshToken).catch(() => undefined);
      throw error;
    }
    const record: ConnectionRecord = {
      id,
      loginUrl: approval.loginUrl,
      instanceUrl: approval.instanceUrl,
      clientId: approval.clientId,
      hasClientSecret: approval.clientSecret !== undefined,
      callbackPort: approval.callbackPort,
      orgId: identity.orgId,
      userId: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      apiVersion: approval.apiVersion,
      // Salesforce's own time for the approval: the census matches approvals to connections by
      // it, and this machine's clock may be off by minutes.
      authorizedAt: (approval.issuedAt ?? this.#now()).toISOString(),
      state: { kind: 'connected' },
    };
    try {
      this.#store.saveConnection(record);
    } catch (error) {
      if (existing === undefined) await this.#vault.deleteConnectionSecrets(id).catch(() => undefined);
      throw error;
    }
    this.#factory.prime(id, approval.accessToken);
    if (previousToken !== null && previousToken !== approval.refreshToken) {
      // Each sign-in is a new approval; revoking the one it replaces frees its slot at once.
      void this.tokens.revoke(endpoints, client, previousToken).then(
        (outcome) => this.#log.info('revoked the approval this sign-in replaced', { connectionId: id, outcome }),
        () => this.#log.warn('could not revoke the approval this sign-in replaced', { connectionId: id }),
      );
    }
    this.#announce();
    return toConnectionDto(record, this.#store.listSites());
  }

  /**
   * Revokes the approval at Salesforce, then deletes the keychain entries and the record
   * (site profiles that used it are detached). If Salesforce cannot be reached, nothing is
   * removed unless `removeLocallyIfRevokeFails`: the admin decides whether to leave an
   * approval behind in Salesforce.
   */
  async disconnect(connectionId: string, removeLocallyIfRevokeFails: boolean): Promise<DisconnectResult> {
    const record = this.record(connectionId);
    const attachedSites = this.#store
      .listSites()
      .filter((site) => site.connectionId === connectionId)
      .map((site) => ({ id: site.id, name: site.name }));
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
        const client = { clientId: record.clientId, clientSecret: await this.clientSecretOf(record).catch(() => undefined) };
        const outcome = await this.tokens.revoke(this.#endpointsFor(record.loginUrl), client, token);
        revoked = true;
        alreadyGone = outcome === 'already-invalid';
      } catch (error) {
        revokeProblem = error instanceof AppError ? error.message : 'Salesforce could not be reached.';
      }
    }
    const revokedText = alreadyGone ? 'Salesforce had already revoked this approval.' : 'The approval was revoked in Salesforce.';
    const finish = (result: Omit<DisconnectResult, 'detachedSites'>, detached: DisconnectResult['detachedSites']): DisconnectResult => {
      const full = { ...result, detachedSites: detached };
      this.#bus.emit('connection.disconnected', { connectionId, username: record.username, revokedAtSalesforce: full.revokedAtSalesforce, message: full.message });
      return full;
    };
    if (!revoked && !removeLocallyIfRevokeFails) {
      return finish(
        {
          revokedAtSalesforce: false,
          removedLocally: false,
          message: `${revokeProblem} Nothing was removed. Try again, or remove the connection locally and revoke it in Salesforce under Setup » Connected Apps OAuth Usage.`,
        },
        [],
      );
    }
    this.#factory.forget(connectionId);
    try {
      await this.#vault.deleteConnectionSecrets(connectionId);
    } catch (error) {
      // Keep the record so the keychain entry is not orphaned; the admin can retry once unlocked.
      if (revoked) this.#setState(connectionId, { kind: 'needs-reauthorization', cause: 'revoked', detail: 'Disconnected in ForceSites.' });
      return finish(
        {
          revokedAtSalesforce: revoked,
          removedLocally: false,
          message: `${revoked ? revokedText : revokeProblem} ${error instanceof AppError ? error.message : 'The keychain refused.'} Unlock the keychain and disconnect again to remove it from ForceSites.`,
        },
        [],
      );
    }
    this.#store.deleteConnection(connectionId);
    this.#log.info('connection removed', { connectionId, revoked });
    this.#announce();
    const siteNames = attachedSites.map((site) => `“${site.name}”`).join(', ');
    const detachedText = attachedSites.length === 0 ? '' : ` ${attachedSites.length === 1 ? 'Site' : 'Sites'} ${siteNames} now ${attachedSites.length === 1 ? 'has' : 'have'} no connection: choose or add one for ${attachedSites.length === 1 ? 'it' : 'them'}.`;
    return finish(
      {
        revokedAtSalesforce: revoked,
        removedLocally: true,
        message:
          (revoked
            ? `${revokedText} The connection was removed from ForceSites.`
            : `${revokeProblem} The connection was removed from ForceSites only; revoke it in Salesforce under Setup » Connected Apps OAuth Usage.`) + detachedText,
      },
      attachedSites,
    );
  }

  // ---- refresh outcomes ----

  async #recordLostAuthorization(record: ConnectionRecord, error: TokenEndpointError): Promise<void> {
    const current = this.#store.getConnection(record.id);
    if (current === undefined) return;
    const guess = guessCause(current, error, this.#store.getSettings().approvalCap);
    this.#setState(record.id, { kind: 'needs-reauthorization', cause: guess.cause, detail: guess.detail });
    this.#log.warn('connection needs reauthorization', { connectionId: record.id, cause: guess.cause });
    const dto = this.find(record.id);
    if (dto !== undefined) this.#bus.emit('connection.refresh-refused', { connection: dto, oauthError: error.oauthError, description: error.description });
  }

  #recordRefresh(record: ConnectionRecord, instanceUrl: string, rotated: boolean): void {
    this.#bus.emit('connection.refreshed', { connectionId: record.id, rotated });
    const current = this.#store.getConnection(record.id);
    if (current === undefined) return;
    if (current.instanceUrl !== instanceUrl || current.state.kind === 'keychain-error') {
      this.#store.saveConnection({ ...current, instanceUrl, state: current.state.kind === 'keychain-error' ? { kind: 'connected' } : current.state });
      this.#announce();
    }
  }

  #setState(connectionId: string, state: ConnectionState): void {
    const current = this.#store.getConnection(connectionId);
    if (current === undefined || JSON.stringify(current.state) === JSON.stringify(state)) return;
    this.#store.setConnectionState(connectionId, state);
    this.#announce();
  }

  #announce(): void {
    this.#bus.emit('connections.changed', { connections: this.list() });
  }
}

/**
 * Without a census we cannot tell eviction from expiry: Salesforce says "expired access/refresh
 * token" for both. Say so, and name what the admin can check; health replaces this with the
 * diagnosed cause when its census can tell.
 */
function guessCause(record: ConnectionRecord, error: TokenEndpointError, approvalCap: number): { cause: ReauthorizationCause; detail: string } {
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
