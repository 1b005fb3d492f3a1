/**
 * Turns what the admin typed into the login URL the OAuth flow talks to.
 *
 * The host decides where the admin types a Salesforce password, so the parser is strict: it
 * reads the authority by hand instead of trusting WHATWG URL normalisation (which turns
 * `\` into `/` and accepts `user@host`), allows only host characters in it, and rebuilds the
 * URL from the parts it validated. Anything else fails with INVALID_LOGIN_HOST and a hint
 * saying what to type.
 */
import { AppError } from '../../common/errors';
import type { LoginHostKind } from '../../common/models';

export const PRODUCTION_LOGIN_URL = 'https://login.salesforce.com';
export const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

export interface LoginHostOptions {
  /**
   * Accept `http://localhost:PORT` and `http://127.0.0.1:PORT` as a custom host. Only the
   * demo and the tests set this: they talk to the local Salesforce emulator.
   */
  readonly allowLoopbackHttp?: boolean;
}

const MY_DOMAIN_SUFFIX = '.my.salesforce.com';
/** Second-level My Domain kinds Salesforce uses under `.my.salesforce.com`. */
const MY_DOMAIN_KINDS = new Set(['sandbox', 'develop', 'scratch', 'patch', 'demo', 'trailblaze', 'free']);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

const MY_DOMAIN_HINT =
  'Type your My Domain name (for example acme, or acme--uat for a sandbox) or its address, such as ' +
  'https://acme.my.salesforce.com or https://acme--uat.sandbox.my.salesforce.com. Setup » My Domain shows it.';
const CUSTOM_HINT = 'Type an https address such as https://login.example.com, without a path, user name or query.';

export function resolveLoginUrl(kind: LoginHostKind, input: string | undefined, options: LoginHostOptions = {}): string {
  switch (kind) {
    case 'production':
      return PRODUCTION_LOGIN_URL;
    case 'sandbox':
      return SANDBOX_LOGIN_URL;
    case 'mydomain':
      return resolveMyDomain(input);
    case 'custom':
      return resolveCustom(input, options);
    default:
      throw invalid(`Unknown login host kind "${String(kind)}".`, 'Choose Production, Sandbox, My Domain or Custom.');
  }
}

/** True for the sandbox login host and sandbox My Domains (used to explain invalid_client_id). */
export function isSandboxLoginUrl(loginUrl: string): boolean {
  const host = loginUrl.replace(/^https?:\/\//, '').split(/[/:]/)[0] ?? '';
  return host === 'test.salesforce.com' || host.endsWith(`.sandbox${MY_DOMAIN_SUFFIX}`) || /--[a-z0-9]+\.my\.salesforce\.com$/.test(host);
}

interface ParsedAddress {
  readonly scheme: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  /** Everything after the authority: path, query, fragment. */
  readonly rest: string;
}

function parseAddress(input: string | undefined, hint: string): ParsedAddress {
  const text = (input ?? '').trim();
  if (text === '') throw invalid('Enter a login host.', hint);
  if (text.length > 255) throw invalid('That login host is too long.', hint);
  const lower = text.toLowerCase();
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//.exec(lower);
  const scheme = schemeMatch?.[1];
  const afterScheme = schemeMatch ? lower.slice(schemeMatch[0].length) : lower;
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  const rest = authorityEnd === -1 ? '' : afterScheme.slice(authorityEnd);
  // Only host characters: this rejects user@host, backslashes, percent-encoding,
  // whitespace, IPv6 literals and non-ASCII look-alike letters in one place.
  if (!/^[a-z0-9.:-]+$/.test(authority)) {
    throw invalid(`"${clip(text)}" is not a valid login host.`, hint);
  }
  const colon = authority.indexOf(':');
  const host = colon === -1 ? authority : authority.slice(0, colon);
  const portText = colon === -1 ? undefined : authority.slice(colon + 1);
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw invalid(`"${clip(text)}" has an invalid port.`, hint);
    }
    port = Number(portText);
  }
  const labels = host.split('.');
  if (host === '' || !labels.every((label) => LABEL.test(label))) {
    throw invalid(`"${clip(text)}" is not a valid host name.`, hint);
  }
  return { scheme, host, port, rest };
}

