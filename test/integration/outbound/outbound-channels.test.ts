/**
 * The outbound channels through the composed app (createApp) against the Salesforce
 * emulator and a local SOAP endpoint: the message carries the org's real ids and the
 * contact's values, Salesforce reads count for the site, the access key lives only in the
 * keychain (and leaves with a deleted site), and bad requests get errors that say what to do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOUND_SETTINGS_FILE } from '../../../main/outbound/outbound-settings-store';
import { parseNotificationMessage } from '../../../main/outbound/soap-notification';
import { secretAccounts } from '../../../main/platform/token-vault';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from '../app/app-harness';
import { startSoapEndpoint, type SoapEndpointServer } from './support/soap-endpoint-server';

const emu = useEmulator();
const KEY = 'Key-For-The-Connector-0042';
let server: SoapEndpointServer | undefined;
let harness: AppHarness | undefined;

afterEach(async () => {
  await harness?.app.close();
  await server?.close();
  harness = undefined;
  server = undefined;
});

async function setUp(options: { connected?: boolean } = {}) {
  server = await startSoapEndpoint({ accessKey: KEY });
  harness = await startAppHarness(emu, { outboundTesting: { salesforceTimeoutMs: 5_000, verifyWaitMs: 200 } });
  const h = harness;
  let connectionId: string | null = null;
  if (options.connected !== false) {
    const outcome = await h.signIn();
    connectionId = outcome.connection!.id;
  }
  const site = await h.call('sites:save', {
    name: 'Members',
    wordpressUrl: server.url,
    wordpressUsername: 'admin',
    connectionId,
    objectType: 'Contact',
    tagMode: 'none',
    tagField: null,
    fieldMapping: [{ wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'pull' }],
  });
  return { h, siteId: site.id, connectionId };
}

describe('outbound channels', () => {
  it('sends a real contact with the org’s ids, counts the Salesforce read for the site, and keeps the key out of every answer and file', async () => {
    const { h, siteId, connectionId } = await setUp();
    const [contactId] = emu.handle.seed(undefined, 'Contact', [{ FirstName: "Zoë & <Co>", LastName: 'Ng', Email: 'zoe@example.org' }]);
    // A pasted URL with the key in it: the key goes to the keychain, the template to the file.
    const saved = await h.call('outbound:save', { siteId, action: 'update', customEndpoint: `${server!.url}/?wpf_action=update&access_key=${KEY}`, fields: null });
    expect(saved).toMatchObject({ customEndpoint: `${server!.url}/?wpf_action=update&access_key={access_key}`, hasAccessKey: true, fields: ['Email', 'FirstName'] });
    expect(h.secrets.entries.get(secretAccounts.outboundAccessKey(siteId))).toBe(KEY);

    const before = h.app.registry.meter.snapshot().bySite[siteId] ?? 0;
    const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'records', recordIds: [contactId!] }, includeSessionId: true });
    expect(h.app.registry.meter.snapshot().bySite[siteId]).toBe(before + 1);
    expect(result.steps.find((s) => s.id === 'ack')!.status).toBe('pass');
    // No WordPress password saved: the WordPress step says so instead of passing.
    expect(result.steps.find((s) => s.id === 'wordpress')).toMatchObject({ status: 'skipped', message: expect.stringContaining('no WordPress application password') });
    expect(result.summary).toContain('WordPress was not checked');
    const activity = await h.call('activity:list', {});
    expect(activity[0]?.message).toMatch(/^Outbound message test \(single, update\) to .*WordPress was not checked/);
    expect(activity[0]?.message).not.toContain(KEY);

    const sent = parseNotificationMessage(server!.received[0]!.body);
    const connection = h.app.registry.find(connectionId!)!;
    expect(sent).toMatchObject({
      organizationId: connection.orgId,
      enterpriseUrl: `${connection.instanceUrl}/services/Soap/c/${connection.apiVersion}/${connection.orgId.slice(0, 15)}`,
      partnerUrl: `${connection.instanceUrl}/services/Soap/u/${connection.apiVersion}/${connection.orgId.slice(0, 15)}`,
      notifications: [{ objectType: 'Contact', fields: { Id: contactId, Email: 'zoe@example.org', FirstName: 'Zoë & <Co>' } }],
    });
    expect(sent.actionId).toMatch(/^04k[A-Za-z0-9]{15}$/);
    expect(sent.notifications[0]!.id).toMatch(/^04l[A-Za-z0-9]{15}$/);
    // A made-up session (never the connection's own), masked in what the admin sees.
    expect(sent.sessionId).toMatch(/^00D\w{12}!ForceSitesTestSession\./);
    expect(result.exchanges[0]!.request).toContain('<SessionId>…');
    expect(result.exchanges[0]!.request).not.toContain(sent.sessionId!);

    expect(h.wire.join('\n')).not.toContain(KEY);
    expect(h.logger.lines.join('\n')).not.toContain(KEY);
    expect(readFileSync(path.join(h.dataDir, OUTBOUND_SETTINGS_FILE), 'utf8')).not.toContain(KEY);
  });

  it('forgets a deleted site’s access key and settings', async () => {
    const { h, siteId } = await setUp({ connected: false });
    await h.call('outbound:save', { siteId, action: 'add', customEndpoint: null, fields: ['Email'], accessKey: KEY });
    expect(h.secrets.entries.has(secretAccounts.outboundAccessKey(siteId))).toBe(true);
    await h.call('sites:delete', { siteId });
    expect(h.secrets.entries.has(secretAccounts.outboundAccessKey(siteId))).toBe(false);
    expect(readFileSync(path.join(h.dataDir, OUTBOUND_SETTINGS_FILE), 'utf8')).not.toContain(siteId);
  });

  it('answers clear errors: no key, no connection for records, unknown sample fields, one record for a multi test, a missing record', async () => {
    const { h, siteId } = await setUp({ connected: false });
    const noKey = await h.send('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: 'a@example.org' } } });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'No access key is saved for this endpoint.' } });
    await h.call('outbound:save', { siteId, action: 'update', customEndpoint: null, fields: null, accessKey: KEY });
    expect(await h.send('outbound:records', { siteId })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', hint: expect.stringContaining('Choose a connection') } });
    expect(await h.send('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Title: 'x' } } })).toMatchObject({
      ok: false,
      error: { message: 'Title is not among the fields this Outbound Message sends.' },
    });
    expect(await h.send('outbound:test', { siteId, testCase: 'multi', source: { kind: 'sample', values: {}, count: 1 } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('at least two records') } });
    expect(await h.send('outbound:test', { siteId: 'no-such-site', testCase: 'single', source: { kind: 'sample', values: {} } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.send('outbound:save', { siteId, action: 'update', customEndpoint: 'ftp://x', fields: null })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await h.send('outbound:test', { siteId, testCase: 'single', source: { kind: 'records', recordIds: ['not an id'] } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('a multi-notification sample sends made-up addresses after the first, and a missing record is named', async () => {
    const { h, siteId } = await setUp();
    await h.call('outbound:save', { siteId, action: 'update', customEndpoint: `${server!.url}/?wpf_action=update&access_key={access_key}`, fields: null, accessKey: KEY });
    const result = await h.call('outbound:test', { siteId, testCase: 'multi', source: { kind: 'sample', values: { Email: 'ann@example.org', FirstName: 'Ann' }, count: 3 } });
    expect(result.notifications).toBe(3);
    const sent = parseNotificationMessage(server!.received[0]!.body);
    expect(sent.notifications.map((n) => n.fields.Email)).toEqual(['ann@example.org', 'forcesites-outbound-test-2@example.invalid', 'forcesites-outbound-test-3@example.invalid']);
    expect(new Set(sent.notifications.map((n) => n.id)).size).toBe(3);
    const missing = await h.send('outbound:test', { siteId, testCase: 'single', source: { kind: 'records', recordIds: ['003000000000999AAA'] } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('003000000000999AAA') } });
  });
});
