/**
 * The tester's verdicts against real local servers (node:http and node:https with
 * certificates made by openssl): every way an endpoint can fail Salesforce's delivery, and
 * that nothing — the access key included — is sent to a server Salesforce would refuse.
 * The WordPress step here reads an in-memory user list; the real WordPress is in
 * test/integration/wordpress/outbound-*.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundStep, OutboundStepId } from '../../../common/outbound-models';
import type { Lookup } from '../../../main/outbound/endpoint-probe';
import { runOutboundTest, type OutboundWordpressPort, type TesterOptions, type WordpressUserState } from '../../../main/outbound/outbound-tester';
import { buildNotificationMessage } from '../../../main/outbound/soap-notification';
import { startSoapEndpoint, type SoapEndpointServer } from './support/soap-endpoint-server';
import { makeTestCertificates, type TestCertificates } from './support/test-certificates';

const KEY = 'AbCdEfGh1234';
const localhost: Lookup = async () => [{ address: '127.0.0.1', family: 4 }];

let certs: TestCertificates;
const servers: SoapEndpointServer[] = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function endpoint(options: Parameters<typeof startSoapEndpoint>[0]): Promise<SoapEndpointServer> {
  const server = await startSoapEndpoint(options);
  servers.push(server);
  return server;
}

function message(email = 'ann@example.org', firstName = 'Ann'): string {
  return buildNotificationMessage({
    organizationId: '00D000000000001AAA',
    actionId: '04k000000000001AAA',
    sessionId: null,
    enterpriseUrl: 'https://x.my.salesforce.com/services/Soap/c/66.0/00D000000000001',
    partnerUrl: 'https://x.my.salesforce.com/services/Soap/u/66.0/00D000000000001',
    objectType: 'Contact',
    notifications: [{ id: '04l000000000001AAA', record: { Id: '003000000000001AAA', Email: email, FirstName: firstName } }],
  });
}

/** A WordPress whose users change when the test says the endpoint applied a message. */
class MemoryWordpress implements OutboundWordpressPort {
  users: WordpressUserState[] = [{ id: 7, values: { email: 'ann@example.org', first_name: 'Old' }, tags: [] }];
  reads = 0;
  async usersByEmail(email: string) {
    this.reads += 1;
    return this.users.filter((user) => user.values.email === email);
  }
}

function options(server: SoapEndpointServer, extra: Partial<TesterOptions> = {}): TesterOptions {
  const url = new URL(`${server.url.replace('127.0.0.1', 'localhost')}/?wpf_action=update&access_key=${KEY}`);
  return {
    url,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    deliveries: [{ label: 'The message', body: message(), notifications: 1 }],
    secrets: [KEY],
    maskedUrl: url.toString().replace(KEY, '…1234'),
    expectations: [],
    wordpress: { unavailable: 'Not checked: no WordPress password.' },
    connectDeadlineMs: 5_000,
    salesforceTimeoutMs: 2_000,
    network: { lookup: localhost, extraCa: [certs.ca] },
    ...extra,
  };
}

const statusOf = (steps: readonly OutboundStep[]) => Object.fromEntries(steps.map((step) => [step.delivery === undefined ? step.id : `${step.id}#${step.delivery}`, step.status])) as Record<string, string>;
const stepOf = (steps: readonly OutboundStep[], id: OutboundStepId) => steps.find((step) => step.id === id)!;

