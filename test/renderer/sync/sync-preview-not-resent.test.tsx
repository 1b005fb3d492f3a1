/**
 * The push preview's "not re-sent" records: Salesforce refused exactly these values before, so
 * the run fails them again without sending. The preview counts them apart from creates and
 * updates, says why, labels their rows and filters on them.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { expect, it } from 'vitest';
import type { SyncPlanDto } from '../../../common/sync-models';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';

const plan: SyncPlanDto = {
  siteId: 'site-1',
  objectType: 'Contact',
  matchKind: 'email',
  matchField: 'Email',
  users: 3,
  counts: { create: 1, update: 0, unchanged: 1, invalid: 0, conflict: 0 },
  notResent: 1,
  strategy: 'collections',
  estimate: { planCalls: 2, writeCalls: 1, remainingDaily: 14_000, maxDaily: 15_000, needsConfirmation: false, shareLimit: 0.5 },
  rows: [
    {
      wpUserId: 4,
      key: 'dup@example.org',
      class: 'create',
      salesforceId: null,
      changes: [{ field: 'LastName', old: null, new: 'Dup' }],
      reason: 'DUPLICATES_DETECTED: Use one of these records? (not re-sent: unchanged since Salesforce refused it on 2026-11-30).',
      notResent: true,
    },
    { wpUserId: 1, key: 'ann@example.org', class: 'create', salesforceId: null, changes: [{ field: 'LastName', old: null, new: "O'Brien" }], reason: null },
    { wpUserId: 2, key: 'bob@example.org', class: 'unchanged', salesforceId: '003000000000001AAA', changes: [], reason: null },
  ],
  rowsTruncated: false,
  plannedAt: '2026-12-01T05:00:00.000Z',
};

it('counts records refused before apart, says why they are not sent, and labels and filters their rows', async () => {
  const bridge = fakeBridge();
  bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
  bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1' })]);
  bridge.respond('sync:runs', []);
  bridge.respond('sync:plan', plan);
  await renderApp('sync');
  fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
  const preview = await screen.findByRole('region', { name: 'Preview' });
  expect(preview.textContent).toMatch(/1 not re-sent/);
  expect(preview.textContent).toMatch(/1 to create/);
  expect(within(preview).getByRole('note').textContent).toMatch(/Salesforce refused one record with these same values before: the run records it as failed again/);
  const list = within(preview).getByRole('list', { name: 'Changes' });
  const refused = within(list).getAllByRole('listitem').find((item) => item.textContent?.includes('dup@example.org'));
  expect(refused?.textContent).toMatch(/Not re-sent.*DUPLICATES_DETECTED: Use one of these records\? \(not re-sent: unchanged since Salesforce refused it on 2026-11-30\)/);

  const show = within(preview).getByRole('combobox');
  fireEvent.change(show, { target: { value: 'create' } });
  expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([expect.stringContaining('ann@example.org')]);
  fireEvent.change(show, { target: { value: 'not-resent' } });
  expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([expect.stringContaining('dup@example.org')]);
});

it('offers to send the refused records again: the preview and the run then ask main for it', async () => {
  const bridge = fakeBridge();
  bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
  bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1' })]);
  bridge.respond('sync:runs', []);
  bridge.respond('sync:plan', plan);
  bridge.respond('sync:start', { runId: 'run-1' });
  await renderApp('sync');
  expect(screen.queryByRole('checkbox', { name: /refused/ })).toBeNull();
  fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
  await screen.findByRole('region', { name: 'Preview' });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Send again the records Salesforce refused' }));
  // The preview was for the other choice: preview again before running.
  expect(screen.queryByRole('region', { name: 'Preview' })).toBeNull();
  bridge.respond('sync:plan', { ...plan, notResent: 0, counts: { ...plan.counts, create: 2 }, rows: plan.rows.map((row) => ({ ...row, notResent: false, reason: null })) });
  fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  await screen.findByRole('region', { name: 'Preview' });
  fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
  await screen.findByRole('button', { name: 'Sync now' });
  const sent = bridge.calls.filter((call) => call.channel === 'sync:plan' || call.channel === 'sync:start').map((call) => [call.channel, (call.request as { retryRefused?: boolean }).retryRefused]);
  expect(sent).toEqual([
    ['sync:plan', undefined],
    ['sync:plan', true],
    ['sync:start', true],
  ]);
});
