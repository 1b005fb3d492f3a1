import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/app/app';
import { ROUTES } from '../../renderer/src/app/routes';
import { DEFAULT_APP_INFO, fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function nav() {
  return screen.getByRole('navigation', { name: 'Main' });
}

describe('app shell', () => {
  it('renders every page heading from its hash and marks only that nav link as current', async () => {
    render(<App />);
    for (const route of ROUTES) {
      act(() => {
        window.location.hash = `#/${route.id}`;
      });
      await screen.findByRole('heading', { level: 1, name: route.label });
      const links = within(nav()).getAllByRole('link');
      const current = links.filter((link) => link.getAttribute('aria-current') === 'page');
      expect(current.map((link) => link.textContent)).toEqual([route.label]);
      expect(document.title).toBe(`${route.label} · ForceSites`);
    }
  });

  it('opens Sites for an empty or unknown hash', async () => {
    window.location.hash = '#/nowhere';
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Sites' });
    expect(within(nav()).getByRole('link', { name: 'Sites' }).getAttribute('aria-current')).toBe('page');
  });

  it('offers a skip link first, then the navigation links in order, all reachable with Tab', async () => {
    await renderApp('sites');
    const tabbable = Array.from(document.querySelectorAll<HTMLElement>(TABBABLE));
    expect(tabbable[0]?.textContent).toBe('Skip to main content');
    expect(tabbable.slice(1, 1 + ROUTES.length).map((element) => element.textContent)).toEqual(ROUTES.map((route) => route.label));
    for (const link of within(nav()).getAllByRole('link')) {
      expect(link.getAttribute('href')).toMatch(/^#\/[a-z]+$/);
      link.focus();
      expect(document.activeElement).toBe(link);
    }
  });

  it('skip link moves focus to the main area without leaving the current page', async () => {
    await renderApp('connections');
    fireEvent.click(screen.getByRole('link', { name: 'Skip to main content' }));
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(window.location.hash).toBe('#/connections');
  });

  it('activating a nav link navigates and moves focus to the new page heading', async () => {
    await renderApp('sites');
    const link = within(nav()).getByRole('link', { name: 'Activity' });
    link.focus();
    // Enter on a focused link makes the browser follow its href, which is what this does.
    act(() => {
      window.location.hash = link.getAttribute('href') ?? '';
    });
    const heading = await screen.findByRole('heading', { level: 1, name: 'Activity' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('shows a Demo org badge only when app:info says demo', async () => {
    await renderApp('sites');
    await screen.findByText(/v0\.1\.0/);
    expect(screen.queryByText('Demo org')).toBeNull();
  });

  it('shows the Demo org badge in demo mode', async () => {
    fakeBridge().respond('app:info', { ...DEFAULT_APP_INFO, edition: 'browser', demo: true });
    await renderApp('sites');
    expect(await screen.findByText('Demo org')).toBeTruthy();
    expect(screen.getByText(/Browser edition/)).toBeTruthy();
  });

  it('announces app:banner events: warnings as alerts, notices as status, same id replaces, dismiss removes', async () => {
    await renderApp('sites');
    act(() => fakeBridge().emit('app:banner', { id: 'cap', level: 'warning', message: 'admin@acme.org holds 4 of 5 approvals.' }));
    const alert = screen.getAllByRole('alert').find((region) => region.textContent?.includes('approvals'));
    expect(alert?.textContent).toContain('admin@acme.org holds 4 of 5 approvals.');

    act(() => fakeBridge().emit('app:banner', { id: 'cap', level: 'warning', message: 'admin@acme.org holds 5 of 5 approvals.' }));
    expect(screen.queryByText('admin@acme.org holds 4 of 5 approvals.')).toBeNull();
    expect(screen.getByText('admin@acme.org holds 5 of 5 approvals.')).toBeTruthy();

    act(() => fakeBridge().emit('app:banner', { id: 'hello', level: 'info', message: 'Health check finished.' }));
    const status = screen.getAllByRole('status').find((region) => region.textContent?.includes('Health check finished.'));
    expect(status).toBeDefined();

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss: admin@acme.org holds 5 of 5 approvals.' }));
    expect(screen.queryByText('admin@acme.org holds 5 of 5 approvals.')).toBeNull();
  });

  it('says what to do when app:info fails', async () => {
    fakeBridge().fail('app:info', { code: 'INTERNAL', message: 'Main did not answer.', hint: 'Restart ForceSites.' });
    await renderApp('sites');
    expect(await screen.findByText('Restart ForceSites.')).toBeTruthy();
  });
});
