/**
 * A health report older than the sites and connections it describes (issue 10 item 2): the
 * page says so and offers Check now, and never shows "No site profiles yet" or "No approvals
 * were counted…" from that report as if they were current.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../common/health-models';
import { formatTime } from '../../../renderer/src/ui/format';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';
import { iso, makeCard, makeCensus, makeReport } from './health-fixtures';

const ADMIN = makeConnection({ id: 'conn-1', siteIds: ['site-1'] });
const SITE = makeSite({ id: 'site-1', name: 'Members site', connectionId: 'conn-1' });

/** What main reported at start-up, before any connection or site existed. */
const START_UP: HealthReport = makeReport({ generatedAt: iso(20, 8), status: 'ok', cards: [], censuses: [], nextCheckAt: iso(20, 14), lastError: null });

async function openHealth(report: HealthReport, sites = [SITE]) {
  fakeBridge().respond('connections:list', [ADMIN]);
  fakeBridge().respond('sites:list', sites);
  fakeBridge().respond('health:report', report);
  await renderApp('health');
}

describe('Health page: a report older than the current sites and connections', () => {
  it('says the report is outdated and offers Check now instead of showing its empty lists as current', async () => {
    await openHealth({ ...START_UP, outdated: true });
    const notice = await screen.findByRole('region', { name: 'This report is older than your sites and connections' });
    expect(notice.textContent).toContain(`made ${formatTime(START_UP.generatedAt)}`);
    expect(screen.queryByText(/No site profiles yet/)).toBeNull();
    expect(screen.queryByText(/No approvals were counted/)).toBeNull();
    // One Check now, in the notice.
    expect(screen.getAllByRole('button', { name: 'Check now' })).toHaveLength(1);

    const check = fakeBridge().defer('health:check');
    fireEvent.click(within(notice).getByRole('button', { name: 'Check now' }));
    expect(fakeBridge().requests('health:check')).toEqual([{}]);
    await act(async () => check.resolve(makeReport({ generatedAt: iso(20, 9) })));
    expect(await screen.findByRole('listitem', { name: 'Members site' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'This report is older than your sites and connections' })).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Check now' })).toHaveLength(1);
  });

  it('with results, keeps them under the notice and does not call the missing ones absent', async () => {
    await openHealth({ ...makeReport({ generatedAt: iso(20, 8), cards: [], censuses: [makeCensus({ groups: [] })] }), outdated: true });
    await screen.findByRole('region', { name: 'This report is older than your sites and connections' });
    expect(screen.queryByText(/No site profiles yet/)).toBeNull();
    expect(screen.getByText(/made before your current site profiles/)).toBeTruthy();
  });

  it('a report that was never checked while sites exist says so and offers Check now', async () => {
    await openHealth({ ...START_UP, status: 'never-checked', nextCheckAt: null });
    const notice = await screen.findByRole('region', { name: 'Your sites have not been checked yet' });
    expect(notice.textContent).toContain('1 site');
    expect(within(notice).getByRole('button', { name: 'Check now' })).toBeTruthy();
    expect(screen.queryByText(/No site profiles yet/)).toBeNull();
  });

  it('picks up the outdated flag when a site changes while the page is open, and health:changed then replaces it', async () => {
    await openHealth(makeReport({ generatedAt: iso(20, 8) }));
    await screen.findByRole('listitem', { name: 'Members site' });
    expect(screen.queryByRole('region', { name: /older than your sites/ })).toBeNull();

    fakeBridge().respond('health:report', { ...makeReport({ generatedAt: iso(20, 8) }), outdated: true });
    act(() => fakeBridge().emit('sites:changed', [SITE, makeSite({ id: 'site-2', name: 'Shop' })]));
    expect(await screen.findByRole('region', { name: 'This report is older than your sites and connections' })).toBeTruthy();

    act(() => fakeBridge().emit('health:changed', { report: makeReport({ generatedAt: iso(20, 9), cards: [makeCard(), makeCard({ siteId: 'site-2', siteName: 'Shop' })] }), changes: [] }));
    expect(await screen.findByRole('listitem', { name: 'Shop' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: /older than your sites/ })).toBeNull();
  });

  it('a current report without sites still says there are none', async () => {
    await openHealth(makeReport({ cards: [] }), []);
    expect(await screen.findByText(/No site profiles yet/)).toBeTruthy();
    expect(screen.queryByRole('region', { name: /older than your sites|not been checked/ })).toBeNull();
  });
});
