/**
 * The Fields page and its mapping editor against a fake main process: refresh and its call
 * count, staleness, what changed, tag modes, and an editor that proposes, explains every
 * incompatible pair inline, works from the keyboard, previews real users and saves.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { FieldsStateDto, MappingPreviewDto } from '../../../common/fields-models';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';
import { field, LEAD_FIELDS, makeCache, makeWordpress } from './fields-factories';

const LEAD_SITE = makeSite({ id: 'site-1', name: 'Members site', connectionId: 'conn-1', objectType: 'Lead', fieldMapping: [] });

function answer(state: Partial<FieldsStateDto> = {}): FieldsStateDto {
  return { siteId: 'site-1', cache: makeCache(), stale: null, ...state };
}

async function openFields(options: { site?: typeof LEAD_SITE; state?: FieldsStateDto; wordpress?: ReturnType<typeof makeWordpress> } = {}) {
  fakeBridge().respond('connections:list', [makeConnection({ siteIds: ['site-1'] })]);
  fakeBridge().respond('sites:list', [options.site ?? LEAD_SITE]);
  fakeBridge().respond('fields:cached', options.state ?? answer());
  fakeBridge().respond('fields:wordpress', options.wordpress ?? makeWordpress());
  await renderApp('fields');
}

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;
/** A verdict line: its parts sit in <strong> and text, so match the paragraph's whole text. */
const line = (text: string | RegExp) => screen.getByText((_, element) => element?.tagName === 'P' && (typeof text === 'string' ? element.textContent === text : text.test(element.textContent ?? '')));
const noLine = (text: RegExp) => screen.queryByText((_, element) => element?.tagName === 'P' && text.test(element.textContent ?? ''));

describe('refresh', () => {
  it('says nothing is loaded yet, refreshes on click and shows the API calls the refresh used', async () => {
    await openFields({ state: answer({ cache: null }) });
    expect(await screen.findByText(/Not loaded yet/)).toBeTruthy();
    fakeBridge().respond('fields:refresh', answer({ cache: makeCache({ lastRefresh: { apiCalls: 2, describeChanged: true, topicPages: 2 } }) }));
    fireEvent.click(screen.getByRole('button', { name: 'Refresh Available Topics & Fields' }));
    const status = await screen.findByText(/The last refresh used/);
    expect(status.textContent).toContain('2 API calls');
    expect(status.textContent).toContain('2 pages of topics');
    expect(fakeBridge().requests('fields:refresh')).toEqual([{ siteId: 'site-1' }]);
  });

  it('says when Salesforce sent nothing new, and shows a refresh failure with its hint', async () => {
    await openFields({ state: answer({ cache: makeCache({ lastRefresh: { apiCalls: 1, describeChanged: false, topicPages: 1 } }) }) });
    expect((await screen.findByText(/The last refresh used/)).textContent).toContain('1 API call (the object had not changed, so Salesforce did not send its fields again)');
    fakeBridge().fail('fields:refresh', { code: 'NOT_FOUND', message: 'Salesforce has no object Lead that the connection’s user can see.', hint: 'Check the object’s API name.' });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh Available Topics & Fields' }));
    expect(await screen.findByText('Check the object’s API name.')).toBeTruthy();
  });

  it('a stale list is named as such and the editor is hidden until a refresh', async () => {
    await openFields({ state: answer({ stale: 'The site now writes to Lead; this list is Contact’s (Contact). Refresh to load the fields of Lead.' }) });
    expect(await screen.findByText('The field list is out of date')).toBeTruthy();
    expect(screen.getByText(/this list is Contact’s/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /Field mapping/ })).toBeNull();
  });
});

