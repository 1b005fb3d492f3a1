import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OutboundSettingsDto, OutboundTestResult } from '../../common/outbound-models';
import { fakeBridge } from './fake-bridge';
import { makeSite } from './factories';
import { renderApp } from './render-app';

function settingsFor(siteId: string, overrides: Partial<OutboundSettingsDto> = {}): OutboundSettingsDto {
  return {
    siteId,
    siteName: siteId === 'site-1' ? 'Members site' : 'Shop',
    objectType: 'Contact',
    action: 'update',
    customEndpoint: null,
    endpointUrlMasked: `https://${siteId}.acme.org/?wpf_action=update&access_key=…9XYZ`,
    hasAccessKey: true,
    fields: ['Email', 'FirstName'],
    suggestedFields: ['Email', 'FirstName'],
    setupSteps: [
      {
        title: 'Create the Outbound Message',
        detail: 'In Salesforce Setup …',
        values: [
          { label: 'Object', value: 'Contact' },
          { label: 'Endpoint URL', value: `https://${siteId}.acme.org/?wpf_action=update&access_key=…9XYZ` },
        ],
      },
    ],
    canReadRecords: true,
    canCheckWordpress: true,
    ...overrides,
  };
}

const RESULT: OutboundTestResult = {
  siteId: 'site-1',
  testCase: 'single',
  action: 'update',
  endpointUrlMasked: 'https://site-1.acme.org/?wpf_action=update&access_key=…9XYZ',
  startedAt: '2026-12-01T10:00:00.000Z',
  verdict: 'fail',
  summary: 'Salesforce’s delivery would fail at “SOAP acknowledgement”: SOAP fault soapenv:Server: Contact not found',
  steps: [
    { id: 'endpoint', label: 'Endpoint address', status: 'pass', message: 'https, host site-1.acme.org.' },
    { id: 'http', label: 'HTTP status', status: 'fail', message: '500 Internal Server Error: …', hint: 'The site failed while handling the message.' },
    { id: 'ack', label: 'SOAP acknowledgement', status: 'fail', message: 'SOAP fault soapenv:Server: Contact not found' },
    { id: 'wordpress', label: 'WordPress user changed', status: 'skipped', message: 'Not checked.' },
  ],
  exchanges: [{ label: 'The message', request: 'POST /?wpf_action=update&access_key=…9XYZ HTTP/1.1\r\n\r\n<soapenv:Envelope/>', response: 'HTTP/1.1 500 Internal Server Error\r\n\r\n<Fault/>', durationMs: 42 }],
  notifications: 1,
};

function setUp() {
  const bridge = fakeBridge();
  bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members site' }), makeSite({ id: 'site-2', name: 'Shop' })]);
  bridge.respond('outbound:settings', ({ siteId }) => settingsFor(siteId));
  return bridge;
}

