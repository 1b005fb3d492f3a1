/**
 * One emulated org: its users, connected apps, approvals (OauthToken rows), tokens, API
 * quota and its data half. All OAuth decisions live here so the HTTP layer only parses and
 * formats.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SimulatedClock } from './clock';
import { HOUR_MS, MINUTE_MS } from './clock';
import { makeId, randomToken } from './ids';
import type { AppSpec, ConnectedApp, EmulatedUser, OrgSettings, UserSpec } from './model';
import { DEFAULT_SCOPES, parsePolicy, policyPeriodMs } from './model';
import type { DataUser, OrgData } from './data/seam';

/** One approval = one OauthToken row: created by each authorization_code grant. */
export interface Approval {
  readonly id: string;
  readonly appId: string;
  readonly userId: string;
  readonly createdDate: number;
  lastUsedDate: number;
  useCount: number;
  readonly deleteToken: string;
  readonly scopes: readonly string[];
  /** The live refresh token, if the refresh scope was granted. */
  refreshToken: string | undefined;
  refreshIssuedAt: number;
  refreshLastUsedAt: number;
  /** Every refresh token of the family, rotated-out ones included, for clean revocation. */
  readonly familyTokens: string[];
  readonly accessTokens: Set<string>;
  revoked: boolean;
}

export interface AccessSession {
  readonly token: string;
  readonly userId: string;
  readonly appId: string | undefined;
  readonly approvalId: string | undefined;
  readonly issuedAt: number;
  lastActivity: number;
  readonly scopes: readonly string[];
}

