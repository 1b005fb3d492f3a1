/**
 * The site form's WooCommerce credential (issue 14): the choice between the application password
 * and a WooCommerce REST API key, the key typed write-only (never loaded back, only its ending
 * shown), checked before anything is sent, and sent to sites:save and sites:check as the
 * contract expects.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { requestSchemas, siteSaveSchema } from '../../common/contract';
import { DEFAULT_ORDER_SETTINGS } from '../../common/orders-models';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const KEY = `ck_${'0123456789abcdef0123'.repeat(2)}`;
const SECRET = `cs_${'fedcba9876543210fedc'.repeat(2)}`;

function input(label: string | RegExp): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

function type(label: string | RegExp, value: string) {
  fireEvent.change(input(label), { target: { value } });
}

async function openNewSiteForm() {
  fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-9' }));
  await renderApp('sites');
  fireEvent.click(await screen.findByRole('button', { name: 'Add your first site' }));
  await screen.findByRole('heading', { name: 'Add a site' });
  type('Site name', 'Shop');
  type('WordPress URL', 'https://shop.acme.org');
  type('WordPress username', 'wpadmin');
  type('Application password', 'abcd efgh ijkl mnop qrst uvwx');
}

describe('Sites form: WooCommerce credential', () => {
  it('leaves the default alone: no WooCommerce fields in the request', async () => {
    await openNewSiteForm();
    expect(input(/The application password above/).checked).toBe(true);
    expect(screen.queryByLabelText('Consumer key')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    await screen.findByText('Saved “Shop”.');
    const [request] = fakeBridge().requests('sites:save');
    expect(request && ('woocommerceAuth' in request || 'woocommerceKey' in request)).toBe(false);
  });

  it('asks for both halves of a new key, refuses ones that are not WooCommerce keys, then sends them once', async () => {
    await openNewSiteForm();
    fireEvent.click(input(/A WooCommerce REST API key/));
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    expect(await screen.findByText(/Paste the consumer key from WooCommerce/)).toBeTruthy();
    expect(fakeBridge().requests('sites:save')).toEqual([]);

    type('Consumer key', 'my-key');
    type('Consumer secret', SECRET);
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    expect(await screen.findByText(/A consumer key starts with ck_/)).toBeTruthy();
    expect(fakeBridge().requests('sites:save')).toEqual([]);

    expect(input('Consumer key').type).toBe('password');
    expect(input('Consumer secret').type).toBe('password');
    type('Consumer key', ` ${KEY} `);
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    await screen.findByText('Saved “Shop”.');
    const [request] = fakeBridge().requests('sites:save');
    expect(request).toMatchObject({ woocommerceAuth: 'consumer-key', woocommerceKey: { consumerKey: KEY, consumerSecret: SECRET } });
    expect(siteSaveSchema.safeParse(request).success).toBe(true);
  });

  it('editing a site with a stored key: shows only its ending, keeps it unless replaced, and the check uses it', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: 'abc1234' })]);
    fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-1' }));
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Shop' }));
    expect(input(/A WooCommerce REST API key/).checked).toBe(true);
    expect(input('Consumer key').value).toBe('');
    expect(screen.getByText(/A key ending in …abc1234 is stored in the keychain/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Check site' }));
    await screen.findByRole('button', { name: /Check/ });
    const [check] = fakeBridge().requests('sites:check');
    expect(check).toMatchObject({ siteId: 'site-1', woocommerceAuth: 'consumer-key' });
    expect(check && 'woocommerceKey' in check).toBe(false);
    expect(requestSchemas['sites:check'].safeParse(check).success).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved “Shop”.');
    const [kept] = fakeBridge().requests('sites:save');
    expect(kept).toMatchObject({ id: 'site-1', woocommerceAuth: 'consumer-key' });
    expect(kept && 'woocommerceKey' in kept).toBe(false);
  });

  it('switching back to the application password is sent, so main can drop the stored key', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: 'abc1234' })]);
    fakeBridge().respond('sites:save', (request) => makeSite({ ...request, id: 'site-1' }));
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Shop' }));
    fireEvent.click(input(/The application password above/));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved “Shop”.');
    const [request] = fakeBridge().requests('sites:save');
    expect(request).toMatchObject({ woocommerceAuth: 'application-password' });
    expect(request && 'woocommerceKey' in request).toBe(false);
  });

  it('the sites list says which sites read orders with a key, by its ending only', async () => {
    fakeBridge().respond('sites:list', [
      makeSite({ id: 'site-1', name: 'Shop', woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: 'abc1234' }),
      makeSite({ id: 'site-2', name: 'Members' }),
    ]);
    await renderApp('sites');
    const shop = (await screen.findByText('Shop')).closest('tr')!;
    expect(shop.textContent).toContain('Orders: WooCommerce key …abc1234');
    const members = screen.getByText('Members').closest('tr')!;
    expect(members.textContent).not.toContain('WooCommerce key');
  });

  it('the Orders page says which credential reads WooCommerce, and where to change it', async () => {
    const bridge = fakeBridge();
    bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
    bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-1', woocommerceAuth: 'consumer-key', hasWoocommerceKey: true, woocommerceKeyEnding: 'abc1234' })]);
    bridge.respond('orders:runs', []);
    bridge.respond('orders:settings', { ...DEFAULT_ORDER_SETTINGS });
    await renderApp('orders');
    const note = await screen.findByText(/WooCommerce is read with the REST API key ending in …abc1234/);
    expect(note.querySelector('a')?.getAttribute('href')).toBe('#/sites');
  });

  it('without a key chosen, the Orders page names the application password’s user', async () => {
    const bridge = fakeBridge();
    bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
    bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-1' })]);
    bridge.respond('orders:runs', []);
    bridge.respond('orders:settings', { ...DEFAULT_ORDER_SETTINGS });
    await renderApp('orders');
    expect(await screen.findByText(/WooCommerce is read with wpadmin’s application password/)).toBeTruthy();
  });
});
