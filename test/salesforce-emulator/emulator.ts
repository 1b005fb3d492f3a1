/**
 * The emulator's state and the operations tests and the control API perform on it.
 * Every control route maps onto one method here, so in-process tests need no HTTP.
 */
import type { SimulatedClock } from './clock';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './clock';
import type { BulkQuerySettings, CurrencySpec, CustomFieldSpec, CustomObjectSpec, FieldChangeSpec, OrgData, OrgDataOptions, RecordTypeSpec } from './data/seam';
import { Faults } from './faults';
import type { FaultSettings } from './faults';
import { makeId, sfDateTime } from './ids';
import type { AppSpec, ConnectedApp, EmulatedUser, OrgSettings, UserSpec } from './model';
import { DEFAULT_APPS, DEFAULT_USERS, policyToMetadata } from './model';
import { Org } from './org';
import type { OAuthError } from './org';
import { ApiCallCounter, RequestLog } from './request-log';
import type { ApiCallCounts, RequestLogSnapshot } from './request-log';
import { registerVirtualSObjects } from './virtual/virtual-sobjects';
import { patchStreamingSettings, StreamingHub, type OrgStream, type RetainedEvent, type StreamingSettings } from './streaming/org-stream';

export interface OrgSpec {
  readonly name?: string;
  /** Replaces the two default users. */
  readonly users?: readonly UserSpec[];
  /** Replaces the two default connected apps. */
  readonly apps?: readonly AppSpec[];
  readonly settings?: Partial<OrgSettings>;
  /** sObjects with Topics enabled (on top of the data half's defaults). */
  readonly topicsEnabled?: Readonly<Record<string, boolean>>;
}

export interface OrgConfigPatch extends Partial<OrgSettings> {
  /** Pretend this many API calls were made in the last 24 h. */
  readonly apiUsed?: number;
  readonly topicsEnabled?: Readonly<Record<string, boolean>>;
  /** Bulk API 2.0 query-job knobs (see data/README.md): invalidQuery, defaultMaxRecords, failRate. */
  readonly bulkQuery?: Partial<BulkQuerySettings>;
}

export interface UserPatch {
  readonly permissions?: readonly string[];
  readonly addPermissions?: readonly string[];
  readonly removePermissions?: readonly string[];
  readonly active?: boolean;
  readonly password?: string;
}

export type AppPatch = Partial<Omit<AppSpec, 'name' | 'clientId' | 'developerName'>>;

export interface UserDescription {
  readonly username: string;
  readonly password: string;
  readonly userId: string;
}

/** What `npm run emulator -- --json` prints and `startEmulator` returns (default org). */
export interface EmulatorDescription {
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  readonly users: readonly UserDescription[];
  readonly orgId: string;
  readonly controlUrl: string;
}

export interface OrgDescription {
  readonly orgId: string;
  readonly name: string;
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly settings: OrgSettings & { readonly apiUsed: number };
  readonly users: readonly (UserDescription & { readonly permissions: readonly string[]; readonly active: boolean })[];
  readonly apps: readonly AppDescription[];
}

export interface AppDescription {
  readonly id: string;
  readonly name: string;
  readonly developerName: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly redirectUris: readonly string[];
  readonly pkceRequired: boolean;
  readonly installed: boolean;
  readonly adminApprovedOnly: boolean;
  readonly approvedUsers: readonly string[];
  readonly refreshTokenPolicy: string;
  readonly rotation: boolean;
  readonly approvalCap: number;
}

export interface ApprovalDescription {
  readonly id: string;
  readonly appId: string;
  readonly appName: string;
  readonly userId: string;
  readonly username: string;
  readonly createdDate: string;
  readonly lastUsedDate: string;
  readonly useCount: number;
  readonly deleteToken: string;
  readonly hasRefreshToken: boolean;
  readonly liveAccessTokens: number;
}

/** `defaultUserId`: the org's first user, owner of records seeded without one. */
export type CreateOrgData = (options: OrgDataOptions & { readonly defaultUserId?: string }) => OrgData;

export interface EmulatorInit {
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clock: SimulatedClock;
  readonly createOrgData: CreateOrgData;
  readonly defaultOrg?: OrgSpec;
  readonly requestLogCapacity?: number;
  /** Added to every API response (see setLatency); reset() restores this start-up value. */
  readonly latencyMs?: number;
  /** Called by reset() so the HTTP layer can forget login flows too. */
  readonly onReset?: () => void;
}

const DEFAULT_SETTINGS: OrgSettings = { approvalCap: 5, dailyApiMax: 15_000, sessionTimeoutMinutes: 120 };

