/**
 * "Add connection" as another user (issue 10 item 3): an optional username lets ForceSites run
 * the preflight for that user before any browser step, and after any sign-in the approvals
 * Salesforce revoked (auth:finished `revokedBySignIn`) are named with what they belonged to.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { signInSchema } from '../../common/contract';
import type { PreflightResult } from '../../common/health-models';
import type { RevokedBySignIn, SignInStarted } from '../../common/models';
import { formatTime } from '../../renderer/src/ui/format';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const STARTED: SignInStarted = { flowId: 'flow-1', authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x=1', redirectUri: 'http://localhost:1717/OauthRedirect' };
const KEY = '3MVG9consumerkeyexample0001';
const ADMIN = makeConnection({ id: 'conn-admin', username: 'admin@acme.org', clientId: KEY });

const FULL: PreflightResult = {
  verdict: 'will-disconnect',
  appName: 'ForceSites',
  userLabel: 'full@acme.org',
  used: 5,
  cap: 5,
  evicts: { approvalId: '0CQ000000000009', authorizedAt: '2026-10-01T08:00:00.000Z', attribution: { kind: 'unknown-site' } },
  message: 'Authorizing now as full@acme.org will disconnect an unknown site or app (authorized 1 Oct 2026): full@acme.org already holds 5 of 5 ForceSites approvals.',
  suggestion: 'Use a dedicated integration user per group of at most 4 sites.',
};

async function openForm() {
  fakeBridge().respond('connections:list', [ADMIN]);
  fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-admin' }), makeSite({ id: 'site-2', name: 'Blog' })]);
  fakeBridge().respond('auth:start', STARTED);
  await renderApp('connections');
  await screen.findByRole('list', { name: 'Connections' });
  fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
  await screen.findByText(/Salesforce returns to http:\/\/localhost:1717/);
  fireEvent.change(screen.getByLabelText('Consumer key'), { target: { value: KEY } });
}

function typeUsername(value: string) {
  fireEvent.change(screen.getByLabelText('Salesforce username you will sign in as (optional)'), { target: { value } });
}

describe('Add connection as a named user', () => {
  it('checks the typed user before any browser step, warns at the cap, and Continue sends the username and the acknowledged approval', async () => {
    const check = fakeBridge().defer('auth:preflight');
    await openForm();
    typeUsername('  full@acme.org ');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText('Checking the user’s approvals before the sign-in…')).toBeTruthy();
    expect(fakeBridge().requests('auth:preflight')).toEqual([{ username: 'full@acme.org' }]);
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    await act(async () => check.resolve(FULL));

    const dialog = await screen.findByRole('dialog', { name: 'This sign-in will disconnect a site' });
    expect(dialog.textContent).toContain(FULL.message);
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue and disconnect' }));
    await screen.findByText(/Waiting for Salesforce…/);
    const [request] = fakeBridge().requests('auth:start');
    expect(request).toMatchObject({ clientId: KEY, expectedUsername: 'full@acme.org', acknowledgedApprovalId: '0CQ000000000009' });
    expect(signInSchema.safeParse(request).success).toBe(true);
  });

  it('Choose another user returns to the form with the username selected to type another, starting nothing', async () => {
    fakeBridge().respond('auth:preflight', FULL);
    await openForm();
    typeUsername('full@acme.org');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose another user' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const field = screen.getByLabelText('Salesforce username you will sign in as (optional)') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(field.value).toBe('full@acme.org');
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, 'full@acme.org'.length]);
    expect(fakeBridge().requests('auth:start')).toEqual([]);

    fakeBridge().respond('auth:preflight', { ...FULL, verdict: 'safe', used: 1, evicts: null, userLabel: 'spare@acme.org', message: 'spare@acme.org holds 1 of 5.' });
    typeUsername('spare@acme.org');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(fakeBridge().requests('auth:preflight')).toEqual([{ username: 'full@acme.org' }, { username: 'spare@acme.org' }]);
    const [request] = fakeBridge().requests('auth:start');
    expect(request?.expectedUsername).toBe('spare@acme.org');
    expect(request?.acknowledgedApprovalId).toBeUndefined();
  });

  it('refuses a username that is not one, and without one checks nobody new', async () => {
    await openForm();
    typeUsername('full acme');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText(/looks like an email address/)).toBeTruthy();
    expect(fakeBridge().requests('auth:preflight')).toEqual([]);
    expect(fakeBridge().requests('auth:start')).toEqual([]);

    typeUsername('');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(fakeBridge().requests('auth:preflight')).toEqual([]);
    expect(fakeBridge().requests('auth:start')[0]?.expectedUsername).toBeUndefined();
  });
});

describe('After a sign-in that made Salesforce revoke approvals', () => {
  const REVOKED: RevokedBySignIn[] = [
    { appName: 'ForceSites', username: 'full@acme.org', authorizedAt: '2026-10-01T08:00:00.000Z', belongedTo: 'site “Shop” (ForceSites connection)', siteIds: ['site-1'] },
    { appName: 'WP Fusion', username: 'full@acme.org', authorizedAt: '2026-10-02T09:30:00.000Z', belongedTo: 'another app or device', siteIds: [] },
  ];

  it('names each revoked approval, what it belonged to and links the sites, until dismissed', async () => {
    await openForm();
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-1', ok: true, connection: makeConnection({ username: 'full@acme.org' }), revokedBySignIn: REVOKED }));

    const notice = await screen.findByRole('region', { name: 'Salesforce revoked 2 approvals because full@acme.org was at the cap' });
    const items = within(notice).getAllByRole('listitem');
    expect(items[0]?.textContent).toBe(`ForceSites authorized ${formatTime(REVOKED[0]!.authorizedAt)}, which belonged to site “Shop” (ForceSites connection).`);
    expect(items[1]?.textContent).toBe(`WP Fusion authorized ${formatTime(REVOKED[1]!.authorizedAt)}, which belonged to another app or device.`);
    expect(within(notice).getByRole('link', { name: 'Shop' }).getAttribute('href')).toBe('#/sites');

    // Done closes the sign-in panel; the notice stays, also across pages.
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('region', { name: /Salesforce revoked 2 approvals/ })).toBeTruthy();
    act(() => {
      window.location.hash = '#/health';
    });
    await screen.findByRole('heading', { level: 1, name: 'Health' });
    act(() => {
      window.location.hash = '#/connections';
    });
    const again = await screen.findByRole('region', { name: /Salesforce revoked 2 approvals/ });
    fireEvent.click(within(again).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: /Salesforce revoked/ })).toBeNull();
  });

  it('one revoked approval reads in the singular; a sign-in that revoked nothing shows no notice', async () => {
    await openForm();
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-1', ok: true, connection: makeConnection(), revokedBySignIn: [] }));
    expect(screen.getByText('Connected.')).toBeTruthy();
    expect(screen.queryByRole('region', { name: /Salesforce revoked/ })).toBeNull();

    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-other', ok: true, revokedBySignIn: [REVOKED[1]!] }));
    expect(await screen.findByRole('region', { name: 'Salesforce revoked 1 approval because full@acme.org was at the cap' })).toBeTruthy();
  });
});
