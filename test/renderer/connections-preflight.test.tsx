import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PreflightResult } from '../../common/health-models';
import type { SignInStarted } from '../../common/models';
import { formatTime } from '../../renderer/src/ui/format';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const STARTED: SignInStarted = { flowId: 'flow-1', authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x=1', redirectUri: 'http://localhost:1717/OauthRedirect' };
const KEY = '3MVG9consumerkeyexample0001';
const SHOP = makeConnection({ id: 'conn-shop', username: 'sites@acme.org', clientId: KEY, authorizedAt: '2026-10-01T08:00:00.000Z', siteIds: ['site-1'] });
const NEWER = makeConnection({ id: 'conn-newer', username: 'ada@acme.org', clientId: KEY, authorizedAt: '2026-11-02T08:00:00.000Z' });

const AT_CAP: PreflightResult = {
  verdict: 'will-disconnect',
  appName: 'ForceSites',
  userLabel: 'sites@acme.org',
  used: 5,
  cap: 5,
  evicts: { approvalId: '0CQ000000000001', authorizedAt: '2026-10-01T08:00:00.000Z', attribution: { kind: 'site', connectionId: 'conn-shop', siteIds: ['site-1'], siteNames: ['Shop'] } },
  message: 'Authorizing now as sites@acme.org will disconnect Shop (authorized 1 Oct 2026): sites@acme.org already holds 5 of 5 ForceSites approvals.',
  suggestion: 'Use a dedicated integration user per group of at most 4 sites.',
};

function verdict(kind: PreflightResult['verdict'], message: string): PreflightResult {
  return { ...AT_CAP, verdict: kind, evicts: null, used: kind === 'warning' ? 4 : 1, message, suggestion: null };
}

async function openWith(connections = [SHOP]) {
  fakeBridge().respond('connections:list', connections);
  fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-shop' })]);
  fakeBridge().respond('auth:start', STARTED);
  await renderApp('connections');
  await screen.findByRole('list', { name: 'Connections' });
}

async function openAddForm(connections = [SHOP]) {
  await openWith(connections);
  fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
  await screen.findByRole('heading', { name: 'Add a connection' });
  await screen.findByText(/Salesforce returns to http:\/\/localhost:1717/);
  fireEvent.change(screen.getByLabelText('Consumer key'), { target: { value: KEY } });
}

describe('Sign-in preflight on the Connections page', () => {
  it('reauthorize at the cap: warns before auth:start, naming the site and its authorization date; Continue starts as planned', async () => {
    const check = fakeBridge().defer('auth:preflight');
    await openWith();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    expect(await screen.findByText('Checking the user’s approvals before the sign-in…')).toBeTruthy();
    expect(fakeBridge().requests('auth:preflight')).toEqual([{ connectionId: 'conn-shop' }]);
    await act(async () => check.resolve(AT_CAP));

    const dialog = await screen.findByRole('dialog', { name: 'This sign-in will disconnect a site' });
    expect(dialog.textContent).toContain(AT_CAP.message);
    expect(within(dialog).getByText('Shop')).toBeTruthy();
    expect(within(dialog).getByText(formatTime('2026-10-01T08:00:00.000Z'))).toBeTruthy();
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    expect((screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue and disconnect' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(fakeBridge().requests('auth:start')).toEqual([
      { loginHostKind: 'production', clientId: KEY, chooseAnotherUser: true, reauthorizeConnectionId: 'conn-shop', acknowledgedApprovalId: '0CQ000000000001' },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Cancel in the dialog starts nothing', async () => {
    fakeBridge().respond('auth:preflight', AT_CAP);
    await openWith();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await act(async () => undefined);
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    expect(screen.queryByText(/Waiting for Salesforce/)).toBeNull();
    expect((screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('add without "Choose another user" checks the newest connection of the same app; Choose another user starts with chooseAnotherUser', async () => {
    fakeBridge().respond('auth:preflight', AT_CAP);
    await openAddForm([SHOP, NEWER]);
    const choose = screen.getByLabelText(/Choose another user/) as HTMLInputElement;
    expect(choose.checked).toBe(true);
    fireEvent.click(choose);
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));

    const dialog = await screen.findByRole('dialog', { name: 'This sign-in will disconnect a site' });
    expect(fakeBridge().requests('auth:preflight')).toEqual([{ connectionId: 'conn-newer' }]);
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose another user' }));
    await screen.findByText(/Waiting for Salesforce…/);
    const [request] = fakeBridge().requests('auth:start');
    expect(request).toMatchObject({ clientId: KEY, chooseAnotherUser: true });
    expect(request?.reauthorizeConnectionId).toBeUndefined();
  });

  it('cancelling an add keeps the form and what was typed', async () => {
    fakeBridge().respond('auth:preflight', verdict('warning', 'sites@acme.org holds 4 of 5 ForceSites approvals: one left.'));
    await openAddForm();
    fireEvent.click(screen.getByLabelText(/Choose another user/));
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    const dialog = await screen.findByRole('dialog', { name: 'This user is running out of approvals' });
    expect(dialog.textContent).toContain('one left');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect((screen.getByLabelText('Consumer key') as HTMLInputElement).value).toBe(KEY);
    expect(fakeBridge().requests('auth:start')).toEqual([]);
  });

  it('skips the check when the admin chooses another user or the app is new', async () => {
    await openAddForm();
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(fakeBridge().requests('auth:preflight')).toEqual([]);
    expect(fakeBridge().requests('auth:start')).toHaveLength(1);
  });

  it('skips the check for a consumer key no connection uses', async () => {
    await openAddForm();
    fireEvent.change(screen.getByLabelText('Consumer key'), { target: { value: '3MVG9anotherapp' } });
    fireEvent.click(screen.getByLabelText(/Choose another user/));
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(fakeBridge().requests('auth:preflight')).toEqual([]);
  });

  it.each(['safe', 'unknown-user'] as const)('goes straight on when the verdict is %s', async (kind) => {
    fakeBridge().respond('auth:preflight', verdict(kind, 'Nothing will be disconnected.'));
    await openWith();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fakeBridge().requests('auth:start')).toHaveLength(1);
    expect(screen.queryByText('Approvals not checked')).toBeNull();
  });

  it('goes on with a note when the census could not be taken or the check failed', async () => {
    fakeBridge().respond('auth:preflight', verdict('unknown', 'The approval census failed: Salesforce did not answer.'));
    await openWith();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    await screen.findByText(/Waiting for Salesforce…/);
    expect(screen.getByRole('note').textContent).toContain('The approval census failed: Salesforce did not answer.');
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel sign-in' }));
    fakeBridge().respond('auth:cancel', { cancelled: true });
    fireEvent.click(await screen.findByRole('button', { name: 'Done' }));
    fakeBridge().fail('auth:preflight', { code: 'NETWORK_ERROR', message: 'Salesforce could not be reached.' });
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    await waitFor(() => expect(fakeBridge().requests('auth:start')).toHaveLength(2));
    expect(screen.getByRole('note').textContent).toContain('Salesforce could not be reached.');
  });
});