export class Emulator {
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clock: SimulatedClock;
  readonly faults = new Faults();
  readonly log: RequestLog;
  readonly apiCounter = new ApiCallCounter();
  /** The Streaming API: change events and CometD clients per org. */
  readonly streaming: StreamingHub;
  private readonly startLatencyMs: number;
  private latency = 0;
  private readonly createOrgData: CreateOrgData;
  private readonly defaultOrgSpec: OrgSpec;
  private readonly onReset: (() => void) | undefined;
  private orgList: Org[] = [];
  private readonly orgsById = new Map<string, Org>();

  constructor(init: EmulatorInit) {
    this.loginUrl = init.loginUrl;
    this.instanceUrl = init.instanceUrl;
    this.clock = init.clock;
    this.createOrgData = init.createOrgData;
    this.defaultOrgSpec = init.defaultOrg ?? {};
    this.onReset = init.onReset;
    this.log = new RequestLog(init.requestLogCapacity ?? 100_000);
    this.streaming = new StreamingHub(init.clock);
    this.startLatencyMs = validLatency(init.latencyMs ?? 0);
    this.latency = this.startLatencyMs;
    this.buildOrg(this.defaultOrgSpec);
  }

  // ------------------------------------------------------------------ orgs

  private buildOrg(spec: OrgSpec): Org {
    const index = this.orgList.length + 1;
    // Deterministic ids: a reset rebuilds the same org, users and apps with the same ids.
    const id = makeId('00D', index);
    const data = this.createOrgData({
      orgId: id,
      instanceUrl: this.instanceUrl,
      now: () => this.clock.now(),
      shouldLockRow: () => this.faults.shouldLockRow(),
      // The first id Org.addUser hands out below (ids are deterministic), i.e. the admin.
      defaultUserId: makeId('005', index * 1_000_000 + 1),
    });
    const org = new Org({
      id,
      name: spec.name ?? (index === 1 ? 'ForceSites Emulated Org' : `Emulated Org ${index}`),
      loginUrl: this.loginUrl,
      instanceUrl: this.instanceUrl,
      clock: this.clock,
      settings: { ...DEFAULT_SETTINGS, ...spec.settings },
      data,
      idSeed: index * 1_000_000,
    });
    // Usernames are unique across all of Salesforce: the default users of a second org get
    // an org-specific domain (admin@org2.forcesites.test), and clashes are refused.
    const users = spec.users ?? (index === 1 ? DEFAULT_USERS : DEFAULT_USERS.map((u) => ({ ...u, username: u.username.replace('@', `@org${index}.`) })));
    for (const u of users) {
      this.assertUsernameFree(u.username);
      org.addUser(u);
    }
    for (const a of spec.apps ?? DEFAULT_APPS) org.addApp(a);
    registerVirtualSObjects(org);
    for (const [sobject, enabled] of Object.entries(spec.topicsEnabled ?? {})) data.setTopicsEnabled(sobject, enabled);
    this.streaming.attach(id, data);
    this.orgList.push(org);
    this.orgsById.set(id, org);
    this.orgsById.set(id.slice(0, 15), org);
    return org;
  }

  /** Back to the start-up state: the default org rebuilt with the same ids, other orgs gone. */
  reset(): EmulatorDescription {
    // Held long polls are answered 403::Unknown client, as after a server restart.
    this.streaming.closeAll();
    this.orgList = [];
    this.orgsById.clear();
    this.faults.clear();
    this.log.clear();
    this.apiCounter.clear();
    this.latency = this.startLatencyMs;
    this.onReset?.();
    this.buildOrg(this.defaultOrgSpec);
    return this.describe();
  }

  createOrg(spec: OrgSpec = {}): OrgDescription {
    return this.describeOrg(this.buildOrg(spec));
  }

  orgs(): readonly Org[] {
    return this.orgList;
  }

  /** The default org when `orgId` is omitted or `default`. Throws a RangeError otherwise. */
  org(orgId?: string): Org {
    if (orgId === undefined || orgId === 'default') return this.orgList[0]!;
    const org = this.orgsById.get(orgId);
    if (!org) throw new RangeError(`no org ${orgId}`);
    return org;
  }

  /** Access tokens start with the 15-character org id and `!`. */
  orgForAccessToken(token: string): Org | undefined {
    const bang = token.indexOf('!');
    return bang === 15 ? this.orgsById.get(token.slice(0, 15)) : undefined;
  }

  orgForRefreshToken(token: string): Org | undefined {
    return this.orgList.find((o) => o.hasRefreshToken(token));
  }