describe('outbound tester over https', () => {
  it('passes a trusted certificate, a 200 with Ack true, and shows the exchange with the key masked', async () => {
    const server = await endpoint({ tls: certs.trusted, accessKey: KEY });
    const outcome = await runOutboundTest(options(server));
    expect(statusOf(outcome.steps)).toEqual({ endpoint: 'pass', dns: 'warning', tls: 'pass', http: 'pass', timing: 'pass', ack: 'pass', wordpress: 'skipped' });
    expect(stepOf(outcome.steps, 'dns').message).toContain('private or loopback');
    expect(stepOf(outcome.steps, 'tls').message).toMatch(/TLSv1\.[23], trusted certificate for localhost from ForceSites Test CA/);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(server.received[0]!.headers.soapaction).toBe('""');
    const [exchange] = outcome.exchanges;
    expect(exchange!.request).toMatch(/^POST \/\?wpf_action=update&access_key=…1234 HTTP\/1\.1\r\nHost: localhost:\d+\r\n/);
    expect(exchange!.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(exchange!.response).toContain('<Ack>true</Ack>');
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });

  it('refuses a self-signed certificate and sends nothing', async () => {
    const server = await endpoint({ tls: certs.selfSigned });
    const outcome = await runOutboundTest(options(server));
    expect(statusOf(outcome.steps)).toMatchObject({ tls: 'fail', http: 'skipped', timing: 'skipped', ack: 'skipped', wordpress: 'skipped' });
    expect(stepOf(outcome.steps, 'tls').message).toContain('self-signed');
    expect(server.received).toHaveLength(0);
    expect(outcome.exchanges).toHaveLength(0);
  });

  it('refuses a certificate for another name, and one from an authority nobody trusts', async () => {
    const wrong = await endpoint({ tls: certs.wrongName });
    const outcome = await runOutboundTest(options(wrong));
    expect(stepOf(outcome.steps, 'tls')).toMatchObject({ status: 'fail', message: 'The certificate is for other.example, not for localhost.' });
    const untrusted = await endpoint({ tls: certs.trusted });
    const noCa = await runOutboundTest(options(untrusted, { network: { lookup: localhost } }));
    expect(stepOf(noCa.steps, 'tls')).toMatchObject({ status: 'fail', message: expect.stringContaining('does not chain to a trusted authority') });
    expect(wrong.received.length + untrusted.received.length).toBe(0);
  });

  it('warns about a certificate that expires within two weeks', async () => {
    const server = await endpoint({ tls: certs.expiring });
    const outcome = await runOutboundTest(options(server));
    expect(stepOf(outcome.steps, 'tls')).toMatchObject({ status: 'warning', message: expect.stringMatching(/expires in [0-2] days/) });
    expect(stepOf(outcome.steps, 'ack').status).toBe('pass');
  });

  it('says when the port does not speak https at all', async () => {
    const plain = await endpoint({});
    const outcome = await runOutboundTest(options(plain, { url: new URL(`https://localhost:${plain.port}/?access_key=${KEY}`) }));
    expect(stepOf(outcome.steps, 'tls').status).toBe('fail');
    expect(plain.received).toHaveLength(0);
  });
});

describe('outbound tester: endpoint, DNS and connection', () => {
  it('refuses plain http to a public host before any lookup or request', async () => {
    let lookups = 0;
    const outcome = await runOutboundTest({
      ...options(await endpoint({})),
      url: new URL(`http://members.example.org/?wpf_action=update&access_key=${KEY}`),
      network: {
        lookup: async () => {
          lookups += 1;
          return [];
        },
      },
    });
    expect(statusOf(outcome.steps)).toEqual({ endpoint: 'fail', dns: 'skipped', tls: 'skipped', http: 'skipped', timing: 'skipped', ack: 'skipped', wordpress: 'skipped' });
    expect(lookups).toBe(0);
  });

  it('fails a name that does not resolve, and one whose lookup never ends (deadline)', async () => {
    const server = await endpoint({});
    const notFound: Lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const missing = await runOutboundTest({ ...options(server), url: new URL('https://no-such-site.example/?access_key=x'), network: { lookup: notFound } });
    expect(stepOf(missing.steps, 'dns')).toMatchObject({ status: 'fail', message: 'no-such-site.example does not resolve: no DNS record says where it is.' });
    const hanging = await runOutboundTest({ ...options(server), url: new URL('https://slow-dns.example/?access_key=x'), connectDeadlineMs: 200, network: { lookup: () => new Promise(() => undefined) } });
    expect(stepOf(hanging.steps, 'dns')).toMatchObject({ status: 'fail', message: expect.stringContaining('took longer than 0.2 s') });
  });

  it('fails a refused connection', async () => {
    const server = await endpoint({});
    const port = server.port;
    await server.close();
    servers.length = 0;
    const outcome = await runOutboundTest(options(server, { url: new URL(`http://127.0.0.1:${port}/?access_key=${KEY}`) }));
    expect(statusOf(outcome.steps)).toMatchObject({ endpoint: 'warning', dns: 'warning', tls: 'skipped', http: 'fail', timing: 'skipped', ack: 'skipped' });
    expect(stepOf(outcome.steps, 'http').message).toContain('connection refused');
    expect(outcome.exchanges[0]!.response).toBeNull();
  });
});

describe('outbound tester: answers', () => {
  const http = async (behaviour: Parameters<typeof startSoapEndpoint>[0], salesforceTimeoutMs = 2_000) => {
    const server = await endpoint(behaviour);
    return { server, outcome: await runOutboundTest(options(server, { url: new URL(`${server.url}/?wpf_action=update&access_key=${KEY}`), salesforceTimeoutMs })) };
  };

  it('a SOAP fault fails with its faultstring', async () => {
    const { outcome } = await http({ behaviour: 'fault' });
    expect(statusOf(outcome.steps)).toMatchObject({ http: 'fail', timing: 'pass', ack: 'fail' });
    expect(stepOf(outcome.steps, 'ack').message).toBe('SOAP fault soapenv:Server: Contact not found in WordPress');
  });

  it('a 500 error page fails at HTTP and at the acknowledgement, naming the page', async () => {
    const { outcome } = await http({ behaviour: 'html-500' });
    expect(stepOf(outcome.steps, 'http')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^500 Internal Server Error/) });
    expect(stepOf(outcome.steps, 'ack').message).toContain('a web page, not SOAP (WordPress &rsaquo; Error)');
  });

  it('Ack false, a redirect and a refused key fail, each with its own hint', async () => {
    const nack = await http({ behaviour: 'ack-false' });
    expect(statusOf(nack.outcome.steps)).toMatchObject({ http: 'pass', ack: 'fail' });
    const moved = await http({ behaviour: 'redirect' });
    expect(stepOf(moved.outcome.steps, 'http')).toMatchObject({ status: 'fail', hint: expect.stringContaining('redirects to https://www.example.org/?wpf_action=update') });
    const refused = await http({ accessKey: 'the-right-key' });
    expect(stepOf(refused.outcome.steps, 'http')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^403/), hint: expect.stringContaining('access key') });
  });

  it('a slow answer is a warning past half of Salesforce’s timeout and a failure past it; no answer is a failure', async () => {
    // Salesforce's 60 s, scaled down to 1 s.
    const slow = await http({ behaviour: { slowMs: 600 } }, 1_000);
    expect(statusOf(slow.outcome.steps)).toMatchObject({ http: 'pass', timing: 'warning', ack: 'pass' });
    const late = await http({ behaviour: { slowMs: 1_100 } }, 1_000);
    expect(statusOf(late.outcome.steps)).toMatchObject({ http: 'pass', timing: 'fail', ack: 'pass' });
    expect(stepOf(late.outcome.steps, 'timing').message).toMatch(/past Salesforce’s 1\.00 s/);
    const silent = await http({ behaviour: 'silent' }, 1_000);
    expect(statusOf(silent.outcome.steps)).toMatchObject({ http: 'fail', timing: 'fail', ack: 'skipped', wordpress: 'skipped' });
  });
});

