/**
 * The parts of main/fields that the emulator cannot drive to every branch: a body that is not
 * a describe, a cache file that is damaged or cannot be written, tag modes' messages, diff
 * rules for required / read-only / record types / removed picklist values, and the refresh
 * through plain GETs below API 38 and with Topics the user may not read.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import type { FieldCacheDto, MappingSettings, SalesforceFieldDto } from '../../../common/fields-models';
import type { SiteProfileDto } from '../../../common/models';
import { objectsFromGlobalDescribe, readObjectDescribe } from '../../../main/fields/describe-reader';
import { FieldCacheStore } from '../../../main/fields/field-cache-store';
import { diffCaches } from '../../../main/fields/field-diff';
import { FieldsService, type WordpressPort } from '../../../main/fields/fields-service';
import { buildTags } from '../../../main/fields/tags';
import { ApiCallMeter } from '../../../main/salesforce/api-call-meter';
import type { SalesforceApi, SalesforceRequest } from '../../../main/salesforce/salesforce-api';
import { CapturingLogger } from '../../fakes/capturing-logger';

const contactDescribe = JSON.parse(readFileSync('test/salesforce-emulator/fixtures/recorded/Contact.describe.json', 'utf8')) as Record<string, unknown>;
const contact = readObjectDescribe(contactDescribe, 'Contact');

function cache(overrides: Partial<FieldCacheDto> = {}): FieldCacheDto {
  return {
    siteId: 'site-1',
    connectionId: 'conn-1',
    orgId: '00D000000000001',
    objectType: 'Contact',
    objectLabel: 'Contact',
    tagMode: 'none',
    tagField: null,
    loadedAt: '2026-11-20T08:00:00.000Z',
    fields: contact.fields,
    recordTypes: contact.recordTypes,
    topicsEnabled: true,
    tags: { mode: 'none' },
    lastRefresh: { apiCalls: 1, describeChanged: true, topicPages: 0 },
    diff: null,
    ...overrides,
  };
}

const settings = (overrides: Partial<MappingSettings> = {}): MappingSettings => ({
  fieldMapping: [{ wordpressField: 'email', salesforceField: 'Email', direction: 'push' }],
  fieldDefaults: [],
  matchKey: { kind: 'email', field: 'Email' },
  recordTypeId: null,
  sendEmptyValues: false,
  ...overrides,
});

const withField = (name: string, patch: Partial<SalesforceFieldDto>): SalesforceFieldDto[] => contact.fields.map((field) => (field.name === name ? { ...field, ...patch } : field));

describe('describe reader', () => {
  it('reads the recorded describe: topics enabled, Master record type', () => {
    expect(contact.topicsEnabled).toBe(true);
    expect(contact.recordTypes).toEqual([{ id: '012000000000000AAA', name: 'Master', developerName: 'Master', active: true, available: true, master: true, defaultForUser: true }]);
  });

  it('refuses a body that is not a describe instead of showing no fields', () => {
    for (const body of ['<html>proxy</html>', { message: 'x' }, null]) {
      expect(() => readObjectDescribe(body, 'Lead')).toThrow('Salesforce answered the description of Lead with something that is not a describe.');
      const error = (() => {
        try {
          readObjectDescribe(body, 'Lead');
        } catch (thrown) {
          return thrown as AppError;
        }
        return undefined;
      })();
      expect(error).toMatchObject({ code: 'SALESFORCE_ERROR', hint: 'Try Refresh again. If it keeps happening, a proxy or firewall may be answering instead of Salesforce.' });
      expect(() => objectsFromGlobalDescribe(body)).toThrow(/answered the list of objects with something that is not a describe/);
    }
  });

  it('keeps objects that are createable, updateable and queryable, and no custom settings', () => {
    const objects = objectsFromGlobalDescribe({
      sobjects: [
        { name: 'Lead', label: 'Lead', createable: true, updateable: true, queryable: true },
        { name: 'User', label: 'User', createable: false, updateable: true, queryable: true },
        { name: 'Log__e', label: 'Log', createable: true, updateable: false, queryable: false },
        { name: 'Config__c', label: 'Config', createable: true, updateable: true, queryable: true, customSetting: true, custom: true },
        { name: 'Account', label: 'Account', createable: true, updateable: true, queryable: true },
      ],
    });
    expect(objects.map((object) => object.name)).toEqual(['Account', 'Lead']);
  });
});

describe('field cache file', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'forcesites-field-cache-'));

  it('writes 0600 beside the profile and reads back; a damaged or foreign file is "not loaded", and logged', () => {
    const logger = new CapturingLogger();
    const store = new FieldCacheStore(dir(), logger);
    store.save({ cache: cache(), describeLastModified: 'Sun, 29 Nov 2026 12:00:00 GMT', apiVersion: '66.0' });
    const file = store.fileOf('site-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.load('site-1')?.describeLastModified).toBe('Sun, 29 Nov 2026 12:00:00 GMT');
    writeFileSync(file, '{"format":"forcesites-field-cache","version":1,"stored":');
    expect(store.load('site-1')).toBeNull();
    writeFileSync(file, JSON.stringify({ format: 'other', version: 1 }));
    expect(store.load('site-1')).toBeNull();
    expect(logger.lines).toEqual(['warn ignoring a field cache that is not JSON; it will be refreshed {"siteId":"site-1"}', 'warn ignoring a field cache of another format; it will be refreshed {"siteId":"site-1"}']);
    expect(store.load('never-refreshed')).toBeNull();
  });

  it('never builds a path from something path-like, and says what to do when the disk refuses', () => {
    const root = dir();
    const store = new FieldCacheStore(root);
    expect(() => store.fileOf('../profile')).toThrow('That is not a site id.');
    writeFileSync(path.join(root, 'field-cache'), 'a file where the folder should be');
    const failure = (() => {
      try {
        store.save({ cache: cache(), describeLastModified: null, apiVersion: '66.0' });
      } catch (error) {
        return error as AppError;
      }
      return undefined;
    })();
    expect(failure?.code).toBe('PROFILE_FILE_ERROR');
    expect(failure?.hint).toBe('Check that the disk is not full and that ForceSites may write to its data folder, then refresh again.');
  });
});

describe('tags', () => {
  const input = { objectType: 'Contact', objectLabel: 'Contact', fields: contact.fields, topicsEnabled: true, topics: [] as string[] };

  it('picklist mode: no field chosen, a single-select, a read-only field', () => {
    expect(buildTags({ ...input, tagMode: 'picklist', tagField: null })).toMatchObject({ problem: { message: 'No tag field is chosen.', hint: 'Choose the multi-select picklist of Contact that holds tags, on the Sites page.' } });
    const single = buildTags({ ...input, tagMode: 'picklist', tagField: 'LeadSource' });
    expect(single).toMatchObject({ mode: 'picklist', multiSelect: false, restricted: false, problem: { message: 'LeadSource holds one value, so a record keeps only one tag.', hint: 'Choose a multi-select picklist to keep several tags.' } });
    const readOnly = buildTags({ ...input, fields: withField('LeadSource', { createable: false, updateable: false }), tagMode: 'picklist', tagField: 'LeadSource' });
    expect(readOnly.mode === 'picklist' && readOnly.problem?.message).toContain('LeadSource is read-only for the connection’s user, so tags cannot be written to it.');
  });

  it('topics mode passes on why Topics could not be read', () => {
    expect(buildTags({ ...input, tagMode: 'topics', tagField: null, topicsProblem: { message: 'no access', hint: 'grant it' } })).toEqual({ mode: 'topics', enabled: true, topics: [], problem: { message: 'no access', hint: 'grant it' } });
  });
});

describe('diff rules', () => {
  it('a field that becomes required breaks only when nothing fills it', () => {
    const next = cache({ fields: withField('Title', { requiredOnCreate: true, nillable: false }) });
    expect(diffCaches(cache(), next, settings(), null).changes).toEqual([
      { kind: 'now-required', field: 'Title', label: 'Title', detail: 'Now required on new records', breaks: 'Contact now requires Title: map a WordPress field to it or give it a default.' },
    ]);
    expect(diffCaches(cache(), next, settings({ fieldDefaults: [{ salesforceField: 'Title', value: 'Member' }] }), null).changes[0]?.breaks).toBeNull();
  });

  it('a field that becomes read-only breaks what writes it, not what reads it', () => {
    const next = cache({ fields: withField('Title', { createable: false, updateable: false }) });
    const writes = settings({ fieldMapping: [...settings().fieldMapping, { wordpressField: 'nickname', salesforceField: 'Title', direction: 'push' }] });
    expect(diffCaches(cache(), next, writes, null).changes[0]).toMatchObject({ kind: 'now-read-only', breaks: 'Title can no longer be written, and the mapping nickname → Title (WordPress → Salesforce) writes it.' });
    const reads = settings({ fieldMapping: [{ wordpressField: 'nickname', salesforceField: 'Title', direction: 'pull' }] });
    expect(diffCaches(cache(), next, reads, null).changes[0]?.breaks).toBeNull();
  });

  it('the chosen record type removed or deactivated breaks; others are listed', () => {
    const web = { id: '012000000000001AAA', name: 'Web', developerName: 'Web', active: true, available: true, master: false, defaultForUser: false };
    const shop = { ...web, id: '012000000000002AAA', name: 'Shop', developerName: 'Shop' };
    const before = cache({ recordTypes: [...contact.recordTypes, web, shop] });
    const chosenWeb = settings({ recordTypeId: web.id });
    expect(diffCaches(before, cache({ recordTypes: [...contact.recordTypes, shop] }), chosenWeb, null).changes).toEqual([
      { kind: 'record-type-removed', field: 'Web', label: 'Web', detail: 'Removed', breaks: 'New records were set to record type Web, which is gone: choose another.' },
    ]);
    expect(diffCaches(before, cache({ recordTypes: [...contact.recordTypes, { ...web, active: false }, shop] }), chosenWeb, null).changes[0]).toMatchObject({ detail: 'Deactivated' });
    expect(diffCaches(cache(), before, chosenWeb, null).changes.map((change) => [change.kind, change.field, change.breaks])).toEqual([
      ['record-type-added', 'Web', null],
      ['record-type-added', 'Shop', null],
    ]);
  });

  it('removed values of a restricted picklist the mapping writes break it', () => {
    const values = (names: string[]) => names.map((value) => ({ value, label: value, active: true, defaultValue: false }));
    const before = cache({ fields: withField('LeadSource', { restrictedPicklist: true, picklistValues: values(['Web', 'Phone']) }) });
    const after = cache({ fields: withField('LeadSource', { restrictedPicklist: true, picklistValues: values(['Web']) }) });
    const writes = settings({ fieldMapping: [...settings().fieldMapping, { wordpressField: 'meta:source', salesforceField: 'LeadSource', direction: 'push' }] });
    expect(diffCaches(before, after, writes, null).changes).toEqual([
      {
        kind: 'picklist-removed',
        field: 'LeadSource',
        label: 'Lead Source',
        detail: 'Phone',
        breaks: 'Phone was removed: LeadSource is restricted, so the mapping meta:source → LeadSource (WordPress → Salesforce) can no longer send it (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).',
      },
    ]);
  });
});

/** A Salesforce that answers from a table, for the branches the emulator does not reach. */
class ScriptedApi implements SalesforceApi {
  readonly instanceUrl = 'https://acme.my.salesforce.com';
  readonly metadata = { read: async () => undefined };
  readonly requests: string[] = [];
  constructor(
    readonly version: string,
    private readonly answer: (request: SalesforceRequest) => unknown,
  ) {}
  async request<T>(request: string | SalesforceRequest): Promise<T> {
    const normal = typeof request === 'string' ? { method: 'GET' as const, url: request } : request;
    this.requests.push(`${normal.method} ${normal.url}`);
    const value = this.answer(normal);
    if (value instanceof Error) throw value;
    return value as T;
  }
}