  orgForCode(code: string): Org | undefined {
    return this.orgList.find((o) => o.hasCode(code));
  }

  /** First registration of a client id (the same app may be registered in several orgs). */
  appsForClientId(clientId: string): { org: Org; app: ConnectedApp }[] {
    const out: { org: Org; app: ConnectedApp }[] = [];
    for (const org of this.orgList) {
      const app = org.appByClientId(clientId);
      if (app) out.push({ org, app });
    }
    return out;
  }

  /** Usernames are unique across Salesforce, so the login form finds the org from them. */
  findLogin(username: string): { org: Org; user: EmulatedUser } | undefined {
    for (const org of this.orgList) {
      const user = org.findUser(username);
      if (user && user.username.toLowerCase() === username.toLowerCase()) return { org, user };
    }
    return undefined;
  }

  // ------------------------------------------------------------------ description

  describe(): EmulatorDescription {
    const org = this.org();
    const app = [...org.apps.values()].find((a) => a.name === 'ForceSites') ?? [...org.apps.values()][0];
    return {
      loginUrl: this.loginUrl,
      instanceUrl: this.instanceUrl,
      clientId: app?.clientId ?? '',
      redirectUris: app ? [...app.redirectUris] : [],
      users: [...org.users.values()].map((u) => ({ username: u.username, password: u.password, userId: u.id })),
      orgId: org.id,
      controlUrl: `${this.instanceUrl}/__emulator`,
    };
  }

  describeOrg(org: Org): OrgDescription {
    return {
      orgId: org.id,
      name: org.name,
      loginUrl: this.loginUrl,
      instanceUrl: this.instanceUrl,
      settings: { ...org.settings, apiUsed: org.apiUsed() },
      users: [...org.users.values()].map((u) => ({ username: u.username, password: u.password, userId: u.id, permissions: [...u.permissions], active: u.active })),
      apps: [...org.apps.values()].map((a) => this.describeApp(org, a)),
    };
  }

  describeApp(org: Org, a: ConnectedApp): AppDescription {
    return {
      id: a.id,
      name: a.name,
      developerName: a.developerName,
      clientId: a.clientId,
      clientSecret: a.clientSecret ?? null,
      redirectUris: [...a.redirectUris],
      pkceRequired: a.pkceRequired,
      installed: a.installed,
      adminApprovedOnly: a.adminApprovedOnly,
      approvedUsers: [...a.approvedUserIds].map((id) => org.users.get(id)?.username ?? id),
      refreshTokenPolicy: policyToMetadata(a.refreshTokenPolicy),
      rotation: a.rotation,
      approvalCap: a.approvalCap ?? org.settings.approvalCap,
    };
  }

  // ------------------------------------------------------------------ configuration

  configureOrg(orgId: string | undefined, patch: OrgConfigPatch): OrgDescription {
    const org = this.org(orgId);
    org.configure(patch);
    if (patch.apiUsed !== undefined) {
      if (typeof patch.apiUsed !== 'number' || patch.apiUsed < 0) throw new RangeError('apiUsed must be a number ≥ 0');
      org.setApiUsed(patch.apiUsed);
    }
    for (const [sobject, enabled] of Object.entries(patch.topicsEnabled ?? {})) org.data.setTopicsEnabled(sobject, Boolean(enabled));
    if (patch.bulkQuery !== undefined) {
      if (!org.data.configureBulkQueries) throw new RangeError('this org\'s data half has no Bulk API 2.0 query jobs');
      if (patch.bulkQuery === null || typeof patch.bulkQuery !== 'object' || Array.isArray(patch.bulkQuery)) throw new RangeError('bulkQuery must be an object {invalidQuery?, defaultMaxRecords?, failRate?}');
      org.data.configureBulkQueries(patch.bulkQuery);
    }
    return this.describeOrg(org);
  }

  private assertUsernameFree(username: unknown): void {
    if (typeof username === 'string' && this.findLogin(username)) throw new RangeError(`username ${username} is taken (usernames are unique across orgs)`);
  }

  addUser(orgId: string | undefined, spec: UserSpec): UserDescription {
    const org = this.org(orgId);
    this.assertUsernameFree(spec.username);
    const user = org.addUser(spec);
    return { username: user.username, password: user.password, userId: user.id };
  }

  configureUser(orgId: string | undefined, userKey: string, patch: UserPatch): UserDescription & { permissions: string[]; active: boolean } {
    const org = this.org(orgId);
    const user = org.configureUser(org.requireUser(userKey), patch);
    return { username: user.username, password: user.password, userId: user.id, permissions: [...user.permissions], active: user.active };
  }