function resolveMyDomain(input: string | undefined): string {
  const { scheme, host, port, rest } = parseAddress(input, MY_DOMAIN_HINT);
  if (scheme !== undefined && scheme !== 'https') {
    throw invalid('My Domain addresses use https.', MY_DOMAIN_HINT);
  }
  if (port !== undefined && port !== 443) throw invalid('My Domain addresses have no port.', MY_DOMAIN_HINT);
  // A bare name: the admin typed only the My Domain name, e.g. "acme" or "acme--uat".
  if (!host.includes('.')) {
    if (scheme !== undefined || rest !== '') throw invalid(`"${clip(input)}" is not a My Domain address.`, MY_DOMAIN_HINT);
    return host.includes('--') ? `https://${host}.sandbox${MY_DOMAIN_SUFFIX}` : `https://${host}${MY_DOMAIN_SUFFIX}`;
  }
  // Admins often paste the Lightning address from the browser; say exactly what to type instead.
  const lightning = /^([a-z0-9-]+)(\.sandbox)?\.lightning\.force\.com$/.exec(host);
  if (lightning) {
    const suggestion = `https://${lightning[1]}${lightning[2] ?? ''}${MY_DOMAIN_SUFFIX}`;
    throw invalid(`${host} is the Lightning address, not the login address.`, `Type ${suggestion} instead.`);
  }
  if (!host.endsWith(MY_DOMAIN_SUFFIX)) {
    throw invalid(
      `${host} is not a My Domain address (those end in ${MY_DOMAIN_SUFFIX}).`,
      `${MY_DOMAIN_HINT} For any other login address choose Custom.`,
    );
  }
  const prefix = host.slice(0, -MY_DOMAIN_SUFFIX.length).split('.');
  const [name, kindLabel, ...extra] = prefix;
  const validKind = kindLabel === undefined || MY_DOMAIN_KINDS.has(kindLabel);
  const sandboxNeedsName = kindLabel !== 'sandbox' || (name ?? '').includes('--');
  if (name === undefined || extra.length > 0 || !validKind || !sandboxNeedsName) {
    throw invalid(`${host} is not a My Domain address Salesforce uses.`, MY_DOMAIN_HINT);
  }
  // Path, query and fragment of a pasted browser address are dropped: only the host matters.
  return `https://${host}`;
}

function resolveCustom(input: string | undefined, options: LoginHostOptions): string {
  const { scheme, host, port, rest } = parseAddress(input, CUSTOM_HINT);
  if (rest !== '' && rest !== '/') {
    throw invalid('A login host is only the address, without a path, query or fragment.', CUSTOM_HINT);
  }
  if (LOOPBACK_HOSTS.has(host)) {
    if (!options.allowLoopbackHttp) {
      throw invalid(
        `${host} is this computer, not a Salesforce login host.`,
        'Local addresses are allowed only in demo and test mode. ' + CUSTOM_HINT,
      );
    }
    if (scheme !== 'http' && scheme !== 'https') throw invalid('Type the local address with http:// and its port.', 'For example http://localhost:8443.');
    return `${scheme}://${host}${port === undefined ? '' : `:${port}`}`;
  }
  if (scheme !== undefined && scheme !== 'https') {
    throw invalid('Salesforce login hosts use https.', CUSTOM_HINT);
  }
  const labels = host.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !/^[a-z]{2,63}$/.test(tld)) {
    // Also rejects IP addresses: a real login host has a certificate for a name.
    throw invalid(`${host} is not a public host name.`, CUSTOM_HINT);
  }
  return `https://${host}${port === undefined || port === 443 ? '' : `:${port}`}`;
}

function invalid(message: string, hint: string): AppError {
  return new AppError('INVALID_LOGIN_HOST', message, { hint });
}

/** Echo at most 80 characters of what was typed so a pasted blob does not flood the UI. */
function clip(text: string | undefined): string {
  const value = (text ?? '').trim();
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