function serviceWith(api: ScriptedApi, site: Partial<SiteProfileDto> = {}) {
  const profile: SiteProfileDto = {
    id: 'site-1',
    name: 'Members',
    wordpressUrl: 'https://members.example.org',
    wordpressUsername: 'admin',
    hasWordpressPassword: true,
    connectionId: 'conn-1',
    objectType: 'Contact',
    tagMode: 'topics',
    tagField: null,
    fieldMapping: [],
    authorizedAt: null,
    lastCheckedAt: null,
    lastSyncedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...site,
  };
  const noWordpress: WordpressPort = { exposedMetaKeys: async () => ({ companionPlugin: false, metaKeys: [] }), sampleUsers: async () => [], tagsInUse: async () => ({ tags: [], usersRead: 0, complete: true }) };
  const meter = new ApiCallMeter();
  return new FieldsService({
    openConnection: async () => ({
      ...api,
      version: api.version,
      instanceUrl: api.instanceUrl,
      metadata: api.metadata,
      request: async <T>(request: string | SalesforceRequest) => {
        meter.record('conn-1');
        return api.request<T>(request);
      },
    }),
    findConnection: () => ({ id: 'conn-1', orgId: '00D000000000001' }) as never,
    meter,
    sites: { get: () => profile, list: () => [profile], save: async () => profile },
    wordpressFor: () => noWordpress,
    cache: new FieldCacheStore(mkdtempSync(path.join(tmpdir(), 'forcesites-fields-unit-'))),
  });
}

