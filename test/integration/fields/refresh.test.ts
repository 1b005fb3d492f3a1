/**
 * "Refresh Available Topics & Fields" through the IPC contract, against the Salesforce
 * emulator: what one refresh loads, how many API calls it takes (counted by ForceSites's
 * meter AND by the emulator, which must agree), what changed between two refreshes and what
 * that breaks, Topics that are off or paged, restricted picklists, record types, the object
 * list, stale caches, saving the mapping, export and import.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../common/contract';
import type { FieldCacheDto, MappingSettings } from '../../../common/fields-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from '../app/app-harness';

const emu = useEmulator();

interface Setup {
  readonly h: AppHarness;
  readonly siteId: string;
  readonly connectionId: string;
  readonly site: RequestOf<'sites:save'>;
}

async function setup(overrides: Partial<RequestOf<'sites:save'>> = {}): Promise<Setup> {
  const h = await startAppHarness(emu);
  const signedIn = await h.signIn();
  const connectionId = signedIn.connection!.id;
  const site: RequestOf<'sites:save'> = {
    name: 'Members',
    wordpressUrl: 'https://members.example.org',
    wordpressUsername: 'admin',
    connectionId,
    objectType: 'Contact',
    tagMode: 'topics',
    tagField: null,
    fieldMapping: [],
    ...overrides,
  };
  const saved = await h.call('sites:save', site);
  return { h, siteId: saved.id, connectionId, site: { ...site, id: saved.id } };
}

/** API requests the emulator received (token calls are not API calls). */
function emulatorCalls(): number {
  const counts = emu.handle.apiCalls();
  return counts.total - counts.token;
}

async function refresh(s: Setup): Promise<{ cache: FieldCacheDto; emulatorCalls: number }> {
  const before = emulatorCalls();
  const state = await s.h.call('fields:refresh', { siteId: s.siteId });
  expect(state.stale).toBeNull();
  return { cache: state.cache!, emulatorCalls: emulatorCalls() - before };
}

const leadSettings = (overrides: Partial<MappingSettings> = {}): MappingSettings => ({
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'push' },
    { wordpressField: 'meta:company', salesforceField: 'Company', direction: 'push' },
  ],
  fieldDefaults: [
    { salesforceField: 'LastName', value: '[not provided]' },
    { salesforceField: 'Company', value: '[not provided]' },
  ],
  matchKey: { kind: 'email', field: 'Email' },
  recordTypeId: null,
  sendEmptyValues: false,
  ...overrides,
});

