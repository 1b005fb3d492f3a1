/**
 * The approval census: how many OAuth approvals each Salesforce user holds per watched
 * connected app, which one Salesforce revokes next, and which site each belongs to.
 *
 * Salesforce keeps a few approvals per user per app (its help says five, the WP Fusion guide
 * four) and silently revokes the OLDEST when one more is made. Nothing in Salesforce warns the
 * admin, so this census is what lets ForceSites warn before a site goes dark.
 *
 * Sources, in order: the Connect REST OAuth Usage API (API 59+), then SOQL on OauthToken
 * (API 32+), which Salesforce caps at 500 rows a batch and 2,500 in total; a COUNT() query
 * tells us when that cap hid rows, and the users we know are then re-read one by one.
 */
import type {
  ApprovalAttribution,
  ApprovalCensusDto,
  ApprovalDto,
  CensusSource,
  CensusTruncation,
  GaugeLevel,
  PermissionGap,
  RevokeApprovalResult,
  UserAppApprovals,
  WatchedAppCensus,
} from '../../common/health-models';
import { soqlInList, soqlQuote } from '../salesforce/soql-escape';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { apiVersionNumber, queryAll, queryCount } from '../salesforce/salesforce-api';
import { errorCodeOf, errorMessageOf, isNotAvailable } from '../salesforce/salesforce-errors';
import type { UserPermissions } from './user-permissions';
import { GAPS, readUserPermissions } from './user-permissions';

/** Salesforce's documented OauthToken limits. */
export const OAUTH_TOKEN_BATCH = 500;
export const OAUTH_TOKEN_MAX_ROWS = 2500;
export const USAGE_API_MIN_VERSION = 59;
export const DEFAULT_ATTRIBUTION_TOLERANCE_MS = 2 * 60_000;

/** One approval as read from Salesforce, before grouping. Times in ms since the epoch. */
export interface RawApproval {
  readonly id: string;
  readonly source: CensusSource;
  readonly appName: string;
  readonly userId: string;
  readonly username: string | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly useCount: number | null;
}

/** A known ForceSites connection (or any sign-in we know the time of) that may own an approval. */
export interface AttributionCandidate {
  readonly connectionId: string;
  readonly userId: string;
  readonly appName: string;
  readonly authorizedAt: number;
  readonly siteIds: readonly string[];
  readonly siteNames: readonly string[];
}

export interface CapSettings {
  readonly approvalCap: number;
  readonly approvalWarnAt: number;
}

// ---------------------------------------------------------------- pure parts

export function gaugeLevel(used: number, cap: number, warnAt: number): GaugeLevel {
  if (used >= cap) return 'at-cap';
  if (used >= warnAt) return 'warning';
  return 'ok';
}

function sameUserId(a: string, b: string): boolean {
  // 15- and 18-character ids name the same record; the first 15 characters are case-sensitive.
  return a === b || a.slice(0, 15) === b.slice(0, 15);
}

