/**
 * THE list of the contract's channels: each channel's name is written here once, with the
 * type of what it answers (invoke) or carries (event). Everything else is derived from this
 * table: the preload's and the browser bridge's allowlists, `InvokeMap`/`EventMap`, the
 * `window.forcesites` type, and — in contract.ts — the requirement that every invoke channel
 * has a request schema (a missing one is a compile error that names the channel).
 *
 * Kept free of the validator so the preload and the browser bridge can check channel names
 * without bundling it. The imports below are types only and vanish at build time.
 *
 * Adding a channel: one line here, its request schema in contract.ts, its handler in the
 * feature that owns it. See docs/architecture.md, "Adding a feature".
 */
import type {
  ApprovalCensusDto,
  HealthChangedEvent,
  HealthReport,
  PreflightResult,
  RevokeApprovalResult,
} from './health-models';
import type { SiteCheckResult } from './wordpress-models';
import type { ActivityEntry, AppInfo, Banner, ConnectionDto, PendingSignInDto, Settings, SignInFinished, SignInStarted, SiteProfileDto } from './models';
import type { SyncPlanDto, SyncProgressDto, SyncRunDto, SyncRunPageDto } from './sync-models';
import type { FieldsStateDto, MappingPreviewDto, ObjectListDto, SiteExportDto, WordpressFieldsDto } from './fields-models';
import type { OutboundRecordListDto, OutboundSettingsDto, OutboundTestResult } from './outbound-models';
import type { ChangeFeedStatusDto } from './change-feed-models';
import type { OrderSettings, OrdersPlanDto, OrdersProgressDto, OrdersReconcileDto, OrdersRunDto, OrdersRunPageDto } from './orders-models';

/** Carries a type through a runtime table; the value itself is an empty object. */
export interface Typed<T> {
  readonly __type?: T;
}
const answers = <T>(): Typed<T> => ({});
const carries = <T>(): Typed<T> => ({});