describe('one refresh', () => {
  it('loads every field with its properties, record types and all Topics in ONE API call, and caches it beside the profile', async () => {
    emu.handle.seed(undefined, 'Topic', [{ Name: 'Newsletter' }, { Name: 'Events' }, { Name: 'member' }]);
    const s = await setup();
    const { cache, emulatorCalls: calls } = await refresh(s);
    expect(cache.lastRefresh).toEqual({ apiCalls: 1, describeChanged: true, topicPages: 1 });
    expect(calls).toBe(cache.lastRefresh.apiCalls);
    expect(cache.objectType).toBe('Contact');
    expect(cache.fields.length).toBeGreaterThan(50);
    expect(cache.fields.find((f) => f.name === 'LastName')).toMatchObject({ type: 'string', length: 80, requiredOnCreate: true, createable: true, updateable: true });
    expect(cache.fields.find((f) => f.name === 'Email')).toMatchObject({ type: 'email', length: 80, idLookup: true, requiredOnCreate: false });
    expect(cache.fields.find((f) => f.name === 'Name')).toMatchObject({ createable: false, updateable: false });
    expect(cache.fields.find((f) => f.name === 'LeadSource')?.picklistValues.length).toBeGreaterThan(0);
    expect(cache.recordTypes.map((t) => t.developerName)).toEqual(['Master']);
    expect(cache.tags).toEqual({ mode: 'topics', enabled: true, topics: ['Events', 'member', 'Newsletter'], problem: null });
    expect(cache.diff).toBeNull();

    const file = path.join(s.h.dataDir, 'field-cache', `${s.siteId}.json`);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(s.h.dataDir, 'profile.json'), 'utf8')).not.toContain('LeadSource');
    // fields:cached answers from the file, without Salesforce.
    const before = emulatorCalls();
    expect((await s.h.call('fields:cached', { siteId: s.siteId })).cache?.loadedAt).toBe(cache.loadedAt);
    expect(emulatorCalls()).toBe(before);
    await s.h.app.close();
  });

  it('when nothing changed: one call, Salesforce answers 304 for the describe, and the diff says nothing changed', async () => {
    const s = await setup();
    await refresh(s);
    emu.handle.advanceClock({ minutes: 5 });
    const { cache, emulatorCalls: calls } = await refresh(s);
    expect(cache.lastRefresh).toEqual({ apiCalls: 1, describeChanged: false, topicPages: 1 });
    expect(calls).toBe(1);
    expect(cache.fields.find((f) => f.name === 'LastName')?.requiredOnCreate).toBe(true);
    expect(cache.diff).toMatchObject({ changes: [], breaking: 0, topicsAdded: [], topicsRemoved: [] });
    await s.h.app.close();
  });

  it('pages Topics past 2,000: one more call per 2,000, counted', async () => {
    emu.handle.seed(
      undefined,
      'Topic',
      Array.from({ length: 2_500 }, (_, i) => ({ Name: `Topic ${String(i).padStart(4, '0')}` })),
    );
    const s = await setup();
    const { cache, emulatorCalls: calls } = await refresh(s);
    expect(cache.tags.mode === 'topics' && cache.tags.topics.length).toBe(2_500);
    expect(cache.lastRefresh).toEqual({ apiCalls: 2, describeChanged: true, topicPages: 2 });
    expect(calls).toBe(2);
    await s.h.app.close();
  });

  it('tag mode none or picklist reads no Topics', async () => {
    const s = await setup({ tagMode: 'none' });
    const { cache } = await refresh(s);
    expect(cache.tags).toEqual({ mode: 'none' });
    expect(cache.lastRefresh).toEqual({ apiCalls: 1, describeChanged: true, topicPages: 0 });
    await s.h.app.close();
  });
});

