import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { siteSaveSchema } from '../../common/contract';
import { emptySiteForm, toSaveRequest, validateSiteForm, type SiteFormValues } from '../../renderer/src/features/sites/site-form-model';
import { makeConnection, makeSite } from './factories';
import { DEFAULT_APP_INFO, fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

function input(label: string | RegExp): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

function type(label: string | RegExp, value: string) {
  fireEvent.change(input(label), { target: { value } });
}

async function openNewSiteForm(ready?: string | RegExp) {
  await renderApp('sites');
  if (ready !== undefined) await screen.findByText(ready);
  fireEvent.click(await screen.findByRole('button', { name: 'Add your first site' }));
  await screen.findByRole('heading', { name: 'Add a site' });
}

function fillValidSite() {
  type('Site name', 'Members site');
  type('WordPress URL', 'https://members.acme.org');
  type('WordPress username', 'wpadmin');
  type('Application password', 'abcd efgh ijkl mnop qrst uvwx');
}

describe('Sites page', () => {
  it('explains what a site profile is and points to Connections when there is none', async () => {
    await renderApp('sites');
    const empty = await screen.findByRole('region', { name: 'No sites yet' });
    expect(within(empty).getByRole('link', { name: 'adding a connection' }).getAttribute('href')).toBe('#/connections');
  });

  it('lists site profiles and follows sites:changed', async () => {
    fakeBridge().respond('sites:list', [makeSite({ name: 'Members site' })]);
    await renderApp('sites');
    expect(await screen.findByText('Members site')).toBeTruthy();
    act(() => fakeBridge().emit('sites:changed', [makeSite({ name: 'Members site' }), makeSite({ id: 'site-2', name: 'Shop site' })]));
    expect(screen.getByText('Shop site')).toBeTruthy();
  });

  it('refuses to save an incomplete form, says what to fix and sends nothing', async () => {
    await openNewSiteForm();
    type('WordPress URL', 'members.acme.org');
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    expect(await screen.findByText(/3 fields need attention/)).toBeTruthy();
    expect(screen.getByText(/Enter a name for this site/)).toBeTruthy();
    expect(screen.getByText(/Enter a full address starting with https:\/\//)).toBeTruthy();
    expect(screen.getByText(/Enter the WordPress username/)).toBeTruthy();
    expect(input('Site name').getAttribute('aria-invalid')).toBe('true');
    expect(input('Site name').getAttribute('aria-describedby')).toBeTruthy();
    expect(fakeBridge().requests('sites:save')).toEqual([]);
  });

  it('checks custom object and tag field API names', async () => {
    await openNewSiteForm();
    fillValidSite();
    fireEvent.change(screen.getByLabelText('Salesforce object'), { target: { value: 'custom' } });
    type('Custom object API name', 'Member object');
    fireEvent.click(screen.getByLabelText('A multi-select picklist field'));
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    expect(await screen.findByText(/Use the object’s API name/)).toBeTruthy();
    expect(screen.getByText(/Enter the API name of the picklist field/)).toBeTruthy();
    expect(fakeBridge().requests('sites:save')).toEqual([]);
  });

  it('keeps every typed value and shows message and hint when the server refuses', async () => {
    fakeBridge().fail('sites:save', {
      code: 'KEYCHAIN_UNAVAILABLE',
      message: 'The system keychain is locked.',
      hint: 'Unlock your keychain, then save again.',
    });
    await openNewSiteForm();
    fillValidSite();
    fireEvent.click(screen.getByRole('button', { name: 'Add field mapping row' }));
    fireEvent.change(screen.getByLabelText('Row 1 WordPress field'), { target: { value: 'user_email' } });
    fireEvent.change(screen.getByLabelText('Row 1 Salesforce field'), { target: { value: 'Email' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));

    expect(await screen.findByText('Unlock your keychain, then save again.')).toBeTruthy();
    expect(screen.getByText('The system keychain is locked.')).toBeTruthy();
    expect(input('Site name').value).toBe('Members site');
    expect(input('WordPress URL').value).toBe('https://members.acme.org');
    expect(input('WordPress username').value).toBe('wpadmin');
    expect(input('Application password').value).toBe('abcd efgh ijkl mnop qrst uvwx');
    expect((screen.getByLabelText('Row 1 Salesforce field') as HTMLInputElement).value).toBe('Email');
    expect((screen.getByRole('button', { name: 'Save site' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('sends a valid request, drops blank mapping rows and closes the form on success', async () => {
    const connection = makeConnection({ id: 'conn-1', siteIds: ['other'] });
    fakeBridge().respond('connections:list', [connection]);
    fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-9', connectionId: request.connectionId, hasWordpressPassword: true }));
    await openNewSiteForm(/pick the connection it should use/);
    fillValidSite();
    // The only connection is preselected, and the form says the approval is shared.
    expect((screen.getByLabelText('Connection') as HTMLSelectElement).value).toBe('conn-1');
    expect(screen.getByText(/Shares the approval of admin@acme.org with 1 other site/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('A multi-select picklist field'));
    type('Tag field API name', 'Interests__c');
    fireEvent.click(screen.getByRole('button', { name: 'Add field mapping row' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add field mapping row' }));
    fireEvent.change(screen.getByLabelText('Row 1 WordPress field'), { target: { value: 'first_name' } });
    fireEvent.change(screen.getByLabelText('Row 1 Salesforce field'), { target: { value: 'FirstName' } });
    fireEvent.change(screen.getByLabelText('Row 1 direction'), { target: { value: 'both' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));

    expect(await screen.findByText('Saved “Members site”.')).toBeTruthy();
    const [request] = fakeBridge().requests('sites:save');
    expect(request).toEqual({
      name: 'Members site',
      wordpressUrl: 'https://members.acme.org',
      wordpressUsername: 'wpadmin',
      wordpressPassword: 'abcd efgh ijkl mnop qrst uvwx',
      connectionId: 'conn-1',
      objectType: 'Contact',
      tagMode: 'picklist',
      tagField: 'Interests__c',
      fieldMapping: [{ wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'both' }],
    });
    expect(siteSaveSchema.safeParse(request).success).toBe(true);
    expect(screen.queryByRole('heading', { name: 'Add a site' })).toBeNull();
  });

  it('never shows the stored application password and keeps it unless a new one is typed', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site', hasWordpressPassword: true })]);
    fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-1' }));
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Members site' }));
    const password = input('Application password');
    expect(password.type).toBe('password');
    expect(password.value).toBe('');
    expect(password.getAttribute('autocomplete')).toBe('new-password');
    expect(screen.getByText(/stored in the keychain/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved “Members site”.');
    const [request] = fakeBridge().requests('sites:save');
    expect(request?.id).toBe('site-1');
    expect(request !== undefined && 'wordpressPassword' in request).toBe(false);
  });

  it('says a site whose connection was disconnected is disconnected, and offers to choose or add one', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'conn-2', username: 'other@acme.org' })]);
    fakeBridge().respond('sites:list', [
      makeSite({ id: 'site-1', name: 'Members site', connectionId: null, detachedFromConnection: 'ok@acme.org' }),
      makeSite({ id: 'site-2', name: 'Draft site', connectionId: null }),
    ]);
    await renderApp('sites');
    const members = (await screen.findByText('Members site')).closest('tr')!;
    expect(within(members).getByText('Disconnected — choose or add a connection')).toBeTruthy();
    expect(within(members).getByText('Used ok@acme.org until it was disconnected.')).toBeTruthy();
    expect(within(members).queryByText('None chosen')).toBeNull();
    expect(within(members).getByRole('link', { name: 'Add a connection' }).getAttribute('href')).toBe('#/connections');
    // A site that never had a connection is not "disconnected".
    const draft = screen.getByText('Draft site').closest('tr')!;
    expect(within(draft).getByText('None chosen')).toBeTruthy();
    expect(within(draft).queryByText(/Disconnected/)).toBeNull();

    fireEvent.click(within(members).getByRole('button', { name: 'Choose a connection for Members site' }));
    await screen.findByRole('heading', { name: 'Edit “Members site”' });
    const select = screen.getByLabelText('Connection') as HTMLSelectElement;
    expect(document.activeElement).toBe(select);
    expect(select.value).toBe('');
    expect(screen.getByText(/Disconnected from ok@acme.org. Choose another connection/)).toBeTruthy();
  });

  it('treats a site whose connection no longer exists as disconnected, and offers only Add when there is no connection', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site', connectionId: 'gone' })]);
    await renderApp('sites');
    const row = (await screen.findByText('Members site')).closest('tr')!;
    expect(await within(row).findByText('Disconnected — choose or add a connection')).toBeTruthy();
    expect(within(row).queryByRole('button', { name: /Choose a connection/ })).toBeNull();
    expect(within(row).getByRole('link', { name: 'Add a connection' })).toBeTruthy();
  });

  it('in the demo, prefills the demo WordPress address, user and application password in a new site, and never in an edit', async () => {
    fakeBridge().respond('app:info', {
      ...DEFAULT_APP_INFO,
      edition: 'browser',
      demo: true,
      demoOrg: {
        loginUrl: 'http://127.0.0.1:4010',
        clientId: 'DEMO_CLIENT_ID',
        usernames: ['alice@demo.forcesites'],
        password: 'demo-password',
        wordpressUrl: 'http://127.0.0.1:4020',
        wordpressUsername: 'admin',
        wordpressApplicationPassword: 'demo abcd efgh ijkl mnop qrst',
      },
    });
    fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-9', hasWordpressPassword: true }));
    await openNewSiteForm('Demo org');
    expect(input('WordPress URL').value).toBe('http://127.0.0.1:4020');
    expect(input('WordPress username').value).toBe('admin');
    expect(input('Application password').value).toBe('demo abcd efgh ijkl mnop qrst');
    expect(input('Application password').type).toBe('password');
    const note = screen.getByText('Demo WordPress').closest('.notice')!;
    expect(within(note as HTMLElement).getByText('admin')).toBeTruthy();
    expect(within(note as HTMLElement).getByText('demo abcd efgh ijkl mnop qrst')).toBeTruthy();

    type('Site name', 'Demo site');
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    await screen.findByText('Saved “Demo site”.');
    expect(fakeBridge().requests('sites:save')[0]).toMatchObject({
      wordpressUrl: 'http://127.0.0.1:4020',
      wordpressUsername: 'admin',
      wordpressPassword: 'demo abcd efgh ijkl mnop qrst',
    });

    // Editing keeps the stored password: nothing is prefilled and the demo note is not shown.
    fireEvent.click(screen.getByRole('button', { name: 'Edit Demo site' }));
    await screen.findByRole('heading', { name: 'Edit “Demo site”' });
    expect(input('Application password').value).toBe('');
    expect(screen.queryByText('Demo WordPress')).toBeNull();
  });

  it('asks before deleting; Escape cancels and returns focus, Delete calls sites:delete', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site' })]);
    fakeBridge().respond('sites:delete', { deleted: true });
    await renderApp('sites');
    const deleteButton = await screen.findByRole('button', { name: 'Delete Members site' });
    deleteButton.focus();
    fireEvent.click(deleteButton);
    const dialog = screen.getByRole('dialog', { name: 'Delete “Members site”?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(deleteButton);
    expect(fakeBridge().requests('sites:delete')).toEqual([]);

    fireEvent.click(deleteButton);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete site' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fakeBridge().requests('sites:delete')).toEqual([{ siteId: 'site-1' }]);
    expect(screen.getByText('Deleted “Members site”.')).toBeTruthy();
  });

  it('keeps Tab inside the dialog', async () => {
    fakeBridge().respond('sites:list', [makeSite()]);
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete Members site' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete site' });
    confirm.focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });
});

describe('site form rules', () => {
  const valid: SiteFormValues = {
    ...emptySiteForm(),
    name: 'Shop',
    wordpressUrl: 'https://shop.acme.org',
    wordpressUsername: 'wp',
    objectKind: 'custom',
    customObject: 'Member__c',
  };

  it('accepts only what the contract schema accepts', () => {
    expect(validateSiteForm(valid, { editingId: undefined, existing: [] })).toEqual({});
    expect(siteSaveSchema.safeParse(toSaveRequest(valid, undefined)).success).toBe(true);
    expect(siteSaveSchema.safeParse(toSaveRequest(valid, 'site-1')).success).toBe(true);
  });

  it('rejects a second profile with the same name but not the profile itself', () => {
    const existing = [{ id: 'site-1', name: 'shop' }];
    expect(validateSiteForm(valid, { editingId: undefined, existing }).name).toMatch(/already called/);
    expect(validateSiteForm(valid, { editingId: 'site-1', existing }).name).toBeUndefined();
  });

  it('flags half-filled and duplicate mapping rows', () => {
    const errors = validateSiteForm(
      {
        ...valid,
        fieldMapping: [
          { key: 1, wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
          { key: 2, wordpressField: 'email', salesforceField: 'Email', direction: 'pull' },
          { key: 3, wordpressField: 'phone', salesforceField: '', direction: 'push' },
          { key: 4, wordpressField: '', salesforceField: '', direction: 'push' },
        ],
      },
      { editingId: undefined, existing: [] },
    );
    expect(Object.keys(errors).sort()).toEqual(['fieldMapping.1.salesforceField', 'fieldMapping.2.salesforceField']);
  });
});