describe('what changed and tags', () => {
  it('lists changes since the previous refresh, breaking ones first', async () => {
    const diff = {
      comparedWith: '2026-11-19T08:00:00.000Z',
      changes: [
        { kind: 'added' as const, field: 'Shoe__c', label: 'Shoe', detail: 'Number(3, 1)', breaks: null },
        { kind: 'removed' as const, field: 'Legacy__c', label: 'Legacy', detail: 'Text(20)', breaks: 'Legacy__c is gone, and the mapping meta:legacy → Legacy__c (both ways) still uses it.' },
      ],
      topicsAdded: ['Fresh'],
      topicsRemoved: [],
      breaking: 1,
    };
    await openFields({ state: answer({ cache: makeCache({ diff }) }) });
    const panel = await screen.findByRole('region', { name: /Changes since/ });
    expect(within(panel).getByRole('alert').textContent).toBe('One change breaks this site’s mapping: fix it below, then save.');
    const items = within(panel).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('Removed: Legacy (Legacy__c)');
    expect(items[0]?.textContent).toContain('Breaks the mapping: Legacy__c is gone');
    expect(items[1]?.textContent).toContain('Added: Shoe (Shoe__c) — Number(3, 1)');
    expect(within(panel).getByText('Topics added: Fresh')).toBeTruthy();
  });

  it('topics that are off show the Setup path instead of an empty list', async () => {
    const tags = { mode: 'topics' as const, enabled: false, topics: [], problem: { message: 'Topics are not enabled for Lead (Lead), so Salesforce does not let ForceSites tag these records with topics.', hint: 'In Salesforce: Setup → Topics for Objects → Lead → tick “Enable Topics” → Save. Then refresh here. Or use a picklist field for tags.' } };
    await openFields({ state: answer({ cache: makeCache({ tags, topicsEnabled: false }) }) });
    const panel = await screen.findByRole('region', { name: 'Tags' });
    expect(within(panel).getByRole('alert').textContent).toContain('Setup → Topics for Objects → Lead');
    expect(within(panel).queryByRole('list', { name: 'Topics' })).toBeNull();
    expect(panel.textContent).not.toMatch(/no topics/i);
  });

  it('a restricted picklist warns and lists the WordPress tags without a value', async () => {
    const tags = {
      mode: 'picklist' as const,
      field: 'Interests__c',
      fieldLabel: 'Interests',
      multiSelect: true,
      restricted: true,
      values: ['Newsletter', 'Member'],
      inactiveValues: ['Old'],
      problem: { message: 'Interests__c is a restricted picklist: Salesforce refuses tags that are not among its values (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST), and ForceSites cannot add values from here — the data API cannot change a picklist.', hint: 'Add the missing values in Setup.' },
    };
    await openFields({ site: { ...LEAD_SITE, tagMode: 'picklist', tagField: 'Interests__c' }, state: answer({ cache: makeCache({ tags, tagMode: 'picklist', tagField: 'Interests__c' }) }), wordpress: makeWordpress({ tags: ['newsletter', 'VIP', 'Events'] }) });
    const panel = await screen.findByRole('region', { name: 'Tags' });
    expect(panel.textContent).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(panel.textContent).toContain('cannot add values from here');
    expect(within(panel).getByText('2 WordPress tags have no matching value')).toBeTruthy();
    const missing = within(panel).getByRole('list', { name: 'WordPress tags without a value' });
    expect(within(missing).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['VIP', 'Events']);
    expect(panel.textContent).toContain('Inactive values (refused): Old');
  });
});

