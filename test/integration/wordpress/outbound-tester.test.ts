/**
 * The outbound-message tester end to end, through the app's channels: a site profile on the
 * real test WordPress (scratch site), a connection to the Salesforce emulator for real
 * contacts, and the test-only endpoint (test/wordpress/php/test-outbound-endpoint.php) that
 * listens like the WordPress connector. Its variants — SOAP fault, HTTP 500, slow, wrong key —
 * and https in front of it (a trusted test certificate, a self-signed one) each get the
 * tester's verdict; the WordPress step reads the users back over the REST API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundStepId, OutboundTestResult } from '../../../common/outbound-models';
import type { WordpressUser } from '../../../common/wordpress-models';
import { OUTBOUND_SETTINGS_FILE } from '../../../main/outbound/outbound-settings-store';
import { secretAccounts } from '../../../main/platform/token-vault';
import { startEmulator, type RunningEmulator } from '../../salesforce-emulator/index';
import { startAppHarness, type AppHarness } from '../app/app-harness';
import { startTlsProxy, type TlsProxy } from '../outbound/support/tls-proxy';
import { makeTestCertificates, type TestCertificates } from '../outbound/support/test-certificates';
import { clientFor, wordpress } from './wordpress-support';

const KEY = `outbound-key-${Math.random().toString(36).slice(2)}`;
const site = wordpress.scratch;
const admin = clientFor(site).client;
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

let emu: RunningEmulator;
let h: AppHarness;
let certs: TestCertificates;
let trustedProxy: TlsProxy;
let selfSignedProxy: TlsProxy;
let siteId: string;

/** The deliveries the endpoint logged for these records (a slow test's request may still land later). */
async function deliveriesFor(recordIds: readonly string[]) {
  const { log } = await endpointAdmin('GET');
  return log.filter((entry) => entry.notifications.some((n) => recordIds.includes(n.recordId)));
}

