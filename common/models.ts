/**
 * Data that crosses the process boundary. Everything here is readonly and holds no secret:
 * refresh tokens, access tokens and WordPress application passwords never appear in a DTO.
 */
import type { ErrorDto } from './errors';

export type Edition = 'electron' | 'browser';

export interface AppInfo {
  readonly name: 'ForceSites';
  readonly version: string;
  readonly edition: Edition;
  /** True when the browser edition runs against the built-in demo org. */
  readonly demo: boolean;
  /** URLs of the built-in demo services, shown on the Connections page in demo mode. */
  readonly demoOrg?: DemoOrgInfo;
}

export interface DemoOrgInfo {
  readonly loginUrl: string;
  readonly clientId: string;
  readonly usernames: readonly string[];
  /** The demo password is public and only valid for the local emulator. */
  readonly password: string;
  readonly wordpressUrl: string;
  /**
   * The demo WordPress admin and its application password, to prefill the new-site form.
   * Public demo values that only exist in demo mode and only open the local demo WordPress;
   * a real site's application password never crosses to the renderer.
   */
  readonly wordpressUsername?: string;
  readonly wordpressApplicationPassword?: string;
}

export type LoginHostKind = 'production' | 'sandbox' | 'mydomain' | 'custom';

/** One Salesforce approval: login host + connected app + the user who approved it. */
export interface ConnectionDto {
  readonly id: string;
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clientId: string;
  readonly orgId: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly apiVersion: string;
  readonly authorizedAt: string;
  readonly state: ConnectionState;
  /** Site profiles that use this connection. */
  readonly siteIds: readonly string[];
}

export type ConnectionState =
  | { readonly kind: 'connected' }
  | { readonly kind: 'needs-reauthorization'; readonly cause: ReauthorizationCause; readonly detail: string }
  | { readonly kind: 'keychain-error'; readonly detail: string };

export type ReauthorizationCause = 'evicted-by-approval-cap' | 'policy-expiry' | 'revoked' | 'org-refreshed' | 'unknown';

export type SalesforceObjectType = string; // 'Contact' | 'Lead' | custom 'X__c'
/** Where tags live: Topics (TopicAssignment), a picklist field's values, or nowhere. */
export type TagMode = 'topics' | 'picklist' | 'none';

export interface FieldMappingEntry {
  readonly wordpressField: string;
  readonly salesforceField: string;
  readonly direction: 'push' | 'pull' | 'both';
}

/** How WordPress users are matched to Salesforce records (issue 12). */
export type MatchKey =
  | { readonly kind: 'email'; readonly field: string }
  | {
      readonly kind: 'external-id';
      readonly field: string;
      /** Put before the WordPress user id when several sites share the field: `members-42`. */
      readonly prefix: string | null;
    };

/** A value written when no mapped WordPress field gives one (required fields such as Lead Company). */
export interface FieldDefault {
  readonly salesforceField: string;
  readonly value: string;
}

export interface SiteProfileDto {
  readonly id: string;
  readonly name: string;
  readonly wordpressUrl: string;
  readonly wordpressUsername: string;
  /** Whether an application password is stored in the keychain (never the password itself). */
  readonly hasWordpressPassword: boolean;
  readonly connectionId: string | null;
  readonly objectType: SalesforceObjectType;
  readonly tagMode: TagMode;
  readonly tagField: string | null;
  readonly fieldMapping: readonly FieldMappingEntry[];
  /** How users are matched to records; main always sets it (email on Email by default). */
  readonly matchKey?: MatchKey;
  /** The record type new records get; null = the user's default. */
  readonly recordTypeId?: string | null;
  /** Send empty WordPress values, clearing the Salesforce field (default false). */
  readonly sendEmptyValues?: boolean;
  /** Values for Salesforce fields no mapped WordPress field fills (Lead Company). */
  readonly fieldDefaults?: readonly FieldDefault[];
  /** What the orders read WooCommerce with (default the application password). */
  readonly woocommerceAuth?: 'application-password' | 'consumer-key';
  /** Whether a WooCommerce REST API key is in the keychain (never the key or its secret). */
  readonly hasWoocommerceKey?: boolean;
  /** The key's last 7 characters, as WooCommerce lists keys ("…1a2b3c4"), so the admin can tell which one. */
  readonly woocommerceKeyEnding?: string;
  readonly authorizedAt: string | null;
  readonly lastCheckedAt: string | null;
  readonly lastSyncedAt: string | null;
  readonly createdAt: string;
  /**
   * The username of the connection this site used until that connection was disconnected
   * (its `connectionId` is null since). Main sets it when a disconnect detaches the site and
   * drops it once the site is saved with a connection again; the renderer then says
   * "Disconnected — choose or add a connection" instead of "None chosen".
   */
  readonly detachedFromConnection?: string;
}

