import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { signInSchema } from '../../common/contract';
import type { SignInStarted } from '../../common/models';
import { formatFullTime, formatTime } from '../../renderer/src/ui/format';
import { makeConnection, makeSite } from './factories';
import { DEFAULT_APP_INFO, fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const STARTED: SignInStarted = {
  flowId: 'flow-1',
  authorizeUrl: 'https://login.acme.test/services/oauth2/authorize?client_id=3MVG9key&code_challenge=abc',
  redirectUri: 'http://localhost:1718/OauthRedirect',
};

function change(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function openAddForm() {
  await renderApp('connections');
  fireEvent.click(await screen.findByRole('button', { name: 'Add your first connection' }));
  await screen.findByRole('heading', { name: 'Add a connection' });
  // The callback ports come from settings:get.
  await screen.findByText(/Salesforce returns to http:\/\/localhost:1717/);
}

describe('Connections page', () => {
  it('explains that sites sharing org, app and user share one approval', async () => {
    await renderApp('connections');
    expect(await screen.findByText(/never uses more than one approval per user per app/)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'No connections yet' })).toBeTruthy();
  });

  it('lists connections with their state, the cause of a lost approval and the sites using them', async () => {
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site' }), makeSite({ id: 'site-2', name: 'Shop' })]);
    fakeBridge().respond('connections:list', [
      makeConnection({ id: 'c1', username: 'ok@acme.org', siteIds: ['site-1', 'site-2'] }),
      makeConnection({
        id: 'c2',
        username: 'evicted@acme.org',
        state: { kind: 'needs-reauthorization', cause: 'evicted-by-approval-cap', detail: 'Refresh failed: expired access/refresh token' },
      }),
      makeConnection({ id: 'c3', username: 'locked@acme.org', state: { kind: 'keychain-error', detail: 'The keyring is locked.' } }),
    ]);
    await renderApp('connections');
    const cards = within(await screen.findByRole('list', { name: 'Connections' })).getAllByRole('listitem');
    const [ok, evicted, locked] = cards;
    expect(within(ok!).getByText('Connected')).toBeTruthy();
    expect(within(ok!).getByText('Used by 2 sites: Members site, Shop.')).toBeTruthy();
    expect(within(evicted!).getByText('Needs reauthorization')).toBeTruthy();
    expect(within(evicted!).getByText(/oldest approval is dropped/)).toBeTruthy();
    expect(within(evicted!).getByText('Refresh failed: expired access/refresh token')).toBeTruthy();
    expect(within(locked!).getByText('Keychain error')).toBeTruthy();
    expect(within(locked!).getByText('The keyring is locked.')).toBeTruthy();
    // When each was authorized: the full timestamp, to the second, on hover.
    const authorized = ok!.querySelector('time')!;
    expect(authorized.textContent).toBe(formatTime('2026-11-01T10:00:00.000Z'));
    expect(authorized.getAttribute('title')).toBe(formatFullTime('2026-11-01T10:00:00.000Z'));

    act(() => fakeBridge().emit('connections:changed', []));
    expect(screen.queryByText('ok@acme.org')).toBeNull();
  });

  it('walks through creating an External Client App with a callback URL per configured port', async () => {
    await renderApp('connections');
    const guide = await screen.findByText('How to set up the Salesforce app');
    const panel = guide.closest('details')!;
    expect(within(panel).getByText('http://localhost:1717/OauthRedirect')).toBeTruthy();
    expect(within(panel).getByText('http://localhost:1718/OauthRedirect')).toBeTruthy();
    expect(within(panel).getAllByText('api refresh_token offline_access id').length).toBeGreaterThan(0);
    expect(panel.textContent).toMatch(/External Client App/);
    expect(panel.textContent).toMatch(/PKCE/);
    expect(panel.textContent).toMatch(/Refresh token is valid until revoked/);
    expect(panel.textContent).toMatch(/self-authorize/);
  });

  it('starts the sign-in with the right request, shows the link, then the connection on auth:finished', async () => {
    fakeBridge().respond('auth:start', STARTED);
    await openAddForm();
    change('Login host', 'custom');
    change('Login URL', 'https://login.acme.test');
    change('Consumer key', '  3MVG9key  ');
    change('Callback port', '1718');
    fireEvent.click(screen.getByLabelText(/Choose another user/));
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));

    expect(await screen.findByText(/Waiting for Salesforce…/)).toBeTruthy();
    const [request] = fakeBridge().requests('auth:start');
    expect(request).toEqual({ loginHostKind: 'custom', loginHost: 'https://login.acme.test', clientId: '3MVG9key', callbackPort: 1718, chooseAnotherUser: true });
    expect(signInSchema.safeParse(request).success).toBe(true);

    const link = screen.getByRole('link', { name: 'Open the Salesforce sign-in page' });
    expect(link.getAttribute('href')).toBe(STARTED.authorizeUrl);
    const flow = screen.getByRole('region', { name: 'Salesforce sign-in' });
    expect(within(flow).getByText(STARTED.redirectUri)).toBeTruthy();
    // The form is gone, so focus moves to the sign-in panel instead of getting lost.
    expect(document.activeElement).toBe(within(flow).getByRole('heading', { name: 'Salesforce sign-in' }));
    // In Electron main opens the system browser itself; the link goes through shell:open-external.
    expect(fakeBridge().requests('shell:open-external')).toEqual([]);
    fireEvent.click(link);
    await waitFor(() => expect(fakeBridge().requests('shell:open-external')).toEqual([{ url: STARTED.authorizeUrl }]));

    act(() =>
      fakeBridge().emit('auth:finished', {
        flowId: 'flow-1',
        ok: true,
        connection: makeConnection({ displayName: 'Ada Admin', username: 'ada@acme.org', instanceUrl: 'https://acme.my.salesforce.com' }),
      }),
    );
    expect(screen.getByText('Connected.')).toBeTruthy();
    expect(screen.getByText(/Signed in as/).textContent).toContain('ada@acme.org');
    await waitFor(() => expect(fakeBridge().requests('connections:list').length).toBeGreaterThanOrEqual(2));
    expect(screen.queryByText(/Waiting for Salesforce/)).toBeNull();
  });

  it('ignores auth:finished for another flow', async () => {
    fakeBridge().respond('auth:start', STARTED);
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    act(() => fakeBridge().emit('auth:finished', { flowId: 'someone-else', ok: true, connection: makeConnection() }));
    expect(screen.getByText(/Waiting for Salesforce…/)).toBeTruthy();
    expect(screen.queryByText('Connected.')).toBeNull();
  });

  it('shows the failure message and hint from auth:finished', async () => {
    fakeBridge().respond('auth:start', STARTED);
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    act(() =>
      fakeBridge().emit('auth:finished', {
        flowId: 'flow-1',
        ok: false,
        error: { code: 'AUTH_DENIED', message: 'Salesforce says the user denied access.', hint: 'Sign in again and choose Allow.' },
      }),
    );
    expect(screen.getByText('Salesforce says the user denied access.')).toBeTruthy();
    expect(screen.getByText('Sign in again and choose Allow.')).toBeTruthy();
  });

  it('shows why auth:start failed, with its hint', async () => {
    fakeBridge().fail('auth:start', { code: 'AUTH_PORT_BUSY', message: 'Port 1717 is in use.', hint: 'Pick another callback port.' });
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText('Pick another callback port.')).toBeTruthy();
    expect(screen.getByText('Port 1717 is in use.')).toBeTruthy();
  });

  it('cancels a waiting sign-in with auth:cancel', async () => {
    fakeBridge().respond('auth:start', STARTED);
    fakeBridge().respond('auth:cancel', { cancelled: true });
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel sign-in' }));
    await waitFor(() => expect(fakeBridge().requests('auth:cancel')).toEqual([{ flowId: 'flow-1' }]));
    expect(screen.getByText(/Sign-in cancelled/)).toBeTruthy();
  });

  it('asks for the My Domain address before starting', async () => {
    await openAddForm();
    change('Login host', 'mydomain');
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText(/Enter your My Domain login address/)).toBeTruthy();
    expect(fakeBridge().requests('auth:start')).toEqual([]);
  });

  it('in the browser edition offers the sign-in link as the normal next step, without an error tone', async () => {
    fakeBridge().respond('app:info', { ...DEFAULT_APP_INFO, edition: 'browser' });
    fakeBridge().respond('auth:start', STARTED);
    fakeBridge().respond('shell:open-external', { opened: false });
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText(/Sign in to Salesforce in a new tab and allow access/)).toBeTruthy();
    await waitFor(() => expect(fakeBridge().requests('shell:open-external')).toEqual([{ url: STARTED.authorizeUrl }]));
    const flow = screen.getByRole('region', { name: 'Salesforce sign-in' });
    // A browser tab cannot open "a browser": that is no failure, so nothing reads like one.
    expect(flow.textContent).not.toMatch(/could not|cannot|failed|error/i);
    expect(within(flow).queryByRole('alert')).toBeNull();
    expect(flow.querySelector('.notice-error, .notice-warning')).toBeNull();
    const link = within(flow).getByRole('link', { name: 'Open the Salesforce sign-in page' });
    expect(link.getAttribute('href')).toBe(STARTED.authorizeUrl);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.className).toContain('button-primary');
    expect(document.getElementById(link.getAttribute('aria-describedby') ?? '')?.textContent).toBe('(opens in a new tab)');
    // Following the link is a plain navigation to a new tab: it does not ask main again.
    fireEvent.click(link);
    expect(fakeBridge().requests('shell:open-external')).toHaveLength(1);
  });

  it('in the browser edition says so when main did open a window, and still offers the link', async () => {
    fakeBridge().respond('app:info', { ...DEFAULT_APP_INFO, edition: 'browser' });
    fakeBridge().respond('auth:start', STARTED);
    fakeBridge().respond('shell:open-external', { opened: true });
    await openAddForm();
    change('Consumer key', '3MVG9key');
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    expect(await screen.findByText(/opened the Salesforce sign-in page in a new browser window/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the Salesforce sign-in page' }).getAttribute('target')).toBe('_blank');
  });

  it('prefills the demo org and shows its users and password', async () => {
    fakeBridge().respond('app:info', {
      ...DEFAULT_APP_INFO,
      edition: 'browser',
      demo: true,
      demoOrg: {
        loginUrl: 'http://127.0.0.1:4010',
        clientId: 'DEMO_CLIENT_ID',
        usernames: ['alice@demo.forcesites', 'bob@demo.forcesites'],
        password: 'demo-password',
        wordpressUrl: 'http://127.0.0.1:4020',
      },
    });
    await renderApp('connections');
    await screen.findByText('Demo org');
    fireEvent.click(await screen.findByRole('button', { name: 'Add your first connection' }));
    expect((screen.getByLabelText('Login host') as HTMLSelectElement).value).toBe('custom');
    expect((screen.getByLabelText('Login URL') as HTMLInputElement).value).toBe('http://127.0.0.1:4010');
    expect((screen.getByLabelText('Consumer key') as HTMLInputElement).value).toBe('DEMO_CLIENT_ID');
    expect(screen.getByText('alice@demo.forcesites')).toBeTruthy();
    expect(screen.getByText('bob@demo.forcesites')).toBeTruthy();
    expect(screen.getByText('demo-password')).toBeTruthy();
  });

  it('prefills the demo org even when app:info answers after the form opened', async () => {
    const info = fakeBridge().defer('app:info');
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Add your first connection' }));
    expect((screen.getByLabelText('Consumer key') as HTMLInputElement).value).toBe('');
    await act(async () => {
      info.resolve({
        ...DEFAULT_APP_INFO,
        demo: true,
        demoOrg: { loginUrl: 'http://127.0.0.1:4010', clientId: 'DEMO_CLIENT_ID', usernames: ['alice@demo.forcesites'], password: 'pw', wordpressUrl: 'http://127.0.0.1:4020' },
      });
    });
    await waitFor(() => expect((screen.getByLabelText('Consumer key') as HTMLInputElement).value).toBe('DEMO_CLIENT_ID'));
  });

  it('reauthorizes an existing connection with its id', async () => {
    fakeBridge().respond('connections:list', [
      makeConnection({ id: 'c2', username: 'evicted@acme.org', loginUrl: 'https://test.salesforce.com', clientId: '3MVG9sandbox', state: { kind: 'needs-reauthorization', cause: 'revoked', detail: '' } }),
    ]);
    fakeBridge().respond('auth:start', { ...STARTED, flowId: 'flow-2' });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Reauthorize evicted@acme.org' }));
    expect(await screen.findByText(/Waiting for Salesforce…/)).toBeTruthy();
    const [request] = fakeBridge().requests('auth:start');
    expect(request).toEqual({ loginHostKind: 'sandbox', clientId: '3MVG9sandbox', chooseAnotherUser: true, reauthorizeConnectionId: 'c2' });
    expect(signInSchema.safeParse(request).success).toBe(true);
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-2', ok: true, connection: makeConnection({ id: 'c2' }) }));
    expect(screen.getByText('Reauthorized.')).toBeTruthy();
  });

  it('disconnects after confirmation', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'c1', username: 'ok@acme.org', siteIds: ['site-1'] })]);
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site' })]);
    fakeBridge().respond('connections:disconnect', { revokedAtSalesforce: true, removedLocally: true, message: 'Disconnected ok@acme.org.' });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect ok@acme.org' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ok@acme.org?' });
    expect(within(dialog).getByText(/Members site/)).toBeTruthy();
    expect(fakeBridge().requests('connections:disconnect')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fakeBridge().requests('connections:disconnect')).toEqual([{ connectionId: 'c1', removeLocallyIfRevokeFails: false }]);
    // This main does not list the detached sites: the ones the dialog named are listed instead.
    expect(screen.getByText('Disconnected ok@acme.org. 1 site has no connection now: Members site.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Disconnect ok@acme.org' })).toBeNull();
  });

  it('after a disconnect lists the sites main detached and sends the admin to choose connections for them', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'c1', username: 'ok@acme.org', siteIds: ['site-1'] })]);
    fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site' })]);
    fakeBridge().respond('connections:disconnect', {
      revokedAtSalesforce: true,
      removedLocally: true,
      message: 'Disconnected ok@acme.org.',
      detachedSites: [
        { id: 'site-1', name: 'Members site' },
        { id: 'site-2', name: 'Shop' },
      ],
    });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect ok@acme.org' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const status = screen.getByText('Disconnected ok@acme.org. 2 sites have no connection now: Members site, Shop.');
    expect(status.getAttribute('aria-live')).toBe('polite');
    const notice = screen.getByRole('region', { name: 'These 2 sites have no connection now' });
    const names = within(within(notice).getByRole('list', { name: 'Sites without a connection' })).getAllByRole('listitem');
    expect(names.map((item) => item.textContent)).toEqual(['Members site', 'Shop']);
    expect(within(notice).getByRole('link', { name: 'Choose connections on the Sites page' }).getAttribute('href')).toBe('#/sites');
    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: /no connection now/ })).toBeNull();
  });

  it('when Salesforce does not confirm the revocation, asks before removing the local entry anyway', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'c1', username: 'ok@acme.org' })]);
    fakeBridge().respond('connections:disconnect', (request) =>
      request.removeLocallyIfRevokeFails
        ? { revokedAtSalesforce: false, removedLocally: true, message: 'Removed ok@acme.org from ForceSites; revoke it in Salesforce too.' }
        : { revokedAtSalesforce: false, removedLocally: false, message: 'Salesforce could not be reached to revoke the approval.' },
    );
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect ok@acme.org' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }));

    const second = await screen.findByRole('dialog', { name: 'Salesforce did not confirm the revocation' });
    expect(within(second).getByText('Salesforce could not be reached to revoke the approval.')).toBeTruthy();
    expect(document.activeElement).toBe(within(second).getByRole('button', { name: 'Keep the connection' }));
    fireEvent.click(within(second).getByRole('button', { name: 'Remove from ForceSites anyway' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fakeBridge().requests('connections:disconnect')).toEqual([
      { connectionId: 'c1', removeLocallyIfRevokeFails: false },
      { connectionId: 'c1', removeLocallyIfRevokeFails: true },
    ]);
    expect(screen.getByText('Removed ok@acme.org from ForceSites; revoke it in Salesforce too.')).toBeTruthy();
  });

  it('keeps the connection when the admin declines the second step', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'c1', username: 'ok@acme.org' })]);
    fakeBridge().respond('connections:disconnect', { revokedAtSalesforce: false, removedLocally: false, message: 'Revocation failed.' });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect ok@acme.org' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep the connection' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fakeBridge().requests('connections:disconnect')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Disconnect ok@acme.org' })).toBeTruthy();
  });
});
