/**
 * What an emulated org is made of: users, connected apps and their policies, org settings.
 * Plain data; the behaviour lives in org.ts.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, MONTH_MS } from './clock';

export type TimeUnit = 'minutes' | 'hours' | 'days' | 'months';

/** The four UI choices of "Refresh Token Policy" (Metadata API `oauthPolicy.refreshTokenPolicy`). */
export type RefreshTokenPolicy =
  | { readonly kind: 'infinite' }
  | { readonly kind: 'zero' }
  | { readonly kind: 'lifetime'; readonly amount: number; readonly unit: TimeUnit }
  | { readonly kind: 'inactivity'; readonly amount: number; readonly unit: TimeUnit };

export const UNIT_MS: Record<TimeUnit, number> = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS, months: MONTH_MS };

export function policyPeriodMs(policy: RefreshTokenPolicy): number | undefined {
  return policy.kind === 'lifetime' || policy.kind === 'inactivity' ? policy.amount * UNIT_MS[policy.unit] : undefined;
}

const METADATA_UNIT: Record<TimeUnit, string> = { minutes: 'MINUTES', hours: 'HOURS', days: 'DAYS', months: 'MONTHS' };

/** Metadata API spelling: `infinite`, `zero`, `specific_lifetime:3:HOURS`, `specific_inactivity:30:DAYS`. */
export function policyToMetadata(policy: RefreshTokenPolicy): string {
  switch (policy.kind) {
    case 'infinite':
    case 'zero':
      return policy.kind;
    case 'lifetime':
      return `specific_lifetime:${policy.amount}:${METADATA_UNIT[policy.unit]}`;
    case 'inactivity':
      return `specific_inactivity:${policy.amount}:${METADATA_UNIT[policy.unit]}`;
  }
}

/**
 * Accepts the Metadata API string, or an object `{kind, amount, unit}`; throws a RangeError
 * with a readable message otherwise (the control API turns it into a 400).
 */
export function parsePolicy(input: unknown): RefreshTokenPolicy {
  if (typeof input === 'string') {
    if (input === 'infinite' || input === 'zero') return { kind: input };
    const m = /^specific_(lifetime|inactivity):(\d+):(MINUTES|HOURS|DAYS|MONTHS)$/i.exec(input);
    if (m) return { kind: m[1]!.toLowerCase() as 'lifetime' | 'inactivity', amount: Number(m[2]), unit: m[3]!.toLowerCase() as TimeUnit };
  } else if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    if (o.kind === 'infinite' || o.kind === 'zero') return { kind: o.kind };
    if ((o.kind === 'lifetime' || o.kind === 'inactivity') && typeof o.amount === 'number' && o.amount > 0 && typeof o.unit === 'string' && o.unit in UNIT_MS) {
      return { kind: o.kind, amount: o.amount, unit: o.unit as TimeUnit };
    }
  }
  throw new RangeError(`invalid refresh token policy ${JSON.stringify(input)}: use infinite | zero | specific_lifetime:N:UNIT | specific_inactivity:N:UNIT or {kind, amount, unit}`);
}

export interface UserSpec {
  readonly username: string;
  readonly password: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  /** e.g. CustomizeApplication, ViewSetup, ViewAllData, ModifyAllData, ApproveUninstalledConnectedApps, UseAnyApiClient. */
  readonly permissions?: readonly string[];
  readonly active?: boolean;
  readonly profileName?: string;
}

export interface EmulatedUser {
  readonly id: string;
  readonly username: string;
  password: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  permissions: Set<string>;
  active: boolean;
  readonly profileId: string;
  readonly profileName: string;
  readonly createdDate: number;
  lastModifiedDate: number;
}

