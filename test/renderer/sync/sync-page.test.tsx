import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SyncPlanDto, SyncRunDto } from '../../../common/sync-models';
import { makeConnection, makeSite } from '../factories';
import { fakeBridge } from '../fake-bridge';
import { renderApp } from '../render-app';

const plan = (overrides: Partial<SyncPlanDto> = {}): SyncPlanDto => ({
  siteId: 'site-1',
  objectType: 'Contact',
  matchKind: 'email',
  matchField: 'Email',
  users: 3,
  counts: { create: 1, update: 1, unchanged: 0, invalid: 1, conflict: 0 },
  strategy: 'collections',
  estimate: { planCalls: 2, writeCalls: 2, remainingDaily: 14_000, maxDaily: 15_000, needsConfirmation: false, shareLimit: 0.5 },
  rows: [
    { wpUserId: 3, key: null, class: 'invalid', salesforceId: null, changes: [], reason: 'The WordPress user has no email address to match on.' },
    { wpUserId: 1, key: 'ann@example.org', class: 'create', salesforceId: null, changes: [{ field: 'LastName', old: null, new: "O'Brien" }], reason: null },
    { wpUserId: 2, key: 'bob@example.org', class: 'update', salesforceId: '003000000000001AAA', changes: [{ field: 'FirstName', old: 'Rob', new: 'Bob' }], reason: null },
  ],
  rowsTruncated: false,
  plannedAt: '2026-12-01T05:00:00.000Z',
  ...overrides,
});

const run = (overrides: Partial<SyncRunDto> = {}): SyncRunDto => ({
  id: 'run-1', siteId: 'site-1', direction: 'push', state: 'completed', objectType: 'Contact', matchField: 'Email', strategy: 'collections',
  startedAt: '2026-12-01T05:00:00.000Z', finishedAt: '2026-12-01T05:00:02.000Z', total: 3, created: 1, updated: 1, unchanged: 0, failed: 1, invalid: 0, conflict: 0, apiCalls: 4, errorCode: null, message: null,
  ...overrides,
});

function setUp() {
  const bridge = fakeBridge();
  bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
  bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1' })]);
  bridge.respond('sync:runs', []);
  return bridge;
}

