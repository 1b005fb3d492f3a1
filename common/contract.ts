/**
 * THE contract between the renderer and the main process.
 *
 * Every renderer→main call is an `invoke` channel named `domain:verb` with one request object
 * and one response; every main→renderer message is an event channel. Main implements the
 * contract with a handler table typed from `InvokeMap` (a missing handler fails to compile),
 * validates each request against `requestSchemas` before any handler runs, and answers
 * `Result<response>`. The preload's allowlists are `INVOKE_CHANNELS` and `EVENT_CHANNELS`
 * (channels.ts, checked against these maps at compile time), and the renderer's
 * `window.forcesites` type is `ForceSitesApi`.
 */
import { z } from 'zod';
import { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel, type EventChannelName, type InvokeChannelName } from './channels';
import type { Result } from './errors';
import type {
  ApprovalCensusDto,
  HealthChangedEvent,
  HealthReport,
  PreflightRequest,
  PreflightResult,
  RevokeApprovalRequest,
  RevokeApprovalResult,
} from './health-models';
import type {
  ActivityEntry,
  AppInfo,
  Banner,
  ConnectionDto,
  Settings,
  SignInFinished,
  SignInStarted,
  SiteProfileDto,
} from './models';

type Empty = Record<string, never>;

export interface InvokeMap {
  'app:info': { request: Empty; response: AppInfo };
  'settings:get': { request: Empty; response: Settings };
  'settings:update': { request: Partial<Settings>; response: Settings };
  'sites:list': { request: Empty; response: readonly SiteProfileDto[] };
  'sites:save': { request: z.infer<typeof siteSaveSchema>; response: SiteProfileDto };
  'sites:delete': { request: { siteId: string }; response: { deleted: true } };
  'connections:list': { request: Empty; response: readonly ConnectionDto[] };
  'connections:disconnect': {
    request: { connectionId: string; removeLocallyIfRevokeFails: boolean };
    response: { revokedAtSalesforce: boolean; removedLocally: boolean; message: string; detachedSites?: readonly { id: string; name: string }[] };
  };
  'auth:start': { request: z.infer<typeof signInSchema>; response: SignInStarted };
  'auth:cancel': { request: { flowId: string }; response: { cancelled: boolean } };
  'shell:open-external': { request: { url: string }; response: { opened: boolean } };
  'activity:list': { request: { limit?: number | undefined }; response: readonly ActivityEntry[] };
  /** The latest health report (no Salesforce calls). */
  'health:report': { request: Empty; response: HealthReport };
  /** Runs every health check now and answers the new report. */
  'health:check': { request: Empty; response: HealthReport };
  /** The approval census seen through one connection. */
  'health:census': { request: { connectionId: string }; response: ApprovalCensusDto };
  'health:revoke-approval': { request: RevokeApprovalRequest; response: RevokeApprovalResult };
  /** Before a sign-in: would authorizing now disconnect another site? */
  'auth:preflight': { request: PreflightRequest; response: PreflightResult };
}

export interface EventMap {
  'auth:finished': SignInFinished;
  'connections:changed': readonly ConnectionDto[];
  'sites:changed': readonly SiteProfileDto[];
  'activity:added': ActivityEntry;
  'app:banner': Banner;
  /** Withdraws a banner whose problem is gone. */
  'app:banner-cleared': { id: string };
  'health:changed': HealthChangedEvent;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type RequestOf<C extends InvokeChannel> = InvokeMap[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeMap[C]['response'];

// ---- runtime schemas: one per request, strict so unknown keys are rejected ----

const empty = z.object({}).strict();
const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
const nonEmpty = (max: number) => z.string().trim().min(1).max(max);

const fieldMappingSchema = z
  .object({
    wordpressField: nonEmpty(100),
    salesforceField: nonEmpty(100),
    direction: z.enum(['push', 'pull', 'both']),
  })
  .strict();

export const siteSaveSchema = z
  .object({
    id: id.optional(),
    name: nonEmpty(120),
    wordpressUrl: z.string().trim().url().max(2048),
    wordpressUsername: nonEmpty(200),
    wordpressPassword: z.string().min(1).max(200).optional(),
    connectionId: id.nullable(),
    objectType: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'an sObject API name such as Contact, Lead or Member__c'),
    tagMode: z.enum(['topics', 'picklist']),
    tagField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/).nullable(),
    fieldMapping: z.array(fieldMappingSchema).max(500),
  })
  .strict();

export const signInSchema = z
  .object({
    loginHostKind: z.enum(['production', 'sandbox', 'mydomain', 'custom']),
    loginHost: z.string().trim().max(255).optional(),
    clientId: nonEmpty(255),
    clientSecret: z.string().min(1).max(255).optional(),
    callbackPort: z.number().int().min(1024).max(65535).optional(),
    chooseAnotherUser: z.boolean(),
    reauthorizeConnectionId: id.optional(),
    acknowledgedApprovalId: z.string().regex(/^[A-Za-z0-9]{15,18}$/, 'a Salesforce id (15 or 18 letters and digits)').optional(),
  })
  .strict();

const settingsPatchSchema = z
  .object({
    approvalCap: z.number().int().min(1).max(50),
    approvalWarnAt: z.number().int().min(1).max(50),
    healthIntervalHours: z.number().min(0.25).max(168),
    watchedApps: z.array(nonEmpty(255)).max(20),
    callbackPorts: z.array(z.number().int().min(1024).max(65535)).min(1).max(10),
  })
  .partial()
  .strict();

export const requestSchemas: { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> } = {
  'app:info': empty,
  'settings:get': empty,
  'settings:update': settingsPatchSchema,
  'sites:list': empty,
  'sites:save': siteSaveSchema,
  'sites:delete': z.object({ siteId: id }).strict(),
  'connections:list': empty,
  'connections:disconnect': z.object({ connectionId: id, removeLocallyIfRevokeFails: z.boolean() }).strict(),
  'auth:start': signInSchema,
  'auth:cancel': z.object({ flowId: id }).strict(),
  'shell:open-external': z.object({ url: z.string().url().max(4096) }).strict(),
  'activity:list': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'health:report': empty,
  'health:check': empty,
  'health:census': z.object({ connectionId: id }).strict(),
  'health:revoke-approval': z
    .object({
      connectionId: id,
      approvalId: z.string().regex(/^[A-Za-z0-9]{15,18}$/, 'a Salesforce id (15 or 18 letters and digits)'),
      source: z.enum(['usage-api', 'oauth-token-soql']),
    })
    .strict(),
  'auth:preflight': z
    .object({
      connectionId: id.optional(),
      userId: z.string().regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'a Salesforce user id (005…)').optional(),
      appName: z.string().trim().min(1).max(255).optional(),
    })
    .strict(),
};

// Compile-time proof that the runtime channel lists in channels.ts equal the maps above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeListsAgree: Same<InvokeChannel, InvokeChannelName> = true;
const eventListsAgree: Same<EventChannel, EventChannelName> = true;
void invokeListsAgree;
void eventListsAgree;

export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel };

/** What `window.forcesites` is, in both editions. */
export interface ForceSitesApi {
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}