describe('outbound tester: its own time budget', () => {
  it('stops waiting when the test’s budget runs out (the page must get an answer) and does not send a second delivery', async () => {
    const server = await endpoint({ behaviour: 'silent' });
    const body = message();
    const outcome = await runOutboundTest(
      options(server, {
        url: new URL(`${server.url}/?access_key=${KEY}`),
        salesforceTimeoutMs: 5_000,
        budgetMs: 1_200,
        deliveries: [
          { label: 'First delivery', body, notifications: 1 },
          { label: 'The same message again', body, notifications: 1 },
        ],
      }),
    );
    expect(outcome.steps.find((s) => s.id === 'timing' && s.delivery === 1)).toMatchObject({ status: 'fail', message: expect.stringContaining('when ForceSites had to stop waiting (Salesforce waits 5.00 s)') });
    expect(outcome.steps.filter((s) => s.delivery === 2).map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(server.received).toHaveLength(1);
  });
});

describe('outbound tester: WordPress and repeated deliveries', () => {
  it('passes when the user changes, warns when it already held the values, fails when it never changes', async () => {
    const server = await endpoint({ accessKey: KEY });
    const wordpress = new MemoryWordpress();
    const base = options(server, {
      url: new URL(`${server.url}/?access_key=${KEY}`),
      wordpress,
      expectations: [{ email: 'ann@example.org', values: { first_name: 'Ann' }, tags: null, mustExist: false }],
      verifyWaitMs: 600,
      verifyIntervalMs: 50,
    });
    // The "endpoint" applies the change a moment after acknowledging, as a background job would.
    setTimeout(() => (wordpress.users = [{ id: 7, values: { email: 'ann@example.org', first_name: 'Ann' }, tags: [] }]), 150);
    const changed = await runOutboundTest(base);
    expect(stepOf(changed.steps, 'wordpress')).toMatchObject({ status: 'pass', message: expect.stringContaining('#7') });

    const already = await runOutboundTest(base);
    expect(stepOf(already.steps, 'wordpress')).toMatchObject({ status: 'warning', message: expect.stringContaining('already held them') });

    wordpress.users = [{ id: 7, values: { email: 'ann@example.org', first_name: 'Old' }, tags: [] }];
    const unchanged = await runOutboundTest(base);
    expect(stepOf(unchanged.steps, 'wordpress')).toMatchObject({ status: 'fail', message: expect.stringContaining('first_name is “Old”, expected “Ann”') });
  });

  it('checks every delivery of a duplicate case and labels the steps per delivery', async () => {
    const server = await endpoint({});
    const body = message();
    const outcome = await runOutboundTest(
      options(server, {
        url: new URL(`${server.url}/?access_key=${KEY}`),
        deliveries: [
          { label: 'First delivery', body, notifications: 1 },
          { label: 'The same message again', body, notifications: 1 },
        ],
      }),
    );
    expect(server.received.map((r) => r.body)).toEqual([body, body]);
    expect(outcome.steps.filter((s) => s.id === 'ack').map((s) => s.label)).toEqual(['SOAP acknowledgement (delivery 1)', 'SOAP acknowledgement (delivery 2)']);
    expect(outcome.exchanges.map((e) => e.label)).toEqual(['First delivery', 'The same message again']);
  });

  it('an unreadable WordPress is a warning that says why, never a pass', async () => {
    const server = await endpoint({});
    const outcome = await runOutboundTest(
      options(server, {
        url: new URL(`${server.url}/?access_key=${KEY}`),
        expectations: [{ email: 'ann@example.org', values: { first_name: 'Ann' }, tags: null, mustExist: false }],
        wordpress: {
          usersByEmail: async () => {
            throw Object.assign(new Error('WordPress refused the application password.'), { hint: 'Create a new one.' });
          },
        },
      }),
    );
    expect(stepOf(outcome.steps, 'wordpress')).toMatchObject({ status: 'warning', message: expect.stringContaining('refused the application password. Create a new one.') });
  });
});

