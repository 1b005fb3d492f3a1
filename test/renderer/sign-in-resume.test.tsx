/**
 * A reload during a sign-in (issue 10 item 6): the flow runs on in main, so the Connections
 * page asks main (`auth:pending`) and shows the waiting panel again, link and Cancel included;
 * auth:finished then completes it as if the page had never reloaded.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PendingSignInDto } from '../../common/models';
import { makeConnection } from './factories';
import { DEFAULT_APP_INFO, fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const PENDING: PendingSignInDto = {
  flowId: 'flow-7',
  authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?client_id=3MVG9key&state=s',
  redirectUri: 'http://localhost:1717/OauthRedirect',
  startedAt: '2026-11-20T08:00:00.000Z',
};

describe('Connections page after a reload during a sign-in', () => {
  it('asks main on load and shows the sign-in it still runs, with the link and Cancel instead of “No connections yet”; auth:finished completes it', async () => {
    fakeBridge().respond('auth:pending', PENDING);
    await renderApp('connections');
    const panel = await screen.findByRole('region', { name: 'Salesforce sign-in' });
    expect(within(panel).getByText(/Waiting for Salesforce…/)).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'Open the Salesforce sign-in page' }).getAttribute('href')).toBe(PENDING.authorizeUrl);
    expect(within(panel).getByText(PENDING.redirectUri)).toBeTruthy();
    expect(screen.queryByText('No connections yet')).toBeNull();
    expect(fakeBridge().requests('auth:pending')).toContainEqual({});
    // Nothing is started or opened again.
    expect(fakeBridge().requests('auth:start')).toEqual([]);
    expect(fakeBridge().requests('shell:open-external')).toEqual([]);

    fakeBridge().respond('connections:list', [makeConnection({ username: 'ada@acme.org' })]);
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-7', ok: true, connection: makeConnection({ username: 'ada@acme.org' }) }));
    expect(within(panel).getByText('Connected.')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: /ada@acme\.org/ })).toBeTruthy();
  });

  it('Cancel cancels the flow main runs', async () => {
    fakeBridge().respond('auth:pending', PENDING);
    fakeBridge().respond('auth:cancel', { cancelled: true });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel sign-in' }));
    await waitFor(() => expect(fakeBridge().requests('auth:cancel')).toEqual([{ flowId: 'flow-7' }]));
    expect(screen.getByText('Sign-in cancelled. Nothing was saved.')).toBeTruthy();
  });

  it('a pending reauthorization is shown as one, with its user', async () => {
    fakeBridge().respond('connections:list', [makeConnection({ id: 'conn-9', username: 'sites@acme.org' })]);
    fakeBridge().respond('auth:pending', { ...PENDING, reauthorizeConnectionId: 'conn-9' });
    await renderApp('connections');
    const panel = await screen.findByRole('region', { name: 'Reauthorize sites@acme.org' });
    expect(panel.textContent).toContain('replaces this connection’s own approval');
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-7', ok: true, connection: makeConnection({ id: 'conn-9', username: 'sites@acme.org' }) }));
    expect(within(panel).getByText('Reauthorized.')).toBeTruthy();
  });

  it('in the browser edition offers the link without opening another window', async () => {
    fakeBridge().respond('app:info', { ...DEFAULT_APP_INFO, edition: 'browser' });
    fakeBridge().respond('auth:pending', PENDING);
    await renderApp('connections');
    const panel = await screen.findByRole('region', { name: 'Salesforce sign-in' });
    expect(within(panel).getByRole('link', { name: 'Open the Salesforce sign-in page' }).getAttribute('href')).toBe(PENDING.authorizeUrl);
    expect(panel.textContent).toContain('This page updates by itself when Salesforce sends you back.');
    expect(fakeBridge().requests('shell:open-external')).toEqual([]);
  });

  it('a sign-in that finished while main answered ends as finished, not waiting', async () => {
    const pending = fakeBridge().defer('auth:pending');
    await renderApp('connections');
    act(() => fakeBridge().emit('auth:finished', { flowId: 'flow-7', ok: false, error: { code: 'AUTH_DENIED', message: 'You denied access.' } }));
    await act(async () => pending.resolve(PENDING));
    expect(await screen.findByText('You denied access.')).toBeTruthy();
    expect(screen.queryByText(/Waiting for Salesforce…/)).toBeNull();
  });

  it('without a pending sign-in shows the empty state as before', async () => {
    await renderApp('connections');
    expect(await screen.findByText('No connections yet')).toBeTruthy();
    expect(screen.queryByText(/Waiting for Salesforce…/)).toBeNull();
  });
});