interface AuthCode {
  readonly appId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

interface RefreshEntry {
  readonly approvalId: string;
  /** True once rotation replaced it: presenting it again is reuse and kills the family. */
  rotatedOut: boolean;
}

/** The token endpoint's 400 body. */
export interface OAuthError {
  readonly error: string;
  readonly error_description: string;
}

export type TokenResult = { readonly ok: true; readonly body: Record<string, string> } | { readonly ok: false; readonly status: number; readonly body: OAuthError };

export const OAUTH_ERRORS = {
  expired: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
  authFailure: { error: 'invalid_grant', error_description: 'authentication failure' },
  invalidCode: { error: 'invalid_grant', error_description: 'invalid authorization code' },
  expiredCode: { error: 'invalid_grant', error_description: 'expired authorization code' },
  invalidVerifier: { error: 'invalid_grant', error_description: 'invalid code verifier' },
  invalidClientId: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
  invalidClient: { error: 'invalid_client', error_description: 'invalid client credentials' },
  redirectMismatch: { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' },
  notAdminApproved: { error: 'invalid_app_access', error_description: 'user is not admin approved to access this app' },
  inactiveUser: { error: 'inactive_user', error_description: 'user is inactive' },
  // UNCONFIRMED wording for the September 2025 "uninstalled connected app" block.
  appBlocked: { error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' },
} as const satisfies Record<string, OAuthError>;

const CODE_TTL_MS = 15 * MINUTE_MS;

export interface OrgInit {
  readonly id: string;
  readonly name: string;
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clock: SimulatedClock;
  readonly settings: OrgSettings;
  readonly data: OrgData;
  /** Salesforce pods put the org in ids of everything it owns; we only vary the counter. */
  readonly idSeed: number;
}

export class Org {
  readonly id: string;
  readonly id15: string;
  readonly name: string;
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly settings: OrgSettings;
  readonly data: OrgData;
  readonly users = new Map<string, EmulatedUser>();
  readonly apps = new Map<string, ConnectedApp>();
  readonly approvals = new Map<string, Approval>();

  private readonly clock: SimulatedClock;
  private counter: number;
  private readonly usersByName = new Map<string, EmulatedUser>();
  private readonly appsByClientId = new Map<string, ConnectedApp>();
  /** Live approvals per `${userId}:${appId}`, oldest first. */
  private readonly liveByUserApp = new Map<string, Approval[]>();
  /** Users who ever completed an authorization for an app (the uninstalled-app rule). */
  private readonly everAuthorized = new Set<string>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly deleteTokens = new Map<string, string>();
  private readonly sessions = new Map<string, AccessSession>();
  private sessionsIssuedSinceSweep = 0;
  /** Rolling 24 h quota in hourly buckets: O(1) per call, no per-request timestamps. */
  private readonly quotaBuckets = new Array<number>(24).fill(0);
  private readonly quotaHours = new Array<number>(24).fill(-1);

  constructor(init: OrgInit) {
    this.id = init.id;
    this.id15 = init.id.slice(0, 15);
    this.name = init.name;
    this.loginUrl = init.loginUrl;
    this.instanceUrl = init.instanceUrl;
    this.clock = init.clock;
    this.settings = { ...init.settings };
    this.data = init.data;
    this.counter = init.idSeed;
  }

  now(): number {
    return this.clock.now();
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return makeId(prefix, this.counter);
  }

  // ---------------------------------------------------------------- users and apps

  addUser(spec: UserSpec): EmulatedUser {
    if (typeof spec.username !== 'string' || !spec.username.includes('@')) throw new RangeError('username must look like an email address');
    if (typeof spec.password !== 'string' || spec.password === '') throw new RangeError('password is required');
    const key = spec.username.toLowerCase();
    if (this.usersByName.has(key)) throw new RangeError(`duplicate username ${spec.username}`);
    const now = this.now();
    const [first, last] = [spec.firstName ?? spec.username.split('@')[0]!, spec.lastName ?? 'User'];
    const user: EmulatedUser = {
      id: this.nextId('005'),
      username: spec.username,
      password: spec.password,
      firstName: first,
      lastName: last,
      email: spec.email ?? spec.username,
      permissions: new Set(spec.permissions ?? ['ApiEnabled']),
      active: spec.active ?? true,
      profileId: this.nextId('00e'),
      profileName: spec.profileName ?? 'Standard User',
      createdDate: now,
      lastModifiedDate: now,
    };
    this.users.set(user.id, user);
    this.usersByName.set(key, user);
    return user;
  }

  findUser(usernameOrId: string): EmulatedUser | undefined {
    const found = this.users.get(usernameOrId) ?? this.usersByName.get(usernameOrId.toLowerCase());
    // A 15-character id needs a scan; only try it when the key looks like one (logins never do).
    if (found || usernameOrId.length !== 15 || !usernameOrId.startsWith('005')) return found;
    return [...this.users.values()].find((u) => u.id.slice(0, 15) === usernameOrId);
  }

  configureUser(user: EmulatedUser, patch: { permissions?: readonly string[]; addPermissions?: readonly string[]; removePermissions?: readonly string[]; active?: boolean; password?: string }): EmulatedUser {
    if (patch.permissions) user.permissions = new Set(patch.permissions);
    for (const p of patch.addPermissions ?? []) user.permissions.add(p);
    for (const p of patch.removePermissions ?? []) user.permissions.delete(p);
    if (typeof patch.active === 'boolean') {
      user.active = patch.active;
      // A deactivated user loses every session at once, as in Salesforce.
      if (!patch.active) for (const [token, s] of this.sessions) if (s.userId === user.id) this.sessions.delete(token);
    }
    if (typeof patch.password === 'string' && patch.password) user.password = patch.password;
    user.lastModifiedDate = this.now();
    return user;
  }

  addApp(spec: AppSpec): ConnectedApp {
    if (typeof spec.name !== 'string' || !spec.name) throw new RangeError('app name is required');
    if (!Array.isArray(spec.redirectUris) || spec.redirectUris.length === 0) throw new RangeError('redirectUris must list at least one callback URL');
    const clientId = spec.clientId ?? `3MVG9${randomToken(30).replace(/[._]/g, 'x')}`;
    if (this.appsByClientId.has(clientId)) throw new RangeError(`duplicate clientId ${clientId}`);
    const now = this.now();
    const app: ConnectedApp = {
      id: this.nextId('0H4'),
      appMenuItemId: this.nextId('0DS'),
      name: spec.name,
      developerName: spec.developerName ?? spec.name.replace(/\W+/g, '_').replace(/^_+|_+$/g, ''),
      clientId,
      clientSecret: spec.clientSecret,
      signingSecret: randomToken(24),
      redirectUris: [...spec.redirectUris],
      scopes: [...(spec.scopes ?? DEFAULT_SCOPES)],
      pkceRequired: spec.pkceRequired ?? false,
      installed: spec.installed ?? true,
      adminApprovedOnly: spec.adminApprovedOnly ?? false,
      approvedUserIds: new Set(),
      refreshTokenPolicy: spec.refreshTokenPolicy === undefined ? { kind: 'infinite' } : parsePolicy(spec.refreshTokenPolicy),
      rotation: spec.rotation ?? false,
      approvalCap: spec.approvalCap,
      startUrl: spec.startUrl ?? null,
      createdDate: now,
      lastModifiedDate: now,
    };
    for (const u of spec.approvedUsers ?? []) app.approvedUserIds.add(this.requireUser(u).id);
    this.apps.set(app.id, app);
    this.appsByClientId.set(clientId, app);
    return app;
  }

  findApp(key: string): ConnectedApp | undefined {
    return this.apps.get(key) ?? this.appsByClientId.get(key) ?? [...this.apps.values()].find((a) => a.name === key || a.developerName === key || a.id.slice(0, 15) === key);
  }

  appByClientId(clientId: string): ConnectedApp | undefined {
    return this.appsByClientId.get(clientId);
  }

  requireUser(key: string): EmulatedUser {
    const user = this.findUser(key);
    if (!user) throw new RangeError(`no user ${key} in org ${this.id}`);
    return user;
  }

  requireApp(key: string): ConnectedApp {
    const app = this.findApp(key);
    if (!app) throw new RangeError(`no connected app ${key} in org ${this.id}`);
    return app;
  }

  configureApp(app: ConnectedApp, patch: Partial<Omit<AppSpec, 'name' | 'clientId' | 'developerName'>>): ConnectedApp {
    if (patch.refreshTokenPolicy !== undefined) app.refreshTokenPolicy = parsePolicy(patch.refreshTokenPolicy);
    if (typeof patch.rotation === 'boolean') app.rotation = patch.rotation;
    if (typeof patch.pkceRequired === 'boolean') app.pkceRequired = patch.pkceRequired;
    if (typeof patch.installed === 'boolean') app.installed = patch.installed;
    if (typeof patch.adminApprovedOnly === 'boolean') app.adminApprovedOnly = patch.adminApprovedOnly;
    if (Array.isArray(patch.approvedUsers)) app.approvedUserIds = new Set(patch.approvedUsers.map((u) => this.requireUser(u).id));
    if (Array.isArray(patch.redirectUris)) app.redirectUris = [...patch.redirectUris];
    if (Array.isArray(patch.scopes)) app.scopes = [...patch.scopes];
    if (patch.approvalCap === null || typeof patch.approvalCap === 'number') app.approvalCap = patch.approvalCap ?? undefined;
    if ('clientSecret' in patch) app.clientSecret = patch.clientSecret;
    if ('startUrl' in patch) app.startUrl = patch.startUrl ?? null;
    app.lastModifiedDate = this.now();
    return app;
  }

  configure(patch: Partial<OrgSettings>): OrgSettings {
    for (const key of ['approvalCap', 'dailyApiMax', 'sessionTimeoutMinutes'] as const) {
      const v = patch[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < (key === 'dailyApiMax' ? 0 : 1)) throw new RangeError(`${key} must be a positive number`);
      this.settings[key] = Math.floor(v);
    }
    return { ...this.settings };
  }

  dataUser(user: EmulatedUser): DataUser {
    return { id: user.id, username: user.username, permissions: user.permissions };
  }

  // ---------------------------------------------------------------- access rules

  /** The gate shared by the authorize page and the token endpoint. */
  accessProblem(app: ConnectedApp, user: EmulatedUser): OAuthError | undefined {
    if (!user.active) return OAUTH_ERRORS.inactiveUser;
    if (!app.installed && !this.everAuthorized.has(`${user.id}:${app.id}`) && !user.permissions.has('ApproveUninstalledConnectedApps') && !user.permissions.has('UseAnyApiClient')) {
      return OAUTH_ERRORS.appBlocked;
    }
    if (app.adminApprovedOnly && !app.approvedUserIds.has(user.id)) return OAUTH_ERRORS.notAdminApproved;
    return undefined;
  }

  /** Consent is asked again once every approval of the user for the app is gone. */
  needsConsent(app: ConnectedApp, user: EmulatedUser): boolean {
    if (app.adminApprovedOnly && app.approvedUserIds.has(user.id)) return false;
    return (this.liveByUserApp.get(`${user.id}:${app.id}`)?.length ?? 0) === 0;
  }

  checkPassword(user: EmulatedUser, password: string): boolean {
    const a = Buffer.from(user.password);
    const b = Buffer.from(password);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Requested scopes narrowed to the app's; undefined when one is not allowed (invalid_scope). */
  grantScopes(app: ConnectedApp, requested: string | null): string[] | undefined {
    const wanted = (requested ?? '').split(/[\s+]+/).filter(Boolean);
    const allowed = new Set(app.scopes);
    if (wanted.length === 0) return app.scopes.filter((s) => s !== 'full');
    if (allowed.has('full')) return [...new Set(wanted)];
    for (const s of wanted) if (!allowed.has(s)) return undefined;
    return [...new Set(wanted)];
  }

  // ---------------------------------------------------------------- codes and tokens

  issueCode(app: ConnectedApp, user: EmulatedUser, redirectUri: string, codeChallenge: string | undefined, scopes: readonly string[]): string {
    // Like Salesforce's, the code ends in `==`, so it travels as `%3D%3D` in the redirect: a
    // client that forgets to decode it, or to encode it again in the token request, fails here too.
    const code = `aPrx${randomToken(40)}==`;
    this.codes.set(code, { appId: app.id, userId: user.id, redirectUri, codeChallenge, scopes, expiresAt: this.now() + CODE_TTL_MS });
    if (this.codes.size > 1000) for (const [c, v] of this.codes) if (v.expiresAt < this.now()) this.codes.delete(c);
    return code;
  }

  hasCode(code: string): boolean {
    return this.codes.has(code);
  }

  hasRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** grant_type=authorization_code. */
  exchangeCode(params: URLSearchParams): TokenResult {
    const code = params.get('code') ?? '';
    const entry = this.codes.get(code);
    // Single use: the code is gone whatever happens next, as a replay must never succeed.
    this.codes.delete(code);
    if (!entry) return fail(OAUTH_ERRORS.invalidCode);
    const app = this.apps.get(entry.appId);
    if (!app || app.clientId !== params.get('client_id')) return fail(OAUTH_ERRORS.invalidClientId);
    const secretProblem = this.checkClientSecret(app, params);
    if (secretProblem) return fail(secretProblem);
    if (entry.expiresAt < this.now()) return fail(OAUTH_ERRORS.expiredCode);
    if ((params.get('redirect_uri') ?? '') !== entry.redirectUri) return fail(OAUTH_ERRORS.redirectMismatch);
    if (entry.codeChallenge !== undefined) {
      const verifier = params.get('code_verifier');
      // RFC 7636 caps verifiers at 128 characters, but jsforce's `useVerifier` sends 171 and
      // Salesforce accepts it (the Salesforce CLI relies on that), so only the floor is checked.
      if (!verifier || !/^[A-Za-z0-9._~-]{43,}$/.test(verifier)) return fail(OAUTH_ERRORS.invalidVerifier);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== entry.codeChallenge) return fail(OAUTH_ERRORS.invalidVerifier);
    }
    const user = this.users.get(entry.userId);
    if (!user) return fail(OAUTH_ERRORS.authFailure);
    const problem = this.accessProblem(app, user);
    if (problem) return fail(problem);

    const now = this.now();
    const withRefresh = entry.scopes.includes('refresh_token') || entry.scopes.includes('offline_access') || entry.scopes.includes('full');
    const approval: Approval = {
      id: this.nextId('0CQ'),
      appId: app.id,
      userId: user.id,
      createdDate: now,
      lastUsedDate: now,
      useCount: 1,
      deleteToken: randomToken(36),
      scopes: entry.scopes,
      refreshToken: undefined,
      refreshIssuedAt: now,
      refreshLastUsedAt: now,
      familyTokens: [],
      accessTokens: new Set(),
      revoked: false,
    };
    this.approvals.set(approval.id, approval);
    this.deleteTokens.set(approval.deleteToken, approval.id);
    this.everAuthorized.add(`${user.id}:${app.id}`);
    if (withRefresh) this.newRefreshToken(approval);
    const key = `${user.id}:${app.id}`;
    const live = this.liveByUserApp.get(key) ?? [];
    live.push(approval);
    this.liveByUserApp.set(key, live);
    // The approval cap: the OLDEST approval of this user for this app is revoked.
    const cap = app.approvalCap ?? this.settings.approvalCap;
    while (live.length > cap) this.revokeApproval(live[0]!.id);

    const access = this.newSession(user, app, approval);
    return { ok: true, body: this.tokenBody(app, user, access, approval.refreshToken, entry.scopes) };
  }

  /** grant_type=refresh_token. */
  refresh(params: URLSearchParams): TokenResult {
    const token = params.get('refresh_token') ?? '';
    const clientId = params.get('client_id') ?? '';
    const entry = this.refreshTokens.get(token);
    const approval = entry ? this.approvals.get(entry.approvalId) : undefined;
    const app = approval ? this.apps.get(approval.appId) : this.appsByClientId.get(clientId);
    if (!app || app.clientId !== clientId) return fail(app ? OAUTH_ERRORS.expired : OAUTH_ERRORS.invalidClientId);
    const secretProblem = this.checkClientSecret(app, params);
    if (secretProblem) return fail(secretProblem);
    if (!entry || !approval || approval.revoked) return fail(OAUTH_ERRORS.expired);
    if (entry.rotatedOut) {
      // Reuse of a rotated-out token: assume theft and kill the whole family.
      this.revokeApproval(approval.id);
      return fail(OAUTH_ERRORS.expired);
    }
    const now = this.now();
    const policy = app.refreshTokenPolicy;
    const period = policyPeriodMs(policy);
    const expired =
      policy.kind === 'zero' ||
      (policy.kind === 'lifetime' && now - approval.refreshIssuedAt > period!) ||
      (policy.kind === 'inactivity' && now - approval.refreshLastUsedAt > period!);
    if (expired) {
      this.revokeApproval(approval.id);
      return fail(OAUTH_ERRORS.expired);
    }
    const user = this.users.get(approval.userId);
    if (!user) return fail(OAUTH_ERRORS.expired);
    const problem = this.accessProblem(app, user);
    if (problem) return fail(problem);

    approval.lastUsedDate = now;
    approval.useCount += 1;
    approval.refreshLastUsedAt = now;
    let rotated: string | undefined;
    if (app.rotation) {
      entry.rotatedOut = true;
      rotated = this.newRefreshToken(approval);
    }
    const access = this.newSession(user, app, approval);
    return { ok: true, body: this.tokenBody(app, user, access, rotated, approval.scopes) };
  }

  private checkClientSecret(app: ConnectedApp, params: URLSearchParams): OAuthError | undefined {
    if (app.clientSecret === undefined) return undefined;
    const given = params.get('client_secret');
    if (given === null) return OAUTH_ERRORS.invalidClient;
    const a = Buffer.from(app.clientSecret);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b) ? undefined : OAUTH_ERRORS.invalidClient;
  }

  private newRefreshToken(approval: Approval): string {
    const token = `5Aep861${randomToken(54)}`;
    approval.refreshToken = token;
    approval.refreshIssuedAt = this.now();
    approval.refreshLastUsedAt = this.now();
    approval.familyTokens.push(token);
    this.refreshTokens.set(token, { approvalId: approval.id, rotatedOut: false });
    return token;
  }

  private newSession(user: EmulatedUser, app: ConnectedApp | undefined, approval: Approval | undefined): AccessSession {
    const now = this.now();
    const session: AccessSession = {
      token: `${this.id15}!${randomToken(72)}`,
      userId: user.id,
      appId: app?.id,
      approvalId: approval?.id,
      issuedAt: now,
      lastActivity: now,
      scopes: approval?.scopes ?? ['api'],
    };
    this.sessions.set(session.token, session);
    approval?.accessTokens.add(session.token);
    // Refreshing leaves earlier access tokens alive until they time out; sweep now and then
    // so a long benchmark with many refreshes keeps memory flat.
    if (++this.sessionsIssuedSinceSweep >= 2000) this.sweepSessions();
    return session;
  }

  private sweepSessions(): void {
    this.sessionsIssuedSinceSweep = 0;
    const timeout = this.settings.sessionTimeoutMinutes * MINUTE_MS;
    const now = this.now();
    for (const [token, s] of this.sessions) {
      if (now - s.lastActivity > timeout) this.dropSession(token, s);
    }
  }

  private dropSession(token: string, session: AccessSession): void {
    this.sessions.delete(token);
    if (session.approvalId) this.approvals.get(session.approvalId)?.accessTokens.delete(token);
  }

  identityUrl(userId: string): string {
    return `${this.loginUrl}/id/${this.id}/${userId}`;
  }

  private tokenBody(app: ConnectedApp, user: EmulatedUser, session: AccessSession, refreshToken: string | undefined, scopes: readonly string[]): Record<string, string> {
    const id = this.identityUrl(user.id);
    const issuedAt = String(session.issuedAt);
    const signature = createHmac('sha256', app.clientSecret ?? app.signingSecret).update(id + issuedAt).digest('base64');
    // Key order follows real responses; clients must not depend on it, but diffs read better.
    const body: Record<string, string> = { access_token: session.token };
    if (refreshToken) body.refresh_token = refreshToken;
    body.signature = signature;
    body.scope = scopes.join(' ');
    body.instance_url = this.instanceUrl;
    body.id = id;
    body.token_type = 'Bearer';
    body.issued_at = issuedAt;
    return body;
  }

  /** A bearer token presented to the REST API or the identity URL. Touches the session. */
  authenticate(token: string): { session: AccessSession; user: EmulatedUser } | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastActivity > this.settings.sessionTimeoutMinutes * MINUTE_MS) {
      this.dropSession(token, session);
      return undefined;
    }
    const user = this.users.get(session.userId);
    if (!user || !user.active) return undefined;
    session.lastActivity = now;
    if (session.approvalId) {
      const approval = this.approvals.get(session.approvalId);
      if (approval) approval.lastUsedDate = now;
    }
    return { session, user };
  }

