/**
 * What the profile file holds. Metadata only: secrets live in the keychain (see
 * main/auth/token-vault.ts) and the JSON schema below forbids any property it does not
 * name, so a token cannot be written here by accident.
 */
import type { FieldDefault, MatchKey } from '../../common/fields-models';
import { SYNC_SETTING_LIMITS, type ConnectionState, type FieldMappingEntry, type Settings, type TagMode } from '../../common/models';
import type { StoredOrderSettings } from '../../common/orders-models';
import { CHANGE_FEED_POLL_LIMITS } from '../../common/change-feed-models';

export interface ConnectionRecord {
  readonly id: string;
  readonly loginUrl: string;
  readonly instanceUrl: string;
  readonly clientId: string;
  /** A confidential connected app: its secret is in the keychain under connection:<id>:client-secret. */
  readonly hasClientSecret: boolean;
  /** The loopback port used at sign-in; reauthorization reuses it (the connected app lists it). */
  readonly callbackPort: number;
  readonly orgId: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly apiVersion: string;
  readonly authorizedAt: string;
  readonly state: ConnectionState;
}

export interface SiteRecord {
  readonly id: string;
  readonly name: string;
  readonly wordpressUrl: string;
  readonly wordpressUsername: string;
  readonly hasWordpressPassword: boolean;
  readonly connectionId: string | null;
  readonly objectType: string;
  readonly tagMode: TagMode;
  readonly tagField: string | null;
  readonly fieldMapping: readonly FieldMappingEntry[];
  readonly lastCheckedAt: string | null;
  readonly lastSyncedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The username of the connection this site used until it was disconnected; cleared when a connection is chosen. */
  readonly detachedFromConnection?: string;
  // Mapping settings (issue 12). Optional, so files written before them stay valid; read
  // with their defaults (email on Email, the user's default record type, empty values not sent).
  readonly matchKey?: MatchKey;
  readonly recordTypeId?: string | null;
  readonly sendEmptyValues?: boolean;
  readonly fieldDefaults?: readonly FieldDefault[];
  // WooCommerce orders settings (issue 14). Optional, and each property in it too: read with
  // DEFAULT_ORDER_SETTINGS (common/orders-models.ts).
  readonly orders?: StoredOrderSettings;
  // WooCommerce credential (issue 14). Optional: absent = the application password. The key
  // itself is only in the keychain (TokenVault.getWoocommerceKey); the profile records that one
  // exists and its last 7 characters, as WooCommerce shows them.
  readonly woocommerceAuth?: 'application-password' | 'consumer-key';
  readonly hasWoocommerceKey?: boolean;
  readonly woocommerceKeyEnding?: string;
}

export interface ProfileData {
  readonly schemaVersion: number;
  readonly settings: Settings;
  readonly connections: Readonly<Record<string, ConnectionRecord>>;
  readonly sites: Readonly<Record<string, SiteRecord>>;
}

const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } as const;
const dateTime = { type: 'string', minLength: 1, maxLength: 40 } as const;
const nullableDateTime = { anyOf: [dateTime, { type: 'null' }] } as const;
const shortText = (max: number) => ({ type: 'string', maxLength: max }) as const;

const connectionStateSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'connected' } } },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'cause', 'detail'],
      properties: {
        kind: { const: 'needs-reauthorization' },
        cause: { enum: ['evicted-by-approval-cap', 'policy-expiry', 'revoked', 'org-refreshed', 'unknown'] },
        detail: shortText(2000),
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'detail'],
      properties: { kind: { const: 'keychain-error' }, detail: shortText(2000) },
    },
  ],
} as const;

const connectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'loginUrl', 'instanceUrl', 'clientId', 'hasClientSecret', 'callbackPort', 'orgId', 'userId', 'username', 'displayName', 'apiVersion', 'authorizedAt', 'state'],
  properties: {
    id,
    loginUrl: shortText(300),
    instanceUrl: shortText(300),
    clientId: shortText(255),
    hasClientSecret: { type: 'boolean' },
    callbackPort: { type: 'integer', minimum: 0, maximum: 65535 },
    orgId: shortText(18),
    userId: shortText(18),
    username: shortText(255),
    displayName: shortText(255),
    apiVersion: { type: 'string', pattern: '^\\d{2,3}\\.\\d$' },
    authorizedAt: dateTime,
    state: connectionStateSchema,
  },
} as const;

const sfId = { type: 'string', pattern: '^[A-Za-z0-9]{15,18}$' } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

const ordersSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    statuses: { type: 'array', maxItems: 20, items: shortText(40) },
    dateMode: { enum: ['all', 'since-last-sync', 'range'] },
    dateFrom: { anyOf: [isoDate, { type: 'null' }] },
    dateTo: { anyOf: [isoDate, { type: 'null' }] },
    draftStatus: { anyOf: [shortText(100), { type: 'null' }] },
    activatedStatus: { anyOf: [shortText(100), { type: 'null' }] },
    activate: { type: 'boolean' },
    accountStrategy: { enum: ['contact-account', 'per-customer', 'default-account'] },
    defaultAccountId: { anyOf: [sfId, { type: 'null' }] },
    productMappings: {
      type: 'array',
      maxItems: 5000,
      items: { type: 'object', additionalProperties: false, required: ['wooProductId', 'product2Id'], properties: { wooProductId: { type: 'integer', minimum: 1 }, product2Id: sfId } },
    },
    createMissingProducts: { type: 'boolean' },
    pricebookId: { anyOf: [sfId, { type: 'null' }] },
    orderKeyField: { anyOf: [shortText(80), { type: 'null' }] },
    orderKeyPrefix: shortText(40),
    orgCurrency: { anyOf: [{ type: 'string', pattern: '^[A-Z]{3}$' }, { type: 'null' }] },
  },
} as const;

const siteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'wordpressUrl', 'wordpressUsername', 'hasWordpressPassword', 'connectionId', 'objectType', 'tagMode', 'tagField', 'fieldMapping', 'lastCheckedAt', 'lastSyncedAt', 'createdAt', 'updatedAt'],
  properties: {
    id,
    name: shortText(120),
    wordpressUrl: shortText(2048),
    wordpressUsername: shortText(200),
    hasWordpressPassword: { type: 'boolean' },
    connectionId: { anyOf: [id, { type: 'null' }] },
    // Optional, added after schema 1: old files simply lack it.
    detachedFromConnection: shortText(255),
    objectType: shortText(80),
    tagMode: { enum: ['topics', 'picklist', 'none'] },
    tagField: { anyOf: [shortText(80), { type: 'null' }] },
    fieldMapping: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['wordpressField', 'salesforceField', 'direction'],
        properties: {
          wordpressField: shortText(100),
          salesforceField: shortText(100),
          direction: { enum: ['push', 'pull', 'both'] },
        },
      },
    },
    lastCheckedAt: nullableDateTime,
    lastSyncedAt: nullableDateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
    // Optional, added after schema 1 (issue 12): old files simply lack them.
    matchKey: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['kind', 'field'], properties: { kind: { const: 'email' }, field: shortText(80) } },
        { type: 'object', additionalProperties: false, required: ['kind', 'field', 'prefix'], properties: { kind: { const: 'external-id' }, field: shortText(80), prefix: { anyOf: [shortText(40), { type: 'null' }] } } },
      ],
    },
    recordTypeId: { anyOf: [shortText(18), { type: 'null' }] },
    sendEmptyValues: { type: 'boolean' },
    fieldDefaults: {
      type: 'array',
      maxItems: 100,
      items: { type: 'object', additionalProperties: false, required: ['salesforceField', 'value'], properties: { salesforceField: shortText(80), value: shortText(255) } },
    },
    // Optional, added after schema 1 (issue 14).
    orders: ordersSettingsSchema,
    woocommerceAuth: { enum: ['application-password', 'consumer-key'] },
    hasWoocommerceKey: { type: 'boolean' },
    woocommerceKeyEnding: { type: 'string', pattern: '^[A-Za-z0-9]{1,7}$' },
  },
} as const;

const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['approvalCap', 'approvalWarnAt', 'healthIntervalHours', 'watchedApps', 'callbackPorts'],
  properties: {
    approvalCap: { type: 'integer', minimum: 1, maximum: 50 },
    approvalWarnAt: { type: 'integer', minimum: 1, maximum: 50 },
    healthIntervalHours: { type: 'number', minimum: 0.25, maximum: 168 },
    watchedApps: { type: 'array', maxItems: 20, items: shortText(255) },
    callbackPorts: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'integer', minimum: 1024, maximum: 65535 } },
    // Added after schema 1 shipped: optional in the file, defaulted on read.
    requestTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 600 },
    syncConcurrency: { type: 'integer', minimum: SYNC_SETTING_LIMITS.concurrency.min, maximum: SYNC_SETTING_LIMITS.concurrency.max },
    syncBulkThreshold: { type: 'integer', minimum: SYNC_SETTING_LIMITS.bulkThreshold.min, maximum: SYNC_SETTING_LIMITS.bulkThreshold.max },
    changesPollSeconds: { type: 'integer', minimum: CHANGE_FEED_POLL_LIMITS.min, maximum: CHANGE_FEED_POLL_LIMITS.max },
    syncApiSharePercent: { type: 'integer', minimum: SYNC_SETTING_LIMITS.apiSharePercent.min, maximum: SYNC_SETTING_LIMITS.apiSharePercent.max },
    syncRemoveTopics: { type: 'boolean' },
    syncTruncateLongValues: { type: 'boolean' },
  },
} as const;

/** The `properties` of the profile file's JSON schema (conf's `schema` option). */
export const PROFILE_SCHEMA = {
  schemaVersion: { type: 'integer', minimum: 1 },
  settings: settingsSchema,
  connections: { type: 'object', additionalProperties: connectionSchema, propertyNames: id },
  sites: { type: 'object', additionalProperties: siteSchema, propertyNames: id },
} as const;
