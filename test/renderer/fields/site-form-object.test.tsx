/**
 * The site form's object, tag mode and tag field choices (issue 12): the objects of the
 * chosen connection from the global describe, a hint that changing the object makes the field
 * list stale, "No tags", and the refreshed picklist fields offered for the tag field.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';
import { makeCache } from './fields-factories';

const OBJECTS = [
  { name: 'Account', label: 'Account', custom: false },
  { name: 'Contact', label: 'Contact', custom: false },
  { name: 'Lead', label: 'Lead', custom: false },
  { name: 'Member__c', label: 'Member', custom: true },
];

async function editSite(site = makeSite({ id: 'site-1', name: 'Members site', connectionId: 'conn-1', objectType: 'Contact' })) {
  fakeBridge().respond('connections:list', [makeConnection({ id: 'conn-1', siteIds: ['site-1'] })]);
  fakeBridge().respond('sites:list', [site]);
  fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-1', connectionId: request.connectionId }));
  await renderApp('sites');
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Members site' }));
}

const objectSelect = () => screen.getByLabelText('Salesforce object') as HTMLSelectElement;

describe('site form: object and tags', () => {
  it('offers the connection’s objects, says a change makes the field list stale, and saves the API name', async () => {
    fakeBridge().respond('fields:objects', { connectionId: 'conn-1', objects: OBJECTS, apiCalls: 1 });
    await editSite();
    await waitFor(() => expect(Array.from(objectSelect().options).map((option) => option.value)).toEqual(['Contact', 'Lead', 'Account', 'Member__c', 'custom']));
    expect(fakeBridge().requests('fields:objects')).toEqual([{ connectionId: 'conn-1' }]);
    expect(objectSelect().value).toBe('Contact');
    fireEvent.change(objectSelect(), { target: { value: 'Member__c' } });
    expect(screen.getByText(/Changing it from Contact makes the site’s field list out of date: after saving, refresh it on the Fields page./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(fakeBridge().requests('sites:save')).toHaveLength(1));
    expect(fakeBridge().requests('sites:save')[0]).toMatchObject({ objectType: 'Member__c' });
  });

  it('a saved object the list does not hold stays chosen; a failed list leaves Contact, Lead and typing', async () => {
    fakeBridge().fail('fields:objects', { code: 'NETWORK_ERROR', message: 'Could not reach Salesforce (ECONNREFUSED).' });
    await editSite(makeSite({ id: 'site-1', name: 'Members site', connectionId: 'conn-1', objectType: 'Shop__c' }));
    expect(await screen.findByText(/The object list could not be loaded \(Could not reach Salesforce \(ECONNREFUSED\)\.\); Contact, Lead or a typed API name still work./)).toBeTruthy();
    expect(objectSelect().value).toBe('Shop__c');
    expect(Array.from(objectSelect().options).map((option) => option.value)).toEqual(['Contact', 'Lead', 'Shop__c', 'custom']);
  });

  it('“No tags” saves tag mode none without a tag field', async () => {
    fakeBridge().respond('fields:objects', { connectionId: 'conn-1', objects: OBJECTS, apiCalls: 0 });
    await editSite();
    fireEvent.click(screen.getByLabelText('No tags'));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(fakeBridge().requests('sites:save')).toHaveLength(1));
    expect(fakeBridge().requests('sites:save')[0]).toMatchObject({ tagMode: 'none', tagField: null });
  });

  it('offers the refreshed picklist fields of the object for the tag field', async () => {
    fakeBridge().respond('fields:objects', { connectionId: 'conn-1', objects: OBJECTS, apiCalls: 0 });
    fakeBridge().respond('fields:cached', { siteId: 'site-1', cache: makeCache({ objectType: 'Contact', objectLabel: 'Contact' }), stale: null });
    await editSite();
    fireEvent.click(screen.getByLabelText('A multi-select picklist field'));
    const input = screen.getByLabelText('Tag field API name') as HTMLInputElement;
    expect(await screen.findByText('Picklist fields of Contact: Interests__c.')).toBeTruthy();
    const list = document.getElementById(input.getAttribute('list') ?? '');
    expect(Array.from(list?.querySelectorAll('option') ?? []).map((option) => option.getAttribute('value'))).toEqual(['Interests__c']);
    // Another object: the list is not Contact's any more.
    fireEvent.change(objectSelect(), { target: { value: 'Lead' } });
    expect(screen.queryByText('Picklist fields of Contact: Interests__c.')).toBeNull();
    expect(input.getAttribute('list')).toBeNull();
  });
});