describe('refresh branches', () => {
  it('below API 38 reads with plain GETs, and counts them', async () => {
    const api = new ScriptedApi('37.0', (request) => (request.url.includes('/describe') ? contactDescribe : { totalSize: 1, done: true, records: [{ Name: 'News' }] }));
    const state = await serviceWith(api).refresh('site-1');
    expect(api.requests).toEqual(['GET /sobjects/Contact/describe', `GET /query?q=${encodeURIComponent('SELECT Id, Name FROM Topic ORDER BY Name')}`]);
    expect(state.cache?.lastRefresh).toEqual({ apiCalls: 2, describeChanged: true, topicPages: 1 });
    expect(state.cache?.tags).toMatchObject({ enabled: true, topics: ['News'] });
  });

  it('Topics the user may not read are a problem with what to do, not an empty list', async () => {
    const api = new ScriptedApi('66.0', () => ({
      compositeResponse: [
        { referenceId: 'describe', httpStatusCode: 200, httpHeaders: {}, body: contactDescribe },
        { referenceId: 'topics', httpStatusCode: 400, httpHeaders: {}, body: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' }] },
      ],
    }));
    const state = await serviceWith(api).refresh('site-1');
    expect(state.cache?.tags).toEqual({
      mode: 'topics',
      enabled: true,
      topics: [],
      problem: { message: 'Salesforce did not let the connection’s user read Topics (INSUFFICIENT_ACCESS).', hint: 'Give the user access to Topics (a profile or permission set with Read on Topic), then refresh.' },
    });
    expect(state.cache?.lastRefresh.apiCalls).toBe(1);
  });

  it('a describe that fails for another reason keeps Salesforce’s code and message', async () => {
    const api = new ScriptedApi('66.0', () => ({ compositeResponse: [{ referenceId: 'describe', httpStatusCode: 403, httpHeaders: {}, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }] }] }));
    await expect(serviceWith(api, { tagMode: 'none' }).refresh('site-1')).rejects.toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', message: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.' });
  });
});