describe('what changed between two refreshes', () => {
  it('shows fields added, removed, retyped and resized, picklist values added and deactivated, and which break the mapping', async () => {
    emu.handle.addCustomField(undefined, 'Lead', { name: 'Interests__c', label: 'Interests', type: 'multipicklist', picklistValues: ['News', 'Sport', 'Music'], restrictedPicklist: true });
    emu.handle.addCustomField(undefined, 'Lead', { name: 'Level__c', label: 'Level', type: 'string', length: 50 });
    emu.handle.addCustomField(undefined, 'Lead', { name: 'Legacy__c', label: 'Legacy', type: 'string', length: 20 });
    emu.handle.seed(undefined, 'Topic', [{ Name: 'Old topic' }]);
    const s = await setup({ objectType: 'Lead', tagMode: 'picklist', tagField: 'Interests__c' });
    await refresh(s);
    const saved = await s.h.call('fields:save-mapping', {
      siteId: s.siteId,
      settings: leadSettings({
        fieldMapping: [
          ...leadSettings().fieldMapping,
          { wordpressField: 'meta:level', salesforceField: 'Level__c', direction: 'push' },
          { wordpressField: 'meta:legacy', salesforceField: 'Legacy__c', direction: 'both' },
          { wordpressField: 'nickname', salesforceField: 'Title', direction: 'push' },
        ],
      }),
    });
    expect(saved.fieldMapping).toHaveLength(6);

    // An admin edits the org in Setup.
    emu.handle.advanceClock({ seconds: 10 });
    emu.handle.addCustomField(undefined, 'Lead', { name: 'Shoe_Size__c', label: 'Shoe size', type: 'double', precision: 4, scale: 1 });
    emu.handle.removeField(undefined, 'Lead', 'Legacy__c');
    emu.handle.changeField(undefined, 'Lead', 'Level__c', { type: 'double', precision: 3, scale: 0 });
    emu.handle.changeField(undefined, 'Lead', 'Title', { length: 40 });
    emu.handle.changeField(undefined, 'Lead', 'Interests__c', { picklistValues: [{ value: 'News', active: false }, 'Sport', 'Music', 'Travel'] });
    const { cache } = await refresh(s);
    expect(cache.lastRefresh.describeChanged).toBe(true);
    const diff = cache.diff!;
    const change = (kind: string, field: string) => diff.changes.find((c) => c.kind === kind && c.field === field);
    expect(change('added', 'Shoe_Size__c')).toMatchObject({ detail: 'Number(3, 1)', breaks: null });
    expect(change('removed', 'Legacy__c')?.breaks).toBe('Legacy__c is gone, and the mapping meta:legacy → Legacy__c (both ways) still uses it.');
    expect(change('retyped', 'Level__c')).toMatchObject({ detail: 'Text(50) → Number(3, 0)' });
    // Meta values may be numbers: a warning for the pair, so not counted as breaking.
    expect(change('retyped', 'Level__c')?.breaks).toBeNull();
    expect(change('resized', 'Title')).toMatchObject({ detail: 'Text(128) → Text(40)', breaks: 'nickname → Title (WordPress → Salesforce): values that fitted before may now be refused (STRING_TOO_LONG).' });
    expect(change('picklist-added', 'Interests__c')).toMatchObject({ detail: 'Travel', breaks: null });
    expect(change('picklist-deactivated', 'Interests__c')?.breaks).toBe(
      'News was deactivated: Interests__c is restricted, so the tags can no longer send it (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).',
    );
    expect(diff.breaking).toBe(diff.changes.filter((c) => c.breaks !== null).length);
    expect(diff.breaking).toBeGreaterThanOrEqual(3);
    expect(cache.tags).toMatchObject({ mode: 'picklist', values: ['Sport', 'Music', 'Travel'], inactiveValues: ['News'] });
    await s.h.app.close();
  });

  it('a retyped field whose pair no longer works is named as breaking', async () => {
    emu.handle.addCustomField(undefined, 'Contact', { name: 'Joined__c', label: 'Joined', type: 'datetime' });
    const s = await setup();
    await refresh(s);
    await s.h.call('fields:save-mapping', {
      siteId: s.siteId,
      settings: leadSettings({ fieldMapping: [leadSettings().fieldMapping[0]!, { wordpressField: 'registered_date', salesforceField: 'Joined__c', direction: 'push' }], fieldDefaults: [{ salesforceField: 'LastName', value: 'Member' }] }),
    });
    emu.handle.advanceClock({ seconds: 10 });
    emu.handle.changeField(undefined, 'Contact', 'Joined__c', { type: 'boolean' });
    const { cache } = await refresh(s);
    expect(cache.diff?.changes.find((c) => c.field === 'Joined__c')).toMatchObject({
      kind: 'retyped',
      detail: 'Date/Time → Checkbox',
      breaks: 'Breaks registered_date → Joined__c (WordPress → Salesforce): Registered holds a date and time; Joined__c is Checkbox.',
    });
    await s.h.app.close();
  });

  it('lists Topics added and removed since the previous refresh', async () => {
    const [oldTopic] = emu.handle.seed(undefined, 'Topic', [{ Name: 'Retired' }, { Name: 'Kept' }]);
    const s = await setup();
    await refresh(s);
    emu.handle.seed(undefined, 'Topic', [{ Name: 'Fresh' }]);
    const api = await s.h.app.registry.open(s.connectionId);
    await api.request({ method: 'DELETE', url: `/sobjects/Topic/${oldTopic}` });
    const { cache } = await refresh(s);
    expect(cache.diff).toMatchObject({ topicsAdded: ['Fresh'], topicsRemoved: ['Retired'] });
    await s.h.app.close();
  });
});

