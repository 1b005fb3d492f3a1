/**
 * "Refresh Available Topics & Fields" and everything the mapping editor needs around it.
 *
 * A refresh reads, for the site's object: the describe (fields, record types, whether topics
 * are enabled) and, in Topics mode, every Topic name. Both go in ONE Composite request (one
 * API call); the describe carries `If-Modified-Since` with the `Last-Modified` Salesforce
 * sent last time, so an unchanged object answers 304 and its cached fields are reused. Topics
 * past the first 2,000 are paged with `nextRecordsUrl` (one call per 2,000). So: 1 call when
 * nothing pages (changed or not), 1 + ⌈topics / 2,000⌉ − 1 more when it does. The count the
 * page shows is the Salesforce layer's meter for this site during the refresh, not an estimate.
 *
 * The result is cached per site in `<dataDir>/field-cache/` (field-cache-store.ts) and
 * compared with the previous refresh of the same object (field-diff.ts).
 *
 * Features never import each other: site profiles and WordPress come in through ports that
 * main/app wires (`SitesPort`, `wordpressFor`).
 */
import { checkMapping, type MappingContext } from '../../common/field-rules';
import { AppError, type ErrorDto } from '../../common/errors';
import {
  DEFAULT_MATCH_KEY,
  type FieldCacheDto,
  type FieldsStateDto,
  type MappingPreviewDto,
  type MappingSettings,
  type ObjectListDto,
  type SalesforceObjectDto,
  type SiteExportDto,
  type WordpressFieldsDto,
} from '../../common/fields-models';
import type { SiteProfileInput } from '../../common/contract';
import type { ConnectionDto, SiteProfileDto } from '../../common/models';
import type { WordpressUser } from '../../common/wordpress-models';
import { silentLogger, type Logger } from '../platform/logger';
import type { ApiCallMeter } from '../salesforce/api-call-meter';
import type { QueryPage, SalesforceApi } from '../salesforce/salesforce-api';
import { errorCodeOf, fromRestErrors, parseRestErrorBody, withSalesforceErrors } from '../salesforce/salesforce-errors';
import { objectsFromGlobalDescribe, readObjectDescribe, type ObjectDescribe } from './describe-reader';
import type { FieldCacheStore, StoredFieldCache } from './field-cache-store';
import { diffCaches } from './field-diff';
import { previewUser } from './mapping-preview';
import { exportSettings, newSiteFromFile, readSettingsFile, siteWithFileSettings } from './settings-transfer';
import { buildTags } from './tags';

/** The WordPress side, for one site (main/app implements it with main/wordpress). */
export interface WordpressPort {
  /** The companion plugin's exposed meta keys; `companionPlugin: false` (and no keys) without the plugin. */
  exposedMetaKeys(): Promise<{ readonly companionPlugin: boolean; readonly metaKeys: readonly string[] }>;
  /** The first `count` users (lowest ids). */
  sampleUsers(count: number): Promise<readonly WordpressUser[]>;
  /** Tags found on up to `maxUsers` users. */
  tagsInUse(maxUsers: number): Promise<{ readonly tags: readonly string[]; readonly usersRead: number; readonly complete: boolean }>;
}

/** Site profiles, as the sites feature keeps them (main/app wires SiteService). */
export interface SitesPort {
  get(siteId: string): SiteProfileDto | undefined;
  list(): readonly SiteProfileDto[];
  save(input: SiteProfileInput): Promise<SiteProfileDto>;
}

export interface FieldsServiceOptions {
  readonly openConnection: (connectionId: string) => Promise<SalesforceApi>;
  readonly findConnection: (connectionId: string) => ConnectionDto | undefined;
  readonly meter: ApiCallMeter;
  readonly sites: SitesPort;
  readonly wordpressFor: (siteId: string) => WordpressPort;
  readonly cache: FieldCacheStore;
  /** Tells the Activity page what a refresh found. */
  readonly note?: (level: 'info' | 'warning', message: string) => void;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** How long a connection's object list is reused before `fields:objects` asks again (default 10 minutes). */
  readonly objectListTtlMs?: number;
}

interface CompositeResult {
  readonly body: unknown;
  readonly httpHeaders?: Record<string, string>;
  readonly httpStatusCode: number;
  readonly referenceId: string;
}

const TOPICS_SOQL = 'SELECT Id, Name FROM Topic ORDER BY Name';
/** Composite (`POST composite`) exists from API 38.0; below it, separate GETs. */
const COMPOSITE_FROM_VERSION = 38;
export const PREVIEW_USERS = 3;
/** Users read for the tags in use; a site with more says the list is partial. */
export const TAG_SCAN_USERS = 1_000;

