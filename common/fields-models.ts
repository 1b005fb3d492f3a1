/**
 * What the Fields feature shows and saves: the Salesforce objects a site can write to, the
 * refreshed fields of a site's object (cached per site profile), its record types, the tags
 * of the chosen tag mode, what changed since the last refresh, and the mapping settings.
 * Plain data, no secret: the renderer sees describes, never tokens or passwords.
 */
import type { ErrorDto } from './errors';
import type { FieldDefault, FieldMappingEntry, MatchKey, TagMode } from './models';

/** One entry of the global describe that a site can use: createable, updateable and queryable. */
export interface SalesforceObjectDto {
  readonly name: string;
  readonly label: string;
  readonly custom: boolean;
}

/** `fields:objects`: the objects a connection's user can create, update and query. */
export interface ObjectListDto {
  readonly connectionId: string;
  readonly objects: readonly SalesforceObjectDto[];
  /** Salesforce API calls this answer used (0 when it came from the cache of this session). */
  readonly apiCalls: number;
}

export interface PicklistValueDto {
  readonly value: string;
  readonly label: string;
  readonly active: boolean;
  readonly defaultValue: boolean;
}

/** A describe field entry, reduced to what mapping needs (Salesforce's own names and meanings). */
export interface SalesforceFieldDto {
  readonly name: string;
  readonly label: string;
  /** Salesforce's field type: string, textarea, email, phone, url, picklist, multipicklist, boolean, double, currency, percent, int, date, datetime, reference, … */
  readonly type: string;
  /** Characters, for text types (0 otherwise). */
  readonly length: number;
  /** Number fields: total digits and digits after the decimal point. */
  readonly precision: number;
  readonly scale: number;
  /** Integer fields: digits. */
  readonly digits: number;
  /** Salesforce refuses a new record without it: createable, not nillable, not defaulted, not a checkbox. */
  readonly requiredOnCreate: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly nillable: boolean;
  readonly defaultedOnCreate: boolean;
  readonly unique: boolean;
  readonly externalId: boolean;
  readonly idLookup: boolean;
  readonly caseSensitive: boolean;
  readonly custom: boolean;
  readonly calculated: boolean;
  readonly autoNumber: boolean;
  readonly picklistValues: readonly PicklistValueDto[];
  readonly restrictedPicklist: boolean;
  readonly dependentPicklist: boolean;
  /** The controlling field of a dependent picklist. */
  readonly controllerName: string | null;
  readonly referenceTo: readonly string[];
  /** Set on the parts of a compound field (MailingStreet → MailingAddress). */
  readonly compoundFieldName: string | null;
}

export interface RecordTypeDto {
  readonly id: string;
  readonly name: string;
  readonly developerName: string;
  readonly active: boolean;
  /** The connection's user may create records of it. */
  readonly available: boolean;
  readonly master: boolean;
  /** New records get it when none is named. */
  readonly defaultForUser: boolean;
}

/** Something the admin must know, with what to do about it. */
export interface FieldsProblemDto {
  readonly message: string;
  readonly hint?: string;
}

export type TagsDto =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'topics';
      /** Topics are enabled for the object (Setup → Topics for Objects). */
      readonly enabled: boolean;
      /** Every Topic name in the org, sorted; empty when topics are off (then `problem` says why). */
      readonly topics: readonly string[];
      readonly problem: FieldsProblemDto | null;
    }
  | {
      readonly mode: 'picklist';
      readonly field: string;
      readonly fieldLabel: string | null;
      readonly multiSelect: boolean;
      readonly restricted: boolean;
      /** Active values: the tags Salesforce accepts. */
      readonly values: readonly string[];
      readonly inactiveValues: readonly string[];
      /** The field is missing or not a picklist, or restricted (unknown values are rejected). */
      readonly problem: FieldsProblemDto | null;
    };

export type FieldChangeKind =
  | 'added'
  | 'removed'
  | 'retyped'
  | 'resized'
  | 'now-required'
  | 'now-read-only'
  | 'picklist-added'
  | 'picklist-deactivated'
  | 'picklist-removed'
  | 'record-type-added'
  | 'record-type-removed';

/** One difference between the previous refresh and this one. */
export interface FieldChangeDto {
  readonly kind: FieldChangeKind;
  /** The field API name (or record type developer name). */
  readonly field: string;
  readonly label: string;
  /** What changed, in words: "Text(80) → Text(40)", "Gold, Silver". */
  readonly detail: string;
  /** Why this breaks the site's current mapping or settings; null when it does not. */
  readonly breaks: string | null;
}