describe('Sync page', () => {
  it('previews the plan (counts, estimate, changes old → new, search) before anything is written', async () => {
    const bridge = setUp();
    bridge.respond('sync:plan', plan());
    await renderApp('sync');
    expect((await screen.findByRole('button', { name: 'Sync now' })).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Preview' });
    expect(preview.textContent).toMatch(/about 2 API calls/);
    expect(preview.textContent).toMatch(/14,000 of 15,000 requests left/);
    const list = within(preview).getByRole('list', { name: 'Changes' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(list.textContent).toContain("LastName: ∅ → O'Brien");
    expect(list.textContent).toContain('FirstName: Rob → Bob');
    fireEvent.change(within(preview).getByRole('searchbox'), { target: { value: 'bob@' } });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(bridge.calls.filter((c) => c.channel === 'sync:start')).toEqual([]);
  });

  it('says which values truncation cut, in the preview’s note and rows', async () => {
    const bridge = setUp();
    const rows = plan().rows.map((row) => (row.wpUserId === 1 ? { ...row, changes: [{ field: 'LastName', old: null, new: 'O', truncatedFrom: 100 }] } : row));
    bridge.respond('sync:plan', plan({ rows }));
    await renderApp('sync');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Preview' });
    expect(within(preview).getByRole('note').textContent).toMatch(/^1 user has a value longer than its Salesforce field; it is cut to fit/);
    const list = within(preview).getByRole('list', { name: 'Changes' });
    expect(list.textContent).toContain('LastName: ∅ → O (truncated from 100 characters)');
    fireEvent.change(within(preview).getByRole('searchbox'), { target: { value: 'truncated' } });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  });

  it('runs, shows progress with Cancel, then lists the run and its records by outcome', async () => {
    const bridge = setUp();
    bridge.respond('sync:plan', plan());
    bridge.respond('sync:start', { runId: 'run-1' });
    bridge.respond('sync:cancel', { cancelled: true });
    bridge.respond('sync:run', (request) => ({ run: run(), total: 1, records: [{ wpUserId: 1, matchValue: 'ann@example.org', salesforceId: null, outcome: request.outcome ?? 'failed', errorCode: 'STRING_TOO_LONG', errorMessage: 'Last Name: data value too large', changes: [] }] }));
    await renderApp('sync');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Preview' });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'sync:start')?.request).toEqual({ siteId: 'site-1', confirmed: false }));
    act(() => bridge.emit('sync:progress', { siteId: 'site-1', runId: 'run-1', phase: 'writing', done: 200, total: 400, rate: 100, etaSeconds: 2 }));
    const progress = await screen.findByRole('region', { name: 'Progress' });
    expect(progress.textContent).toMatch(/Writing to Salesforce: 200 of 400/);
    fireEvent.click(within(progress).getByRole('button', { name: 'Cancel' }));
    expect(bridge.calls.find((c) => c.channel === 'sync:cancel')?.request).toEqual({ siteId: 'site-1' });
    bridge.respond('sync:runs', [run()]);
    act(() => bridge.emit('sync:progress', { siteId: 'site-1', runId: 'run-1', phase: 'done', done: 400, total: 400, rate: 100, etaSeconds: 0 }));
    expect((await screen.findAllByText(/1 created, 1 updated, 0 unchanged, 1 failed · 4 API calls/)).length).toBeGreaterThan(0);
    const records = await screen.findByRole('region', { name: 'Run records' });
    await within(records).findByText(/STRING_TOO_LONG: Last Name: data value too large/);
    fireEvent.change(within(records).getByRole('combobox'), { target: { value: 'failed' } });
    await waitFor(() => expect(bridge.calls.filter((c) => c.channel === 'sync:run').at(-1)?.request).toMatchObject({ runId: 'run-1', outcome: 'failed' }));
  });

  it('reloads the open run’s records when the run finishes (opened as it starts, it held only what was settled then)', async () => {
    const bridge = setUp();
    bridge.respond('sync:plan', plan());
    bridge.respond('sync:start', { runId: 'run-1' });
    const record = (wpUserId: number, outcome: 'unchanged' | 'created') => ({ wpUserId, matchValue: `u${wpUserId}@example.org`, salesforceId: '003000000000001AAA', outcome, errorCode: null, errorMessage: null, changes: [] });
    bridge.respond('sync:run', () => ({ run: run({ state: 'running' }), total: 1, records: [record(1, 'unchanged')] }));
    bridge.respond('sync:runs', [run({ state: 'running', created: 0, updated: 0, failed: 0, unchanged: 1 })]);
    await renderApp('sync');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Preview' });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    const records = await screen.findByRole('region', { name: 'Run records' });
    await waitFor(() => expect(within(records).getByRole('status').textContent).toBe('1 record.'));
    bridge.respond('sync:run', () => ({ run: run(), total: 2, records: [record(1, 'unchanged'), record(2, 'created')] }));
    bridge.respond('sync:runs', [run({ created: 1, updated: 0, failed: 0, unchanged: 1 })]);
    act(() => bridge.emit('sync:progress', { siteId: 'site-1', runId: 'run-1', phase: 'done', done: 2, total: 2, rate: 1, etaSeconds: 0 }));
    await waitFor(() => expect(within(records).getByRole('status').textContent).toBe('2 records.'));
  });

  it('asks before a run that would use more than the share of the org’s remaining requests', async () => {
    const bridge = setUp();
    bridge.respond('sync:plan', plan({ estimate: { planCalls: 2, writeCalls: 60, remainingDaily: 100, maxDaily: 15_000, needsConfirmation: true, shareLimit: 0.5 } }));
    bridge.respond('sync:start', { runId: 'run-2' });
    await renderApp('sync');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    expect((await screen.findByText(/would use more than 50% of the org’s remaining API requests/)).closest('[role="alert"]')).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sync anyway' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'sync:start')?.request).toEqual({ siteId: 'site-1', confirmed: true }));
  });

  it('previews and runs a pull with the chosen role and Topic', async () => {
    const bridge = setUp();
    bridge.respond('sync:plan', plan({ direction: 'pull', rows: [{ wpUserId: null, key: 'new@example.org', class: 'create', salesforceId: '003000000000009AAA', changes: [{ field: 'email', old: null, new: 'new@example.org' }], reason: null }] }));
    bridge.respond('sync:start', { runId: 'run-3' });
    await renderApp('sync');
    fireEvent.change(await screen.findByLabelText('Direction'), { target: { value: 'pull' } });
    fireEvent.change(screen.getByLabelText('Role for new users'), { target: { value: 'customer' } });
    fireEvent.change(screen.getByLabelText('Only records with the Topic'), { target: { value: 'Members' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Preview' });
    expect(within(preview).getByRole('list', { name: 'Changes' }).textContent).toContain('new user');
    expect(bridge.calls.find((c) => c.channel === 'sync:plan')?.request).toEqual({ siteId: 'site-1', direction: 'pull', pull: { role: 'customer', filter: { kind: 'topic', name: 'Members' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'sync:start')?.request).toEqual({ siteId: 'site-1', direction: 'pull', pull: { role: 'customer', filter: { kind: 'topic', name: 'Members' } } }));
  });

  it('offers the pull the picklist filter when the site keeps its tags in a picklist, and no filter when it keeps none', async () => {
    const bridge = setUp();
    bridge.respond('sites:list', [
      makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1', tagMode: 'picklist', tagField: 'Member_Level__c' }),
      makeSite({ id: 'site-2', name: 'Plain', connectionId: 'conn-1', tagMode: 'none', tagField: null }),
    ]);
    bridge.respond('sync:plan', plan({ direction: 'pull', rows: [] }));
    bridge.respond('sync:start', { runId: 'run-4' });
    await renderApp('sync');
    fireEvent.change(await screen.findByLabelText('Direction'), { target: { value: 'pull' } });
    expect(screen.queryByLabelText('Only records with the Topic')).toBeNull();
    fireEvent.change(screen.getByLabelText('Only records whose Member_Level__c has the value'), { target: { value: ' Gold ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Preview' });
    expect(bridge.calls.find((c) => c.channel === 'sync:plan')?.request).toEqual({ siteId: 'site-1', direction: 'pull', pull: { role: 'subscriber', filter: { kind: 'picklist', value: 'Gold' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(bridge.calls.find((c) => c.channel === 'sync:start')?.request).toMatchObject({ pull: { filter: { kind: 'picklist', value: 'Gold' } } }));
    act(() => bridge.emit('sync:progress', { siteId: 'site-1', runId: 'run-4', phase: 'writing', done: 25, total: 50, rate: 10, etaSeconds: 3 }));
    expect(await screen.findByLabelText('Writing to WordPress')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Site'), { target: { value: 'site-2' } });
    expect(screen.queryByLabelText(/Only records/)).toBeNull();
  });

  it('says which runs were pulls, and which one is the live change feed’s', async () => {
    const bridge = setUp();
    bridge.respond('sync:runs', [
      run({ id: 'run-live', direction: 'pull', origin: 'live', state: 'running', strategy: 'live' }),
      run({ id: 'run-pull', direction: 'pull', origin: 'manual' }),
      run({ id: 'run-push' }),
    ]);
    await renderApp('sync');
    const rows = await screen.findAllByRole('row');
    const text = rows.map((row) => row.textContent ?? '');
    expect(text.find((t) => t.includes('running'))).toContain('live changes from Salesforce');
    expect(text.filter((t) => t.includes('pull from Salesforce'))).toHaveLength(1);
    expect(text.filter((t) => t.includes('from Salesforce'))).toHaveLength(2);
  });

  it('opens the run #/sync?run=<id> names (the live changes panel links there), on its site', async () => {
    const bridge = setUp();
    bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1' }), makeSite({ id: 'site-2', name: 'Shop', connectionId: 'conn-1' })]);
    const liveRun = run({ id: 'run-live', siteId: 'site-2', direction: 'pull', origin: 'live', state: 'running', strategy: 'live', updated: 3 });
    bridge.respond('sync:runs', [liveRun]);
    bridge.respond('sync:run', { run: liveRun, total: 0, records: [] });
    await renderApp('sync?run=run-live', /^sync$/i);
    await waitFor(() => expect((screen.getByLabelText('Site') as HTMLSelectElement).value).toBe('site-2'));
    expect(await screen.findByRole('heading', { name: /Records of the run/ })).toBeTruthy();
    expect(bridge.calls.find((c) => c.channel === 'sync:runs')?.request).toEqual({ siteId: 'site-2', limit: 50 });
  });

  it('shows main’s error and hint when the preview fails', async () => {
    const bridge = setUp();
    bridge.fail('sync:plan', { code: 'AUTH_DENIED', message: 'WordPress refused the application password.', hint: 'Create a new application password.' });
    await renderApp('sync');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    const message = await screen.findByText('WordPress refused the application password.');
    expect(message.closest('[role="alert"]')?.textContent).toMatch(/Create a new application password/);
  });
});
