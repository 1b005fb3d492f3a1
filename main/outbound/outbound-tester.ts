/**
 * "Send test message": delivers one or more SOAP messages to a site's endpoint the way
 * Salesforce would, and judges every step as Salesforce (and then the admin) would see it.
 *
 * Steps, in order, each pass / warning / fail / skipped:
 *   endpoint   https required (http only for a site on this computer, with a warning);
 *   dns        the host resolves, and not only to addresses Salesforce cannot reach;
 *   tls        a certificate Salesforce would accept: trusted chain, right name, in date, TLS 1.2+;
 *   http       200 for each delivery (Salesforce treats anything else as a failure and retries);
 *   timing     answered within Salesforce's 60-second timeout (UNCONFIRMED figure, from the brief);
 *   ack        the SOAP body says notificationsResponse/Ack = true; a fault is a failure with its faultstring;
 *   wordpress  the users' fields and tags now hold what the message carried (read over the REST API).
 * A failed endpoint, DNS or TLS step stops the test before anything is sent: the URL carries
 * the access key, and it must not go to a server Salesforce itself would refuse.
 */
import type { OutboundExchange, OutboundStep, OutboundStepId, OutboundStepStatus } from '../../common/outbound-models';
import { checkTls, postSoap, resolveHost, type PostOutcome, type ProbeNetwork } from './endpoint-probe';
import { isLoopbackHost, maskSecrets } from './outbound-endpoint';
import { readAcknowledgement } from './soap-notification';

/** Salesforce waits this long for an answer (UNCONFIRMED: the figure comes from the issue, not a primary source). */
export const SALESFORCE_TIMEOUT_MS = 60_000;
/** Past this share of the timeout an answer is "slow": one busy moment on the site away from a retry. */
const SLOW_SHARE = 0.5;
/** Certificates that expire sooner than this get a warning. */
const EXPIRY_WARNING_DAYS = 14;
/** Kept of each answer for the raw exchange. */
const SHOWN_BODY = 64 * 1024;
/**
 * A whole test answers within this, so the page gets its verdict: the browser edition's
 * bridge gives up on a call after 60 s. An endpoint still silent when the budget runs out is
 * reported as such — far too slow to rely on, whatever Salesforce's own limit.
 */
export const TEST_BUDGET_MS = 55_000;
/** DNS and the TLS handshake each get at most this much of the budget. */
const CONNECT_STEP_MAX_MS = 15_000;

export interface Delivery {
  readonly label: string;
  readonly body: string;
  readonly notifications: number;
}

/** What a user should look like after the deliveries, and how to find them. */
export interface UserExpectation {
  readonly email: string;
  /** WordPress field name (as the mapping stores it) → value. */
  readonly values: Readonly<Record<string, string>>;
  /** null when tags are not part of the message (Topics, or no tag field). */
  readonly tags: readonly string[] | null;
  /** `add`: the user must exist afterwards, exactly once. */
  readonly mustExist: boolean;
}

export interface WordpressUserState {
  readonly id: number;
  readonly values: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
}

/** main/app implements it with main/wordpress: users by exact email, over the REST API. */
export interface OutboundWordpressPort {
  usersByEmail(email: string): Promise<readonly WordpressUserState[]>;
}

export interface TesterOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly deliveries: readonly Delivery[];
  /** Values to mask wherever they appear (the access key, a session id). */
  readonly secrets: readonly (string | null)[];
  /** How the URL is shown (key masked). */
  readonly maskedUrl: string;
  readonly expectations: readonly UserExpectation[];
  /** Why WordPress cannot be checked, when it cannot (no password, no companion plugin …). */
  readonly wordpress: OutboundWordpressPort | { readonly unavailable: string };
  /** Notes to attach to the WordPress step (e.g. Topics are not in outbound messages). */
  readonly wordpressNotes?: readonly string[];
  readonly connectDeadlineMs: number;
  readonly salesforceTimeoutMs?: number;
  /** The most the whole test may take (default TEST_BUDGET_MS). */
  readonly budgetMs?: number;
  /** How long to wait for WordPress to show the change (a connector may apply it in the background). */
  readonly verifyWaitMs?: number;
  readonly verifyIntervalMs?: number;
  readonly network?: ProbeNetwork;
  readonly now?: () => Date;
}

export interface TesterOutcome {
  readonly steps: readonly OutboundStep[];
  readonly exchanges: readonly OutboundExchange[];
}

