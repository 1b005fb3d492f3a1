/**
 * THE contract between the renderer and the main process.
 *
 * Channel names and what each answers live in channels.ts (one line a channel). Here each
 * invoke channel gets its request schema — strict, so unknown keys are rejected — and the
 * request TYPE is derived from it: one declaration per request, used by main, the preload
 * and the renderer alike. Main implements the contract with a handler table typed from
 * `InvokeMap` (a missing handler fails to compile), validates each request against
 * `requestSchemas` before any handler runs, and answers `Result<response>`.
 */
import { z } from 'zod';
import { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel, type EventChannel, type EventMap, type InvokeChannel, type ResponseOf } from './channels';
import type { Result } from './errors';
import { SYNC_SETTING_LIMITS } from './models';
import { CHANGE_FEED_POLL_LIMITS } from './change-feed-models';

export type { EventChannel, EventMap, InvokeChannel, ResponseOf };

type Empty = Record<string, never>;

// ---- runtime schemas: one per request, strict so unknown keys are rejected ----

/**
 * A WordPress site address: https, or http on a loopback host (a local test site). Anything
 * else — javascript:, file:, data:, credentials in the URL — is refused, because main opens
 * and calls these addresses.
 */
export function isWordpressSiteUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase());
}

const empty: z.ZodType<Empty> = z.object({}).strict() as unknown as z.ZodType<Empty>;
const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
const nonEmpty = (max: number) => z.string().trim().min(1).max(max);

const fieldMappingSchema = z
  .object({
    wordpressField: nonEmpty(100),
    salesforceField: nonEmpty(100),
    direction: z.enum(['push', 'pull', 'both']),
  })
  .strict();

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'a Salesforce API name such as Email or WP_User_Id__c');
const matchKeySchema = z.union([
  z.object({ kind: z.literal('email'), field: apiName }).strict(),
  z.object({ kind: z.literal('external-id'), field: apiName, prefix: z.string().max(40).regex(/^[A-Za-z0-9_.:-]*$/, 'letters, digits and . _ : - only').nullable() }).strict(),
]);
const salesforceId = z.string().regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, 'a Salesforce record id (15 or 18 characters)');
const recordTypeIdSchema = z.string().regex(/^012[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'a record type id (012…)');
const fieldDefaultSchema = z.object({ salesforceField: apiName, value: z.string().max(255) }).strict();

/** How the orders read WooCommerce: the site's application password, or a WooCommerce REST API key. */
export const woocommerceAuthSchema = z.enum(['application-password', 'consumer-key']);
/** WooCommerce → Settings → Advanced → REST API shows a new key's pair once: `ck_` and `cs_` followed by 40 hex digits. */
export const woocommerceKeySchema = z
  .object({
    consumerKey: z.string().trim().regex(/^ck_[A-Za-z0-9]{20,100}$/, 'a WooCommerce consumer key (ck_ followed by letters and digits, from WooCommerce → Settings → Advanced → REST API)'),
    consumerSecret: z.string().trim().regex(/^cs_[A-Za-z0-9]{20,100}$/, 'a WooCommerce consumer secret (cs_ followed by letters and digits, shown once when the key is made)'),
  })
  .strict();

export const siteSaveSchema = z
  .object({
    id: id.optional(),
    name: nonEmpty(120),
    wordpressUrl: z
      .string()
      .trim()
      .max(2048)
      .refine(isWordpressSiteUrl, 'enter the site address with https:// (plain http:// only for a site on this computer, such as http://localhost:8080)'),
    wordpressUsername: nonEmpty(200),
    wordpressPassword: z.string().min(1).max(200).optional(),
    connectionId: id.nullable(),
    objectType: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'an sObject API name such as Contact, Lead or Member__c'),
    tagMode: z.enum(['topics', 'picklist', 'none']),
    tagField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/).nullable(),
    fieldMapping: z.array(fieldMappingSchema).max(500),
    // Mapping settings (issue 12); absent = keep what the profile has.
    matchKey: matchKeySchema.optional(),
    recordTypeId: recordTypeIdSchema.nullable().optional(),
    sendEmptyValues: z.boolean().optional(),
    fieldDefaults: z.array(fieldDefaultSchema).max(100).optional(),
    // WooCommerce credential (issue 14); absent = keep what the profile has. The key is
    // write-only: it goes to the keychain and no answer ever carries it back.
    woocommerceAuth: woocommerceAuthSchema.optional(),
    woocommerceKey: woocommerceKeySchema.optional(),
  })
  .strict();