export interface AppSpec {
  readonly name: string;
  /** Metadata API fullName; defaults to the name with non-word characters as `_`. */
  readonly developerName?: string;
  readonly clientId?: string;
  /** Confidential apps must send it on the token endpoint; public (desktop) apps have none. */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  /** Scopes the app may grant (`full` grants all). Default: api refresh_token offline_access id openid web. */
  readonly scopes?: readonly string[];
  readonly pkceRequired?: boolean;
  readonly installed?: boolean;
  readonly adminApprovedOnly?: boolean;
  /** Usernames pre-authorized (profile / permission set) when admin-approved-only. */
  readonly approvedUsers?: readonly string[];
  readonly refreshTokenPolicy?: RefreshTokenPolicy | string;
  readonly rotation?: boolean;
  /** Overrides the org's approval cap for this app. */
  readonly approvalCap?: number;
  readonly startUrl?: string | null;
}

export interface ConnectedApp {
  readonly id: string; // 0H4 (ConnectedApplication)
  readonly appMenuItemId: string; // 0DS
  readonly name: string;
  readonly developerName: string;
  readonly clientId: string;
  clientSecret: string | undefined;
  /** Used to sign token responses even for public clients. */
  readonly signingSecret: string;
  redirectUris: string[];
  scopes: string[];
  pkceRequired: boolean;
  installed: boolean;
  adminApprovedOnly: boolean;
  approvedUserIds: Set<string>;
  refreshTokenPolicy: RefreshTokenPolicy;
  rotation: boolean;
  approvalCap: number | undefined;
  startUrl: string | null;
  readonly createdDate: number;
  lastModifiedDate: number;
}

export interface OrgSettings {
  /** Approvals per user per app before the oldest is revoked (Salesforce: 5). */
  approvalCap: number;
  /** Daily (rolling 24 h) API request allowance. */
  dailyApiMax: number;
  /** Access tokens die after this much inactivity (Salesforce session timeout). */
  sessionTimeoutMinutes: number;
}

export const DEFAULT_SCOPES = ['api', 'refresh_token', 'offline_access', 'id', 'openid', 'web', 'profile', 'email', 'address', 'phone', 'full'];

/** The app's fixed registration: a small list of loopback ports, as real Salesforce needs. */
export const FORCESITES_REDIRECT_URIS = [
  'http://localhost:1717/OauthRedirect',
  'http://localhost:1718/OauthRedirect',
  'http://localhost:1719/OauthRedirect',
  'http://127.0.0.1:1717/OauthRedirect',
  'http://127.0.0.1:1718/OauthRedirect',
  'http://127.0.0.1:1719/OauthRedirect',
];

export const DEFAULT_USERS: readonly UserSpec[] = [
  {
    username: 'admin@forcesites.test',
    password: 'admin-password-1',
    firstName: 'Ada',
    lastName: 'Admin',
    permissions: ['CustomizeApplication', 'ViewSetup', 'ViewAllData', 'ModifyAllData', 'ApiEnabled'],
    profileName: 'System Administrator',
  },
  {
    username: 'integration@forcesites.test',
    password: 'integration-password-1',
    firstName: 'Ivan',
    lastName: 'Integration',
    permissions: ['ApiEnabled'],
    profileName: 'Minimum Access - API Only Integrations',
  },
];

export const FORCESITES_CLIENT_ID = '3MVG9forcesites.emulator.desktop.client';

export const DEFAULT_APPS: readonly AppSpec[] = [
  {
    name: 'ForceSites',
    developerName: 'ForceSites',
    clientId: FORCESITES_CLIENT_ID,
    redirectUris: FORCESITES_REDIRECT_URIS,
    pkceRequired: true,
    installed: true,
  },
  {
    name: 'WP Fusion (OAuth)',
    developerName: 'WP_Fusion_OAuth',
    clientId: '3MVG9wpfusion.emulator.client',
    clientSecret: 'wp-fusion-secret',
    redirectUris: ['https://wpfusion.com/oauth/salesforce', 'http://localhost:8080/wp-admin/admin.php?page=wpf-settings'],
    pkceRequired: false,
    installed: true,
  },
];
