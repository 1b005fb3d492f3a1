/**
 * What the waiting panel says about approvals while Salesforce waits for the admin (issue 10
 * item 1): reauthorizing replaces the connection's own approval, so it must not claim that it
 * uses one more; a new sign-in does add one.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PreflightResult } from '../../common/health-models';
import type { SignInStarted } from '../../common/models';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

const STARTED: SignInStarted = { flowId: 'flow-1', authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x=1', redirectUri: 'http://localhost:1717/OauthRedirect' };
const KEY = '3MVG9consumerkeyexample0001';
const SHOP = makeConnection({ id: 'conn-shop', username: 'sites@acme.org', clientId: KEY, siteIds: ['site-1'] });

const SAFE_AT_FOUR: PreflightResult = {
  verdict: 'safe',
  appName: 'ForceSites',
  userLabel: 'sites@acme.org',
  used: 4,
  cap: 5,
  evicts: null,
  message: 'Reauthorizing replaces this connection’s own approval: sites@acme.org keeps 4 of 5.',
  suggestion: null,
};

const AT_CAP: PreflightResult = {
  ...SAFE_AT_FOUR,
  verdict: 'will-disconnect',
  used: 5,
  evicts: { approvalId: '0CQ000000000001', authorizedAt: '2026-10-01T08:00:00.000Z', attribution: { kind: 'unknown-site' } },
  message: 'Authorizing now as sites@acme.org will disconnect an unknown site (authorized 1 Oct 2026).',
};

async function open() {
  fakeBridge().respond('connections:list', [SHOP]);
  fakeBridge().respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-shop' })]);
  fakeBridge().respond('auth:start', STARTED);
  await renderApp('connections');
  await screen.findByRole('list', { name: 'Connections' });
}

function waitingPanel(name: string | RegExp): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('Sign-in waiting panel: what happens to approvals', () => {
  it('reauthorizing says the connection’s own approval is replaced, not that one more is used or the oldest dropped', async () => {
    fakeBridge().respond('auth:preflight', SAFE_AT_FOUR);
    await open();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    await screen.findByText(/Waiting for Salesforce…/);

    const panel = waitingPanel('Reauthorize sites@acme.org');
    const text = panel.textContent ?? '';
    expect(text).toContain('Sign in as sites@acme.org.');
    expect(text).toContain('replaces this connection’s own approval');
    expect(text).toContain('ForceSites revokes the old one');
    expect(text).not.toMatch(/one new approval|drops the oldest|revokes their oldest/);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('after the admin accepted losing an approval, says Salesforce revokes that one as well', async () => {
    fakeBridge().respond('auth:preflight', AT_CAP);
    await open();
    fireEvent.click(screen.getByRole('button', { name: 'Reauthorize sites@acme.org' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue and disconnect' }));
    await screen.findByText(/Waiting for Salesforce…/);
    const text = waitingPanel('Reauthorize sites@acme.org').textContent ?? '';
    expect(text).toContain('replaces this connection’s own approval');
    expect(text).toContain('the approval you agreed to give up');
  });

  it('a new sign-in says it adds one approval and what Salesforce does at the cap', async () => {
    await open();
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    await screen.findByText(/Salesforce returns to http:\/\/localhost:1717/);
    fireEvent.change(screen.getByLabelText('Consumer key'), { target: { value: '3MVG9anotherapp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Authorize in browser' }));
    await screen.findByText(/Waiting for Salesforce…/);
    const text = waitingPanel('Salesforce sign-in').textContent ?? '';
    expect(text).toContain('This adds one approval for the user who signs in');
    expect(text).toContain('already holds 5 approvals of this app, Salesforce revokes their oldest');
    expect(text).not.toContain('replaces this connection’s own approval');
    await act(async () => undefined);
  });
});
