/**
 * The WordPress side of the mapping against a REAL WordPress (Debian's, with the companion
 * plugin; test/wordpress/test-wordpress.ts) and the Salesforce emulator: the meta keys the
 * plugin exposes, the tags in use, which of them a restricted picklist lacks, and a preview of
 * three real users mapped with unsaved settings — apostrophes, missing meta filled by
 * defaults, values Salesforce would refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../common/contract';
import { unmatchedTags } from '../../../common/field-rules';
import type { MappingSettings } from '../../../common/fields-models';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startTestWordpress, type RunningTestWordpress } from '../../wordpress/test-wordpress';
import { startAppHarness, type AppHarness } from '../app/app-harness';

const emu = useEmulator({}, { resetEachTest: false });
let wp: RunningTestWordpress;
let h: AppHarness;
let siteId: string;
let site: RequestOf<'sites:save'>;

beforeAll(async () => {
  wp = await startTestWordpress({ users: 12, seed: 7 });
  emu.handle.addCustomField(undefined, 'Lead', { name: 'WP_Tags__c', label: 'WP Tags', type: 'multipicklist', picklistValues: ['Newsletter', 'Member'], restrictedPicklist: true });
  emu.handle.addCustomField(undefined, 'Lead', { name: 'WP_Roles__c', label: 'WP Roles', type: 'multipicklist', picklistValues: ['subscriber', 'customer'], restrictedPicklist: true });
  h = await startAppHarness(emu);
  const signedIn = await h.signIn();
  site = {
    name: 'Real WordPress',
    wordpressUrl: wp.url,
    wordpressUsername: wp.adminUser,
    wordpressPassword: wp.applicationPassword,
    connectionId: signedIn.connection!.id,
    objectType: 'Lead',
    tagMode: 'picklist',
    tagField: 'WP_Tags__c',
    fieldMapping: [],
  };
  siteId = (await h.call('sites:save', site)).id;
  await h.call('fields:refresh', { siteId });
}, 120_000);

afterAll(async () => {
  await h?.app.close();
  await wp?.stop();
});

const settings = (overrides: Partial<MappingSettings> = {}): MappingSettings => ({
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
    { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'push' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'push' },
    { wordpressField: 'meta:company', salesforceField: 'Company', direction: 'push' },
    { wordpressField: 'meta:billing_phone', salesforceField: 'Phone', direction: 'push' },
    { wordpressField: 'registered_date', salesforceField: 'Description', direction: 'push' },
    { wordpressField: 'roles', salesforceField: 'WP_Roles__c', direction: 'push' },
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

describe('the WordPress side of the mapping', () => {
  it('reads the meta keys the companion plugin exposes and the tags in use', async () => {
    const info = await h.call('fields:wordpress', { siteId });
    expect(info.problem).toBeNull();
    expect(info.companionPlugin).toBe(true);
    expect(info.metaKeys).toEqual(expect.arrayContaining(['billing_phone', 'company', 'membership_level']));
    expect(info.usersRead).toBe(13);
    expect(info.tagsComplete).toBe(true);
    // Tags differing only in case are one tag, spelled as first seen.
    expect(info.tags).toEqual(expect.arrayContaining(['Newsletter', '会员', 'Авторы', 'Events, 2024']));
    expect(info.tags.filter((tag) => tag.toLowerCase() === 'newsletter')).toHaveLength(1);

    const { cache } = await h.call('fields:cached', { siteId });
    const missing = unmatchedTags(info.tags, cache!.tags);
    expect(missing).toEqual(expect.arrayContaining(['会员', 'Авторы', 'Events, 2024']));
    expect(missing).not.toContain('Newsletter');
  });

  it('previews three real users with the unsaved settings: converted values, defaults, and what Salesforce would refuse', async () => {
    const preview = await h.call('fields:preview', { siteId, settings: settings() });
    expect(preview.problem).toBeNull();
    expect(preview.users.map((user) => user.username)).toEqual([wp.adminUser, 'sean.obrien', 'zoe.nunez']);
    const value = (index: number, field: string) => preview.users[index]!.values.find((entry) => entry.salesforceField === field);

    const sean = preview.users[1]!;
    expect(sean.key).toEqual({ field: 'Email', value: 'sean.obrien@example.org', problem: null });
    expect(value(1, 'LastName')).toMatchObject({ value: "O'Brien", sent: true });
    expect(value(1, 'Company')).toMatchObject({ value: "O'Brien & Daughters", sent: true, wordpressField: 'meta:company' });
    expect(value(1, 'Phone')).toMatchObject({ value: '+353 1 555 0101', sent: true });
    expect(value(1, 'Description')).toMatchObject({ value: '2012-03-17T09:15:00.000Z', note: 'ISO 8601, UTC.' });
    expect(value(1, 'WP_Roles__c')).toMatchObject({ value: 'subscriber', sent: true });
    expect(sean.missingRequired).toEqual([]);

    // Zoë has no company meta: the default goes instead; no phone: not sent.
    expect(value(2, 'Company')).toMatchObject({ value: '[not provided]', sent: true, note: 'WordPress has none: the default is sent.' });
    expect(value(2, 'Phone')).toMatchObject({ value: null, sent: false, note: 'Empty: not sent.' });
    expect(value(2, 'FirstName')).toMatchObject({ value: 'Zoë' });

    // The administrator's role is not a value of the restricted picklist.
    expect(value(0, 'WP_Roles__c')).toMatchObject({ sent: false, problem: '“administrator” is not a value of the restricted picklist WP_Roles__c (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).' });
  });

  it('sends empty values when the site says so, and keys on the external id with its prefix', async () => {
    emu.handle.addCustomField(undefined, 'Lead', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 50, externalId: true, unique: true });
    await h.call('fields:refresh', { siteId });
    const preview = await h.call('fields:preview', {
      siteId,
      settings: settings({ sendEmptyValues: true, fieldDefaults: [], matchKey: { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'real-' } }),
    });
    const zoe = preview.users[2]!;
    expect(zoe.key).toEqual({ field: 'WP_User_Id__c', value: `real-${zoe.wordpressId}`, problem: null });
    expect(zoe.values.find((entry) => entry.salesforceField === 'Phone')).toMatchObject({ sent: true, value: null, note: 'Empty: sent, clearing the Salesforce value.' });
    expect(zoe.missingRequired).toEqual(['Company']);
  });

  it('a WordPress that cannot be reached is reported in the answer, with what to do', async () => {
    const unreachable = await h.call('sites:save', { ...site, name: 'Gone', wordpressUrl: 'http://127.0.0.1:9' });
    const info = await h.call('fields:wordpress', { siteId: unreachable.id });
    expect(info.problem).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(info.problem?.hint).toBeTruthy();
    await h.call('fields:refresh', { siteId: unreachable.id });
    const preview = await h.call('fields:preview', { siteId: unreachable.id, settings: settings() });
    expect(preview.users).toEqual([]);
    expect(preview.problem).toMatchObject({ code: 'NETWORK_ERROR' });
  });
});