export class FieldsService {
  readonly #options: FieldsServiceOptions;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #refreshing = new Map<string, Promise<FieldsStateDto>>();
  readonly #objectLists = new Map<string, { readonly at: number; readonly objects: readonly SalesforceObjectDto[] }>();

  constructor(options: FieldsServiceOptions) {
    this.#options = options;
    this.#log = options.log ?? silentLogger;
    this.#now = options.now ?? (() => new Date());
  }

  // ---- objects ----

  /** The objects a site can write users to, from the global describe (cached a few minutes per connection). */
  async objects(connectionId: string, fresh = false): Promise<ObjectListDto> {
    if (this.#options.findConnection(connectionId) === undefined) {
      throw new AppError('NOT_FOUND', 'That Salesforce connection no longer exists.', { hint: 'Reload the page and choose another connection.' });
    }
    const ttl = this.#options.objectListTtlMs ?? 10 * 60_000;
    const cached = this.#objectLists.get(connectionId);
    if (!fresh && cached !== undefined && this.#now().getTime() - cached.at < ttl) return { connectionId, objects: cached.objects, apiCalls: 0 };
    const api = await this.#options.openConnection(connectionId);
    const before = this.#options.meter.connectionCalls(connectionId);
    const body = await withSalesforceErrors(() => api.request('/sobjects'));
    const objects = objectsFromGlobalDescribe(body);
    this.#objectLists.set(connectionId, { at: this.#now().getTime(), objects });
    return { connectionId, objects, apiCalls: this.#options.meter.connectionCalls(connectionId) - before };
  }

  // ---- the cache ----

  /** What the last refresh loaded for the site, and whether it still describes the profile. */
  cached(siteId: string): FieldsStateDto {
    const site = this.#site(siteId);
    const stored = this.#options.cache.load(siteId);
    return { siteId, cache: stored?.cache ?? null, stale: stored === null ? null : this.#staleness(site, stored.cache) };
  }

  #staleness(site: SiteProfileDto, cache: FieldCacheDto): string | null {
    if (cache.objectType.toLowerCase() !== site.objectType.toLowerCase()) {
      return `The site now writes to ${site.objectType}; this list is ${cache.objectLabel}’s (${cache.objectType}). Refresh to load the fields of ${site.objectType}.`;
    }
    if (site.connectionId === null) return 'The site has no Salesforce connection now; choose one on the Sites page, then refresh.';
    const connection = this.#options.findConnection(site.connectionId);
    if (connection !== undefined && connection.orgId !== cache.orgId) return 'The site now uses a connection to another org. Refresh to load that org’s fields.';
    if (cache.tagMode !== site.tagMode || (site.tagMode === 'picklist' && (cache.tagField ?? '').toLowerCase() !== (site.tagField ?? '').toLowerCase())) {
      return 'The tag settings changed since this list was loaded. Refresh to load the tags for them.';
    }
    return null;
  }

  /** A deleted site's cache goes with it. */
  forget(siteId: string): void {
    this.#options.cache.delete(siteId);
  }

  // ---- refresh ----

  /** Loads the fields, record types and tags of the site's object. Concurrent calls for one site share one refresh. */
  refresh(siteId: string): Promise<FieldsStateDto> {
    const running = this.#refreshing.get(siteId);
    if (running !== undefined) return running;
    const pending = this.#refresh(siteId).finally(() => this.#refreshing.delete(siteId));
    this.#refreshing.set(siteId, pending);
    return pending;
  }

  async #refresh(siteId: string): Promise<FieldsStateDto> {
    const site = this.#site(siteId);
    if (site.connectionId === null) {
      throw new AppError('CONFLICT', `“${site.name}” has no Salesforce connection, so there is nothing to refresh from.`, { hint: 'Choose a connection for it on the Sites page, then refresh.' });
    }
    const connection = this.#options.findConnection(site.connectionId);
    if (connection === undefined) throw new AppError('NOT_FOUND', 'The site’s Salesforce connection no longer exists.', { hint: 'Choose another connection on the Sites page.' });
    const api = await this.#options.openConnection(site.connectionId);
    const previous = this.#options.cache.load(siteId);
    const comparable = previous !== null && previous.cache.objectType.toLowerCase() === site.objectType.toLowerCase() && previous.cache.orgId === connection.orgId;
    const { meter } = this.#options;
    const before = meter.siteCalls(siteId);
    const loaded = await meter.forSite(siteId, () => this.#load(api, site, comparable ? previous : null));
    const apiCalls = meter.siteCalls(siteId) - before;

    const describe = loaded.describe;
    const tags = buildTags({
      tagMode: site.tagMode,
      tagField: site.tagField,
      objectType: describe.name,
      objectLabel: describe.label,
      fields: describe.fields,
      topicsEnabled: describe.topicsEnabled,
      topics: loaded.topics,
      topicsProblem: loaded.topicsProblem,
    });
    const withoutDiff: FieldCacheDto = {
      siteId,
      connectionId: connection.id,
      orgId: connection.orgId,
      objectType: describe.name,
      objectLabel: describe.label,
      tagMode: site.tagMode,
      tagField: site.tagField,
      loadedAt: this.#now().toISOString(),
      fields: describe.fields,
      recordTypes: describe.recordTypes,
      topicsEnabled: describe.topicsEnabled,
      tags,
      lastRefresh: { apiCalls, describeChanged: loaded.describeChanged, topicPages: loaded.topicPages },
      diff: null,
    };
    const cache: FieldCacheDto = comparable ? { ...withoutDiff, diff: diffCaches(previous.cache, withoutDiff, settingsOf(site), site.tagMode === 'picklist' ? site.tagField : null) } : withoutDiff;
    this.#options.cache.save({ cache, describeLastModified: loaded.lastModified, apiVersion: api.version });
    this.#report(site, cache);
    return { siteId, cache, stale: null };
  }

  async #load(api: SalesforceApi, site: SiteProfileDto, previous: StoredFieldCache | null): Promise<{
    describe: ObjectDescribe;
    describeChanged: boolean;
    lastModified: string | null;
    topics: string[];
    topicPages: number;
    topicsProblem: { message: string; hint: string } | null;
  }> {
    const objectType = site.objectType;
    const wantTopics = site.tagMode === 'topics';
    // A 304 is only trusted for a describe read with the same API version.
    const since = previous !== null && previous.apiVersion === api.version ? previous.describeLastModified : null;
    const base = `/services/data/v${api.version}`;
    let describeResult: CompositeResult;
    let topicsResult: CompositeResult | undefined;
    if (Number.parseFloat(api.version) >= COMPOSITE_FROM_VERSION) {
      const compositeRequest = [
        { method: 'GET', url: `${base}/sobjects/${encodeURIComponent(objectType)}/describe`, referenceId: 'describe', ...(since === null ? {} : { httpHeaders: { 'If-Modified-Since': since } }) },
        ...(wantTopics ? [{ method: 'GET', url: `${base}/query?q=${encodeURIComponent(TOPICS_SOQL)}`, referenceId: 'topics' }] : []),
      ];
      const answer = await withSalesforceErrors(() =>
        api.request<{ compositeResponse?: CompositeResult[] }>({ method: 'POST', url: '/composite', body: JSON.stringify({ allOrNone: false, compositeRequest }), headers: { 'Content-Type': 'application/json' } }),
      );
      const results = answer.compositeResponse ?? [];
      const find = (ref: string) => results.find((result) => result.referenceId === ref);
      const describe = find('describe');
      if (describe === undefined) throw new AppError('SALESFORCE_ERROR', 'Salesforce answered the refresh without the object’s description.', { hint: 'Try Refresh again.' });
      describeResult = describe;
      topicsResult = wantTopics ? find('topics') : undefined;
    } else {
      describeResult = await this.#plainGet(api, `/sobjects/${encodeURIComponent(objectType)}/describe`);
      topicsResult = wantTopics ? await this.#plainGet(api, `/query?q=${encodeURIComponent(TOPICS_SOQL)}`) : undefined;
    }

    let describe: ObjectDescribe;
    let describeChanged = true;
    if (describeResult.httpStatusCode === 304 && previous !== null) {
      const cache = previous.cache;
      describe = { name: cache.objectType, label: cache.objectLabel, fields: cache.fields, recordTypes: cache.recordTypes, topicsEnabled: cache.topicsEnabled };
      describeChanged = false;
    } else if (describeResult.httpStatusCode >= 400) {
      throw describeFailure(objectType, describeResult);
    } else {
      describe = readObjectDescribe(describeResult.body, objectType);
    }
    const lastModified = headerOf(describeResult, 'Last-Modified') ?? (describeChanged ? null : since);

    let topics: string[] = [];
    let topicPages = 0;
    let topicsProblem: { message: string; hint: string } | null = null;
    if (topicsResult !== undefined) {
      if (topicsResult.httpStatusCode >= 400) {
        const errors = parseRestErrorBody(topicsResult.body);
        const code = errors[0]?.errorCode ?? '';
        if (code === 'INVALID_TYPE' || code === 'INSUFFICIENT_ACCESS') {
          topicsProblem = { message: `Salesforce did not let the connection’s user read Topics (${code}).`, hint: 'Give the user access to Topics (a profile or permission set with Read on Topic), then refresh.' };
        } else {
          throw fromRestErrors(errors);
        }
      } else {
        let page = topicsResult.body as QueryPage<{ Name?: unknown }>;
        topicPages = 1;
        topics = page.records.map((record) => String(record.Name ?? ''));
        while (!page.done && page.nextRecordsUrl !== undefined) {
          const next = page.nextRecordsUrl;
          page = await withSalesforceErrors(() => api.request<QueryPage<{ Name?: unknown }>>(next));
          topicPages += 1;
          topics.push(...page.records.map((record) => String(record.Name ?? '')));
        }
      }
    }
    return { describe, describeChanged, lastModified, topics, topicPages, topicsProblem };
  }

  /** Before API 38: the same reads as plain GETs (no 304s: jsforce hides the status). */
  async #plainGet(api: SalesforceApi, path: string): Promise<CompositeResult> {
    try {
      return { body: await api.request(path), httpStatusCode: 200, referenceId: path };
    } catch (error) {
      const body = (error as { data?: unknown }).data;
      const errors = parseRestErrorBody(body);
      if (errors.length === 0) throw error;
      return { body: errors, httpStatusCode: errorCodeOf(error) === 'NOT_FOUND' ? 404 : 400, referenceId: path };
    }
  }