const LABELS: Readonly<Record<OutboundStepId, string>> = {
  endpoint: 'Endpoint address',
  dns: 'DNS',
  tls: 'TLS certificate',
  http: 'HTTP status',
  timing: 'Response time',
  ack: 'SOAP acknowledgement',
  wordpress: 'WordPress user changed',
};

export async function runOutboundTest(options: TesterOptions): Promise<TesterOutcome> {
  const steps: OutboundStep[] = [];
  const exchanges: OutboundExchange[] = [];
  const timeoutMs = options.salesforceTimeoutMs ?? SALESFORCE_TIMEOUT_MS;
  const started = performance.now();
  const budgetMs = options.budgetMs ?? TEST_BUDGET_MS;
  const remaining = () => budgetMs - (performance.now() - started);
  const connectDeadlineMs = Math.min(options.connectDeadlineMs, CONNECT_STEP_MAX_MS);
  const mask = (text: string) => maskSecrets(text, options.secrets);
  const step = (id: OutboundStepId, status: OutboundStepStatus, message: string, extra: { hint?: string; delivery?: number } = {}) => {
    // Steps name their delivery only when there is more than one.
    const delivery = options.deliveries.length > 1 ? extra.delivery : undefined;
    const label = delivery === undefined ? LABELS[id] : `${LABELS[id]} (delivery ${delivery})`;
    steps.push({ id, label, status, message: mask(message), ...(extra.hint === undefined ? {} : { hint: extra.hint }), ...(delivery === undefined ? {} : { delivery }) });
  };
  const skipRest = (from: OutboundStepId, why: string) => {
    const order: OutboundStepId[] = ['endpoint', 'dns', 'tls', 'http', 'timing', 'ack', 'wordpress'];
    for (const id of order.slice(order.indexOf(from))) step(id, 'skipped', why);
  };

  const { url } = options;
  const secure = url.protocol === 'https:';
  const hostname = url.hostname;
  const loopback = isLoopbackHost(hostname);

  // 1. endpoint
  if (secure) step('endpoint', 'pass', `https, host ${hostname}.`);
  else if (loopback) {
    step('endpoint', 'warning', `http on this computer (${hostname}): fine for a local test site, but Salesforce sends outbound messages only to a public https address.`, {
      hint: 'Test the live site’s https address before you point Salesforce at it.',
    });
  } else {
    step('endpoint', 'fail', `The endpoint is plain http: the access key would cross the internet in clear text, and ForceSites does not send it.`, {
      hint: 'Use the https:// address of the site (install a certificate if it has none).',
    });
    skipRest('dns', 'Not tried: the endpoint address is not usable.');
    return { steps, exchanges };
  }

  // 2. dns
  const dns = await resolveHost(hostname, connectDeadlineMs, options.network);
  if (!dns.ok) {
    step('dns', 'fail', dns.message, { hint: 'Check the site address for typos, and that its DNS record exists (ask the host).' });
    skipRest('tls', 'Not tried: the name does not resolve.');
    return { steps, exchanges };
  }
  const shownAddresses = dns.addresses.map((entry) => entry.address).join(', ');
  if (dns.privateOnly) {
    step('dns', 'warning', `${hostname} ${dns.literal ? 'is' : 'resolves to'} ${shownAddresses}, a private or loopback address that Salesforce’s servers cannot reach.`, {
      hint: 'Fine for a test site on this computer; Salesforce needs the site’s public address.',
    });
  } else {
    step('dns', 'pass', `${hostname} resolves to ${shownAddresses}.`);
  }
  const address = dns.addresses[0]!;

  // 3. tls
  if (secure) {
    const port = Number(url.port || 443);
    const certificate = await checkTls(hostname, port, address, connectDeadlineMs, options.network, options.now);
    if (!certificate.ok) {
      step('tls', 'fail', certificate.message, {
        hint:
          certificate.code === 'TIMEOUT' || certificate.code === 'ECONNREFUSED'
            ? 'Check that the site answers https on this port.'
            : 'Install a certificate from a public authority (Let’s Encrypt is free) for this exact host name, with its intermediate certificates.',
      });
      skipRest('http', 'Not sent: Salesforce would refuse this certificate, and the URL carries the access key.');
      return { steps, exchanges };
    }
    const until = certificate.validTo.slice(0, 10);
    if (certificate.daysLeft < EXPIRY_WARNING_DAYS) {
      step('tls', 'warning', `Trusted certificate for ${certificate.subject} from ${certificate.issuer}, but it expires in ${Math.max(0, certificate.daysLeft)} days (${until}).`, {
        hint: 'Renew the certificate; when it expires Salesforce stops delivering.',
      });
    } else {
      step('tls', 'pass', `${certificate.protocol}, trusted certificate for ${certificate.subject} from ${certificate.issuer}, valid until ${until}.`);
    }
  } else {
    step('tls', 'skipped', 'Plain http: no certificate to check.');
  }

  // What WordPress holds before anything is sent, to tell "changed" from "already so".
  let before: ReadonlyMap<string, readonly WordpressUserState[]> | { readonly error: string } | undefined;
  if (!('unavailable' in options.wordpress) && options.expectations.length > 0) {
    try {
      before = await readUsers(options.wordpress, options.expectations);
    } catch (error) {
      before = { error: errorText(error) };
    }
  }

  // 4–6. deliveries
  let everyDeliveryAcked = true;
  for (const [index, delivery] of options.deliveries.entries()) {
    const number = index + 1;
    // Past Salesforce's timeout by a margin, to tell "late" from "never" — within the budget.
    const deadlineMs = Math.min(timeoutMs + Math.min(10_000, timeoutMs / 6), remaining());
    if (deadlineMs < 1_000) {
      for (const id of ['http', 'timing', 'ack'] as const) step(id, 'skipped', 'Not sent: the earlier deliveries used up the time this test may take.', { delivery: number });
      everyDeliveryAcked = false;
      continue;
    }
    const outcome = await postSoap({ url, address, headers: options.headers, body: delivery.body, deadlineMs }, options.network);
    exchanges.push(exchangeOf(delivery, options, outcome, mask));
    const acked = judgeDelivery(outcome, number, timeoutMs, deadlineMs, step);
    everyDeliveryAcked &&= acked;
  }

  // 7. wordpress
  if (!everyDeliveryAcked) {
    step('wordpress', 'skipped', 'Not checked: the endpoint did not acknowledge every delivery, so Salesforce would send them again.');
  } else if ('unavailable' in options.wordpress) {
    step('wordpress', 'skipped', options.wordpress.unavailable, { hint: 'Save the site’s WordPress application password on the Sites page to have this checked.' });
  } else if (before !== undefined && 'error' in before) {
    step('wordpress', 'warning', `ForceSites could not read the users from WordPress, so it cannot say whether they changed: ${before.error}`, {
      hint: 'Run Check site on the Sites page to see what WordPress needs.',
    });
  } else {
    let verdict: WordpressVerdict;
    try {
      verdict = await verifyWordpress(options.wordpress, options.expectations, before, options.verifyWaitMs ?? 5_000, options.verifyIntervalMs ?? 500);
    } catch (error) {
      verdict = { status: 'warning', message: `ForceSites could not read the users from WordPress, so it cannot say whether they changed: ${errorText(error)}`, hint: 'Run Check site on the Sites page to see what WordPress needs.' };
    }
    const notes = options.wordpressNotes?.length ? ` ${options.wordpressNotes.join(' ')}` : '';
    step('wordpress', verdict.status, `${verdict.message}${notes}`, verdict.hint === undefined ? {} : { hint: verdict.hint });
  }
  return { steps, exchanges };
}