  hasSession(token: string): boolean {
    return this.sessions.has(token);
  }

  /** Revokes one approval: its refresh tokens (rotated ones too) and access tokens die. */
  revokeApproval(approvalId: string): boolean {
    const approval = this.approvals.get(approvalId);
    if (!approval) return false;
    approval.revoked = true;
    for (const t of approval.familyTokens) this.refreshTokens.delete(t);
    for (const t of approval.accessTokens) this.sessions.delete(t);
    approval.accessTokens.clear();
    this.deleteTokens.delete(approval.deleteToken);
    this.approvals.delete(approvalId);
    const key = `${approval.userId}:${approval.appId}`;
    const live = this.liveByUserApp.get(key);
    if (live) {
      const i = live.indexOf(approval);
      if (i >= 0) live.splice(i, 1);
      if (live.length === 0) this.liveByUserApp.delete(key);
    }
    return true;
  }

  /**
   * `/services/oauth2/revoke`: an access token ends that session only; a refresh token or
   * an OauthToken DeleteToken ends the approval with all its tokens.
   */
  revokeToken(token: string): boolean {
    const session = this.sessions.get(token);
    if (session) {
      this.dropSession(token, session);
      return true;
    }
    const refresh = this.refreshTokens.get(token);
    if (refresh) return this.revokeApproval(refresh.approvalId);
    const byDelete = this.deleteTokens.get(token);
    if (byDelete) return this.revokeApproval(byDelete);
    return false;
  }