export interface FieldDiffDto {
  /** When the previous refresh loaded what this one is compared with. */
  readonly comparedWith: string;
  readonly changes: readonly FieldChangeDto[];
  readonly topicsAdded: readonly string[];
  readonly topicsRemoved: readonly string[];
  /** How many changes break the current mapping. */
  readonly breaking: number;
}

export interface RefreshStatsDto {
  /** Salesforce API calls the refresh made, counted by the Salesforce layer's meter. */
  readonly apiCalls: number;
  /** False when Salesforce answered 304: the describe had not changed since the previous refresh. */
  readonly describeChanged: boolean;
  /** Query pages of Topics read (2,000 each). */
  readonly topicPages: number;
}

/** What one refresh loaded for a site, as cached beside the profiles. */
export interface FieldCacheDto {
  readonly siteId: string;
  readonly connectionId: string;
  readonly orgId: string;
  readonly objectType: string;
  readonly objectLabel: string;
  readonly tagMode: TagMode;
  readonly tagField: string | null;
  /** When Salesforce answered (ISO). */
  readonly loadedAt: string;
  readonly fields: readonly SalesforceFieldDto[];
  readonly recordTypes: readonly RecordTypeDto[];
  /** Whether the object's describe shows topics enabled, whatever the tag mode. */
  readonly topicsEnabled: boolean;
  readonly tags: TagsDto;
  readonly lastRefresh: RefreshStatsDto;
  /** Changes against the refresh before this one; null for a first refresh or another object. */
  readonly diff: FieldDiffDto | null;
}

/** `fields:cached` / `fields:refresh`: a site's cache and whether it still fits the profile. */
export interface FieldsStateDto {
  readonly siteId: string;
  readonly cache: FieldCacheDto | null;
  /** Why the cache no longer describes the profile (object or tag field changed, other org); null when current. */
  readonly stale: string | null;
}

export type { FieldDefault, MatchKey };

export const DEFAULT_MATCH_KEY: MatchKey = { kind: 'email', field: 'Email' };

/** What the mapping editor saves (`fields:save-mapping`) and previews (`fields:preview`). */
export interface MappingSettings {
  readonly fieldMapping: readonly FieldMappingEntry[];
  readonly fieldDefaults: readonly FieldDefault[];
  readonly matchKey: MatchKey;
  readonly recordTypeId: string | null;
  /** Send empty WordPress values (clearing the Salesforce field); off by default. */
  readonly sendEmptyValues: boolean;
}

/** `fields:wordpress`: the WordPress side of the mapping for one site. */
export interface WordpressFieldsDto {
  readonly siteId: string;
  /** The ForceSites Companion plugin answered; without it only the core user fields exist. */
  readonly companionPlugin: boolean;
  /** User meta keys the plugin exposes (besides its tags key). */
  readonly metaKeys: readonly string[];
  /** Tags found on the users read (sorted, unique, as spelled the first time). */
  readonly tags: readonly string[];
  readonly usersRead: number;
  /** False when the site has more users than were read for tags. */
  readonly tagsComplete: boolean;
  /** Why WordPress could not be read (the rest is then empty); null when it was. */
  readonly problem: ErrorDto | null;
}

export interface PreviewValueDto {
  readonly salesforceField: string;
  /** The WordPress field it came from, or null for a default value. */
  readonly wordpressField: string | null;
  /** As it would be sent; null when empty or refused. */
  readonly value: string | number | boolean | null;
  /** False for empty values that are not sent, and for refused ones. */
  readonly sent: boolean;
  /** Why Salesforce would refuse it. */
  readonly problem: string | null;
  /** What ForceSites did to it (formatted, rounded, default used). */
  readonly note: string | null;
}

export interface PreviewUserDto {
  readonly wordpressId: number;
  readonly username: string;
  readonly email: string;
  /** The match key's value for this user, or why there is none. */
  readonly key: { readonly field: string; readonly value: string | null; readonly problem: string | null };
  readonly values: readonly PreviewValueDto[];
  /** Required fields this user's record would lack. */
  readonly missingRequired: readonly string[];
}

/** `fields:preview`: three real users mapped with the settings being edited. */
export interface MappingPreviewDto {
  readonly siteId: string;
  readonly users: readonly PreviewUserDto[];
  /** Why there is no preview (WordPress unreachable, no fields loaded). */
  readonly problem: ErrorDto | null;
}

/** `sites:export`: a profile's settings as JSON, without any secret. */
export interface SiteExportDto {
  readonly fileName: string;
  readonly json: string;
}
