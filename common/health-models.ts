/**
 * Health DTOs: what the approval census, the policy/install checks, the API-usage tracker and
 * the health monitor send to the renderer. Pure readonly types, no secrets: OauthToken
 * DeleteTokens, refresh tokens and access tokens stay in main (a revoke request names the
 * approval by id and main looks its DeleteToken up again).
 */
import type { ConnectionState, ReauthorizationCause } from './models';

/** Where a piece of the census came from. */
export type CensusSource = 'usage-api' | 'oauth-token-soql';

export type GaugeLevel = 'ok' | 'warning' | 'at-cap';

/** An approval belongs to a known site (through its connection) or to nobody we know. */
export type ApprovalAttribution =
  | {
      readonly kind: 'site';
      readonly connectionId: string;
      readonly siteIds: readonly string[];
      readonly siteNames: readonly string[];
    }
  | { readonly kind: 'unknown-site' };

/** One OAuth approval (one OauthToken row / one usage-API token). */
export interface ApprovalDto {
  /** OauthToken Id or the usage API's token id. */
  readonly id: string;
  readonly source: CensusSource;
  readonly appName: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly useCount: number | null;
  /** The oldest approval of its user+app: Salesforce revokes it first. */
  readonly evictedNext: boolean;
  readonly attribution: ApprovalAttribution;
}

/** Approvals of one Salesforce user for one connected app, oldest first. */
export interface UserAppApprovals {
  readonly appName: string;
  readonly userId: string;
  readonly username: string | null;
  readonly used: number;
  readonly cap: number;
  readonly warnAt: number;
  readonly level: GaugeLevel;
  /** True when one more authorization by this user for this app revokes `evictedNextId`. */
  readonly nextAuthorizationEvicts: boolean;
  readonly evictedNextId: string | null;
  readonly approvals: readonly ApprovalDto[];
  /**
   * The connection whose session counted this group, so it can also revoke from it. Set by
   * the health monitor and `health:census`; absent on a census built elsewhere.
   */
  readonly viaConnectionId?: string;
}

/** A Salesforce permission the signed-in user lacks, and what the admin misses because of it. */
export interface PermissionGap {
  readonly permission: 'Customize Application' | 'View Setup' | 'Modify Metadata' | 'API Enabled';
  /** What ForceSites would show with it, e.g. "every user's approvals, not only yours". */
  readonly wouldShow: string;
}

export interface WatchedAppCensus {
  readonly appName: string;
  readonly source: CensusSource | null;
  /** Why the usage API was not used for this app (unavailable, not listed, old API version). */
  readonly fallbackReason: string | null;
  readonly approvals: number;
}

export interface CensusTruncation {
  readonly listed: number;
  /** From `SELECT COUNT() …`; null when the count itself failed. */
  readonly total: number | null;
  readonly message: string;
}