async function endpointAdmin(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<{ log: { action: string; notifications: { notificationId: string; recordId: string; userId: number }[] }[] }> {
  const response = await fetch(`${site.url}/wp-json/forcesites-test/v1/outbound`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${site.adminUser}:${site.applicationPassword}`).toString('base64')}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  if (!response.ok) throw new Error(`endpoint admin ${method}: ${response.status} ${await response.text()}`);
  return (await response.json()) as never;
}

async function member(firstName: string): Promise<WordpressUser> {
  const id = unique();
  return admin.createUser({ username: `outbound.${id}`, email: `outbound.${id}@example.org`, firstName, lastName: 'Member', tags: ['Old tag'], meta: { membership_level: 'Bronze' } });
}

async function contactFor(user: WordpressUser, values: Record<string, string>): Promise<string> {
  const [id] = emu.handle.seed(undefined, 'Contact', [{ LastName: user.lastName, FirstName: user.firstName, Email: user.email, ...values }]);
  return id!;
}

async function save(extra: { customEndpoint?: string | null; accessKey?: string; action?: 'update' | 'update_tags' | 'add' } = {}) {
  return h.call('outbound:save', { siteId, action: extra.action ?? 'update', customEndpoint: extra.customEndpoint ?? null, fields: null, ...(extra.accessKey ? { accessKey: extra.accessKey } : {}) });
}

const step = (result: OutboundTestResult, id: OutboundStepId, delivery?: number) => result.steps.find((s) => s.id === id && (delivery === undefined || s.delivery === delivery))!;
const statuses = (result: OutboundTestResult) => Object.fromEntries(result.steps.map((s) => [s.delivery === undefined ? s.id : `${s.id}#${s.delivery}`, s.status]));

beforeAll(async () => {
  certs = makeTestCertificates();
  trustedProxy = await startTlsProxy(site.url, certs.trusted);
  selfSignedProxy = await startTlsProxy(site.url, certs.selfSigned);
  emu = await startEmulator();
  emu.handle.addCustomField(undefined, 'Contact', { name: 'WP_Tags__c', label: 'WordPress tags', type: 'multipicklist', picklistValues: ['Gold', 'Events 2024', 'Newsletter', 'Old tag'] });
  h = await startAppHarness(emu, { outboundTesting: { network: { extraCa: [certs.ca] }, salesforceTimeoutMs: 1_500, verifyWaitMs: 2_000 } });
  const signedIn = await h.signIn();
  if (!signedIn.ok) throw new Error('sign-in failed');
  const saved = await h.call('sites:save', {
    name: 'Scratch',
    wordpressUrl: site.url,
    wordpressUsername: site.adminUser,
    wordpressPassword: site.applicationPassword,
    connectionId: signedIn.connection!.id,
    objectType: 'Contact',
    tagMode: 'picklist',
    tagField: 'WP_Tags__c',
    fieldMapping: [
      { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
      { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'pull' },
      { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'both' },
      { wordpressField: 'meta:membership_level', salesforceField: 'Title', direction: 'pull' },
    ],
  });
  siteId = saved.id;
  // The connector's own settings on the site: the same key and the same field map.
  await endpointAdmin('POST', { key: KEY, emailField: 'Email', fields: { FirstName: 'first_name', LastName: 'last_name', Title: 'meta:membership_level' }, tagField: 'WP_Tags__c' });
  await save({ accessKey: KEY });
}, 120_000);

afterAll(async () => {
  await h?.app.close();
  await emu?.close();
  await trustedProxy?.close();
  await selfSignedProxy?.close();
});

describe('outbound settings', () => {
  it('answers the default endpoint with the key masked, the fields the mapping pulls, and the Salesforce steps', async () => {
    const settings = await h.call('outbound:settings', { siteId });
    expect(settings).toMatchObject({
      action: 'update',
      customEndpoint: null,
      endpointUrlMasked: `${site.url}/?wpf_action=update&access_key=…${KEY.slice(-4)}`,
      hasAccessKey: true,
      fields: ['Email', 'FirstName', 'LastName', 'Title', 'WP_Tags__c'],
      canReadRecords: true,
      canCheckWordpress: true,
    });
    const message = settings.setupSteps[0]!;
    expect(message.values).toEqual(
      expect.arrayContaining([
        { label: 'Object', value: 'Contact' },
        { label: 'Endpoint URL', value: settings.endpointUrlMasked },
        { label: 'Contact fields to send', value: 'Id, Email, FirstName, LastName, Title, WP_Tags__c' },
      ]),
    );
    // The key lives in the keychain only: not in the settings file, not in any answer.
    expect(h.secrets.entries.get(secretAccounts.outboundAccessKey(siteId))).toBe(KEY);
    expect(readFileSync(path.join(h.dataDir, OUTBOUND_SETTINGS_FILE), 'utf8')).not.toContain(KEY);
  });
});

describe('sending test messages to the real WordPress', () => {
  it('a real contact: acknowledged, and the user’s fields and tags now hold the contact’s values', async () => {
    const user = await member('Before');
    const contactId = await contactFor(user, { FirstName: 'After', Title: 'Gold member', WP_Tags__c: 'Gold;Events 2024' });
    const picked = await h.call('outbound:records', { siteId, search: user.email });
    expect(picked.records.map((r) => r.id)).toEqual([contactId]);

    const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'records', recordIds: [contactId] } });
    // http on this computer: everything works, and the endpoint step says Salesforce needs https.
    expect(statuses(result)).toEqual({ endpoint: 'warning', dns: 'warning', tls: 'skipped', http: 'pass', timing: 'pass', ack: 'pass', wordpress: 'pass' });
    expect(result.verdict).toBe('warning');
    const after = await admin.getUser(user.id);
    expect(after).toMatchObject({ firstName: 'After', tags: ['Gold', 'Events 2024'], meta: expect.objectContaining({ membership_level: 'Gold member' }) });
    expect(result.exchanges[0]!.request).toContain(`<sf:Id>${contactId}</sf:Id>`);
    expect(result.exchanges[0]!.response).toContain('<Ack>true</Ack>');
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('over https with a trusted certificate every step passes', async () => {
    await save({ customEndpoint: `${trustedProxy.url}/?wpf_action=update&access_key={access_key}` });
    try {
      const user = await member('Https');
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: user.email, FirstName: 'Secure', WP_Tags__c: 'Newsletter' } } });
      expect(statuses(result)).toMatchObject({ endpoint: 'pass', tls: 'pass', http: 'pass', timing: 'pass', ack: 'pass', wordpress: 'pass' });
      expect(step(result, 'tls').message).toContain('trusted certificate for localhost from ForceSites Test CA');
      expect(await admin.getUser(user.id)).toMatchObject({ firstName: 'Secure', tags: ['Newsletter'] });
    } finally {
      await save();
    }
  });

  it('a self-signed certificate fails TLS and nothing reaches WordPress', async () => {
    await save({ customEndpoint: `${selfSignedProxy.url}/?wpf_action=update&access_key={access_key}` });
    try {
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: 'nobody@example.org', FirstName: 'X' } } });
      expect(result.verdict).toBe('fail');
      expect(step(result, 'tls')).toMatchObject({ status: 'fail', message: expect.stringContaining('self-signed') });
      expect(result.summary).toContain('TLS certificate');
      expect(selfSignedProxy.forwarded).toBe(0);
    } finally {
      await save();
    }
  });

  it.each([
    ['fault', { ack: 'fail', http: 'fail' }, 'SOAP fault soapenv:Server: ForceSites test endpoint: the connector refused this message.'],
    ['http500', { ack: 'fail', http: 'fail' }, 'The answer is a web page, not SOAP (WordPress &rsaquo; Error).'],
    ['ack-false', { ack: 'fail', http: 'pass' }, 'Ack is “false”, not true.'],
  ])('the endpoint variant %s fails the acknowledgement', async (variant, expected, ackMessage) => {
    await save({ customEndpoint: `${site.url}/?wpf_action=update&access_key={access_key}&forcesites_test=${variant}` });
    try {
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: 'nobody@example.org', FirstName: 'X' } } });
      expect(statuses(result)).toMatchObject({ ...expected, wordpress: 'skipped' });
      expect(step(result, 'ack').message).toBe(ackMessage);
      expect(result.verdict).toBe('fail');
    } finally {
      await save();
    }
  });

  it('a slow endpoint fails the response time (Salesforce’s 60 s scaled to 1.5 s here)', async () => {
    await save({ customEndpoint: `${site.url}/?wpf_action=update&access_key={access_key}&forcesites_test=slow&seconds=2` });
    try {
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: 'nobody@example.org' } } });
      // Past the deadline the tester stops waiting: no answer, as Salesforce would see it.
      expect(step(result, 'timing')).toMatchObject({ status: 'fail', message: expect.stringMatching(/No answer within 1\.50 s|past Salesforce’s 1\.50 s/) });
    } finally {
      await save();
    }
  });

  it('a wrong access key is refused with 403 and a hint about the key', async () => {
    await save({ accessKey: 'not-the-connectors-key' });
    try {
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: 'nobody@example.org' } } });
      expect(step(result, 'http')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^403 Forbidden/), hint: expect.stringContaining('access key') });
      expect(JSON.stringify(result)).not.toContain('not-the-connectors-key');
    } finally {
      await save({ accessKey: KEY });
    }
  });

  it('several notifications in one message: each user changes', async () => {
    const [first, second] = [await member('One'), await member('Two')];
    const ids = [await contactFor(first, { FirstName: 'Uno', WP_Tags__c: 'Gold' }), await contactFor(second, { FirstName: 'Dos', WP_Tags__c: 'Newsletter' })];
    const result = await h.call('outbound:test', { siteId, testCase: 'multi', source: { kind: 'records', recordIds: ids } });
    expect(result.notifications).toBe(2);
    expect(step(result, 'wordpress')).toMatchObject({ status: 'pass', message: expect.stringContaining('for 2 users') });
    const log = await deliveriesFor(ids);
    expect(log).toHaveLength(1);
    expect(log[0]!.notifications.map((n) => n.recordId)).toEqual(ids);
    expect((await admin.getUser(first.id)).firstName).toBe('Uno');
    expect((await admin.getUser(second.id)).tags).toEqual(['Newsletter']);
  });

  it('duplicate delivery: the same notification twice, both acknowledged, the user right once', async () => {
    const user = await member('Dup');
    const id = await contactFor(user, { FirstName: 'Twice' });
    const result = await h.call('outbound:test', { siteId, testCase: 'duplicate', source: { kind: 'records', recordIds: [id] } });
    expect(statuses(result)).toMatchObject({ 'http#1': 'pass', 'ack#1': 'pass', 'http#2': 'pass', 'ack#2': 'pass', wordpress: 'pass' });
    const log = await deliveriesFor([id]);
    expect(log.map((entry) => entry.notifications[0]!.notificationId)).toEqual([log[0]!.notifications[0]!.notificationId, log[0]!.notifications[0]!.notificationId]);
    expect(result.exchanges[0]!.request).toBe(result.exchanges[1]!.request);
  });

  it('out of order: the later notification first, then the earlier one, and the user ends right', async () => {
    const user = await member('Order');
    const id = await contactFor(user, { FirstName: 'Latest' });
    const result = await h.call('outbound:test', { siteId, testCase: 'out-of-order', source: { kind: 'records', recordIds: [id] } });
    expect(result.verdict).toBe('warning'); // only the http-on-this-computer warnings
    const delivered = (await deliveriesFor([id])).map((entry) => entry.notifications[0]!.notificationId);
    expect(delivered).toHaveLength(2);
    expect(delivered[0]! > delivered[1]!).toBe(true);
    expect((await admin.getUser(user.id)).firstName).toBe('Latest');
  });

  it('add: a sample contact becomes a new user, exactly one even when delivered twice', async () => {
    await save({ action: 'add' });
    try {
      const email = `new.${unique()}@example.org`;
      const result = await h.call('outbound:test', { siteId, testCase: 'duplicate', source: { kind: 'sample', values: { Email: email, FirstName: 'Imported', LastName: 'Person', WP_Tags__c: 'Gold' } } });
      expect(step(result, 'wordpress')).toMatchObject({ status: 'pass' });
      const found = [];
      for await (const page of admin.users({ search: email })) found.push(...page.items.filter((u) => u.email === email));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ firstName: 'Imported', lastName: 'Person', tags: ['Gold'] });
      // A multi-notification add with made-up contacts would create junk users: refused.
      const refused = await h.send('outbound:test', { siteId, testCase: 'multi', source: { kind: 'sample', values: { Email: email }, count: 3 } });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    } finally {
      await save();
    }
  });

  it('update_tags changes the tags and leaves the fields alone', async () => {
    await save({ action: 'update_tags' });
    try {
      const user = await member('Keep');
      const result = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: user.email, FirstName: 'Ignored', WP_Tags__c: 'Events 2024;Newsletter' } } });
      expect(step(result, 'wordpress').status).toBe('pass');
      expect(await admin.getUser(user.id)).toMatchObject({ firstName: 'Keep', tags: ['Events 2024', 'Newsletter'] });
    } finally {
      await save();
    }
  });

  it('says when the user already held the values, and when no user has the email', async () => {
    const user = await member('Same');
    const again = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: user.email, FirstName: 'Same', WP_Tags__c: 'Old tag' } } });
    expect(step(again, 'wordpress')).toMatchObject({ status: 'warning', message: expect.stringContaining('already held them') });
    const nobody = await h.call('outbound:test', { siteId, testCase: 'single', source: { kind: 'sample', values: { Email: `nobody.${unique()}@example.org`, FirstName: 'X' } } });
    expect(step(nobody, 'wordpress')).toMatchObject({ status: 'warning', message: expect.stringContaining('No WordPress user has the email') });
  });

  it('never lets the access key out: answers, events and log lines', async () => {
    expect(h.wire.join('\n')).not.toContain(KEY);
    expect(h.logger.lines.join('\n')).not.toContain(KEY);
  });
});