function sameAppName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Oldest first by CreatedDate, the order in which Salesforce evicts; ties broken by id for stability. */
export function evictionOrder<T extends { readonly createdAt: number; readonly id: string }>(approvals: readonly T[]): T[] {
  return [...approvals].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Matches approvals to known connections: same user, same app, authorization time within the
 * tolerance. Each approval and each connection is used at most once, closest pairs first, so
 * two sites authorized a minute apart do not both claim the same approval.
 */
export function attributeApprovals(approvals: readonly RawApproval[], candidates: readonly AttributionCandidate[], toleranceMs = DEFAULT_ATTRIBUTION_TOLERANCE_MS): Map<string, ApprovalAttribution> {
  const pairs: { approval: RawApproval; candidate: AttributionCandidate; distance: number }[] = [];
  for (const approval of approvals) {
    for (const candidate of candidates) {
      if (!sameUserId(approval.userId, candidate.userId) || !sameAppName(approval.appName, candidate.appName)) continue;
      const distance = Math.abs(approval.createdAt - candidate.authorizedAt);
      if (distance <= toleranceMs) pairs.push({ approval, candidate, distance });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const result = new Map<string, ApprovalAttribution>();
  const usedConnections = new Set<string>();
  for (const { approval, candidate } of pairs) {
    if (result.has(approval.id) || usedConnections.has(candidate.connectionId)) continue;
    usedConnections.add(candidate.connectionId);
    result.set(approval.id, { kind: 'site', connectionId: candidate.connectionId, siteIds: candidate.siteIds, siteNames: candidate.siteNames });
  }
  for (const approval of approvals) if (!result.has(approval.id)) result.set(approval.id, { kind: 'unknown-site' });
  return result;
}

/** Groups approvals per user and app, oldest first, with the gauge numbers. */
export function groupApprovals(approvals: readonly RawApproval[], caps: CapSettings, attribution: ReadonlyMap<string, ApprovalAttribution>): UserAppApprovals[] {
  const groups = new Map<string, RawApproval[]>();
  const label = new Map<string, { appName: string; userId: string }>();
  for (const a of approvals) {
    const key = `${a.userId.slice(0, 15)}\u0000${a.appName.trim().toLowerCase()}`;
    if (!groups.has(key)) label.set(key, { appName: a.appName, userId: a.userId });
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const out: UserAppApprovals[] = [];
  for (const [key, list] of groups) {
    const ordered = evictionOrder(list);
    const oldest = ordered[0];
    const used = ordered.length;
    const { appName, userId } = label.get(key)!;
    const dtos: ApprovalDto[] = ordered.map((a) => ({
      id: a.id,
      source: a.source,
      appName: a.appName,
      userId: a.userId,
      createdAt: new Date(a.createdAt).toISOString(),
      lastUsedAt: a.lastUsedAt === null ? null : new Date(a.lastUsedAt).toISOString(),
      useCount: a.useCount,
      evictedNext: a === oldest,
      attribution: attribution.get(a.id) ?? { kind: 'unknown-site' },
    }));
    out.push({
      appName,
      userId,
      username: ordered.find((a) => a.username)?.username ?? null,
      used,
      cap: caps.approvalCap,
      warnAt: caps.approvalWarnAt,
      level: gaugeLevel(used, caps.approvalCap, caps.approvalWarnAt),
      nextAuthorizationEvicts: used >= caps.approvalCap,
      evictedNextId: oldest?.id ?? null,
      approvals: dtos,
    });
  }
  // Fullest first: what needs attention leads.
  return out.sort((a, b) => b.used - a.used || a.appName.localeCompare(b.appName) || a.userId.localeCompare(b.userId));
}

export function truncationOf(listed: number, total: number | null, reachedLimit: boolean): CensusTruncation | null {
  if (total !== null && total <= listed) return null;
  if (total === null && !reachedLimit) return null;
  return {
    listed,
    total,
    message:
      total === null
        ? `Salesforce returned its maximum of ${listed} OauthToken rows and could not count the rest: approvals beyond these may be missing.`
        : `Salesforce lists at most ${OAUTH_TOKEN_MAX_ROWS.toLocaleString('en-US')} OauthToken rows; ${total.toLocaleString('en-US')} exist and ${listed.toLocaleString('en-US')} were listed. The users of your connections were re-read one by one and are complete; others may be missing approvals.`,
  };
}

// ---------------------------------------------------------------- parsing (tolerant: shapes partly UNCONFIRMED)

type Json = Record<string, unknown>;

function pick(obj: Json, keys: readonly string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

function pickString(obj: Json, keys: readonly string[]): string | null {
  const v = pick(obj, keys);
  return typeof v === 'string' && v !== '' ? v : null;
}

function pickNumber(obj: Json, keys: readonly string[]): number | null {
  const v = pick(obj, keys);
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
}

/** Salesforce writes `2026-11-29T12:00:00.000+0000`, which Date.parse does not always accept. */
export function parseSalesforceDate(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isFinite(ms) ? ms : null;
}

function pickArray(obj: unknown, keys: readonly string[]): Json[] {
  if (Array.isArray(obj)) return obj.filter((x): x is Json => !!x && typeof x === 'object');
  if (!obj || typeof obj !== 'object') return [];
  const v = pick(obj as Json, keys);
  return Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : [];
}

interface UsageApp {
  readonly appId: string;
  readonly name: string;
  readonly installed: boolean | null;
}

interface OauthTokenRow {
  readonly Id: string;
  readonly AppName: string | null;
  readonly UserId: string;
  readonly CreatedDate: string;
  readonly LastUsedDate: string | null;
  readonly UseCount: number | null;
}

function rowToRaw(row: OauthTokenRow, usernames: ReadonlyMap<string, string>): RawApproval | null {
  const createdAt = parseSalesforceDate(row.CreatedDate);
  if (createdAt === null || !row.AppName) return null;
  return {
    id: row.Id,
    source: 'oauth-token-soql',
    appName: row.AppName,
    userId: row.UserId,
    username: usernames.get(row.UserId.slice(0, 15)) ?? null,
    createdAt,
    lastUsedAt: parseSalesforceDate(row.LastUsedDate),
    useCount: typeof row.UseCount === 'number' ? row.UseCount : null,
  };
}

// ---------------------------------------------------------------- the service

export interface CensusRequest extends CapSettings {
  /** App names to count, ForceSites' own first (e.g. `['ForceSites', 'WP Fusion (OAuth)']`). */
  readonly watchedApps: readonly string[];
  readonly candidates?: readonly AttributionCandidate[];
  readonly toleranceMs?: number;
  readonly orgId?: string | null;
  /** Already known (saves a call); otherwise read from UserPermissionAccess. */
  readonly permissions?: UserPermissions;
}

/** A census plus what main keeps to itself (which source each approval came from). */
export interface CensusResult {
  readonly dto: ApprovalCensusDto;
  readonly approvals: readonly RawApproval[];
  /** App ids and install flags the usage API told us, reused by the install check. */
  readonly usageApps: ReadonlyMap<string, { readonly appId: string; readonly installed: boolean | null }>;
}

export interface ApprovalCensusOptions {
  readonly now?: () => number;
  /** Upper bound on usage-API pages, so a misbehaving server cannot loop us forever. */
  readonly maxPages?: number;
  readonly pageSize?: number;
}

export class ApprovalCensusService {
  private readonly now: () => number;
  private readonly maxPages: number;
  private readonly pageSize: number;

  constructor(options: ApprovalCensusOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxPages = options.maxPages ?? 50;
    this.pageSize = options.pageSize ?? 100;
  }

  async take(api: SalesforceApi, request: CensusRequest): Promise<CensusResult> {
    const watched = dedupe(request.watchedApps);
    const notes: string[] = [];
    const gaps: PermissionGap[] = [];
    const permissions = request.permissions ?? (await readUserPermissions(api));

    const approvals: RawApproval[] = [];
    const appReports = new Map<string, WatchedAppCensus>();
    const usageApps = new Map<string, { appId: string; installed: boolean | null }>();

    // 1. The usage API, when the version allows it.
    let fallbackReason: string | null = null;
    let usageList: UsageApp[] | null = null;
    let usageRefused = false;
    if (apiVersionNumber(api) < USAGE_API_MIN_VERSION) {
      fallbackReason = `the connection uses API ${api.version}; the OAuth Usage API needs ${USAGE_API_MIN_VERSION}.0 or later`;
    } else {
      try {
        usageList = await this.listUsageApps(api);
      } catch (error) {
        fallbackReason = `the OAuth Usage API is not available to this user (${errorCodeOf(error)})`;
        if (isPermissionError403(error)) {
          usageRefused = true;
          gaps.push(GAPS.customizeApplicationCensus);
        }
      }
    }
    const remaining: string[] = [];
    for (const name of watched) {
      const app = usageList?.find((a) => sameAppName(a.name, name));
      if (!app) {
        remaining.push(name);
        continue;
      }
      usageApps.set(name, { appId: app.appId, installed: app.installed });
      try {
        const found = await this.readUsageTokens(api, app);
        approvals.push(...found);
        appReports.set(name, { appName: name, source: 'usage-api', fallbackReason: null, approvals: found.length });
      } catch (error) {
        remaining.push(name);
        usageApps.delete(name);
        notes.push(`The OAuth Usage API listed ${name} but its tokens could not be read (${errorCodeOf(error)}); used OauthToken instead.`);
      }
    }
    const reasonFor = (name: string): string => fallbackReason ?? `the OAuth Usage API does not list ${name} (classic connected apps may not appear there)`;

    // 2. OauthToken SOQL for everything the usage API did not cover.
    let truncated: CensusTruncation | null = null;
    let scope: ApprovalCensusDto['scope'] = usageList ? 'all-users' : 'unknown';
    if (remaining.length > 0) {
      try {
        const soql = await this.readOauthTokens(api, remaining, request.candidates ?? []);
        approvals.push(...soql.approvals);
        truncated = soql.truncated;
        for (const name of remaining) {
          appReports.set(name, { appName: name, source: 'oauth-token-soql', fallbackReason: reasonFor(name), approvals: soql.approvals.filter((a) => sameAppName(a.appName, name)).length });
        }
      } catch (error) {
        for (const name of remaining) appReports.set(name, { appName: name, source: null, fallbackReason: reasonFor(name), approvals: 0 });
        notes.push(`OauthToken could not be read: ${errorMessageOf(error)}`);
        if (isNotAvailable(error)) gaps.push({ permission: 'API Enabled', wouldShow: 'OAuth approvals through the OauthToken object' });
      }
      if (permissions.customizeApplication === false) {
        scope = 'own-only';
        if (!gaps.includes(GAPS.customizeApplicationCensus)) gaps.push(GAPS.customizeApplicationCensus);
      } else if (permissions.customizeApplication === true) {
        scope = 'all-users';
      } else if (usageRefused) {
        // The usage API answers 403 to users without Customize Application: OauthToken then
        // shows them their own approvals only.
        scope = 'own-only';
      } else if (!usageList) {
        notes.push('ForceSites could not tell whether this user holds Customize Application; without it only their own approvals are listed.');
      }
    }

    const attribution = attributeApprovals(approvals, request.candidates ?? [], request.toleranceMs);
    const groups = groupApprovals(approvals, request, attribution);
    return {
      dto: {
        orgId: request.orgId ?? null,
        takenAt: new Date(this.now()).toISOString(),
        scope,
        apps: watched.map((name) => appReports.get(name) ?? { appName: name, source: null, fallbackReason: reasonFor(name), approvals: 0 }),
        groups,
        truncated,
        permissionGaps: gaps,
        notes,
      },
      approvals,
      usageApps,
    };
  }

  /**
   * Revokes one approval. The usage API's DELETE when the census came from it; otherwise the
   * OauthToken's DeleteToken, read again now (never cached, never sent to the renderer) and
   * POSTed to /services/oauth2/revoke — on the connection's login host when given, because
   * that endpoint is always served there (My Domain instances serve it too; the emulator, on
   * purpose, only on the login host).
   */
  async revoke(api: SalesforceApi, approvalId: string, source: CensusSource, options: { loginUrl?: string } = {}): Promise<RevokeApprovalResult> {
    if (!/^[A-Za-z0-9]{15,18}$/.test(approvalId)) return { revoked: false, via: null, message: 'That is not a Salesforce approval id.' };
    if (source === 'usage-api' && apiVersionNumber(api) >= USAGE_API_MIN_VERSION) {
      try {
        await api.request({ method: 'DELETE', url: `/apps/oauth/usage/tokens/${approvalId}` });
        return { revoked: true, via: 'usage-api', message: 'The approval was revoked; the site that used it must be authorized again.' };
      } catch (error) {
        // Fall through to the DeleteToken: the usage API may not know classic apps' tokens.
        if (!isNotAvailable(error)) return { revoked: false, via: null, message: `Salesforce refused to revoke it: ${errorMessageOf(error)}` };
      }
    }
    let rows: { Id: string; DeleteToken: string | null }[];
    try {
      rows = (await queryAll<{ Id: string; DeleteToken: string | null }>(api, `SELECT Id, DeleteToken FROM OauthToken WHERE Id = ${soqlQuote(approvalId)}`, 1)).records;
    } catch (error) {
      return { revoked: false, via: null, message: `ForceSites could not look the approval up: ${errorMessageOf(error)}` };
    }
    const deleteToken = rows[0]?.DeleteToken;
    if (!rows[0]) return { revoked: false, via: null, message: 'The approval is already gone (revoked or evicted).' };
    if (!deleteToken) return { revoked: false, via: null, message: 'Salesforce did not give this user the approval’s delete token (Customize Application is needed for other users’ approvals).' };
    try {
      await api.request({
        method: 'POST',
        url: options.loginUrl ? `${options.loginUrl.replace(/\/+$/, '')}/services/oauth2/revoke` : '/services/oauth2/revoke',
        body: new URLSearchParams({ token: deleteToken }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      return { revoked: true, via: 'delete-token', message: 'The approval was revoked; the site that used it must be authorized again.' };
    } catch (error) {
      return { revoked: false, via: null, message: `Salesforce refused to revoke it: ${errorMessageOf(error)}` };
    }
  }

  // ---------------------------------------------------------------- usage API

  private async listUsageApps(api: SalesforceApi): Promise<UsageApp[]> {
    const out: UsageApp[] = [];
    for await (const entry of this.pages(api, '/apps/oauth/usage', ['apps', 'items', 'oauthUsage'])) {
      const appId = pickString(entry, ['appId', 'id', 'appIdentifier']);
      const name = pickString(entry, ['name', 'appName', 'label', 'developerName']);
      if (!appId || !name) continue;
      const installed = pick(entry, ['isInstalled', 'installed']);
      out.push({ appId, name, installed: typeof installed === 'boolean' ? installed : null });
    }
    return out;
  }

  private async readUsageTokens(api: SalesforceApi, app: UsageApp): Promise<RawApproval[]> {
    const out: RawApproval[] = [];
    const appPath = encodeURIComponent(app.appId);
    for await (const user of this.pages(api, `/apps/oauth/usage/${appPath}/users`, ['users', 'items'])) {
      const userId = pickString(user, ['userId', 'id']);
      if (!userId) continue;
      const username = pickString(user, ['username', 'userName']);
      const body = await api.request<unknown>(`/apps/oauth/usage/${appPath}/${encodeURIComponent(userId)}/tokens`);
      for (const token of pickArray(body, ['tokens', 'items'])) {
        const id = pickString(token, ['tokenId', 'id']);
        const createdAt = parseSalesforceDate(pick(token, ['createdDate', 'createdAt']));
        if (!id || createdAt === null) continue;
        out.push({
          id,
          source: 'usage-api',
          appName: app.name,
          userId,
          username,
          createdAt,
          lastUsedAt: parseSalesforceDate(pick(token, ['lastUsedDate', 'lastUsedAt'])),
          useCount: pickNumber(token, ['useCount']),
        });
      }
    }
    return out;
  }

  /** Connect REST paging: follow `nextPageUrl`, else ask page+1 while pages come back full. */
  private async *pages(api: SalesforceApi, path: string, keys: readonly string[]): AsyncGenerator<Json> {
    let url: string | null = `${path}?page=0&pageSize=${this.pageSize}`;
    for (let n = 0; url && n < this.maxPages; n++) {
      const body: unknown = await api.request<unknown>(url);
      const items = pickArray(body, keys);
      yield* items;
      const next = body && typeof body === 'object' ? (body as Json).nextPageUrl : undefined;
      if (typeof next === 'string' && next !== '') url = next;
      else if (next === undefined && items.length === this.pageSize) url = `${path}?page=${n + 1}&pageSize=${this.pageSize}`;
      else url = null;
    }
  }

  // ---------------------------------------------------------------- OauthToken

  private async readOauthTokens(api: SalesforceApi, appNames: readonly string[], candidates: readonly AttributionCandidate[]): Promise<{ approvals: RawApproval[]; truncated: CensusTruncation | null }> {
    const where = `AppName IN ${soqlInList(appNames)}`;
    const fields = 'Id, AppName, UserId, CreatedDate, LastUsedDate, UseCount';
    const listing = await queryAll<OauthTokenRow>(api, `SELECT ${fields} FROM OauthToken WHERE ${where} ORDER BY CreatedDate ASC`, OAUTH_TOKEN_MAX_ROWS);
    let rows = listing.records.slice(0, OAUTH_TOKEN_MAX_ROWS);

    // A listing that filled a batch may have been cut: only COUNT() tells.
    let truncated: CensusTruncation | null = null;
    if (rows.length >= OAUTH_TOKEN_BATCH || !listing.done) {
      let total: number | null = null;
      try {
        total = await queryCount(api, `SELECT COUNT() FROM OauthToken WHERE ${where}`);
      } catch {
        total = null;
      }
      truncated = truncationOf(rows.length, total, rows.length >= OAUTH_TOKEN_MAX_ROWS || !listing.done);
      if (truncated) {
        // The users behind our own connections matter most: re-read each on its own, which
        // stays far below the limit (a handful of approvals per app per user).
        const knownUsers = [...new Set(candidates.map((c) => c.userId))];
        for (const userId of knownUsers) {
          const perUser = await queryAll<OauthTokenRow>(api, `SELECT ${fields} FROM OauthToken WHERE ${where} AND UserId = ${soqlQuote(userId)} ORDER BY CreatedDate ASC`, OAUTH_TOKEN_BATCH);
          rows = rows.filter((r) => !sameUserId(r.UserId, userId)).concat(perUser.records);
        }
      }
    }
    const usernames = await this.usernames(api, [...new Set(rows.map((r) => r.UserId))]);
    const approvals = rows.map((r) => rowToRaw(r, usernames)).filter((a): a is RawApproval => a !== null);
    return { approvals, truncated };
  }

  /** Usernames make the gauge readable; failing to read them is not worth failing the census. */
  private async usernames(api: SalesforceApi, userIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < userIds.length; i += 200) {
      const chunk = userIds.slice(i, i + 200);
      try {
        const { records } = await queryAll<{ Id: string; Username: string }>(api, `SELECT Id, Username FROM User WHERE Id IN ${soqlInList(chunk)}`);
        for (const r of records) out.set(r.Id.slice(0, 15), r.Username);
      } catch {
        return out;
      }
    }
    return out;
  }
}

function isPermissionError403(error: unknown): boolean {
  return ['INSUFFICIENT_ACCESS', 'FORBIDDEN', 'ERROR_HTTP_403'].includes(errorCodeOf(error));
}

function dedupe(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = v.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(v.trim());
  }
  return out;
}