  /** Ends every access token now (refresh tokens survive), like an admin clearing sessions. */
  expireSessions(): number {
    const n = this.sessions.size;
    for (const a of this.approvals.values()) a.accessTokens.clear();
    this.sessions.clear();
    return n;
  }

  /** Approvals of one app (or all), oldest first. */
  listApprovals(filter: { appId?: string; userId?: string } = {}): Approval[] {
    const out: Approval[] = [];
    for (const a of this.approvals.values()) {
      if (filter.appId && a.appId !== filter.appId) continue;
      if (filter.userId && a.userId !== filter.userId) continue;
      out.push(a);
    }
    return out;
  }

  // ---------------------------------------------------------------- API quota

  private hourIndex(): number {
    return Math.floor(this.now() / HOUR_MS);
  }

  /** Requests counted in the last 24 simulated hours. */
  apiUsed(): number {
    const hour = this.hourIndex();
    let used = 0;
    for (let i = 0; i < 24; i++) if (this.quotaHours[i]! > hour - 24) used += this.quotaBuckets[i]!;
    return used;
  }

  /** Counts one call unless the allowance is spent. */
  consumeApi(): { ok: boolean; used: number; max: number } {
    const max = this.settings.dailyApiMax;
    const used = this.apiUsed();
    if (used >= max) return { ok: false, used, max };
    const hour = this.hourIndex();
    const slot = hour % 24;
    if (this.quotaHours[slot] !== hour) {
      this.quotaHours[slot] = hour;
      this.quotaBuckets[slot] = 0;
    }
    this.quotaBuckets[slot]! += 1;
    return { ok: true, used: used + 1, max };
  }

  /** Control API: pretend `used` calls were already made this hour (e.g. to test the limit). */
  setApiUsed(used: number): void {
    this.quotaBuckets.fill(0);
    this.quotaHours.fill(-1);
    const hour = this.hourIndex();
    this.quotaHours[hour % 24] = hour;
    this.quotaBuckets[hour % 24] = Math.max(0, Math.floor(used));
  }
}

function fail(body: OAuthError, status = 400): TokenResult {
  return { ok: false, status, body };
}