describe('tag modes', () => {
  it('Topics not enabled for the object: says so with the Setup path, never an empty list as if there were none', async () => {
    emu.handle.seed(undefined, 'Topic', [{ Name: 'Newsletter' }]);
    emu.handle.setTopicsEnabled(undefined, 'Lead', false);
    const s = await setup({ objectType: 'Lead' });
    const { cache } = await refresh(s);
    expect(cache.topicsEnabled).toBe(false);
    expect(cache.tags).toEqual({
      mode: 'topics',
      enabled: false,
      topics: [],
      problem: {
        message: 'Topics are not enabled for Lead (Lead), so Salesforce does not let ForceSites tag these records with topics.',
        hint: 'In Salesforce: Setup → Topics for Objects → Lead → tick “Enable Topics” → Save. Then refresh here. Or use a picklist field for tags.',
      },
    });
    const activity = await s.h.call('activity:list', {});
    expect(activity.some((entry) => entry.message.includes('Topics are not enabled for it.'))).toBe(true);

    // Enabling them changes the describe, so the next refresh sees it (no stale 304).
    emu.handle.advanceClock({ seconds: 5 });
    emu.handle.setTopicsEnabled(undefined, 'Lead', true);
    const again = await refresh(s);
    expect(again.cache.tags).toMatchObject({ mode: 'topics', enabled: true, topics: ['Newsletter'], problem: null });
    await s.h.app.close();
  });

  it('a custom object starts without topics', async () => {
    emu.handle.addCustomObject(undefined, { name: 'Member__c', label: 'Member', fields: [{ name: 'Email__c', label: 'Email', type: 'email' }] });
    const s = await setup({ objectType: 'Member__c' });
    const { cache } = await refresh(s);
    expect(cache.objectLabel).toBe('Member');
    expect(cache.tags.mode === 'topics' && cache.tags.problem?.hint).toContain('Setup → Topics for Objects → Member');
    await s.h.app.close();
  });

  it('a restricted picklist warns that unknown values are rejected and cannot be created from here', async () => {
    emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['Newsletter', 'Member'], restrictedPicklist: true });
    const s = await setup({ tagMode: 'picklist', tagField: 'WP_Tags__c' });
    const { cache } = await refresh(s);
    expect(cache.tags).toMatchObject({ mode: 'picklist', field: 'WP_Tags__c', fieldLabel: 'WP Tags', multiSelect: true, restricted: true, values: ['Newsletter', 'Member'] });
    expect(cache.tags.mode === 'picklist' && cache.tags.problem).toEqual({
      message:
        'WP_Tags__c is a restricted picklist: Salesforce refuses tags that are not among its values (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST), and ForceSites cannot add values from here — the data API cannot change a picklist.',
      hint: 'Add the missing values in Setup → Object Manager → Contact → Fields & Relationships → WP Tags → Values, then refresh.',
    });
    await s.h.app.close();
  });

  it('a tag field that is missing or not a picklist is a problem, not an empty list', async () => {
    const missing = await setup({ tagMode: 'picklist', tagField: 'Nope__c' });
    expect((await refresh(missing)).cache.tags).toMatchObject({ mode: 'picklist', values: [], problem: { message: 'Contact has no field Nope__c.' } });
    await missing.h.app.close();
    const text = await setup({ tagMode: 'picklist', tagField: 'Title' });
    expect((await refresh(text)).cache.tags).toMatchObject({ problem: { message: 'Title is a string field, not a picklist.' } });
    await text.h.app.close();
  });
});

