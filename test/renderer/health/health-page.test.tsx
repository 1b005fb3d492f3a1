import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../common/health-models';
import { formatTime } from '../../../renderer/src/ui/format';
import { makeConnection } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';
import { iso, makeApproval, makeCard, makeCensus, makeGroup, makeReport } from './health-fixtures';

const ADMIN = makeConnection({ id: 'conn-1', siteIds: ['site-1'] });

async function openHealth(report: HealthReport) {
  fakeBridge().respond('connections:list', [ADMIN]);
  fakeBridge().respond('health:report', report);
  await renderApp('health');
}

function siteCard(name: string): HTMLElement {
  return screen.getByRole('listitem', { name });
}

/** The severity badge sits in the card's head, next to the site name. */
function severityOf(card: HTMLElement): string {
  return card.querySelector('.health-badge')?.textContent ?? '';
}

describe('Health page: site cards', () => {
  it('renders each connection state with its cause and where to go', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({ siteId: 's1', siteName: 'Shop', severity: 'ok' }),
          makeCard({
            siteId: 's2',
            siteName: 'Blog',
            severity: 'error',
            connectionState: { kind: 'needs-reauthorization', cause: 'evicted-by-approval-cap', detail: 'Revoked when the sixth approval was made on 3 Nov.' },
          }),
          makeCard({ siteId: 's3', siteName: 'Events', severity: 'error', connectionState: { kind: 'keychain-error', detail: 'The keyring is locked.' } }),
          makeCard({ siteId: 's4', siteName: 'Draft', severity: 'unknown', connectionId: null, connectionState: { kind: 'no-connection' }, approvals: null }),
        ],
      }),
    );
    const shop = await screen.findByRole('listitem', { name: 'Shop' });
    expect(within(shop).getByText('Connected')).toBeTruthy();
    expect(severityOf(shop)).toBe('OK');

    const blog = siteCard('Blog');
    expect(severityOf(blog)).toBe('Problem');
    expect(within(blog).getByText(/Needs reauthorization/)).toBeTruthy();
    expect(within(blog).getByText(/oldest approval is dropped/)).toBeTruthy();
    expect(within(blog).getByText('Revoked when the sixth approval was made on 3 Nov.')).toBeTruthy();
    expect(within(blog).getByRole('link', { name: 'Reauthorize on the Connections page' }).getAttribute('href')).toBe('#/connections');

    const events = siteCard('Events');
    expect(within(events).getByText('Keychain error')).toBeTruthy();
    expect(within(events).getByText('The keyring is locked.')).toBeTruthy();

    const draft = siteCard('Draft');
    expect(severityOf(draft)).toBe('Not known');
    expect(within(draft).getByText('No connection')).toBeTruthy();
    expect(within(draft).getByRole('link', { name: 'Sites page' }).getAttribute('href')).toBe('#/sites');
  });

  it('says a site whose connection was disconnected is disconnected, not that it has no connection yet', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            siteName: 'Shop',
            severity: 'warning',
            connectionId: null,
            connectionState: { kind: 'no-connection' },
            approvals: null,
            detachedFromConnection: 'ok@acme.org',
          }),
        ],
      }),
    );
    const shop = await screen.findByRole('listitem', { name: 'Shop' });
    expect(within(shop).getByText('Disconnected — choose or add a connection')).toBeTruthy();
    expect(shop.textContent).toContain('This site used ok@acme.org until that connection was disconnected');
    expect(within(shop).queryByText('No connection')).toBeNull();
    expect(within(shop).getByRole('link', { name: 'Sites page' }).getAttribute('href')).toBe('#/sites');
    expect(within(shop).getByRole('link', { name: 'Connections' }).getAttribute('href')).toBe('#/connections');
  });

  it('shows the policy verdict with evidence (unconfirmed marked) and the fix, the install verdict, API usage, keep-alive and permission gaps', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            severity: 'warning',
            headline: 'Refresh tokens expire after 90 days unused',
            policy: {
              appName: 'ForceSites',
              verdict: { kind: 'expires-if-unused', amount: 90, unit: 'days', periodMs: 90 * 86_400_000 },
              severity: 'warning',
              summary: 'A site that does not sync for 90 days loses its approval.',
              evidence: [
                { source: 'Metadata API', field: 'refreshTokenPolicy', value: 'SpecificLifetime', reading: 'expires after a set time', confirmed: true },
                { source: 'ConnectedApplication', field: 'RefreshTokenValidityPeriod', value: null, reading: 'valid until revoked', confirmed: false },
              ],
              adminApprovedOnly: true,
              fix: 'Setup → External Client App Manager → ForceSites → Policies → Refresh token is valid until revoked',
              permissionGaps: [],
            },
            install: {
              appName: 'ForceSites',
              verdict: 'uninstalled',
              severity: 'error',
              explanation: 'Since September 2025 users cannot authorize uninstalled connected apps.',
              fix: 'Setup → Connected Apps OAuth Usage → Install',
              permissionGaps: [],
            },
            apiUsage: { orgId: '00D000000000001', used: 14_400, max: 15_000, fraction: 0.96, level: 'critical', source: 'limits', observedAt: iso(21), message: 'The org has used 96 % of its daily API requests.' },
            siteApiCalls: { siteId: 'site-1', last24h: 1234 },
            connectionApiCalls: { siteId: 'connection:conn-1', last24h: 1301 },
            keepAlive: { windowMs: 90 * 86_400_000, intervalMs: 30 * 86_400_000, nextRunAt: iso(25), reason: 'the refresh token policy expires unused tokens' },
            permissionGaps: [{ permission: 'Customize Application', wouldShow: 'every user’s approvals, not only yours' }],
          }),
        ],
      }),
    );
    const card = await screen.findByRole('listitem', { name: 'Members site' });
    expect(severityOf(card)).toBe('Needs attention');
    expect(within(card).getByText('Refresh tokens expire after 90 days unused')).toBeTruthy();

    const policy = within(card).getByRole('region', { name: 'Refresh token policy' });
    expect(within(policy).getByText('Refresh token expires if unused for 90 days')).toBeTruthy();
    expect(within(policy).getByText('A site that does not sync for 90 days loses its approval.')).toBeTruthy();
    expect(within(policy).getByText('Only admin-approved users may authorize the app.')).toBeTruthy();
    const evidence = within(policy).getAllByRole('listitem');
    expect(evidence[0]!.textContent).not.toContain('Unconfirmed');
    expect(evidence[1]!.textContent).toContain('RefreshTokenValidityPeriod');
    expect(evidence[1]!.textContent).toContain('empty');
    expect(evidence[1]!.textContent).toContain('Unconfirmed');
    // The app is not installed here, so the policy fix is the second step.
    expect(policy.textContent).toContain('Then, once it is installed: Setup → External Client App Manager → ForceSites → Policies');

    const install = within(card).getByRole('region', { name: 'App installation' });
    expect(within(install).getByText('Not installed in the org')).toBeTruthy();
    expect(within(install).getByText('Problem')).toBeTruthy();
    expect(install.textContent).toContain('Since September 2025');
    expect(install.textContent).toContain('How to fix, first: Setup → Connected Apps OAuth Usage → Install');

    const api = within(card).getByRole('region', { name: 'API usage' });
    expect(api.textContent).toMatch(/14,400 of 15,000/);
    expect(api.textContent).toContain('96%');
    expect(within(api).getByText('Above 95 %')).toBeTruthy();
    expect(within(api).getByRole('meter', { name: 'Daily API requests used' }).getAttribute('aria-valuenow')).toBe('14400');
    expect(api.textContent).toContain('ForceSites made 1,234 calls for this site in the last 24 hours, and 1,301 calls in all through its connection (health checks included).');

    const keepAlive = within(card).getByRole('region', { name: 'Keep-alive' });
    expect(keepAlive.textContent).toContain(`Next refresh: ${formatTime(iso(25))}`);
    expect(keepAlive.textContent).toContain('Why: the refresh token policy expires unused tokens.');
    expect(keepAlive.textContent).toContain('every 30 days');

    expect(card.textContent).toContain('Customize Application is missing: with it ForceSites would show every user’s approvals, not only yours.');
    expect(card.textContent).toContain(formatTime(iso(19)));
  });

  it('for an uninstalled app gives the install fix first and the policy fix after, and says why the policy is unknown', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            severity: 'error',
            policy: {
              appName: 'ForceSites',
              verdict: { kind: 'unknown' },
              severity: 'unknown',
              summary: 'ForceSites could not read the refresh token policy.',
              evidence: [],
              adminApprovedOnly: null,
              fix: 'Setup » Connected Apps » ForceSites » Edit Policies » Refresh Token Policy: Refresh token is valid until revoked',
              permissionGaps: [],
            },
            install: {
              appName: 'ForceSites',
              verdict: 'uninstalled',
              severity: 'error',
              explanation: 'ForceSites is not installed in this org.',
              fix: 'Setup » Connected Apps OAuth Usage » ForceSites » Install',
              permissionGaps: [],
            },
          }),
        ],
      }),
    );
    const card = await screen.findByRole('listitem', { name: 'Members site' });
    const install = within(card).getByRole('region', { name: 'App installation' });
    const policy = within(card).getByRole('region', { name: 'Refresh token policy' });
    // Installation comes first, in reading order and in the fixes.
    expect(install.compareDocumentPosition(policy) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const text = card.textContent ?? '';
    expect(text.indexOf('Connected Apps OAuth Usage » ForceSites » Install')).toBeLessThan(text.indexOf('Refresh token is valid until revoked'));
    expect(install.textContent).toContain('How to fix, first: Setup » Connected Apps OAuth Usage » ForceSites » Install');
    expect(policy.textContent).toContain('Then, once it is installed: Setup » Connected Apps » ForceSites » Edit Policies');
    // Not a bare "Policy not known": it says why.
    expect(within(policy).queryByText('Policy not known')).toBeNull();
    expect(within(policy).getByText('Not readable until the app is installed')).toBeTruthy();
    expect(policy.textContent).toContain('ForceSites is not installed in this org, so its refresh token policy can be neither read nor set yet.');
  });

  it('with the app installed keeps the policy first and its fix unqualified', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            policy: {
              appName: 'ForceSites',
              verdict: { kind: 'unknown' },
              severity: 'unknown',
              summary: 'ForceSites could not read the refresh token policy.',
              evidence: [],
              adminApprovedOnly: null,
              fix: 'Setup » Connected Apps » ForceSites » Edit Policies',
              permissionGaps: [],
            },
          }),
        ],
      }),
    );
    const card = await screen.findByRole('listitem', { name: 'Members site' });
    const install = within(card).getByRole('region', { name: 'App installation' });
    const policy = within(card).getByRole('region', { name: 'Refresh token policy' });
    expect(policy.compareDocumentPosition(install) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(policy).getByText('Policy not known')).toBeTruthy();
    expect(policy.textContent).toContain('How to fix: Setup » Connected Apps » ForceSites » Edit Policies');
  });

  it('with the "expire immediately" policy, keep-alive follows that policy and says it cannot help, not an earlier plan', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            severity: 'error',
            policy: {
              appName: 'ForceSites',
              verdict: { kind: 'expires-immediately' },
              severity: 'error',
              summary: 'Refresh tokens expire immediately: no site can stay connected.',
              evidence: [],
              adminApprovedOnly: false,
              fix: 'Setup » Connected Apps » ForceSites » Edit Policies',
              permissionGaps: [],
            },
            // A plan made under the previous "expire if unused for 36 hours" policy.
            keepAlive: { windowMs: 36 * 3_600_000, intervalMs: 12 * 3_600_000, nextRunAt: iso(22), reason: 'the refresh token policy expires unused tokens' },
          }),
        ],
      }),
    );
    const card = await screen.findByRole('listitem', { name: 'Members site' });
    const keepAlive = within(card).getByRole('region', { name: 'Keep-alive' });
    expect(within(keepAlive).getByText('Keep-alive cannot help with this policy.')).toBeTruthy();
    expect(keepAlive.textContent).toContain('“Refresh token expires immediately”');
    expect(keepAlive.textContent).not.toContain('Next refresh');
    expect(keepAlive.textContent).not.toContain('12 hours');
    expect(keepAlive.textContent).not.toContain('expires unused tokens');
  });

  it('with an "expire after" policy, keep-alive says it cannot postpone that expiry', async () => {
    await openHealth(
      makeReport({
        cards: [
          makeCard({
            policy: {
              appName: 'ForceSites',
              verdict: { kind: 'expires-after', amount: 90, unit: 'days', periodMs: 90 * 86_400_000 },
              severity: 'error',
              summary: 'Refresh tokens expire 90 days after authorization.',
              evidence: [],
              adminApprovedOnly: false,
              fix: null,
              permissionGaps: [],
            },
            keepAlive: { windowMs: 30 * 86_400_000, intervalMs: 86_400_000, nextRunAt: iso(22), reason: 'Salesforce may expire refresh tokens unused for 30 days' },
          }),
        ],
      }),
    );
    const keepAlive = within(await screen.findByRole('listitem', { name: 'Members site' })).getByRole('region', { name: 'Keep-alive' });
    expect(keepAlive.textContent).toContain(`Next refresh: ${formatTime(iso(22))}`);
    expect(keepAlive.textContent).toContain('cannot postpone this policy’s expiry, which comes 90 days after authorization');
  });

  it('warns at 80 % of the API allowance in words, as the DTO level says', async () => {
    await openHealth(
      makeReport({ cards: [makeCard({ apiUsage: { orgId: null, used: 12_300, max: 15_000, fraction: 0.82, level: 'warning', source: 'header', observedAt: null, message: '' } })] }),
    );
    const api = within(await screen.findByRole('listitem', { name: 'Members site' })).getByRole('region', { name: 'API usage' });
    expect(within(api).getByText('Above 80 %')).toBeTruthy();
    expect(api.textContent).toContain('82%');
  });

  it('at the cap, the card’s gauge names the site Salesforce disconnects next', async () => {
    const group = makeGroup(5, {}, 'Members site');
    await openHealth(makeReport({ cards: [makeCard({ severity: 'warning', headline: '5 of 5 approvals used', approvals: group })], censuses: [makeCensus({ groups: [group] })] }));
    const card = await screen.findByRole('listitem', { name: 'Members site' });
    expect(within(card).getByText('At the limit')).toBeTruthy();
    expect(within(card).getByText('The next sign-in as admin@acme.org for ForceSites revokes the oldest approval (Members site).')).toBeTruthy();
    const items = within(within(card).getByRole('list', { name: 'Approvals, oldest first' })).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Members site (this site)');
    expect(items[0]!.textContent).toContain('Revoked by the next sign-in');
    expect(items.slice(1).every((item) => !item.textContent?.includes('Revoked by the next sign-in'))).toBe(true);
  });
});