describe('Outbound messages page', () => {
  it('is reachable from the Sites page for one site, and shows that site’s masked endpoint and setup steps', async () => {
    setUp();
    await renderApp('sites');
    const link = await screen.findByRole('link', { name: 'Test outbound messages for Shop' });
    expect(link.getAttribute('href')).toBe('#/outbound/site-2');
    fireEvent.click(link);
    window.location.hash = '#/outbound/site-2';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { level: 1, name: 'Outbound messages' });
    expect(await screen.findByText('https://site-2.acme.org/?wpf_action=update&access_key=…9XYZ', { selector: '.outbound-url code' })).toBeTruthy();
    expect((screen.getByLabelText('Site') as HTMLSelectElement).value).toBe('site-2');
    const steps = screen.getByRole('heading', { level: 2, name: 'Set up Salesforce' }).closest('section')!;
    expect(within(steps).getByText('Create the Outbound Message')).toBeTruthy();
    expect(within(steps).getByRole('button', { name: 'Copy Endpoint URL' })).toBeTruthy();
  });

  it('saves the access key write-only and clears it from the form', async () => {
    const bridge = setUp();
    bridge.respond('outbound:save', (request) => settingsFor(request.siteId, { action: request.action, hasAccessKey: true }));
    await renderApp('outbound/site-1', 'Outbound messages');
    await screen.findByText('Save endpoint');
    const key = screen.getByLabelText('Access key') as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(key.value).toBe('');
    fireEvent.change(key, { target: { value: 'the-new-key-1234' } });
    fireEvent.change(screen.getByLabelText('Action (wpf_action)'), { target: { value: 'update_tags' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save endpoint' }));
    await screen.findByText('Saved.');
    expect(bridge.requests('outbound:save')).toEqual([{ siteId: 'site-1', action: 'update_tags', customEndpoint: null, fields: null, accessKey: 'the-new-key-1234' }]);
    expect((screen.getByLabelText('Access key') as HTMLInputElement).value).toBe('');
  });

  it('asks for a custom URL before saving one, and sends the fields typed', async () => {
    const bridge = setUp();
    bridge.respond('outbound:save', (request) => settingsFor(request.siteId, { customEndpoint: request.customEndpoint }));
    await renderApp('outbound/site-1', 'Outbound messages');
    await screen.findByText('Save endpoint');
    fireEvent.click(screen.getByLabelText(/My own URL/));
    fireEvent.click(screen.getByRole('button', { name: 'Save endpoint' }));
    expect(await screen.findByText(/Enter the URL the connector listens on/)).toBeTruthy();
    expect(bridge.requests('outbound:save')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Custom endpoint URL'), { target: { value: 'https://x.org/hook?key={access_key}' } });
    fireEvent.change(screen.getByLabelText('Fields the message sends'), { target: { value: 'Email, LastName Id;Title' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save endpoint' }));
    await screen.findByText('Saved.');
    expect(bridge.requests('outbound:save')[0]).toMatchObject({ customEndpoint: 'https://x.org/hook?key={access_key}', fields: ['Email', 'LastName', 'Title'] });
  });

  it('sends a sample and shows each step, the verdict and the raw exchange to copy', async () => {
    const bridge = setUp();
    bridge.respond('outbound:test', RESULT);
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderApp('outbound/site-1', 'Outbound messages');
    await screen.findByText('Send test message', { selector: 'button' });
    fireEvent.click(screen.getByLabelText(/A sample Contact/));
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ann@example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send test message' }));
    expect(await screen.findByText(/Salesforce’s delivery would fail at “SOAP acknowledgement”/)).toBeTruthy();
    expect(bridge.requests('outbound:test')).toEqual([{ siteId: 'site-1', testCase: 'single', source: { kind: 'sample', values: { Email: 'ann@example.org' } } }]);
    const steps = screen.getAllByRole('listitem').filter((item) => item.classList.contains('outbound-step'));
    expect(steps.map((item) => item.textContent)).toEqual([
      'Pass Endpoint addresshttps, host site-1.acme.org.',
      'Fail HTTP status500 Internal Server Error: …The site failed while handling the message.',
      'Fail SOAP acknowledgementSOAP fault soapenv:Server: Contact not found',
      'Not run WordPress user changedNot checked.',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Copy the raw exchange: The message' }));
    await screen.findByText('Copied.');
    expect(writeText).toHaveBeenCalledWith(`${RESULT.exchanges[0]!.request}\n\n${RESULT.exchanges[0]!.response}`);
  });

  it('finds records, sends the ticked ones in a multi-notification test, and shows main’s error', async () => {
    const bridge = setUp();
    bridge.respond('outbound:records', { objectType: 'Contact', records: [{ id: '003000000000001AAA', name: 'Ann', email: 'ann@example.org' }, { id: '003000000000002AAA', name: 'Bo', email: null }] });
    bridge.fail('outbound:test', { code: 'NOT_FOUND', message: 'No Contact with the id 003000000000002AAA is visible.', hint: 'Pick the record again.' });
    await renderApp('outbound/site-1', 'Outbound messages');
    await screen.findByText('Send test message', { selector: 'button' });
    fireEvent.change(screen.getByLabelText('Test'), { target: { value: 'multi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send test message' }));
    expect(await screen.findByText('Pick at least one record to send.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Find Contact records'), { target: { value: 'a' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find' }));
    const list = await screen.findByRole('list', { name: 'Records to send' });
    for (const box of within(list).getAllByRole('checkbox')) fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Send test message' }));
    expect(await screen.findByText('No Contact with the id 003000000000002AAA is visible.')).toBeTruthy();
    expect(bridge.requests('outbound:records')).toEqual([{ siteId: 'site-1', search: 'a' }]);
    expect(bridge.requests('outbound:test')).toEqual([{ siteId: 'site-1', testCase: 'multi', source: { kind: 'records', recordIds: ['003000000000001AAA', '003000000000002AAA'] } }]);
  });

  it('offers only samples without a connection, and points to Sites when there is no site', async () => {
    const bridge = setUp();
    bridge.respond('outbound:settings', ({ siteId }) => settingsFor(siteId, { canReadRecords: false }));
    await renderApp('outbound/site-1', 'Outbound messages');
    await screen.findByText('Send test message', { selector: 'button' });
    expect((screen.getByLabelText(/Real Contact records/) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText(/A sample Contact/) as HTMLInputElement).checked).toBe(true);
  });

  it('says to add a site first when there is none', async () => {
    await renderApp('outbound', 'Outbound messages');
    expect(await screen.findByText('No sites yet')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Add a site' }).getAttribute('href')).toBe('#/sites'));
  });
});
