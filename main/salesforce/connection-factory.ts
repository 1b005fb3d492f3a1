/**
 * One jsforce Connection per ForceSites connection, built from the refresh token in the
 * keychain and refreshed through GuardedRefreshDelegate.
 *
 * Refresh rules (reference §1 and §10): one token call at a time per connection; a rotated
 * refresh token is written to the keychain before the new access token is used; invalid_grant
 * is reported once (the owner records why and marks the connection) and the cached
 * Connection is dropped, while other connections keep their own delegates and keep working.
 */
import { Connection } from 'jsforce';
import { AppError } from '../../common/errors';
import { silentLogger, type Logger } from '../platform/logger';
import type { ConnectionRecord } from '../platform/profile-records';
import type { TokenVault } from '../platform/token-vault';
import type { ApiCallMeter } from './api-call-meter';
import { GuardedRefreshDelegate } from './guarded-refresh';
import { guardTransport } from './salesforce-transport';
import { salesforceEndpoints, TokenEndpointError, type OAuthEndpoints, type TokenClient } from './token-client';

export interface ConnectionFactoryOptions {
  readonly vault: TokenVault;
  readonly tokens: TokenClient;
  readonly endpointsFor?: (loginUrl: string) => OAuthEndpoints;
  /**
   * The refresh token was refused (invalid_grant, inactive user). The owner records the
   * cause and marks the connection; awaited before the failing call rejects, so callers
   * that see NEEDS_REAUTHORIZATION also see the persisted state.
   */
  readonly onAuthorizationLost: (record: ConnectionRecord, error: TokenEndpointError) => Promise<void>;
  /** A refresh succeeded and its rotated token (if any) is in the keychain. */
  readonly onRefreshed?: (record: ConnectionRecord, change: { readonly instanceUrl: string; readonly rotated: boolean }) => void;
  /** The keychain refused a rotated refresh token; it is kept in memory for the next attempt. */
  readonly onKeychainError?: (record: ConnectionRecord, error: AppError) => void;
  /** How long after a refresh a 401 on the new token counts as "rejected at once" (default 60 s). */
  readonly freshTokenGraceMs?: number;
  /** Deadline for one Salesforce request, read per request so a settings change applies at once. */
  readonly requestTimeoutMs?: () => number;
  /** Counts every request each Connection sends. */
  readonly meter?: ApiCallMeter;
  readonly log?: Logger;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface CachedConnection {
  readonly connection: Connection;
  readonly guard: GuardedRefreshDelegate;
  readonly key: string;
}

export class SalesforceConnectionFactory {
  readonly #options: ConnectionFactoryOptions;
  readonly #log: Logger;
  readonly #cache = new Map<string, CachedConnection>();
  /**
   * Connections being built (keychain read in progress). Without this, two first calls after
   * a restart would each build a Connection and present the same refresh token; with
   * rotation on, Salesforce then revokes the whole token family.
   */
  readonly #building = new Map<string, { readonly key: string; readonly pending: Promise<Connection> }>();
  /** Access tokens from a sign-in that just finished, so the first call needs no refresh. */
  readonly #primed = new Map<string, string>();

  constructor(options: ConnectionFactoryOptions) {
    this.#options = options;
    this.#log = options.log ?? silentLogger;
  }

  /** The Connection for this record; created on first use, then shared by every caller. */
  get(record: ConnectionRecord): Promise<Connection> {
    const key = cacheKey(record);
    const cached = this.#cache.get(record.id);
    if (cached !== undefined && cached.key === key) return Promise.resolve(cached.connection);
    const building = this.#building.get(record.id);
    if (building !== undefined && building.key === key) return building.pending;
    const pending = this.#build(record).finally(() => {
      if (this.#building.get(record.id)?.pending === pending) this.#building.delete(record.id);
    });
    this.#building.set(record.id, { key, pending });
    return pending;
  }