function judgeDelivery(
  outcome: PostOutcome,
  delivery: number,
  timeoutMs: number,
  waitedMs: number,
  step: (id: OutboundStepId, status: OutboundStepStatus, message: string, extra?: { hint?: string; delivery?: number }) => void,
): boolean {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (!outcome.ok) {
    if (outcome.code === 'TIMEOUT') {
      step('http', 'fail', `No answer: ${outcome.message}`, { delivery, hint: 'See Response time.' });
      const why =
        waitedMs >= timeoutMs
          ? `No answer within ${seconds(timeoutMs)}: Salesforce gives up at that point and sends the message again later.`
          : `No answer within ${seconds(waitedMs)}, when ForceSites had to stop waiting (Salesforce waits ${seconds(timeoutMs)}): far too slow to rely on — a busy moment means retries.`;
      step('timing', 'fail', why, {
        delivery,
        hint: 'Make the endpoint answer first and do slow work afterwards (WP Fusion: enable its background processing), or find what blocks the site.',
      });
    } else {
      step('http', 'fail', outcome.message, { delivery, hint: 'Check that the site is up and that a firewall does not block the request.' });
      step('timing', 'skipped', 'No answer to time.', { delivery });
    }
    step('ack', 'skipped', 'No answer to read.', { delivery });
    return false;
  }

  const { status } = outcome;
  if (status === 200) step('http', 'pass', `200 ${outcome.statusText}`.trim() + '.', { delivery });
  else step('http', 'fail', `${status} ${outcome.statusText}`.trim() + `: Salesforce treats anything but 200 as a failed delivery and retries for 24 hours.`, { delivery, hint: statusHint(status, outcome.headers.location) });

  if (outcome.ms > timeoutMs) {
    step('timing', 'fail', `Answered after ${seconds(outcome.ms)}, past Salesforce’s ${seconds(timeoutMs)}: Salesforce would already have given up and retried.`, { delivery, hint: 'Make the endpoint answer faster.' });
  } else if (outcome.ms > timeoutMs * SLOW_SHARE) {
    step('timing', 'warning', `Answered in ${seconds(outcome.ms)}: within Salesforce’s ${seconds(timeoutMs)}, but close enough that a busy moment would cause retries.`, { delivery, hint: 'Make the endpoint answer faster.' });
  } else {
    step('timing', 'pass', `Answered in ${seconds(outcome.ms)} (Salesforce waits ${seconds(timeoutMs)}).`, { delivery });
  }

  const ack = readAcknowledgement(outcome.body, headerText(outcome.headers['content-type']));
  if (ack.kind === 'ack' && status === 200) {
    step('ack', 'pass', '<Ack>true</Ack> in a notificationsResponse: Salesforce marks the message delivered.', { delivery });
    return true;
  }
  if (ack.kind === 'ack') step('ack', 'fail', `The body acknowledges, but with HTTP ${status} Salesforce does not count it.`, { delivery });
  else if (ack.kind === 'fault') step('ack', 'fail', `SOAP fault ${ack.faultcode ? `${ack.faultcode}: ` : ''}${ack.faultstring}`, { delivery, hint: 'The connector refused the message; its fault text says why.' });
  else step('ack', 'fail', ack.detail, { delivery, hint: ack.kind === 'not-soap' ? 'Something other than the connector answered (a cache, a security plugin, an error page), or the URL is wrong.' : 'The connector must answer exactly as the outbound messaging WSDL says.' });
  return false;
}