/** What the mapping editor saves and previews (issue 12). */
const mappingSettingsSchema = z
  .object({
    // Readonly, so the renderer can send the MappingSettings DTO (readonly arrays) as is.
    fieldMapping: z.array(fieldMappingSchema).max(500).readonly(),
    fieldDefaults: z.array(fieldDefaultSchema).max(100).readonly(),
    matchKey: matchKeySchema,
    recordTypeId: recordTypeIdSchema.nullable(),
    sendEmptyValues: z.boolean(),
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
    /** Who the admin will sign in as, when they said so: the preflight then checks that user. */
    expectedUsername: z.string().trim().min(3).max(255).optional(),
  })
  .strict();

const settingsPatchSchema = z
  .object({
    approvalCap: z.number().int().min(1).max(50),
    approvalWarnAt: z.number().int().min(1).max(50),
    healthIntervalHours: z.number().min(0.25).max(168),
    watchedApps: z.array(nonEmpty(255)).max(20),
    callbackPorts: z.array(z.number().int().min(1024).max(65535)).min(1).max(10),
    requestTimeoutSeconds: z.number().int().min(5).max(600),
    syncConcurrency: z.number().int().min(SYNC_SETTING_LIMITS.concurrency.min).max(SYNC_SETTING_LIMITS.concurrency.max),
    syncBulkThreshold: z.number().int().min(SYNC_SETTING_LIMITS.bulkThreshold.min).max(SYNC_SETTING_LIMITS.bulkThreshold.max),
    syncApiSharePercent: z.number().int().min(SYNC_SETTING_LIMITS.apiSharePercent.min).max(SYNC_SETTING_LIMITS.apiSharePercent.max),
    syncRemoveTopics: z.boolean(),
    syncTruncateLongValues: z.boolean(),
    changesPollSeconds: z.number().int().min(CHANGE_FEED_POLL_LIMITS.min).max(CHANGE_FEED_POLL_LIMITS.max),
  })
  .partial()
  .strict();

const pullOptionsSchema = z
  .object({
    filter: z.union([
      z.object({ kind: z.literal('all') }).strict(),
      z.object({ kind: z.literal('topic'), name: z.string().trim().min(1).max(99) }).strict(),
      z.object({ kind: z.literal('picklist'), value: z.string().trim().min(1).max(255) }).strict(),
    ]),
    role: z.string().regex(/^[a-z0-9_-]{1,60}$/, 'a WordPress role slug such as subscriber'),
  })
  .strict();