/** The sign-in waiting for Salesforce in the browser (`auth:pending`). */
export interface PendingSignInDto {
  readonly flowId: string;
  readonly authorizeUrl: string;
  readonly redirectUri: string;
  readonly startedAt: string;
  readonly reauthorizeConnectionId?: string;
}

export interface SignInStarted {
  readonly flowId: string;
  readonly authorizeUrl: string;
  readonly redirectUri: string;
}

export interface SignInFinished {
  readonly flowId: string;
  readonly ok: boolean;
  readonly connection?: ConnectionDto;
  readonly error?: ErrorDto;
  /**
   * Approvals Salesforce revoked because of this sign-in (the user was at the approval cap),
   * found by comparing the census before and after. Empty or absent when none was lost or
   * the census could not tell.
   */
  readonly revokedBySignIn?: readonly RevokedBySignIn[];
}

/** One approval a sign-in made Salesforce revoke, named as the admin knows it. */
export interface RevokedBySignIn {
  readonly appName: string;
  readonly username: string;
  /** When the revoked approval had been made (ISO). */
  readonly authorizedAt: string;
  /** What it belonged to, as a phrase: `site “Shop” (ForceSites connection)`, `another app or device`. */
  readonly belongedTo: string;
  /** The ForceSites site profiles that lost their connection with it. */
  readonly siteIds: readonly string[];
}

export interface Settings {
  /** Approvals Salesforce keeps per user per connected app. Its help says 5; the connector guide 4. */
  readonly approvalCap: number;
  readonly approvalWarnAt: number;
  readonly healthIntervalHours: number;
  /** Connected app names watched by the approval census besides ForceSites' own. */
  readonly watchedApps: readonly string[];
  readonly callbackPorts: readonly number[];
  /** Deadline for one Salesforce or WordPress request, in seconds. */
  readonly requestTimeoutSeconds: number;
  // The sync's settings. Optional because they came after the others: main always answers
  // them (SYNC_SETTING_DEFAULTS merged in), a profile file from before has none.
  /** Salesforce write requests a sync keeps in flight (1–16). */
  readonly syncConcurrency?: number;
  /** Writes above this number go through Bulk API 2.0 instead of sObject Collections. */
  readonly syncBulkThreshold?: number;
  /** Ask before a sync that needs more than this percentage of the org's remaining daily requests. */
  readonly syncApiSharePercent?: number;
  /** Tag mode Topics: remove a Topic from the record when the WordPress tag is removed. */
  readonly syncRemoveTopics?: boolean;
  /** Cut a text value to the Salesforce field's length instead of failing the record (STRING_TOO_LONG). */
  readonly syncTruncateLongValues?: boolean;
  /** Live changes for an object without Change Data Capture: seconds between two polls (default 60). */
  readonly changesPollSeconds?: number;
}

/** The sync settings' defaults (shared by main's defaults and the Settings page). */
export const SYNC_SETTING_DEFAULTS = Object.freeze({
  syncConcurrency: 4,
  syncBulkThreshold: 2_000,
  syncApiSharePercent: 50,
  syncRemoveTopics: false,
  syncTruncateLongValues: false,
} satisfies Required<Pick<Settings, 'syncConcurrency' | 'syncBulkThreshold' | 'syncApiSharePercent' | 'syncRemoveTopics' | 'syncTruncateLongValues'>>);

/** The limits the contract, the profile file and the Settings page share. */
export const SYNC_SETTING_LIMITS = Object.freeze({
  concurrency: { min: 1, max: 16 },
  bulkThreshold: { min: 200, max: 1_000_000 },
  apiSharePercent: { min: 1, max: 100 },
});

export interface ActivityEntry {
  /** Unique within a run; lets the renderer merge the list with live events. */
  readonly id: string;
  readonly at: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly area: 'auth' | 'sites' | 'health' | 'sync' | 'app';
  readonly message: string;
}

export interface Banner {
  readonly id: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}