function statusHint(status: number, location: string | undefined): string {
  if (status >= 300 && status < 400) return `The site redirects${location ? ` to ${location}` : ''}; Salesforce does not follow redirects. Use the final address as the endpoint.`;
  if (status === 401 || status === 403) return 'The connector refused the access key, or a security plugin blocked the request: check the key in the connector’s settings and save it here again.';
  if (status === 404) return 'Nothing listens at this URL: check the action and that the connector plugin is active.';
  if (status >= 500) return 'The site failed while handling the message: its PHP error log says why.';
  return 'Check the endpoint URL and the connector’s settings.';
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function exchangeOf(delivery: Delivery, options: TesterOptions, outcome: PostOutcome, mask: (text: string) => string): OutboundExchange {
  const { url } = options;
  const requestHead = [`POST ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`), `Content-Length: ${Buffer.byteLength(delivery.body)}`];
  const request = mask(`${requestHead.join('\r\n')}\r\n\r\n${delivery.body}`);
  if (!outcome.ok) return { label: delivery.label, request, response: null, durationMs: Math.round(outcome.ms) };
  const headerLines: string[] = [];
  for (let i = 0; i + 1 < outcome.rawHeaders.length; i += 2) headerLines.push(`${outcome.rawHeaders[i]}: ${outcome.rawHeaders[i + 1]}`);
  const shown = outcome.body.length > SHOWN_BODY ? `${outcome.body.slice(0, SHOWN_BODY)}\n… (cut: the answer was longer)` : `${outcome.body}${outcome.truncated ? '\n… (cut after 1 MB)' : ''}`;
  const response = mask(`HTTP/${outcome.httpVersion} ${outcome.status} ${outcome.statusText}\r\n${headerLines.join('\r\n')}\r\n\r\n${shown}`);
  return { label: delivery.label, request, response, durationMs: Math.round(outcome.ms) };
}

interface WordpressVerdict {
  readonly status: OutboundStepStatus;
  readonly message: string;
  readonly hint?: string;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) => [...new Set(list.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))].sort();
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

interface Comparison {
  readonly email: string;
  readonly state: 'match' | 'mismatch' | 'absent' | 'duplicated';
  readonly differences: readonly string[];
  readonly user?: WordpressUserState;
}