export const INVOKE = {
  'app:info': answers<AppInfo>(),
  'settings:get': answers<Settings>(),
  'settings:update': answers<Settings>(),
  'sites:list': answers<readonly SiteProfileDto[]>(),
  'sites:save': answers<SiteProfileDto>(),
  'sites:delete': answers<{ deleted: true }>(),
  /** Is this WordPress site ready for ForceSites? (reachable, credentials, capability, companion plugin …) */
  'sites:check': answers<SiteCheckResult>(),
  'connections:list': answers<readonly ConnectionDto[]>(),
  'connections:disconnect': answers<{
    revokedAtSalesforce: boolean;
    removedLocally: boolean;
    message: string;
    /** Site profiles that used the connection and now have none. */
    detachedSites?: readonly { id: string; name: string }[];
  }>(),
  'auth:start': answers<SignInStarted>(),
  'auth:cancel': answers<{ cancelled: boolean }>(),
  /** The sign-in still waiting for the browser, so a reloaded page can show it again. */
  'auth:pending': answers<PendingSignInDto | null>(),
  /** Before a sign-in: would authorizing now disconnect another site? */
  'auth:preflight': answers<PreflightResult>(),
  'shell:open-external': answers<{ opened: boolean }>(),
  'activity:list': answers<readonly ActivityEntry[]>(),
  /** The latest health report (no Salesforce calls). */
  'health:report': answers<HealthReport>(),
  /** Runs every health check now and answers the new report. */
  'health:check': answers<HealthReport>(),
  /** The approval census seen through one connection. */
  'health:census': answers<ApprovalCensusDto>(),
  'health:revoke-approval': answers<RevokeApprovalResult>(),
  /** Objects a connection's user can create, update and query (global describe), for the object dropdown. */
  'fields:objects': answers<ObjectListDto>(),
  /** A site's cached fields (no Salesforce call) and whether they still fit its profile. */
  'fields:cached': answers<FieldsStateDto>(),
  /** "Refresh Available Topics & Fields": loads, caches and compares with the previous refresh. */
  'fields:refresh': answers<FieldsStateDto>(),
  /** The WordPress side of a site's mapping: exposed meta keys and the tags in use. */
  'fields:wordpress': answers<WordpressFieldsDto>(),
  /** Three real WordPress users mapped with the (unsaved) settings. */
  'fields:preview': answers<MappingPreviewDto>(),
  /** Saves mapping settings after checking them against the refreshed fields. */
  'fields:save-mapping': answers<SiteProfileDto>(),
  /** A profile's settings as a JSON file, without any secret. */
  'sites:export': answers<SiteExportDto>(),
  /** A settings file as a new profile, or into an existing one's settings. */
  'sites:import': answers<SiteProfileDto>(),
  /** Dry-run preview of a push: counts per class, the changes old → new, the API-call estimate. */
  'sync:plan': answers<SyncPlanDto>(),
  /** Starts a push; answers once the run is recorded (progress follows on sync:progress). */
  'sync:start': answers<{ runId: string }>(),
  /** Stops a site's run after the batches in flight. */
  'sync:cancel': answers<{ cancelled: boolean }>(),
  'sync:runs': answers<readonly SyncRunDto[]>(),
  /** A run and a page of its per-record outcomes, filtered by outcome or searched. */
  'sync:run': answers<SyncRunPageDto>(),
  /** A site's Outbound Message endpoint (key masked) and the Salesforce setup steps. */
  'outbound:settings': answers<OutboundSettingsDto>(),
  /** Saves the endpoint, action and fields; the access key goes to the keychain. */
  'outbound:save': answers<OutboundSettingsDto>(),
  /** Records of the site's object to send in a test message. */
  'outbound:records': answers<OutboundRecordListDto>(),
  /** "Send test message": delivers as Salesforce would and checks each step. */
  'outbound:test': answers<OutboundTestResult>(),
  /** A site's WooCommerce order settings, with their defaults. */
  'orders:settings': answers<OrderSettings>(),
  'orders:save-settings': answers<OrderSettings>(),
  /** Dry-run preview of sending a site's orders (or only `orderIds`): classes, records created first, calls. */
  'orders:plan': answers<OrdersPlanDto>(),
  /** Sends (or replays `orderIds`); answers once the run is recorded (progress on orders:progress). */
  'orders:send': answers<{ runId: string }>(),
  'orders:cancel': answers<{ cancelled: boolean }>(),
  'orders:runs': answers<readonly OrdersRunDto[]>(),
  /** A run and a page of its per-order outcomes. */
  'orders:run': answers<OrdersRunPageDto>(),
  /** WooCommerce against Salesforce: missing, failed (Salesforce's error), totals that differ. */
  'orders:reconcile': answers<OrdersReconcileDto>(),
  /** The live change feed's state per site (all sites that follow, or the one asked for). */
  'changes:status': answers<readonly ChangeFeedStatusDto[]>(),
  /** Follow the site's Salesforce changes (CDC, or polling when the object has none); remembered across restarts. */
  'changes:follow': answers<ChangeFeedStatusDto>(),
  /** Unsubscribe and keep the replay position. */
  'changes:pause': answers<ChangeFeedStatusDto>(),
  /** Follow again, replaying what changed while paused. */
  'changes:resume': answers<ChangeFeedStatusDto>(),
  /** Stop following (also after a restart). */
  'changes:stop': answers<ChangeFeedStatusDto>(),
} as const;

export const EVENTS = {
  'auth:finished': carries<SignInFinished>(),
  'connections:changed': carries<readonly ConnectionDto[]>(),
  'sites:changed': carries<readonly SiteProfileDto[]>(),
  'activity:added': carries<ActivityEntry>(),
  'app:banner': carries<Banner>(),
  /** Withdraws a banner whose problem is gone. */
  'app:banner-cleared': carries<{ id: string }>(),
  'health:changed': carries<HealthChangedEvent>(),
  /** A sync's phase, done/total, rate and ETA (throttled). */
  'sync:progress': carries<SyncProgressDto>(),
  /** An orders run's phase and done/total (throttled). */
  'orders:progress': carries<OrdersProgressDto>(),
  /** A site's live change feed: mode, counts, last change (a few a second at most). */
  'changes:updated': carries<ChangeFeedStatusDto>(),
} as const;

export type InvokeChannel = keyof typeof INVOKE;
export type EventChannel = keyof typeof EVENTS;
export type ResponseOf<C extends InvokeChannel> = (typeof INVOKE)[C] extends Typed<infer T> ? T : never;
export type EventMap = { [E in EventChannel]: (typeof EVENTS)[E] extends Typed<infer T> ? T : never };

export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.freeze(Object.keys(INVOKE) as InvokeChannel[]);
export const EVENT_CHANNELS: readonly EventChannel[] = Object.freeze(Object.keys(EVENTS) as EventChannel[]);

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(INVOKE, value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}
