/**
 * Test helpers shared by the emulator's tests (and usable by app tests): drive the HTML
 * login and consent forms with fetch the way a browser would, then finish with jsforce.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import type { RunningEmulator } from './index';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface BrowserLoginOptions {
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
  readonly scope?: string;
  readonly prompt?: string;
  readonly state?: string;
  /** Omit the PKCE challenge (for apps that do not require it). */
  readonly noPkce?: boolean;
  /** Press Deny on the consent page instead of Allow. */
  readonly deny?: boolean;
}

export interface BrowserLoginResult {
  /** The final redirect, parsed. */
  readonly location: URL;
  readonly code: string | null;
  readonly verifier: string;
  /** Whether a consent page was shown. */
  readonly consentShown: boolean;
}

function hiddenFlow(html: string): string {
  const m = /name="flow" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no login/consent form in page: ${html.slice(0, 300)}`);
  return m[1]!;
}

async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

/** GET authorize → POST login → (POST approve) → the 302 to the redirect URI. */
export async function browserLogin(emu: RunningEmulator, options: BrowserLoginOptions = {}): Promise<BrowserLoginResult> {
  const user = emu.users[0]!;
  const redirectUri = options.redirectUri ?? emu.redirectUris[0]!;
  const { verifier, challenge } = pkcePair();
  const oauth2 = new OAuth2({ loginUrl: emu.loginUrl, clientId: options.clientId ?? emu.clientId, redirectUri });
  const params: Record<string, string> = { scope: options.scope ?? 'api refresh_token id', state: options.state ?? 'st-123', prompt: options.prompt ?? 'login' };
  if (!options.noPkce) Object.assign(params, { code_challenge: challenge, code_challenge_method: 'S256' });
  const authorizeUrl = oauth2.getAuthorizationUrl(params);
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  if (first.status === 302) return done(first, verifier, false);
  const loginHtml = await first.text();
  if (first.status !== 200) throw new Error(`authorize answered ${first.status}: ${loginHtml.slice(0, 300)}`);
  const action = `${emu.loginUrl}/services/oauth2/authorize`;
  const afterLogin = await postForm(action, { flow: hiddenFlow(loginHtml), username: options.username ?? user.username, password: options.password ?? user.password });
  if (afterLogin.status === 302) return done(afterLogin, verifier, false);
  const page = await afterLogin.text();
  if (!page.includes('name="approve"')) throw new Error(`expected the consent page, got: ${page.slice(0, 400)}`);
  const decision: Record<string, string> = options.deny ? { deny: 'Deny' } : { approve: 'Allow' };
  const afterConsent = await postForm(action, { flow: hiddenFlow(page), ...decision });
  if (afterConsent.status !== 302) throw new Error(`consent answered ${afterConsent.status}`);
  return done(afterConsent, verifier, true);
}

function done(res: Response, verifier: string, consentShown: boolean): BrowserLoginResult {
  const location = new URL(res.headers.get('location') ?? '');
  return { location, code: location.searchParams.get('code'), verifier, consentShown };
}

export function newConnection(emu: RunningEmulator, options: { clientId?: string; redirectUri?: string } = {}): Connection {
  return new Connection({
    oauth2: { loginUrl: emu.loginUrl, clientId: options.clientId ?? emu.clientId, redirectUri: options.redirectUri ?? emu.redirectUris[0]! },
    version: '66.0',
  });
}

/** A jsforce connection logged in through the HTML forms with PKCE. */
export async function connectWithPkce(emu: RunningEmulator, options: BrowserLoginOptions = {}): Promise<{ conn: Connection; login: BrowserLoginResult }> {
  const login = await browserLogin(emu, options);
  if (!login.code) throw new Error(`no code in redirect ${login.location.href}`);
  const conn = newConnection(emu, options);
  await conn.authorize(login.code, { code_verifier: login.verifier });
  return { conn, login };
}

/** Raw token-endpoint call, for error-shape assertions jsforce would turn into exceptions. */
export async function tokenCall(emu: RunningEmulator, fields: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Code exchange without jsforce: returns the raw token response. */
export async function exchange(emu: RunningEmulator, login: BrowserLoginResult, options: { clientId?: string; redirectUri?: string } = {}): Promise<{ status: number; body: Record<string, string> }> {
  const r = await tokenCall(emu, {
    grant_type: 'authorization_code',
    code: login.code ?? '',
    client_id: options.clientId ?? emu.clientId,
    redirect_uri: options.redirectUri ?? emu.redirectUris[0]!,
    code_verifier: login.verifier,
  });
  return { status: r.status, body: r.body as Record<string, string> };
}

export async function refreshCall(emu: RunningEmulator, refreshToken: string, clientId = emu.clientId): Promise<{ status: number; body: Record<string, string> }> {
  const r = await tokenCall(emu, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  return { status: r.status, body: r.body as Record<string, string> };
}

export async function api(emu: RunningEmulator, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${emu.instanceUrl}/services/data/v66.0/${path}`, {
    signal: AbortSignal.timeout(15_000),
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
  });
}