describe('Health page: approvals by user', () => {
  it('lists every group of every census, other apps and unknown sites included, with scope, truncation and notes', async () => {
    const wpFusion = makeGroup(3, {
      appName: 'WP Fusion (OAuth)',
      userId: '005000000000009',
      username: 'wpf@acme.org',
      approvals: [0, 1, 2].map((i) => makeApproval({ id: `0CQ00000000009${i}`, appName: 'WP Fusion (OAuth)', userId: '005000000000009', evictedNext: i === 0, createdAt: iso(i + 2) })),
    });
    await openHealth(
      makeReport({
        cards: [],
        censuses: [
          makeCensus({
            scope: 'own-only',
            groups: [makeGroup(2), wpFusion],
            apps: [
              { appName: 'ForceSites', source: 'oauth-token-soql', fallbackReason: 'The OAuth Usage API answered 403.', approvals: 2 },
              { appName: 'WP Fusion (OAuth)', source: 'oauth-token-soql', fallbackReason: null, approvals: 3 },
            ],
            truncated: { listed: 2000, total: 2350, message: 'Salesforce returned the first 2,000 approvals.' },
            notes: ['Counted wpf@acme.org’s approvals with that user’s own connection.'],
          }),
        ],
      }),
    );
    const section = await screen.findByRole('region', { name: 'Approvals by user' });
    expect(within(section).getByText(/You see only your own approvals/)).toBeTruthy();
    expect(within(section).getByText('Only 2,000 of 2,350 approvals are listed')).toBeTruthy();
    expect(within(section).getByText('Salesforce returned the first 2,000 approvals.')).toBeTruthy();
    expect(within(section).getByText('Counted wpf@acme.org’s approvals with that user’s own connection.')).toBeTruthy();
    expect(section.textContent).toContain('The OAuth Usage API answered 403.');
    const wpf = within(section).getByRole('region', { name: 'WP Fusion (OAuth) approvals of wpf@acme.org' });
    expect(within(wpf).getByText('3 of 5')).toBeTruthy();
    expect(within(wpf).getAllByText('Unknown site')).toHaveLength(3);
    // Nobody here is connected as wpf@acme.org and the census sees only own approvals: no Revoke offered.
    expect(within(wpf).queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(within(section).getByText(/No working connection here can revoke these/)).toBeTruthy();
    expect(within(section).getByRole('region', { name: 'ForceSites approvals of admin@acme.org' })).toBeTruthy();
    // No site profile yet: the page still says where to add one.
    expect(screen.getByText(/No site profiles yet/)).toBeTruthy();
  });

  it('asks before revoking, explains what it disconnects, sends the census’s connection, shows the result and re-checks', async () => {
    const stale = makeApproval({ id: '0CQ0000000000AB', source: 'usage-api', createdAt: iso(2), lastUsedAt: null, attribution: { kind: 'unknown-site' } });
    const group = makeGroup(2, { approvals: [makeApproval({ evictedNext: true }), stale] });
    await openHealth(makeReport({ cards: [], censuses: [makeCensus({ groups: [group] })] }));
    const after = makeReport({ generatedAt: iso(22), cards: [], censuses: [makeCensus({ groups: [makeGroup(1)] })] });
    fakeBridge().respond('health:revoke-approval', { revoked: true, via: 'usage-api', message: 'Approval revoked.' });
    fakeBridge().respond('health:check', after);

    const section = await screen.findByRole('region', { name: 'Approvals by user' });
    fireEvent.click(within(section).getByRole('button', { name: `Revoke the approval authorized ${formatTime(iso(2))} (Unknown site)` }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke this approval?' });
    expect(dialog.textContent).toContain('disconnects whatever uses it');
    expect(dialog.textContent).toContain('WordPress site');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fakeBridge().requests('health:revoke-approval')).toEqual([]);

    fireEvent.click(within(section).getByRole('button', { name: `Revoke the approval authorized ${formatTime(iso(2))} (Unknown site)` }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke approval' }));
    await waitFor(() => expect(fakeBridge().requests('health:check')).toHaveLength(1));
    expect(fakeBridge().requests('health:revoke-approval')).toEqual([{ connectionId: 'conn-1', approvalId: '0CQ0000000000AB', source: 'usage-api' }]);
    expect(await screen.findByText(/^Approval revoked\./)).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Approvals by user' })).getByText('1 of 5')).toBeTruthy());
  });

  it('keeps the dialog open with the error when the revoke fails, and says so when Salesforce refuses', async () => {
    await openHealth(makeReport({ cards: [] }));
    fakeBridge().fail('health:revoke-approval', { code: 'PERMISSION_MISSING', message: 'You cannot revoke other users’ approvals.', hint: 'Sign in as a user with Customize Application.' });
    const section = await screen.findByRole('region', { name: 'Approvals by user' });
    fireEvent.click(within(section).getAllByRole('button', { name: /Revoke the approval/ })[0]!);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke approval' }));
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByText('Sign in as a user with Customize Application.')).toBeTruthy();

    fakeBridge().respond('health:revoke-approval', { revoked: false, via: null, message: 'Salesforce did not delete the token.' });
    fakeBridge().respond('health:check', makeReport({ cards: [], generatedAt: iso(22) }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke approval' }));
    expect(await screen.findByText('Salesforce did not delete the token.')).toBeTruthy();
    expect(screen.getByText('The approval was not revoked.').closest('[role="alert"]')).not.toBeNull();
  });
});

describe('Health page: checking', () => {
  it('Check now calls health:check, shows a busy state, then the new report', async () => {
    await openHealth(makeReport({ cards: [makeCard({ headline: '2 of 5 approvals used' })] }));
    const pending = fakeBridge().defer('health:check');
    fireEvent.click(await screen.findByRole('button', { name: 'Check now' }));
    const busy = screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(screen.getByText('Checking every connection…').getAttribute('aria-live')).toBe('polite');
    expect(fakeBridge().requests('health:check')).toEqual([{}]);

    await act(async () => pending.resolve(makeReport({ generatedAt: iso(22), cards: [makeCard({ severity: 'warning', headline: '4 of 5 approvals used', approvals: makeGroup(4) })] })));
    expect(await screen.findByText('4 of 5 approvals used')).toBeTruthy();
    expect(screen.queryByText('2 of 5 approvals used')).toBeNull();
    expect(screen.getByText(/1 site, 1 needs attention/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Check now' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a failed check’s message and hint', async () => {
    await openHealth(makeReport());
    fakeBridge().fail('health:check', { code: 'NETWORK_ERROR', message: 'Salesforce did not answer.', hint: 'Check your network and try again.' });
    fireEvent.click(await screen.findByRole('button', { name: 'Check now' }));
    const hint = await screen.findByText('Check your network and try again.');
    expect(hint.closest('[role="alert"]')?.textContent).toContain('Salesforce did not answer.');
  });

  it('follows health:changed from the scheduled monitor, ignoring an older report that arrives late', async () => {
    const load = fakeBridge().defer('health:report');
    fakeBridge().respond('connections:list', [ADMIN]);
    await renderApp('health');
    act(() =>
      fakeBridge().emit('health:changed', {
        report: makeReport({ generatedAt: iso(22), cards: [makeCard({ severity: 'error', headline: 'Salesforce revoked this site’s approval' })] }),
        changes: [{ siteId: 'site-1', siteName: 'Members site', from: 'ok', to: 'error', message: 'Salesforce revoked this site’s approval' }],
      }),
    );
    expect(await screen.findByText('Salesforce revoked this site’s approval')).toBeTruthy();
    await act(async () => load.resolve(makeReport({ generatedAt: iso(21), cards: [makeCard({ headline: 'stale' })] })));
    expect(screen.queryByText('stale')).toBeNull();

    act(() => fakeBridge().emit('health:changed', { report: makeReport({ generatedAt: iso(23), status: 'offline', nextCheckAt: null }), changes: [] }));
    expect(await screen.findByRole('heading', { name: 'Status: Offline' })).toBeTruthy();
    expect(screen.getByText('when the network is back')).toBeTruthy();
  });

  it('shows a failed report’s last error and the next scheduled check', async () => {
    await openHealth(makeReport({ status: 'error', lastError: 'Salesforce could not be reached for any connection.', nextCheckAt: iso(21, 12) }));
    expect(await screen.findByRole('heading', { name: 'Status: Check failed' })).toBeTruthy();
    expect(screen.getByText('Salesforce could not be reached for any connection.')).toBeTruthy();
    expect(screen.getByText(formatTime(iso(21, 12)))).toBeTruthy();
  });
});

describe('Health page: empty states and explainer', () => {
  it('before the first check offers to run it', async () => {
    await openHealth(makeReport({ status: 'never-checked', cards: [], censuses: [], nextCheckAt: null }));
    fakeBridge().respond('health:check', makeReport({ generatedAt: iso(22) }));
    const empty = await screen.findByRole('region', { name: 'Not checked yet' });
    fireEvent.click(within(empty).getByRole('button', { name: 'Run the first check' }));
    expect(await screen.findByRole('listitem', { name: 'Members site' })).toBeTruthy();
    expect(fakeBridge().requests('health:check')).toHaveLength(1);
  });

  it('without connections sends the admin to Connections and offers no check', async () => {
    await renderApp('health');
    const empty = await screen.findByRole('region', { name: 'No health results yet' });
    expect(within(empty).getByRole('link', { name: 'Go to Connections' }).getAttribute('href')).toBe('#/connections');
    expect(screen.queryByRole('button', { name: 'Check now' })).toBeNull();
  });

  it('explains five versus four approvals, links the cap to Settings and names the fix', async () => {
    await openHealth(makeReport());
    const explainer = await screen.findByRole('region', { name: 'Why sites get disconnected' });
    expect(explainer.textContent).toContain('five per user per connected app');
    expect(explainer.textContent).toContain('says four');
    expect(within(explainer).getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe('#/settings');
    expect(explainer.textContent).toContain('dedicated Salesforce integration user per group of sites');
    expect(document.body.textContent).not.toMatch(/TODO|\{"/);
  });
});