export interface ApprovalCensusDto {
  readonly orgId: string | null;
  readonly takenAt: string;
  /** Whose approvals could be seen: Customize Application sees everybody's. */
  readonly scope: 'all-users' | 'own-only' | 'unknown';
  readonly apps: readonly WatchedAppCensus[];
  readonly groups: readonly UserAppApprovals[];
  readonly truncated: CensusTruncation | null;
  readonly permissionGaps: readonly PermissionGap[];
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------- refresh token policy

export type TimeUnitName = 'minutes' | 'hours' | 'days' | 'months';

export type RefreshPolicyVerdict =
  | { readonly kind: 'valid-until-revoked' }
  | { readonly kind: 'expires-after'; readonly amount: number; readonly unit: TimeUnitName; readonly periodMs: number }
  | { readonly kind: 'expires-if-unused'; readonly amount: number; readonly unit: TimeUnitName; readonly periodMs: number }
  | { readonly kind: 'expires-immediately' }
  | { readonly kind: 'unknown' };

export interface PolicyEvidence {
  readonly source: 'ConnectedApplication' | 'Metadata API' | 'setting';
  readonly field: string;
  readonly value: string | number | boolean | null;
  /** What ForceSites reads this value as. */
  readonly reading: string;
  /** False for inferences Salesforce does not document (a null period meaning "until revoked"). */
  readonly confirmed: boolean;
}

export type HealthSeverity = 'ok' | 'warning' | 'error' | 'unknown';

export interface KeepAlivePlanDto {
  /** The window a refresh must land inside (the inactivity policy or the 30-day idle limit). */
  readonly windowMs: number;
  readonly intervalMs: number;
  readonly nextRunAt: string | null;
  readonly reason: string;
}

export interface PolicyReportDto {
  readonly appName: string;
  readonly verdict: RefreshPolicyVerdict;
  readonly severity: HealthSeverity;
  readonly summary: string;
  readonly evidence: readonly PolicyEvidence[];
  readonly adminApprovedOnly: boolean | null;
  /** Setup path to the policy sites need; null when it is already right. */
  readonly fix: string | null;
  readonly permissionGaps: readonly PermissionGap[];
}

export interface InstallReportDto {
  readonly appName: string;
  readonly verdict: 'installed' | 'uninstalled' | 'unknown';
  readonly severity: HealthSeverity;
  readonly explanation: string;
  readonly fix: string | null;
  readonly permissionGaps: readonly PermissionGap[];
}

// ---------------------------------------------------------------- API usage

export type ApiUsageLevel = 'ok' | 'warning' | 'critical' | 'unknown';

export interface ApiUsageDto {
  readonly orgId: string | null;
  readonly used: number | null;
  readonly max: number | null;
  /** 0..1 (may exceed 1 when Salesforce lets a burst through). */
  readonly fraction: number | null;
  readonly level: ApiUsageLevel;
  readonly source: 'limits' | 'header' | 'none';
  readonly observedAt: string | null;
  readonly message: string;
}

export interface SiteApiCallsDto {
  readonly siteId: string;
  /** Calls ForceSites made for this site in the last 24 hours. */
  readonly last24h: number;
}

// ---------------------------------------------------------------- the report

export type CardConnectionState =
  | ConnectionState
  | { readonly kind: 'no-connection' }
  /** The last check could not reach Salesforce through this connection (network, deadline, 5xx). */
  | { readonly kind: 'unreachable'; readonly detail: string };

export interface SiteHealthCard {
  readonly siteId: string;
  readonly siteName: string;
  readonly connectionId: string | null;
  readonly connectionState: CardConnectionState;
  readonly username: string | null;
  readonly severity: HealthSeverity;
  /** One-line summary for the card header, e.g. "4 of 5 approvals used". */
  readonly headline: string;
  readonly approvals: UserAppApprovals | null;
  readonly policy: PolicyReportDto | null;
  readonly install: InstallReportDto | null;
  readonly apiUsage: ApiUsageDto | null;
  readonly siteApiCalls: SiteApiCallsDto;
  /** Every call made through the site's connection in the last 24 hours (health checks included). */
  readonly connectionApiCalls?: SiteApiCallsDto;
  readonly keepAlive: KeepAlivePlanDto | null;
  readonly permissionGaps: readonly PermissionGap[];
  readonly lastSyncedAt: string | null;
  readonly lastCheckedAt: string | null;
  readonly problems: readonly string[];
  /**
   * With `connectionState` `no-connection`: the username of the connection the site used
   * until it was disconnected (the site profile's `detachedFromConnection`). The card then
   * says the site was disconnected rather than "no connection yet".
   */
  readonly detachedFromConnection?: string;
}

export interface HealthReport {
  readonly generatedAt: string;
  readonly status: 'never-checked' | 'ok' | 'offline' | 'error';
  readonly cards: readonly SiteHealthCard[];
  /** One census per org that had a usable connection. */
  readonly censuses: readonly ApprovalCensusDto[];
  readonly nextCheckAt: string | null;
  readonly lastError: string | null;
  /**
   * True when sites or connections changed after this report was made: it may describe a
   * set of sites that no longer exists. A check is already scheduled; the page offers Check now.
   */
  readonly outdated?: boolean;
}

// ---------------------------------------------------------------- preflight

export interface PreflightRequest {
  /** Reauthorizing this connection, or adding a site for the same user as this connection. */
  readonly connectionId?: string;
  /** When the user is known by id (e.g. chosen on a previous sign-in). */
  readonly userId?: string;
  /** The connected app the admin is about to authorize; defaults to ForceSites' own. */
  readonly appName?: string;
  /** A new sign-in as this Salesforce username (typed by the admin before the login page). */
  readonly username?: string;
}

export interface PreflightEviction {
  readonly approvalId: string;
  readonly authorizedAt: string;
  readonly attribution: ApprovalAttribution;
}

export interface PreflightResult {
  /**
   * - `safe`: below the warning threshold;
   * - `warning`: one approval left, or at the warning threshold;
   * - `will-disconnect`: authorizing now revokes `evicts`;
   * - `unknown-user`: nobody can tell who will sign in (a new login);
   * - `unknown`: the census could not be taken.
   */
  readonly verdict: 'safe' | 'warning' | 'will-disconnect' | 'unknown-user' | 'unknown';
  readonly appName: string;
  readonly userLabel: string | null;
  readonly used: number | null;
  readonly cap: number;
  readonly evicts: PreflightEviction | null;
  /** The sentence to show, e.g. "Authorizing now as ada@x will disconnect Shop (authorized …)". */
  readonly message: string;
  readonly suggestion: string | null;
}

export interface RevokeApprovalRequest {
  /** A connection that can see and revoke the approval (the admin's). */
  readonly connectionId: string;
  readonly approvalId: string;
  readonly source: CensusSource;
}

export interface RevokeApprovalResult {
  readonly revoked: boolean;
  readonly via: 'usage-api' | 'delete-token' | null;
  readonly message: string;
}

export interface InvalidGrantExplanation {
  readonly cause: ReauthorizationCause;
  readonly detail: string;
}

/** What changed since the previous report: main/app turns these into banners and desktop notifications. */
export interface HealthChange {
  readonly siteId: string;
  readonly siteName: string;
  readonly from: HealthSeverity | null;
  readonly to: HealthSeverity;
  readonly message: string;
}

export interface HealthChangedEvent {
  readonly report: HealthReport;
  readonly changes: readonly HealthChange[];
}
