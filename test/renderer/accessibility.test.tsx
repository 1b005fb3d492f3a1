import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeConnection } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

/** Every form control must have a name a screen reader can announce. */
function unlabelledControls(root: HTMLElement): string[] {
  return Array.from(root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))
    .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
    .map((control) => control.outerHTML);
}

describe('accessibility', () => {
  it('labels every control of the site form, including mapping rows', async () => {
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Add your first site' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add field mapping row' }));
    fireEvent.change(screen.getByLabelText('Salesforce object'), { target: { value: 'custom' } });
    fireEvent.click(screen.getByLabelText('A multi-select picklist field'));
    expect(unlabelledControls(document.body)).toEqual([]);
  });

  it('labels every control of the connection form and the settings form', async () => {
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Add your first connection' }));
    fireEvent.change(screen.getByLabelText('Login host'), { target: { value: 'mydomain' } });
    expect(unlabelledControls(document.body)).toEqual([]);
    window.location.hash = '#/settings';
    await screen.findByLabelText('Approval cap per user per app');
    expect(unlabelledControls(document.body)).toEqual([]);
  });

  it('announces async status through live regions', async () => {
    const save = fakeBridge().defer('sites:save');
    await renderApp('sites');
    fireEvent.click(await screen.findByRole('button', { name: 'Add your first site' }));
    fireEvent.change(screen.getByLabelText('Site name'), { target: { value: 'Members' } });
    fireEvent.change(screen.getByLabelText('WordPress URL'), { target: { value: 'https://m.acme.org' } });
    fireEvent.change(screen.getByLabelText('WordPress username'), { target: { value: 'wp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save site' }));
    const status = await screen.findByText('Saving the site profile…');
    expect(status.getAttribute('aria-live')).toBe('polite');
    save.reject({ code: 'NETWORK_ERROR', message: 'WordPress did not answer.', hint: 'Check the address.' });
    const hint = await screen.findByText('Check the address.');
    expect(hint.closest('[role="alert"]')).not.toBeNull();
    expect(screen.queryByText('Saving the site profile…')).toBeNull();
  });

  it('in Electron, shows the address to copy when main cannot open the browser', async () => {
    fakeBridge().respond('connections:list', [makeConnection()]);
    fakeBridge().respond('auth:start', { flowId: 'f', authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x=1', redirectUri: 'http://localhost:1717/OauthRedirect' });
    fakeBridge().respond('shell:open-external', { opened: false });
    await renderApp('connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Reauthorize admin@acme.org' }));
    const link = await screen.findByRole('link', { name: 'Open the Salesforce sign-in page' });
    fireEvent.click(link);
    const note = await screen.findByText(/could not open your browser/);
    expect(within(note).getByText('https://login.salesforce.com/services/oauth2/authorize?x=1')).toBeTruthy();
    await waitFor(() => expect(fakeBridge().requests('shell:open-external')).toHaveLength(1));
  });
});