describe('record types', () => {
  it('lists active and available ones, and the mapping refuses one the user cannot use', async () => {
    const web = emu.handle.addRecordType(undefined, 'Lead', { name: 'Web', default: true });
    const partner = emu.handle.addRecordType(undefined, 'Lead', { name: 'Partner', available: false });
    emu.handle.addRecordType(undefined, 'Lead', { name: 'Old', active: false });
    const s = await setup({ objectType: 'Lead' });
    const { cache } = await refresh(s);
    expect(cache.recordTypes.map((t) => [t.developerName, t.active, t.available, t.defaultForUser])).toEqual([
      ['Master', true, true, false],
      ['Web', true, true, true],
      ['Partner', true, false, false],
      ['Old', false, true, false],
    ]);
    const refused = await s.h.send('fields:save-mapping', { siteId: s.siteId, settings: leadSettings({ recordTypeId: partner }) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'The mapping was not saved: Record type Partner is not available to the connection’s user: Salesforce refuses it (FIELD_INTEGRITY_EXCEPTION).' } });
    const saved = await s.h.call('fields:save-mapping', { siteId: s.siteId, settings: leadSettings({ recordTypeId: web }) });
    expect(saved.recordTypeId).toBe(web);
    await s.h.app.close();
  });
});

describe('objects and staleness', () => {
  it('offers the objects that are createable, updateable and queryable, and reuses the list for a while', async () => {
    emu.handle.addCustomObject(undefined, { name: 'Member__c', label: 'Member' });
    const s = await setup();
    const first = await s.h.call('fields:objects', { connectionId: s.connectionId });
    const names = first.objects.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Contact', 'Lead', 'Account', 'Member__c']));
    expect(names).not.toContain('User'); // not createable through the API
    expect(names).not.toContain('OauthToken');
    expect(first.objects.find((o) => o.name === 'Member__c')).toEqual({ name: 'Member__c', label: 'Member', custom: true });
    expect(first.apiCalls).toBe(1);
    expect((await s.h.call('fields:objects', { connectionId: s.connectionId })).apiCalls).toBe(0);
    expect((await s.h.call('fields:objects', { connectionId: s.connectionId, fresh: true })).apiCalls).toBe(1);
    await s.h.app.close();
  });

  it('changing the object type makes the cache stale, and the mapping cannot be saved until a refresh', async () => {
    const s = await setup();
    await refresh(s);
    await s.h.call('sites:save', { ...s.site, objectType: 'Lead' });
    const state = await s.h.call('fields:cached', { siteId: s.siteId });
    expect(state.stale).toBe('The site now writes to Lead; this list is Contact’s (Contact). Refresh to load the fields of Lead.');
    const refused = await s.h.send('fields:save-mapping', { siteId: s.siteId, settings: leadSettings() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', hint: 'Click “Refresh Available Topics & Fields”, then check the mapping again.' } });
    const { cache } = await refresh(s);
    expect(cache.objectType).toBe('Lead');
    expect(cache.diff).toBeNull(); // another object: nothing to compare with
    expect((await s.h.call('fields:save-mapping', { siteId: s.siteId, settings: leadSettings() })).fieldDefaults).toHaveLength(2);
    await s.h.app.close();
  });

  it('a mapping that cannot work is refused with the first reason; a missing object and a missing connection say what to do', async () => {
    const s = await setup({ objectType: 'Lead' });
    await refresh(s);
    const refused = await s.h.send('fields:save-mapping', { siteId: s.siteId, settings: leadSettings({ fieldDefaults: [] , fieldMapping: [leadSettings().fieldMapping[0]!] }) });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'The mapping was not saved: Lead requires LastName (Last Name): map a WordPress field to it, or give it a default such as “[not provided]”. (and 1 more)' },
    });
    await s.h.call('sites:save', { ...s.site, objectType: 'Nothing__c' });
    expect(await s.h.send('fields:refresh', { siteId: s.siteId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Salesforce has no object Nothing__c that the connection’s user can see.' } });
    await s.h.call('sites:save', { ...s.site, connectionId: null });
    expect(await s.h.send('fields:refresh', { siteId: s.siteId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: '“Members” has no Salesforce connection, so there is nothing to refresh from.' } });
    await s.h.app.close();
  });

  it('deleting a site deletes its cache', async () => {
    const s = await setup();
    await refresh(s);
    const file = path.join(s.h.dataDir, 'field-cache', `${s.siteId}.json`);
    expect(existsSync(file)).toBe(true);
    await s.h.call('sites:delete', { siteId: s.siteId });
    expect(existsSync(file)).toBe(false);
    await s.h.app.close();
  });
});

describe('export and import', () => {
  it('exports the settings without any secret and imports them as a new site or into another', async () => {
    const s = await setup({ objectType: 'Lead', wordpressPassword: 'abcd efgh ijkl mnop qrst uvwx' });
    await refresh(s);
    await s.h.call('fields:save-mapping', { siteId: s.siteId, settings: leadSettings({ sendEmptyValues: true }) });
    const exported = await s.h.call('sites:export', { siteId: s.siteId });
    expect(exported.fileName).toBe('forcesites-members-settings.json');
    expect(exported.json).not.toMatch(/abcd efgh|password|secret|token|connectionId/i);
    const file = JSON.parse(exported.json) as { format: string; site: Record<string, unknown> };
    expect(file.format).toBe('forcesites-site-settings');
    expect(file.site).toMatchObject({ name: 'Members', objectType: 'Lead', sendEmptyValues: true, matchKey: { kind: 'email', field: 'Email' } });

    const created = await s.h.call('sites:import', { json: exported.json });
    expect(created).toMatchObject({ name: 'Members (imported)', connectionId: null, hasWordpressPassword: false, objectType: 'Lead', sendEmptyValues: true, fieldDefaults: leadSettings().fieldDefaults });
    const other = await s.h.call('sites:save', { ...s.site, id: undefined, name: 'Shop', objectType: 'Contact' } as RequestOf<'sites:save'>);
    const into = await s.h.call('sites:import', { json: exported.json, siteId: other.id });
    expect(into).toMatchObject({ id: other.id, name: 'Shop', connectionId: s.connectionId, objectType: 'Lead', fieldMapping: leadSettings().fieldMapping });
    await s.h.app.close();
  });

  it('refuses files that are not JSON, not ours, newer, damaged or carry a password', async () => {
    const s = await setup();
    const exported = await s.h.call('sites:export', { siteId: s.siteId });
    const file = JSON.parse(exported.json) as { version: number; site: Record<string, unknown> };
    const attempt = (json: string) => s.h.send('sites:import', { json });
    expect(await attempt('{not json')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^This file is not JSON/), hint: 'Choose a file ForceSites exported (Fields page → Export settings), unchanged.' } });
    expect(await attempt('{"hello":1}')).toMatchObject({ ok: false, error: { message: 'This is not a ForceSites site settings file.' } });
    expect(await attempt(JSON.stringify({ ...file, version: 9 }))).toMatchObject({ ok: false, error: { message: 'This settings file was made by a newer ForceSites (format version 9).', hint: 'Update ForceSites, then import it again.' } });
    expect(await attempt(JSON.stringify({ ...file, site: { ...file.site, wordpressPassword: 'stolen' } }))).toMatchObject({
      ok: false,
      error: { message: 'This settings file cannot be imported: the file has wordpressPassword, which ForceSites never exports.' },
    });
    expect(await attempt(JSON.stringify({ ...file, site: { ...file.site, wordpressUrl: 'javascript:alert(1)' } }))).toMatchObject({ ok: false, error: { message: expect.stringContaining('wordpressUrl: enter the site address with https://') } });
    expect((await s.h.call('sites:list', {})).length).toBe(1);
    await s.h.app.close();
  });
});