  #report(site: SiteProfileDto, cache: FieldCacheDto): void {
    const calls = `${cache.lastRefresh.apiCalls} API call${cache.lastRefresh.apiCalls === 1 ? '' : 's'}`;
    const diff = cache.diff;
    const changes = diff === null ? '' : diff.changes.length === 0 && diff.topicsAdded.length === 0 && diff.topicsRemoved.length === 0 ? ', nothing changed' : `, ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}${diff.breaking > 0 ? ` (${diff.breaking} break${diff.breaking === 1 ? 's' : ''} the mapping)` : ''}`;
    const topicsOff = cache.tags.mode === 'topics' && !cache.tags.enabled ? ' Topics are not enabled for it.' : '';
    this.#options.note?.(diff !== null && diff.breaking > 0 ? 'warning' : 'info', `Fields of ${cache.objectType} refreshed for “${site.name}”: ${cache.fields.length} fields, ${calls}${changes}.${topicsOff}`);
    this.#log.info('fields refreshed', { siteId: site.id, objectType: cache.objectType, apiCalls: cache.lastRefresh.apiCalls, describeChanged: cache.lastRefresh.describeChanged });
  }

  // ---- mapping ----

  #context(site: SiteProfileDto, cache: FieldCacheDto): MappingContext {
    const others = this.#options.sites
      .list()
      .filter((other) => other.id !== site.id && other.objectType.toLowerCase() === cache.objectType.toLowerCase() && other.connectionId !== null && this.#options.findConnection(other.connectionId)?.orgId === cache.orgId)
      .map((other) => ({ name: other.name, matchKey: other.matchKey ?? DEFAULT_MATCH_KEY }));
    return { objectType: cache.objectType, fields: cache.fields, metaKeys: [], recordTypes: cache.recordTypes, otherSites: others };
  }

  #currentCache(site: SiteProfileDto, action: string): FieldCacheDto {
    const stored = this.#options.cache.load(site.id);
    if (stored === null) {
      throw new AppError('CONFLICT', `ForceSites has not loaded the fields of ${site.objectType} for “${site.name}” yet, so it cannot ${action}.`, { hint: 'Click “Refresh Available Topics & Fields” first.' });
    }
    const stale = this.#staleness(site, stored.cache);
    if (stale !== null) throw new AppError('CONFLICT', stale, { hint: `Click “Refresh Available Topics & Fields”, then ${action} again.` });
    return stored.cache;
  }

  /** Saves the mapping settings after checking them against the refreshed fields. */
  async saveMapping(siteId: string, settings: MappingSettings): Promise<SiteProfileDto> {
    const site = this.#site(siteId);
    const cache = this.#currentCache(site, 'check the mapping');
    const check = checkMapping(settings, this.#context(site, cache));
    if (check.errors.length > 0) {
      const more = check.errors.length > 1 ? ` (and ${check.errors.length - 1} more)` : '';
      throw new AppError('INVALID_REQUEST', `The mapping was not saved: ${check.errors[0]}${more}`, { hint: 'Fix what is marked in the mapping editor, then save again.' });
    }
    return this.#options.sites.save({ ...inputOf(site), ...settings, fieldMapping: settings.fieldMapping.map((row) => ({ ...row })), fieldDefaults: settings.fieldDefaults.map((entry) => ({ ...entry })) });
  }

  /** Three real WordPress users mapped with the settings being edited (not yet saved). */
  async preview(siteId: string, settings: MappingSettings): Promise<MappingPreviewDto> {
    const site = this.#site(siteId);
    const cache = this.#currentCache(site, 'preview the mapping');
    let users: readonly WordpressUser[];
    try {
      users = await this.#options.wordpressFor(siteId).sampleUsers(PREVIEW_USERS);
    } catch (error) {
      return { siteId, users: [], problem: asProblem(error, 'WordPress could not be read for the preview.') };
    }
    return { siteId, users: users.slice(0, PREVIEW_USERS).map((user) => previewUser(user, settings, cache.fields)), problem: null };
  }

  /** The WordPress side: meta keys the companion plugin exposes and the tags in use. */
  async wordpress(siteId: string): Promise<WordpressFieldsDto> {
    this.#site(siteId);
    const port = this.#options.wordpressFor(siteId);
    try {
      const [info, tags] = await Promise.all([port.exposedMetaKeys(), port.tagsInUse(TAG_SCAN_USERS)]);
      return { siteId, companionPlugin: info.companionPlugin, metaKeys: [...info.metaKeys].sort(), tags: [...tags.tags], usersRead: tags.usersRead, tagsComplete: tags.complete, problem: null };
    } catch (error) {
      return { siteId, companionPlugin: false, metaKeys: [], tags: [], usersRead: 0, tagsComplete: false, problem: asProblem(error, 'WordPress could not be read.') };
    }
  }

  // ---- export / import ----

  exportSite(siteId: string): SiteExportDto {
    return exportSettings(this.#site(siteId), this.#now());
  }

  /** Imports a settings file into a new profile, or into `siteId`'s settings. */
  async importSite(json: string, siteId: string | undefined): Promise<SiteProfileDto> {
    const file = readSettingsFile(json);
    if (siteId !== undefined) return this.#options.sites.save(siteWithFileSettings(this.#site(siteId), file));
    return this.#options.sites.save(newSiteFromFile(file, this.#options.sites.list().map((site) => site.name)));
  }

  #site(siteId: string): SiteProfileDto {
    const site = this.#options.sites.get(siteId);
    if (site === undefined) throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the page and choose another site.' });
    return site;
  }
}

