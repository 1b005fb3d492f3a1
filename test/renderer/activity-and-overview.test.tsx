import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

describe('Activity page', () => {
  it('explains itself when empty', async () => {
    await renderApp('activity');
    expect(await screen.findByRole('region', { name: 'No activity yet' })).toBeTruthy();
    expect(fakeBridge().requests('activity:list')).toEqual([{ limit: 200 }]);
  });

  it('lists entries newest first and prepends live activity:added entries', async () => {
    fakeBridge().respond('activity:list', [
      { id: 'a1', at: '2026-11-01T09:00:00.000Z', level: 'info', area: 'sites', message: 'Saved Members site.' },
      { id: 'a2', at: '2026-11-02T09:00:00.000Z', level: 'warning', area: 'health', message: 'admin holds 4 of 5 approvals.' },
    ]);
    await renderApp('activity');
    const list = await screen.findByRole('list', { name: 'Activity, newest first' });
    expect(within(list).getAllByRole('listitem').map((item) => item.querySelector('.activity-message')?.textContent)).toEqual([
      'admin holds 4 of 5 approvals.',
      'Saved Members site.',
    ]);
    act(() => fakeBridge().emit('activity:added', { id: 'a3', at: '2026-11-03T09:00:00.000Z', level: 'error', area: 'auth', message: 'Sign-in failed.' }));
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain('Sign-in failed.');
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain('Error');
  });
});

describe('pages the lead fills later', () => {
  it.each([
    ['health', 'No health results yet'],
    ['fields', 'No fields loaded yet'],
    ['sync', 'Nothing synced yet'],
    ['orders', 'No orders yet'],
  ])('%s explains what it will show and sends the admin to Connections first', async (page, title) => {
    await renderApp(page);
    const empty = await screen.findByRole('region', { name: title });
    const link = await within(empty).findByRole('link', { name: 'Go to Connections' });
    expect(link.getAttribute('href')).toBe('#/connections');
    expect(empty.textContent).not.toMatch(/todo|coming soon/i);
  });

  it('names adding a site as the next step once a connection exists', async () => {
    fakeBridge().respond('connections:list', [makeConnection()]);
    await renderApp('sync');
    expect(await screen.findByRole('link', { name: 'Go to Sites' })).toBeTruthy();
  });

  it('drops the next step when a site uses a connection', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ siteIds: ['site-1'] })]);
    fakeBridge().respond('sites:list', [makeSite({ connectionId: 'conn-1' })]);
    await renderApp('orders');
    expect(await screen.findByText(/Orders copied from your WooCommerce sites appear here/)).toBeTruthy();
    expect(screen.queryByText(/Next step/)).toBeNull();
  });
});
