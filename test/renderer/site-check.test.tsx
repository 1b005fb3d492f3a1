import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SiteCheckResult } from '../../common/wordpress-models';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const notReady: SiteCheckResult = {
  siteUrl: 'https://members.acme.org',
  checkedAt: '2026-12-01T10:00:00Z',
  ready: false,
  reachable: { status: 'ok', message: 'The REST API answers at https://members.acme.org/wp-json/.', mode: 'pretty', restUrl: 'https://members.acme.org/wp-json/', siteName: 'Members' },
  credentials: { status: 'ok', message: 'Signed in as wpadmin.', username: 'wpadmin' },
  capability: { status: 'ok', message: 'wpadmin can list, edit and create users.', listUsers: true, editUsers: true, createUsers: true },
  companion: { status: 'failed', message: 'The ForceSites Companion plugin is not active on this site.', hint: 'Upload Plugin: install forcesites-companion.zip under Plugins » Add New.', reason: 'plugin-missing', installed: false, version: null, minimumVersion: '0.1.0' },
  metaKeys: { status: 'skipped', message: 'Not checked: an earlier step failed.', exposed: [], tagsKey: null, missing: [] },
  woocommerce: { status: 'ok', message: 'WooCommerce is not active (only needed for orders).', active: false, version: null },
};

async function openNewSiteForm() {
  await renderApp('sites');
  fireEvent.click(await screen.findByRole('button', { name: 'Add your first site' }));
  await screen.findByRole('heading', { name: 'Add a site' });
}

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('site check in the site form', () => {
  it('is offered only once address, username and password are typed', async () => {
    await openNewSiteForm();
    const button = screen.getByRole('button', { name: 'Check site' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText('Enter the site address, username and application password first.')).toBeTruthy();
    type('WordPress URL', 'https://members.acme.org');
    type('WordPress username', 'wpadmin');
    type('Application password', 'abcd efgh ijkl mnop qrst uvwx');
    expect(button.disabled).toBe(false);
  });

  it('sends the typed values and shows each step with what to do on the site', async () => {
    fakeBridge().respond('sites:check', notReady);
    await openNewSiteForm();
    type('WordPress URL', ' https://members.acme.org ');
    type('WordPress username', 'wpadmin');
    type('Application password', 'abcd efgh ijkl mnop qrst uvwx');
    fireEvent.click(screen.getByRole('button', { name: 'Check site' }));
    const panel = screen.getByRole('region', { name: 'Site check' });
    const status = await within(panel).findByRole('status');
    expect(within(status).getByText('https://members.acme.org is not ready yet: fix the failed steps below on the site.')).toBeTruthy();
    const steps = within(status).getAllByRole('listitem');
    expect(steps.map((step) => step.textContent?.split('.')[0])).toEqual([
      'OK Site reachableThe REST API answers at https://members',
      'OK Application password acceptedSigned in as wpadmin',
      'OK Can list and edit userswpadmin can list, edit and create users',
      'Failed ForceSites Companion pluginThe ForceSites Companion plugin is not active on this site',
      'Not checked User fields exposedNot checked: an earlier step failed',
      'OK WooCommerceWooCommerce is not active (only needed for orders)',
    ]);
    expect(within(steps[3]!).getByText(/Upload Plugin/)).toBeTruthy();
    expect(fakeBridge().requests('sites:check')).toEqual([{ wordpressUrl: 'https://members.acme.org', wordpressUsername: 'wpadmin', wordpressPassword: 'abcd efgh ijkl mnop qrst uvwx' }]);
    expect(screen.getByRole('button', { name: 'Check again' })).toBeTruthy();
  });

  it('shows main’s error with its hint when the check cannot run', async () => {
    fakeBridge().fail('sites:check', { code: 'INVALID_REQUEST', message: 'Enter the WordPress application password to check the site.', hint: 'Create one in WordPress under Users » Profile » Application Passwords.' });
    await openNewSiteForm();
    type('WordPress URL', 'https://members.acme.org');
    type('WordPress username', 'wpadmin');
    type('Application password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Check site' }));
    const alert = await within(screen.getByRole('region', { name: 'Site check' })).findByRole('alert');
    expect(alert.textContent).toContain('The site could not be checked');
    expect(alert.textContent).toContain('Users » Profile » Application Passwords');
  });
});