describe('the mapping editor', () => {
  it('proposes a mapping from names and types for a site without one, and checks the required fields', async () => {
    await openFields();
    expect(await screen.findByText(/ForceSites proposed 7 rows from the field names and types/)).toBeTruthy();
    expect(select('Row 1 WordPress field').value).toBe('email');
    expect(select('Row 1 Salesforce field').value).toBe('Email');
    const rows = Array.from({ length: 7 }, (_, i) => `${select(`Row ${i + 1} WordPress field`).value}→${select(`Row ${i + 1} Salesforce field`).value}`);
    expect(rows).toEqual(['email→Email', 'first_name→FirstName', 'last_name→LastName', 'url→Website', 'description→Description', 'meta:company→Company', 'meta:billing_phone→Phone']);
    expect((screen.getByLabelText(/^Default for Company/) as HTMLInputElement).value).toBe('[not provided]');
  });

  it('explains an incompatible pair inline, tied to the row’s fields, and counts it as a problem', async () => {
    await openFields();
    await screen.findByText(/ForceSites proposed/);
    fireEvent.change(select('Row 1 Salesforce field'), { target: { value: 'Phone' } });
    const message = 'Cannot map: Email holds an email address, which only fits an Email or Text field; Phone is Phone.';
    const verdict = await screen.findByText((_, element) => element?.tagName === 'P' && element.textContent === message);
    expect(select('Row 1 Salesforce field').getAttribute('aria-invalid')).toBe('true');
    expect(select('Row 1 Salesforce field').getAttribute('aria-describedby')).toBe(verdict.id);
    expect(select('Row 1 WordPress field').getAttribute('aria-describedby')).toBe(verdict.id);
    // The match key also needs email → Email now: two problems.
    expect(screen.getByText('2 problems stop saving.')).toBeTruthy();

    fireEvent.change(select('Row 1 Salesforce field'), { target: { value: 'Name' } });
    expect(line(/^Cannot map: Name is read-only for this user/)).toBeTruthy();
    fireEvent.change(select('Row 1 direction'), { target: { value: 'pull' } });
    expect(noLine(/^Cannot map: Name is read-only/)).toBeNull();
  });

  it('a required field without a mapping or default is an error that names the fix', async () => {
    await openFields();
    await screen.findByText(/ForceSites proposed/);
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 6' })); // meta:company → Company
    fireEvent.change(screen.getByLabelText(/^Default for Company/), { target: { value: '' } });
    expect(line('Cannot map: Lead requires Company (Company): map a WordPress field to it, or give it a default such as “[not provided]”.')).toBeTruthy();
    expect((screen.getByLabelText(/^Default for Company/) as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
  });

  it('works from the keyboard: Alt+N adds a row and focuses it, removing moves focus on, Ctrl+S saves, Alt+P previews', async () => {
    fakeBridge().respond('fields:save-mapping', (request) => ({ ...LEAD_SITE, ...request.settings }));
    fakeBridge().respond('fields:preview', { siteId: 'site-1', users: [], problem: null });
    await openFields();
    await screen.findByText(/ForceSites proposed 7 rows/);
    const editor = screen.getByRole('region', { name: 'Field mapping for Lead' });
    fireEvent.keyDown(select('Row 7 direction'), { key: 'n', altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(select('Row 8 WordPress field')));
    fireEvent.click(within(editor).getByRole('button', { name: 'Remove row 8' }));
    fireEvent.click(within(editor).getByRole('button', { name: 'Remove row 3' }));
    await waitFor(() => expect(document.activeElement).toBe(select('Row 3 WordPress field')));
    expect(select('Row 3 WordPress field').value).toBe('url');

    fireEvent.keyDown(select('Row 1 WordPress field'), { key: 's', ctrlKey: true });
    await waitFor(() => expect(fakeBridge().requests('fields:save-mapping')).toHaveLength(1));
    const [saved] = fakeBridge().requests('fields:save-mapping');
    expect(saved?.settings.fieldMapping).toHaveLength(6);
    expect(saved?.settings.fieldMapping.some((row) => row.salesforceField === 'LastName')).toBe(false);
    expect(saved?.settings.fieldDefaults).toEqual([
      { salesforceField: 'LastName', value: '[not provided]' },
      { salesforceField: 'Company', value: '[not provided]' },
    ]);
    expect(await screen.findByText('Saved the mapping of “Members site”.')).toBeTruthy();

    fireEvent.keyDown(editor, { key: 'p', altKey: true });
    await waitFor(() => expect(fakeBridge().requests('fields:preview')).toHaveLength(1));
  });

  it('a half-filled row stops saving with the row named; a refused save shows main’s reason', async () => {
    fakeBridge().fail('fields:save-mapping', { code: 'INVALID_REQUEST', message: 'The mapping was not saved: Match key: WP_User_Id__c is not marked External ID.', hint: 'Fix what is marked in the mapping editor, then save again.' });
    await openFields();
    await screen.findByText(/ForceSites proposed/);
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.change(select('Row 8 WordPress field'), { target: { value: 'nickname' } });
    expect(line('Check: Choose the Salesforce field.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save mapping' }));
    expect(await screen.findByText('Row 8 has only one side: choose both fields or remove the row.')).toBeTruthy();
    expect(fakeBridge().requests('fields:save-mapping')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 8' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save mapping' }));
    expect(await screen.findByText('Fix what is marked in the mapping editor, then save again.')).toBeTruthy();
  });

  it('match key: email by default with the WP_User_Id__c recommendation; an external id with a prefix', async () => {
    const cache = makeCache({ fields: [...LEAD_FIELDS, field({ name: 'WP_User_Id__c', type: 'string', length: 50, externalId: true, unique: true, label: 'WP User Id' })] });
    await openFields({ state: answer({ cache }) });
    await screen.findByText(/ForceSites proposed/);
    expect(screen.getByText(/Recommended: match on WP_User_Id__c/)).toBeTruthy();
    expect(screen.getByText(/one call per 200 users instead of two/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('External ID field (recommended)'));
    expect(select('Match field').value).toBe('WP_User_Id__c');
    fireEvent.change(screen.getByLabelText('Prefix for this site’s user ids'), { target: { value: 'members-' } });
    expect(line('OK: Upserts on WP_User_Id__c: one call per 200 users and no duplicates when emails change.')).toBeTruthy();
    expect(select('Match field').getAttribute('aria-describedby')).toBe(line(/^OK: Upserts/).id);
    expect(screen.queryByText(/Recommended: match on/)).toBeNull();
  });

  it('offers a record type choice only when several are usable', async () => {
    const recordTypes = [
      { id: '012000000000000AAA', name: 'Master', developerName: 'Master', active: true, available: true, master: true, defaultForUser: false },
      { id: '012000000000001AAA', name: 'Web', developerName: 'Web', active: true, available: true, master: false, defaultForUser: true },
      { id: '012000000000002AAA', name: 'Partner', developerName: 'Partner', active: true, available: false, master: false, defaultForUser: false },
    ];
    await openFields({ state: answer({ cache: makeCache({ recordTypes }) }) });
    await screen.findByText(/ForceSites proposed/);
    const choice = select('Record type for new records');
    expect(Array.from(choice.options).map((option) => option.textContent)).toEqual(['The user’s default (Web)', 'Master', 'Web']);
  });

  it('previews three users with the unsaved settings: refused values and defaults are visible', async () => {
    const preview: MappingPreviewDto = {
      siteId: 'site-1',
      problem: null,
      users: [
        {
          wordpressId: 2,
          username: 'sean.obrien',
          email: 'sean.obrien@example.org',
          key: { field: 'Email', value: 'sean.obrien@example.org', problem: null },
          values: [
            { salesforceField: 'LastName', wordpressField: 'last_name', value: "O'Brien", sent: true, problem: null, note: null },
            { salesforceField: 'Company', wordpressField: 'meta:company', value: '[not provided]', sent: true, problem: null, note: 'WordPress has none: the default is sent.' },
            { salesforceField: 'Interests__c', wordpressField: 'roles', value: null, sent: false, problem: '“subscriber” is not a value of the restricted picklist Interests__c (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).', note: null },
          ],
          missingRequired: [],
        },
      ],
    };
    fakeBridge().respond('fields:preview', preview);
    await openFields();
    await screen.findByText(/ForceSites proposed/);
    fireEvent.click(screen.getByRole('button', { name: 'Preview with 3 WordPress users' }));
    const user = await screen.findByRole('article', { name: 'Preview of sean.obrien' });
    expect(user.textContent).toContain("O'Brien");
    expect(user.textContent).toContain('WordPress has none: the default is sent.');
    expect(user.textContent).toContain('Refused: “subscriber” is not a value of the restricted picklist');
    expect(user.textContent).toContain('Salesforce would refuse one value.');
    const [request] = fakeBridge().requests('fields:preview');
    expect(request?.settings.fieldMapping[0]).toEqual({ wordpressField: 'email', salesforceField: 'Email', direction: 'push' });
    // Editing afterwards says the preview is older than the settings.
    fireEvent.change(select('Row 1 direction'), { target: { value: 'both' } });
    expect(screen.getByText(/The settings changed since this preview/)).toBeTruthy();
  });

  it('a WordPress that cannot be read is explained, and the preview says it needs WordPress', async () => {
    fakeBridge().respond('fields:preview', { siteId: 'site-1', users: [], problem: { code: 'NETWORK_ERROR', message: 'members.acme.org did not answer.', hint: 'Check the site is up.' } });
    await openFields({ wordpress: makeWordpress({ problem: { code: 'NETWORK_ERROR', message: 'members.acme.org did not answer.', hint: 'Check the site is up.' }, metaKeys: [], tags: [] }) });
    expect(await screen.findByText(/WordPress could not be read: only its core user fields are offered/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview with 3 WordPress users' }));
    expect(await screen.findByText('The preview needs WordPress.')).toBeTruthy();
  });
});

describe('accessibility', () => {
  it('labels every control of the loaded page, with several record types and an external id key', async () => {
    const recordTypes = [
      { id: '012000000000001AAA', name: 'Web', developerName: 'Web', active: true, available: true, master: false, defaultForUser: true },
      { id: '012000000000002AAA', name: 'Shop', developerName: 'Shop', active: true, available: true, master: false, defaultForUser: false },
    ];
    await openFields({ state: answer({ cache: makeCache({ recordTypes }) }) });
    await screen.findByText(/ForceSites proposed/);
    fireEvent.click(screen.getByLabelText('External ID field (recommended)'));
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    const unlabelled = Array.from(document.body.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')).filter(
      (control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'),
    );
    expect(unlabelled.map((control) => control.outerHTML)).toEqual([]);
  });
});

describe('settings file', () => {
  it('exports through a download and imports into this site', async () => {
    const createObjectURL = vi.fn(() => 'blob:settings');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fakeBridge().respond('sites:export', { fileName: 'forcesites-members-site-settings.json', json: '{"format":"forcesites-site-settings"}' });
    fakeBridge().respond('sites:import', (request) => ({ ...LEAD_SITE, objectType: 'Contact', id: request.siteId ?? 'site-2' }));
    await openFields();
    fireEvent.click(await screen.findByRole('button', { name: 'Export settings' }));
    expect(await screen.findByText('Exported forcesites-members-site-settings.json. It holds no password or token.')).toBeTruthy();
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicked).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: 'Import into this site…' }));
    const file = new File(['{"format":"forcesites-site-settings"}'], 'members.json', { type: 'application/json' });
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Settings file to import'), { target: { files: [file] } });
    });
    expect(await screen.findByText(/Imported the settings of members.json into “Members site”/)).toBeTruthy();
    expect(fakeBridge().requests('sites:import')).toEqual([{ json: '{"format":"forcesites-site-settings"}', siteId: 'site-1' }]);
    clicked.mockRestore();
  });

  it('shows why a file was refused', async () => {
    fakeBridge().fail('sites:import', { code: 'INVALID_REQUEST', message: 'This is not a ForceSites site settings file.', hint: 'Choose a file ForceSites exported (Fields page → Export settings), unchanged.' });
    await openFields();
    fireEvent.click(await screen.findByRole('button', { name: 'Import as a new site…' }));
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Settings file to import'), { target: { files: [new File(['{}'], 'x.json')] } });
    });
    expect(await screen.findByText('This is not a ForceSites site settings file.')).toBeTruthy();
    expect(fakeBridge().requests('sites:import')).toEqual([{ json: '{}' }]);
  });
});