  async #build(record: ConnectionRecord): Promise<Connection> {
    const refreshToken = await this.#options.vault.getRefreshToken(record.id);
    if (refreshToken === null) {
      throw new AppError('NEEDS_REAUTHORIZATION', `The saved authorization for ${record.username} is missing from the keychain.`, {
        hint: 'Reauthorize this connection: sign in to Salesforce again.',
      });
    }
    const clientSecret = record.hasClientSecret ? ((await this.#options.vault.getClientSecret(record.id)) ?? undefined) : undefined;
    const connection = this.#create(record, refreshToken, clientSecret);
    return connection;
  }

  /** Refreshes the session now (keep-alive for refresh tokens that expire when unused). */
  async refreshNow(record: ConnectionRecord): Promise<void> {
    await this.get(record);
    const cached = this.#cache.get(record.id);
    if (cached === undefined) throw new AppError('INTERNAL', 'The Salesforce connection disappeared during a refresh.');
    await cached.guard.forceRefresh();
  }

  /** Keeps the access token of a fresh sign-in for the first Connection of this record. */
  prime(connectionId: string, accessToken: string): void {
    this.forget(connectionId);
    this.#primed.set(connectionId, accessToken);
  }

  /** The refresh token the live Connection holds (newer than the keychain's if a write failed). */
  currentRefreshToken(connectionId: string): string | undefined {
    return this.#cache.get(connectionId)?.connection.refreshToken ?? undefined;
  }

  /** Token endpoint calls made for this connection since it was created (diagnostics, tests). */
  refreshCount(connectionId: string): number {
    return this.#cache.get(connectionId)?.guard.refreshCount ?? 0;
  }

  forget(connectionId: string): void {
    this.#cache.delete(connectionId);
    this.#building.delete(connectionId);
    this.#primed.delete(connectionId);
  }

  #create(record: ConnectionRecord, refreshToken: string, clientSecret: string | undefined): Connection {
    const endpoints = (this.#options.endpointsFor ?? salesforceEndpoints)(record.loginUrl);
    const client = { clientId: record.clientId, clientSecret };
    const accessToken = this.#primed.get(record.id);
    this.#primed.delete(record.id);
    const connection = new Connection({
      instanceUrl: record.instanceUrl,
      // jsforce defaults to 50.0; always the version chosen at sign-in.
      version: record.apiVersion,
      // Refreshes go through GuardedRefreshDelegate and our TokenClient; jsforce only needs
      // the client id to believe it may refresh at all.
      oauth2: { clientId: record.clientId, loginUrl: record.loginUrl, ...(clientSecret === undefined ? {} : { clientSecret }) },
      ...(accessToken === undefined ? {} : { accessToken }),
      refreshToken,
    });
    const guard: GuardedRefreshDelegate = new GuardedRefreshDelegate({
      freshTokenGraceMs: this.#options.freshTokenGraceMs ?? 60_000,
      run: (): Promise<void> => this.#refresh(record, connection, guard, endpoints, client),
    });
    // Replace jsforce's delegate (see guarded-refresh.ts for why and for the contract).
    connection._refreshDelegate = guard as unknown as Connection['_refreshDelegate'];
    guardTransport(connection, {
      timeoutMs: this.#options.requestTimeoutMs ?? (() => DEFAULT_REQUEST_TIMEOUT_MS),
      onRequest: () => this.#options.meter?.record(record.id),
      onAccepted: () => guard.noteAccepted(),
    });
    this.#cache.set(record.id, { connection, guard, key: cacheKey(record) });
    return connection;
  }

  async #refresh(
    record: ConnectionRecord,
    connection: Connection,
    guard: GuardedRefreshDelegate,
    endpoints: OAuthEndpoints,
    client: { clientId: string; clientSecret: string | undefined },
  ): Promise<void> {
    const current = connection.refreshToken;
    if (!current) throw new AppError('NEEDS_REAUTHORIZATION', 'No refresh token for this connection.');
    let tokens;
    try {
      tokens = await this.#options.tokens.refresh(endpoints, client, current);
    } catch (error) {
      if (error instanceof TokenEndpointError && error.code === 'NEEDS_REAUTHORIZATION') {
        this.#log.warn('refresh token refused by Salesforce', { connectionId: record.id, error: error.oauthError });
        const lost = new AppError('NEEDS_REAUTHORIZATION', `Salesforce no longer accepts the authorization of ${record.username}.`, {
          hint: 'Reauthorize this connection: sign in to Salesforce again.',
          cause: error,
        });
        guard.markDead(lost);
        if (this.#cache.get(record.id)?.connection === connection) this.#cache.delete(record.id);
        await this.#options.onAuthorizationLost(record, error).catch((reportError: unknown) => {
          this.#log.error('could not record the lost authorization', { connectionId: record.id, error: String(reportError) });
        });
        throw lost;
      }
      throw error;
    }
    const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== current;
    if (rotated && tokens.refreshToken !== undefined) {
      // With rotation on, the old token is dead from now on: hold the new one in memory first,
      // then persist it, and only then let anyone use the new session.
      connection.refreshToken = tokens.refreshToken;
      try {
        await this.#options.vault.setRefreshToken(record.id, tokens.refreshToken);
      } catch (error) {
        const appError = error instanceof AppError ? error : new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain refused the new refresh token.', { cause: error });
        this.#options.onKeychainError?.(record, appError);
        throw appError;
      }
    }
    connection.accessToken = tokens.accessToken;
    const instanceUrl = tokens.instanceUrl ?? connection.instanceUrl;
    if (instanceUrl !== connection.instanceUrl) connection.instanceUrl = instanceUrl;
    this.#log.info('refreshed Salesforce session', { connectionId: record.id, rotated });
    this.#options.onRefreshed?.(record, { instanceUrl, rotated });
  }
}

/** A reauthorization (new authorizedAt) or a new API version means a new Connection; a moved instance does not. */
function cacheKey(record: ConnectionRecord): string {
  return [record.loginUrl, record.clientId, record.apiVersion, record.authorizedAt].join('\n');
}
