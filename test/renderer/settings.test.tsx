import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../renderer/src/features/settings/settings-model';
import { DEFAULT_SETTINGS, fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

function field(label: string | RegExp): HTMLInputElement | HTMLTextAreaElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

function change(label: string | RegExp, value: string) {
  fireEvent.change(field(label), { target: { value } });
}

/** Opens Settings and waits until settings:get has answered and the form is there. */
async function openSettings() {
  await renderApp('settings');
  await screen.findByLabelText('Approval cap per user per app');
}

describe('Settings page', () => {
  it('loads the settings and explains why the cap is a setting', async () => {
    await openSettings();
    expect(field('Approval cap per user per app').value).toBe('5');
    expect(field('Warn at').value).toBe('4');
    expect(field('Callback ports').value).toBe('1717, 1718');
    expect(screen.getByText(/help says each user can hold five approvals/).textContent).toMatch(/guide says four/);
  });

  it('refuses a warn-at above the cap and bad ports without calling settings:update', async () => {
    await openSettings();
    change('Approval cap per user per app', '4');
    change('Warn at', '5');
    change('Callback ports', '1717, 80');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Warn at or before the cap: 4 or fewer.')).toBeTruthy();
    expect(screen.getByText('Ports are whole numbers from 1024 to 65535.')).toBeTruthy();
    expect(fakeBridge().requests('settings:update')).toEqual([]);
  });

  it('sends only what changed and shows the saved values', async () => {
    fakeBridge().respond('settings:update', (patch) => ({ ...DEFAULT_SETTINGS, ...patch }));
    await openSettings();
    change('Approval cap per user per app', '4');
    change('Warn at', '3');
    change('Other apps to watch', 'WordPress Connector\n\n  Zapier  ');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(fakeBridge().requests('settings:update')).toEqual([{ approvalCap: 4, approvalWarnAt: 3, watchedApps: ['WordPress Connector', 'Zapier'] }]);
    expect(field('Other apps to watch').value).toBe('WordPress Connector\nZapier');
  });

  it('keeps the typed values and shows the hint when the server refuses', async () => {
    fakeBridge().fail('settings:update', { code: 'INVALID_REQUEST', message: 'Settings were refused.', hint: 'Check the ports.' });
    await openSettings();
    change('Check every (hours)', '12');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Check the ports.')).toBeTruthy();
    expect(field('Check every (hours)').value).toBe('12');
  });

  it('edits the request deadline, which main applies to every Salesforce and WordPress call', async () => {
    fakeBridge().respond('settings:update', (patch) => ({ ...DEFAULT_SETTINGS, ...patch }));
    await openSettings();
    expect(field('Request deadline (seconds)').value).toBe('30');
    change('Request deadline (seconds)', '4');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText(/from 5 to 600/)).toBeTruthy();
    expect(fakeBridge().requests('settings:update')).toEqual([]);
    change('Request deadline (seconds)', '90');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(fakeBridge().requests('settings:update')).toEqual([{ requestTimeoutSeconds: 90 }]);
  });

  it('shows the sync settings with their defaults and sends only the ones changed', async () => {
    fakeBridge().respond('settings:update', (patch) => ({ ...DEFAULT_SETTINGS, ...patch }));
    await openSettings();
    // The fake main answers settings from before the sync settings: the page shows the defaults.
    expect(field('Requests in flight').value).toBe('4');
    expect(field(/^Bulk API above/).value).toBe('2000');
    expect(field(/^Ask first above/).value).toBe('50');
    const removeTopics = screen.getByRole('checkbox', { name: /Remove a Topic/ }) as HTMLInputElement;
    const truncate = screen.getByRole('checkbox', { name: /Cut text longer than its Salesforce field/ }) as HTMLInputElement;
    expect([removeTopics.checked, truncate.checked]).toEqual([false, false]);

    change('Requests in flight', '20');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText(/from 1 to 16/)).toBeTruthy();
    expect(fakeBridge().requests('settings:update')).toEqual([]);

    change('Requests in flight', '8');
    change(/^Bulk API above/, '5,000');
    change(/^Ask first above/, '25');
    fireEvent.click(truncate);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(fakeBridge().requests('settings:update')).toEqual([{ syncConcurrency: 8, syncBulkThreshold: 5000, syncApiSharePercent: 25, syncTruncateLongValues: true }]);
    expect((screen.getByRole('checkbox', { name: /Cut text longer/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('shares saved callback ports with the Connections setup guide', async () => {
    fakeBridge().respond('settings:update', (patch) => ({ ...DEFAULT_SETTINGS, ...patch }));
    await openSettings();
    change('Callback ports', '1717 1719');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    window.location.hash = '#/connections';
    await waitFor(() => expect(screen.getByText('http://localhost:1719/OauthRedirect')).toBeTruthy());
    expect(screen.queryByText('http://localhost:1718/OauthRedirect')).toBeNull();
  });
});

describe('settings rules', () => {
  const sync = { syncConcurrency: '1', syncBulkThreshold: '200', syncApiSharePercent: '1', syncRemoveTopics: false, syncTruncateLongValues: true, changesPollSeconds: '5' };
  const ok = { approvalCap: '5', approvalWarnAt: '4', healthIntervalHours: '0.25', watchedApps: '', callbackPorts: '1717', requestTimeoutSeconds: '5', ...sync };

  it('accepts the edges of each range', () => {
    expect(validateSettings(ok).settings).toEqual({
      approvalCap: 5,
      approvalWarnAt: 4,
      healthIntervalHours: 0.25,
      watchedApps: [],
      callbackPorts: [1717],
      requestTimeoutSeconds: 5,
      syncConcurrency: 1,
      syncBulkThreshold: 200,
      syncApiSharePercent: 1,
      syncRemoveTopics: false,
      syncTruncateLongValues: true,
      changesPollSeconds: 5,
    });
    expect(validateSettings({ ...ok, healthIntervalHours: '168', requestTimeoutSeconds: '600', syncConcurrency: '16', syncBulkThreshold: '1,000,000', syncApiSharePercent: '100 %', changesPollSeconds: '3600' }).errors).toEqual({});
    expect(validateSettings({ ...ok, syncBulkThreshold: '1,000,000' }).settings?.syncBulkThreshold).toBe(1_000_000);
  });

  it('rejects fractions of approvals, too-frequent checks, duplicate ports and apps, and sync values out of range', () => {
    const { errors } = validateSettings({
      approvalCap: '4.5',
      approvalWarnAt: '0',
      healthIntervalHours: '0.1',
      watchedApps: 'A\na',
      callbackPorts: '1717,1717',
      requestTimeoutSeconds: '2',
      syncConcurrency: '17',
      syncBulkThreshold: '199',
      syncApiSharePercent: '0',
      syncRemoveTopics: false,
      syncTruncateLongValues: false,
      changesPollSeconds: '4',
    });
    expect(Object.keys(errors).sort()).toEqual(['approvalCap', 'approvalWarnAt', 'callbackPorts', 'changesPollSeconds', 'healthIntervalHours', 'requestTimeoutSeconds', 'syncApiSharePercent', 'syncBulkThreshold', 'syncConcurrency', 'watchedApps']);
    expect(validateSettings({ ...ok, changesPollSeconds: '3601' }).errors.changesPollSeconds).toMatch(/from 5 to 3,600/);
    expect(validateSettings({ ...ok, syncConcurrency: '2.5', syncApiSharePercent: '101' }).errors).toMatchObject({ syncConcurrency: expect.stringMatching(/from 1 to 16/), syncApiSharePercent: expect.stringMatching(/from 1 to 100/) });
  });
});