function compare(expectation: UserExpectation, users: readonly WordpressUserState[]): Comparison {
  if (users.length === 0) return { email: expectation.email, state: 'absent', differences: [] };
  if (expectation.mustExist && users.length > 1) return { email: expectation.email, state: 'duplicated', differences: [`${users.length} users have this email`] };
  const user = users[0]!;
  const differences: string[] = [];
  for (const [field, expected] of Object.entries(expectation.values)) {
    const actual = user.values[field] ?? '';
    if (actual.trim() !== expected.trim()) differences.push(`${field} is “${actual}”, expected “${expected}”`);
  }
  if (expectation.tags !== null && !sameTags(user.tags, expectation.tags)) differences.push(`tags are [${user.tags.join(', ')}], expected [${expectation.tags.join(', ')}]`);
  return { email: expectation.email, state: differences.length === 0 ? 'match' : 'mismatch', differences, user };
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' ? `${message} ${hint}` : message;
}

async function readUsers(port: OutboundWordpressPort, expectations: readonly UserExpectation[]): Promise<Map<string, readonly WordpressUserState[]>> {
  const users = new Map<string, readonly WordpressUserState[]>();
  for (const expectation of expectations) users.set(expectation.email, await port.usersByEmail(expectation.email));
  return users;
}

async function verifyWordpress(
  port: OutboundWordpressPort,
  expectations: readonly UserExpectation[],
  before: ReadonlyMap<string, readonly WordpressUserState[]> | undefined,
  waitMs: number,
  intervalMs: number,
): Promise<WordpressVerdict> {
  if (expectations.length === 0) return { status: 'skipped', message: 'The message carries no field the site’s mapping pulls into WordPress, so there is nothing to compare.', hint: 'Map Salesforce fields to WordPress (direction pull or both) or pick a tag field.' };
  // The test's own "before" was read by the caller when it mattered; here we read until
  // WordPress shows the change or the wait is over, because a connector may apply a message
  // after it has acknowledged it.
  const deadline = performance.now() + waitMs;
  let comparisons: Comparison[] = [];
  for (;;) {
    comparisons = [];
    for (const expectation of expectations) comparisons.push(compare(expectation, await port.usersByEmail(expectation.email)));
    const settled = comparisons.every((c) => c.state === 'match' || (c.state === 'absent' && !expectationOf(expectations, c).mustExist));
    if (settled || performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const failures = comparisons.filter((c) => c.state === 'mismatch' || c.state === 'duplicated' || (c.state === 'absent' && expectationOf(expectations, c).mustExist));
  const matched = comparisons.filter((c) => c.state === 'match');
  const absent = comparisons.filter((c) => c.state === 'absent');
  if (failures.length > 0) {
    const first = failures.slice(0, 3).map((c) => (c.state === 'absent' ? `${c.email}: no such user was created` : `${c.email}: ${c.differences.join('; ')}`));
    return {
      status: 'fail',
      message: `The endpoint acknowledged, but WordPress does not show the change for ${failures.length} of ${comparisons.length} users after ${Math.round(waitMs / 1000)} s — ${first.join(' · ')}${failures.length > 3 ? ' …' : ''}.`,
      hint: 'Salesforce now considers these changes delivered and will not resend them. Compare the connector’s field mapping with this site’s pull mapping.',
    };
  }
  if (matched.length === 0) {
    return { status: 'warning', message: `No WordPress user has the email of ${absent.length === 1 ? 'the record' : 'any record'} sent (${absent.map((c) => c.email).slice(0, 3).join(', ')}), so nothing could be compared.`, hint: 'Send a record whose email belongs to a WordPress user.' };
  }
  const skipped = absent.length > 0 ? ` ${absent.length} record(s) had no WordPress user; the connector rightly had nothing to update.` : '';
  const unchanged = matched.filter((c) => {
    const earlier = before?.get(c.email);
    return earlier !== undefined && earlier.length > 0 && compare(expectationOf(expectations, c), earlier).state === 'match';
  });
  if (unchanged.length === matched.length) {
    return {
      status: 'warning',
      message: `WordPress holds the message’s values, but it already held them before the test, so this cannot tell whether the endpoint applied anything.${skipped}`,
      hint: 'Send values the user does not have yet: edit the sample values, or change the record in Salesforce first.',
    };
  }
  return { status: 'pass', message: `WordPress shows the message’s values for ${matched.length} user${matched.length === 1 ? '' : 's'} (${matched.slice(0, 3).map((c) => `#${c.user!.id}`).join(', ')}).${skipped}` };
}

function expectationOf(expectations: readonly UserExpectation[], comparison: Comparison): UserExpectation {
  return expectations.find((e) => e.email === comparison.email)!;
}
