/**
 * The site form's "Live changes" panel: state, mode, last change, counts, Follow / Pause /
 * Resume / Stop through the contract, live updates from `changes:updated`, the link to the
 * run in the sync history, and main's error with its hint.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChangeFeedStatusDto } from '../../common/change-feed-models';
import { makeSite } from './factories';
import { fakeBridge, offChangeFeed } from './fake-bridge';
import { renderApp } from './render-app';

function status(overrides: Partial<ChangeFeedStatusDto>): ChangeFeedStatusDto {
  return { ...offChangeFeed('site-1', 'Members site'), ...overrides };
}

async function openPanel(): Promise<HTMLElement> {
  fakeBridge().respond('sites:list', [makeSite({ connectionId: 'conn-1' })]);
  await renderApp('sites');
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Members site' }));
  const panel = await screen.findByRole('region', { name: 'Live changes' });
  await within(panel).findByText('Not following');
  return panel;
}

describe('Live changes panel', () => {
  it('follows, shows the mode, counts and last change as events arrive, links the run, pauses, resumes and stops', async () => {
    const bridge = fakeBridge();
    const following = status({ mode: 'following', channel: '/data/ContactChangeEvent', runId: 'run-42' });
    bridge.respond('changes:follow', following);
    const panel = await openPanel();
    expect(within(panel).getByText(/reach WordPress only when you run a pull/)).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Follow changes' }));
    expect(await within(panel).findByText('Following changes')).toBeTruthy();
    expect(bridge.requests('changes:follow')).toEqual([{ siteId: 'site-1' }]);
    expect(within(panel).getByText(/Change Data Capture on \/data\/ContactChangeEvent/)).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'open the live run' }).getAttribute('href')).toBe('#/sync?run=run-42');

    act(() =>
      bridge.emit('changes:updated', { ...following, lastChangeAt: '2026-11-20T09:15:30.000Z', counts: { ...following.counts, updated: 12, skipped: 1, apiCalls: 2, pending: 3 } }),
    );
    expect(within(panel).getByText('12 updated')).toBeTruthy();
    expect(within(panel).getByText('3 waiting')).toBeTruthy();
    expect(within(panel).getByText('2 API calls')).toBeTruthy();
    expect(within(panel).queryByText('Last change applied: none yet')).toBeNull();
    // Another site's event does not touch this panel.
    act(() => bridge.emit('changes:updated', { ...following, siteId: 'site-2', counts: { ...following.counts, updated: 99 } }));
    expect(within(panel).queryByText('99 updated')).toBeNull();

    bridge.respond('changes:pause', { ...following, mode: 'paused', runId: null, message: 'Paused: changes made meanwhile are replayed on resume.' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Pause' }));
    expect(await within(panel).findByText('Paused')).toBeTruthy();
    expect(within(panel).getByText(/replayed on resume/)).toBeTruthy();
    expect(within(panel).queryByRole('link', { name: 'open the live run' })).toBeNull();

    bridge.respond('changes:resume', { ...following, mode: 'polling', channel: null, pollIntervalSeconds: 60 });
    fireEvent.click(within(panel).getByRole('button', { name: 'Resume' }));
    expect(await within(panel).findByText('Polling for changes')).toBeTruthy();
    expect(within(panel).getByText(/Every 60 s, one query/)).toBeTruthy();

    bridge.respond('changes:stop', status({}));
    fireEvent.click(within(panel).getByRole('button', { name: 'Stop following' }));
    expect(await within(panel).findByRole('button', { name: 'Follow changes' })).toBeTruthy();
    expect(bridge.requests('changes:stop')).toEqual([{ siteId: 'site-1' }]);
  });

  it('shows a catch-up and an offline state with main’s words', async () => {
    const panel = await openPanel();
    act(() => fakeBridge().emit('changes:updated', status({ mode: 'catching-up', message: 'ForceSites was away longer than Salesforce keeps change events (72 hours); reading every Contact changed since 2026-11-17T08:00:00.000Z.' })));
    expect(within(panel).getByText('Catching up')).toBeTruthy();
    expect(within(panel).getByText(/72 hours/)).toBeTruthy();
    act(() => fakeBridge().emit('changes:updated', status({ mode: 'offline-retrying', message: 'Salesforce or WordPress could not be reached. Retrying in 8 s from the last applied change.' })));
    expect(within(panel).getByText('Offline — retrying')).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('says what to do when main refuses to follow', async () => {
    fakeBridge().fail('changes:follow', { code: 'INVALID_REQUEST', message: '"Members site" has no Salesforce connection to follow changes through.', hint: 'Choose a connection for the site on the Sites page, then follow changes.' });
    const panel = await openPanel();
    fireEvent.click(within(panel).getByRole('button', { name: 'Follow changes' }));
    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toMatch(/no Salesforce connection/);
    expect(alert.textContent).toMatch(/Choose a connection/);
    expect(within(panel).getByText('Not following')).toBeTruthy();
  });
});