export const requestSchemas = {
  'app:info': empty,
  'settings:get': empty,
  'settings:update': settingsPatchSchema,
  'sites:list': empty,
  'sites:save': siteSaveSchema,
  'sites:delete': z.object({ siteId: id }).strict(),
  'sites:check': z
    .object({
      /** A saved site: its keychain password is used when none is typed. */
      siteId: id.optional(),
      wordpressUrl: z.string().trim().max(2048).refine(isWordpressSiteUrl, 'enter the site address with https:// (plain http:// only for a site on this computer)'),
      wordpressUsername: nonEmpty(200),
      wordpressPassword: z.string().min(1).max(200).optional(),
      /** Which credential the WooCommerce step uses (default: the saved site's choice, else the application password). */
      woocommerceAuth: woocommerceAuthSchema.optional(),
      /** A key typed in the form; a saved site's keychain key is used when none is typed. */
      woocommerceKey: woocommerceKeySchema.optional(),
    })
    .strict(),
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
      username: z.string().trim().min(3).max(255).optional(),
    })
    .strict(),
  'auth:pending': empty,
  'fields:objects': z.object({ connectionId: id, fresh: z.boolean().optional() }).strict(),
  'fields:cached': z.object({ siteId: id }).strict(),
  'fields:refresh': z.object({ siteId: id }).strict(),
  'fields:wordpress': z.object({ siteId: id }).strict(),
  'fields:preview': z.object({ siteId: id, settings: mappingSettingsSchema }).strict(),
  'fields:save-mapping': z.object({ siteId: id, settings: mappingSettingsSchema }).strict(),
  'sites:export': z.object({ siteId: id }).strict(),
  'sites:import': z.object({ json: z.string().min(2).max(1_000_000), siteId: id.optional() }).strict(),
  // direction pull: Salesforce records → WordPress users (pull says which and with what role).
  // retryRefused (push): send records Salesforce refused before even if their values are unchanged.
  'sync:plan': z.object({ siteId: id, direction: z.enum(['push', 'pull']).optional(), pull: pullOptionsSchema.optional(), retryRefused: z.boolean().optional() }).strict(),
  // confirmed: the admin accepted an estimate above the share of the org's remaining requests.
  'sync:start': z.object({ siteId: id, confirmed: z.boolean().optional(), direction: z.enum(['push', 'pull']).optional(), pull: pullOptionsSchema.optional(), retryRefused: z.boolean().optional() }).strict(),
  'sync:cancel': z.object({ siteId: id }).strict(),
  'sync:runs': z.object({ siteId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'sync:run': z
    .object({
      runId: id,
      outcome: z.enum(['created', 'updated', 'unchanged', 'failed', 'invalid', 'conflict', 'recovered']).optional(),
      search: z.string().trim().max(200).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'outbound:settings': z.object({ siteId: id }).strict(),
  'outbound:save': z
    .object({
      siteId: id,
      action: z.enum(['update', 'update_tags', 'add']),
      // null = the connector's default URL; {access_key} stands for the saved key.
      customEndpoint: z.string().trim().min(1).max(2048).nullable(),
      // Write-only: main keeps it in the keychain and never sends it back.
      accessKey: z.string().trim().min(1).max(500).optional(),
      clearAccessKey: z.boolean().optional(),
      fields: z.array(apiName).max(100).nullable(),
    })
    .strict(),
  'outbound:records': z.object({ siteId: id, search: z.string().trim().max(80).optional() }).strict(),
  'outbound:test': z
    .object({
      siteId: id,
      testCase: z.enum(['single', 'multi', 'duplicate', 'out-of-order']),
      source: z.union([
        z.object({ kind: z.literal('records'), recordIds: z.array(salesforceId).min(1).max(100) }).strict(),
        z
          .object({
            kind: z.literal('sample'),
            values: z.record(apiName, z.string().max(1000)).refine((values) => Object.keys(values).length <= 100, 'at most 100 fields'),
            // Notifications in the message (multi); the others carry made-up addresses no user has.
            count: z.number().int().min(1).max(100).optional(),
          })
          .strict(),
      ]),
      includeSessionId: z.boolean().optional(),
    })
    .strict(),
  'orders:settings': z.object({ siteId: id }).strict(),
  'orders:save-settings': z
    .object({
      siteId: id,
      settings: z
        .object({
          statuses: z.array(z.string().trim().min(1).max(40).regex(/^[a-z0-9_-]+$/, 'a WooCommerce status such as completed')).min(1).max(20),
          dateMode: z.enum(['all', 'since-last-sync', 'range']),
          dateFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').nullable(),
          dateTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').nullable(),
          draftStatus: z.string().trim().min(1).max(100).nullable(),
          activatedStatus: z.string().trim().min(1).max(100).nullable(),
          activate: z.boolean(),
          accountStrategy: z.enum(['contact-account', 'per-customer', 'default-account']),
          defaultAccountId: salesforceId.nullable(),
          productMappings: z.array(z.object({ wooProductId: z.number().int().min(1), product2Id: salesforceId }).strict()).max(5000),
          createMissingProducts: z.boolean(),
          pricebookId: salesforceId.nullable(),
          orderKeyField: apiName.nullable(),
          orderKeyPrefix: z.string().max(40).regex(/^[A-Za-z0-9_.:-]*$/, 'letters, digits and _ . : -'),
          orgCurrency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').nullable(),
        })
        .partial()
        .strict(),
    })
    .strict(),
  // since: only orders created on or after that day, whatever the settings say (the CLI's --since).
  'orders:plan': z.object({ siteId: id, orderIds: z.array(z.number().int().min(1)).min(1).max(10_000).optional(), since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional() }).strict(),
  'orders:send': z.object({ siteId: id, orderIds: z.array(z.number().int().min(1)).min(1).max(10_000).optional(), since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional() }).strict(),
  'orders:cancel': z.object({ siteId: id }).strict(),
  'orders:runs': z.object({ siteId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'orders:run': z
    .object({
      runId: id,
      outcome: z.enum(['created', 'updated', 'unchanged', 'locked', 'invalid', 'failed', 'recovered']).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'orders:reconcile': z.object({ siteId: id }).strict(),
  'changes:status': z.object({ siteId: id.optional() }).strict(),
  'changes:follow': z.object({ siteId: id }).strict(),
  'changes:pause': z.object({ siteId: id }).strict(),
  'changes:resume': z.object({ siteId: id }).strict(),
  'changes:stop': z.object({ siteId: id }).strict(),
} as const satisfies { readonly [C in InvokeChannel]: z.ZodType };

/** The request of a channel, derived from its schema (the one declaration of it). */
export type RequestOf<C extends InvokeChannel> = z.infer<(typeof requestSchemas)[C]>;

export type InvokeMap = { [C in InvokeChannel]: { request: RequestOf<C>; response: ResponseOf<C> } };

/** `auth:start`'s request. */
export type SignInRequest = RequestOf<'auth:start'>;
/** `sites:save`'s request (no id: a new profile). */
export type SiteProfileInput = RequestOf<'sites:save'>;

export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel };

/** What `window.forcesites` is, in both editions. */
export interface ForceSitesApi {
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}