  addApp(orgId: string | undefined, spec: AppSpec): AppDescription {
    const org = this.org(orgId);
    return this.describeApp(org, org.addApp(spec));
  }

  /** `appKey`: id, client id, name or developer name. */
  configureApp(orgId: string | undefined, appKey: string, patch: AppPatch): AppDescription {
    const org = this.org(orgId);
    return this.describeApp(org, org.configureApp(org.requireApp(appKey), patch));
  }

  // ------------------------------------------------------------------ data half pass-through

  seed(orgId: string | undefined, sobject: string, records: readonly Record<string, unknown>[]): string[] {
    return this.org(orgId).data.seed(sobject, records);
  }

  addCustomField(orgId: string | undefined, sobject: string, field: CustomFieldSpec): void {
    this.org(orgId).data.addCustomField(sobject, field);
  }

  /** `(orgId, name, label)` or `(orgId, {name, label, labelPlural?, nameField?, fields?, topicsEnabled?})`. */
  addCustomObject(orgId: string | undefined, nameOrSpec: string | CustomObjectSpec, label?: string): void {
    this.org(orgId).data.addCustomObject(nameOrSpec, label);
  }

  /** An admin adds a record type to an object (Setup); returns its 012 id. */
  addRecordType(orgId: string | undefined, sobject: string, spec: RecordTypeSpec): string {
    const data = this.org(orgId).data;
    if (!data.addRecordType) throw new RangeError('this org\'s data half has no record types');
    return data.addRecordType(sobject, spec);
  }

  /** An admin turns on multiple currencies (`null`: one currency again); see data/rules/orders.ts. */
  setCurrencies(orgId: string | undefined, spec: CurrencySpec | null): void {
    const data = this.org(orgId).data;
    if (!data.setCurrencies) throw new RangeError("this org's data half has no currencies");
    data.setCurrencies(spec);
  }

  setTopicsEnabled(orgId: string | undefined, sobject: string, enabled: boolean): void {
    this.org(orgId).data.setTopicsEnabled(sobject, enabled);
  }

  /** An admin edits a field in Setup (length, type, label, required, picklist values…). */
  changeField(orgId: string | undefined, sobject: string, field: string, change: FieldChangeSpec): void {
    const data = this.org(orgId).data;
    if (!data.changeField) throw new RangeError('this org\'s data half cannot change fields');
    data.changeField(sobject, field, change);
  }

  /** An admin deletes a field in Setup. */
  removeField(orgId: string | undefined, sobject: string, field: string): void {
    const data = this.org(orgId).data;
    if (!data.removeField) throw new RangeError('this org\'s data half cannot remove fields');
    data.removeField(sobject, field);
  }

  records(orgId: string | undefined, sobject: string): readonly Record<string, unknown>[] {
    return this.org(orgId).data.records(sobject);
  }

  /** Drops every record (and, with `schema`, customisations) of one org's data half. */
  resetData(orgId: string | undefined, options?: { schema?: boolean }): void {
    this.org(orgId).data.reset(options);
  }

  // ------------------------------------------------------------------ tokens and approvals

  approvals(orgId?: string, filter: { app?: string; user?: string } = {}): ApprovalDescription[] {
    const org = this.org(orgId);
    const appId = filter.app ? org.requireApp(filter.app).id : undefined;
    const userId = filter.user ? org.requireUser(filter.user).id : undefined;
    return org.listApprovals({ appId, userId }).map((a) => ({
      id: a.id,
      appId: a.appId,
      appName: org.apps.get(a.appId)?.name ?? '',
      userId: a.userId,
      username: org.users.get(a.userId)?.username ?? '',
      createdDate: sfDateTime(a.createdDate),
      lastUsedDate: sfDateTime(a.lastUsedDate),
      useCount: a.useCount,
      deleteToken: a.deleteToken,
      hasRefreshToken: a.refreshToken !== undefined,
      liveAccessTokens: a.accessTokens.size,
    }));
  }