export function settingsOf(site: SiteProfileDto): MappingSettings {
  return {
    fieldMapping: site.fieldMapping,
    fieldDefaults: site.fieldDefaults ?? [],
    matchKey: site.matchKey ?? DEFAULT_MATCH_KEY,
    recordTypeId: site.recordTypeId ?? null,
    sendEmptyValues: site.sendEmptyValues ?? false,
  };
}

/** The save request that leaves a profile as it is (no password: the keychain keeps it). */
export function inputOf(site: SiteProfileDto): SiteProfileInput {
  return {
    id: site.id,
    name: site.name,
    wordpressUrl: site.wordpressUrl,
    wordpressUsername: site.wordpressUsername,
    connectionId: site.connectionId,
    objectType: site.objectType,
    tagMode: site.tagMode,
    tagField: site.tagField,
    fieldMapping: site.fieldMapping.map((row) => ({ ...row })),
  };
}

function headerOf(result: CompositeResult, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(result.httpHeaders ?? {})) if (key.toLowerCase() === wanted && typeof value === 'string' && value !== '') return value;
  return null;
}

function describeFailure(objectType: string, result: CompositeResult): AppError {
  const errors = parseRestErrorBody(result.body);
  if (result.httpStatusCode === 404 || errors[0]?.errorCode === 'NOT_FOUND' || errors[0]?.errorCode === 'INVALID_TYPE') {
    return new AppError('NOT_FOUND', `Salesforce has no object ${objectType} that the connection’s user can see.`, {
      hint: 'Check the object’s API name on the Sites page (custom objects end in __c), and that the user’s profile can read, create and edit it.',
    });
  }
  return fromRestErrors(errors.length > 0 ? errors : [{ errorCode: `ERROR_HTTP_${result.httpStatusCode}`, message: `Salesforce answered ${result.httpStatusCode} to the description of ${objectType}.` }]);
}

function asProblem(error: unknown, fallback: string): ErrorDto {
  if (error instanceof AppError) return error.toDto();
  return { code: 'INTERNAL', message: fallback, hint: 'Try again; the Activity page lists what ForceSites did.' };
}