  /**
   * An authorization without the browser: the same code path as the login form plus the
   * token endpoint (access rules, approval cap, policies), for tests that need many
   * approvals quickly. Returns the token response body, or the OAuth error.
   */
  authorizeDirect(orgId: string | undefined, options: { user: string; app?: string; scope?: string }): Record<string, string> | OAuthError {
    const org = this.org(orgId);
    const user = org.requireUser(options.user);
    const app = org.requireApp(options.app ?? 'ForceSites');
    const problem = org.accessProblem(app, user);
    if (problem) return problem;
    const scopes = org.grantScopes(app, options.scope ?? 'api refresh_token id');
    if (!scopes) return { error: 'invalid_scope', error_description: 'the requested scope is not allowed' };
    const redirectUri = app.redirectUris[0]!;
    const code = org.issueCode(app, user, redirectUri, undefined, scopes);
    const params = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId, redirect_uri: redirectUri });
    if (app.clientSecret !== undefined) params.set('client_secret', app.clientSecret);
    const result = org.exchangeCode(params);
    return result.body;
  }

  /** Every access token of one org (or all orgs) stops working now; refresh tokens survive. */
  expireAllSessions(orgId?: string): number {
    const orgs = orgId === undefined ? this.orgList : [this.org(orgId)];
    return orgs.reduce((n, o) => n + o.expireSessions(), 0);
  }

  /** Same effect as POST /services/oauth2/revoke: access, refresh or Delete token. */
  revokeToken(token: string): boolean {
    if (typeof token !== 'string' || token === '') return false;
    const byPrefix = this.orgForAccessToken(token);
    if (byPrefix?.revokeToken(token)) return true;
    return this.orgList.some((o) => o !== byPrefix && o.revokeToken(token));
  }

  // ------------------------------------------------------------------ clock, faults, log

  now(): number {
    return this.clock.now();
  }

  advanceClock(by: { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): number {
    const ms = (by.ms ?? 0) + (by.seconds ?? 0) * 1000 + (by.minutes ?? 0) * MINUTE_MS + (by.hours ?? 0) * HOUR_MS + (by.days ?? 0) * DAY_MS;
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance the clock by a positive ms, seconds, minutes, hours or days');
    return this.clock.advance(ms);
  }

  setFaults(settings: FaultSettings): FaultSettings {
    return this.faults.set(settings);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requestLog(options?: { since?: number; limit?: number; kind?: string }): RequestLogSnapshot {
    return this.log.snapshot(options);
  }

  clearRequestLog(): void {
    this.log.clear();
  }

  // ------------------------------------------------------------------ benchmarks: latency and API call counts

  /** Milliseconds added before every API response (token, REST, SOAP, identity); 0 = none. */
  get latencyMs(): number {
    return this.latency;
  }

  /**
   * Delays every API response by `ms` from now on, like a network round trip to Salesforce.
   * Unlike `setFaults({latencyMs})` it is not cleared by clearFaults(); reset() restores the
   * start-up value. Concurrent requests wait concurrently.
   */
  setLatency(ms: number): number {
    this.latency = validLatency(ms);
    return this.latency;
  }

  /** API requests received since start-up, reset() or resetApiCalls(), by kind. */
  apiCalls(): ApiCallCounts {
    return this.apiCounter.snapshot();
  }

  resetApiCalls(): void {
    this.apiCounter.clear();
  }

  // ------------------------------------------------------------------ Streaming API (CometD, change events)

  private orgStream(orgId: string | undefined): OrgStream {
    const org = this.org(orgId);
    const stream = this.streaming.stream(org.id);
    if (!stream) throw new RangeError(`org ${org.id} has no streaming state`);
    return stream;
  }

  /** Which objects send change events, and the CometD timings (see README, "Streaming API"). */
  configureStreaming(orgId: string | undefined, patch: Partial<StreamingSettings>): StreamingSettings {
    const stream = this.orgStream(orgId);
    stream.settings = patchStreamingSettings(stream.settings, patch);
    return stream.settings;
  }

  streamingSettings(orgId?: string): StreamingSettings {
    return this.orgStream(orgId).settings;
  }

  /** Retained change events, oldest first (older than the retention are gone). */
  changeEvents(orgId?: string, options: { channel?: string; after?: number } = {}): RetainedEvent[] {
    return this.orgStream(orgId).retained(options);
  }

  /** The CometD clients the server knows. */
  streamingClients(orgId?: string): { clientId: string; userId: string; subscriptions: string[]; queued: number; polling: boolean }[] {
    return [...this.orgStream(orgId).clients.values()].map((client) => ({
      clientId: client.id,
      userId: client.userId,
      subscriptions: [...client.subscriptions],
      queued: client.queue.length,
      polling: client.held !== undefined,
    }));
  }

  /**
   * The server forgets every client, as after a restart: a held poll is answered
   * `403::Unknown client` and the client must handshake and subscribe again (replaying from
   * its last replay id). Returns how many were dropped.
   */
  dropStreamingClients(orgId?: string): number {
    return this.orgStream(orgId).dropClients();
  }
}

function validLatency(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) {
    throw new RangeError('latency must be a number of milliseconds between 0 and 600000');
  }
  return Math.round(ms);
}
