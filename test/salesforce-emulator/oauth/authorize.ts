/**
 * `/services/oauth2/authorize`: login form, consent form, redirect with `code` and `state`.
 *
 * Between form posts the flow lives server-side under a random id carried in a hidden field
 * (so a test can drive it with fetch, no cookie jar). A successful login also sets a `sid`
 * cookie for the login host, so a real browser is not asked to log in again unless the
 * client sends `prompt=login`, as with Salesforce.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator';
import { escapeHtml, parseCookies, parseForm, sendText } from '../http-util';
import { randomToken } from '../ids';
import type { ConnectedApp, EmulatedUser } from '../model';
import type { Org, OAuthError } from '../org';
import { OAUTH_ERRORS } from '../org';
import { consentPage, errorPage, loginPage } from './pages';
import { MINUTE_MS } from '../clock';

interface Flow {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string | null;
  readonly codeChallenge: string | undefined;
  readonly scope: string | null;
  /** `prompt=consent`: ask even when the user approved the app before. */
  readonly forceConsent: boolean;
  readonly expiresAt: number;
  orgId?: string;
  userId?: string;
}

interface BrowserSession {
  readonly orgId: string;
  readonly userId: string;
  readonly expiresAt: number;
}

const FLOW_TTL_MS = 30 * MINUTE_MS;
const BROWSER_SESSION_MS = 120 * MINUTE_MS;
const LOGIN_FAILED = "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

const HTML = 'text/html;charset=UTF-8';

/** Per-emulator state, kept outside Org because a flow starts before we know the org. */
export class AuthorizeState {
  readonly flows = new Map<string, Flow>();
  readonly browserSessions = new Map<string, BrowserSession>();

  addFlow(flow: Flow, now: number): string {
    if (this.flows.size > 500) for (const [k, f] of this.flows) if (f.expiresAt < now) this.flows.delete(k);
    const id = randomToken(24);
    this.flows.set(id, flow);
    return id;
  }

  clear(): void {
    this.flows.clear();
    this.browserSessions.clear();
  }
}

function redirectWith(res: ServerResponse, redirectUri: string, params: Record<string, string | null>, headers: Record<string, string> = {}): number {
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%20/g, '+')}`)
    .join('&');
  const location = redirectUri + (redirectUri.includes('?') ? '&' : '?') + query;
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-cache, no-store', ...headers });
  res.end(`<html><body>Redirecting to <a href="${escapeHtml(location)}">${escapeHtml(location)}</a></body></html>`);
  return 302;
}

function showError(res: ServerResponse, error: string, description: string): number {
  sendText(res, 400, errorPage(error, description), HTML);
  return 400;
}

/** Which redirect error an access problem becomes on the browser side. */
function redirectError(problem: OAuthError): { error: string; error_description: string } {
  if (problem === OAUTH_ERRORS.notAdminApproved) return { error: 'OAUTH_APP_ACCESS_DENIED', error_description: problem.error_description };
  return problem;
}

export function handleAuthorize(emulator: Emulator, state: AuthorizeState, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): number {
  if (req.method === 'GET' || req.method === 'HEAD') return start(emulator, state, req, res, url.searchParams);
  if (req.method === 'POST') {
    const form = parseForm(body);
    // A client may also start the flow with a form POST carrying the authorize parameters.
    if (!form.has('flow') && form.has('client_id')) return start(emulator, state, req, res, form);
    return step(emulator, state, res, form);
  }
  sendText(res, 405, 'Method Not Allowed', 'text/plain');
  return 405;
}

function start(emulator: Emulator, state: AuthorizeState, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): number {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  const registrations = clientId ? emulator.appsForClientId(clientId) : [];
  const first = registrations[0];
  if (!first) return showError(res, 'invalid_client_id', 'client identifier invalid');
  // Exact match, port included: loopback ports are not wildcarded.
  if (!registrations.some((r) => r.app.redirectUris.includes(redirectUri))) return showError(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');

  const stateParam = params.get('state');
  const back = (error: string, description: string): number => redirectWith(res, redirectUri, { error, error_description: description, state: stateParam });
  if (params.get('response_type') !== 'code') return back('unsupported_response_type', 'response type not supported');
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (challenge !== undefined && method !== null && method !== 'S256') return back('invalid_request', 'invalid code challenge method');
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back('invalid_request', 'invalid code challenge');
  if (challenge === undefined && first.app.pkceRequired) return back('invalid_request', 'missing required code challenge');
  if (first.org.grantScopes(first.app, params.get('scope')) === undefined) return back('invalid_scope', 'the requested scope is not allowed');

  const now = emulator.now();
  const prompt = (params.get('prompt') ?? '').split(/[\s+]+/);
  const flow: Flow = { clientId, redirectUri, state: stateParam, codeChallenge: challenge, scope: params.get('scope'), forceConsent: prompt.includes('consent'), expiresAt: now + FLOW_TTL_MS };
  const flowId = state.addFlow(flow, now);

  const sid = parseCookies(req.headers.cookie).get('sid');
  const session = sid ? state.browserSessions.get(sid) : undefined;
  if (session && session.expiresAt > now && !prompt.includes('login') && !prompt.includes('select_account')) {
    const org = safeOrg(emulator, session.orgId);
    const user = org?.users.get(session.userId);
    if (org && user?.active) {
      flow.orgId = org.id;
      flow.userId = user.id;
      return afterLogin(emulator, state, res, flowId, flow, org, user);
    }
  }
  sendText(res, 200, loginPage(flowId, undefined, params.get('login_hint') ?? ''), HTML, { 'Cache-Control': 'no-cache, no-store' });
  return 200;
}

function safeOrg(emulator: Emulator, orgId: string): Org | undefined {
  try {
    return emulator.org(orgId);
  } catch {
    return undefined;
  }
}

function step(emulator: Emulator, state: AuthorizeState, res: ServerResponse, form: URLSearchParams): number {
  const flowId = form.get('flow') ?? '';
  const flow = state.flows.get(flowId);
  if (!flow || flow.expiresAt < emulator.now()) {
    state.flows.delete(flowId);
    return showError(res, 'invalid_request', 'authorization session expired or unknown, start again');
  }
  if (form.has('username')) {
    const username = form.get('username') ?? '';
    const found = emulator.findLogin(username);
    if (!found || !found.user.active || !found.org.checkPassword(found.user, form.get('password') ?? '')) {
      sendText(res, 200, loginPage(flowId, LOGIN_FAILED, username), HTML);
      return 200;
    }
    flow.orgId = found.org.id;
    flow.userId = found.user.id;
    const sid = randomToken(24);
    state.browserSessions.set(sid, { orgId: found.org.id, userId: found.user.id, expiresAt: emulator.now() + BROWSER_SESSION_MS });
    return afterLogin(emulator, state, res, flowId, flow, found.org, found.user, { 'Set-Cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
  }
  const org = flow.orgId ? safeOrg(emulator, flow.orgId) : undefined;
  const user = flow.userId ? org?.users.get(flow.userId) : undefined;
  if (!org || !user) {
    sendText(res, 200, loginPage(flowId), HTML);
    return 200;
  }
  const app = org.appByClientId(flow.clientId);
  if (!app) return showError(res, 'invalid_client_id', 'client identifier invalid');
  if (form.has('deny') || form.has('oadeny')) {
    state.flows.delete(flowId);
    return redirectWith(res, flow.redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state: flow.state });
  }
  if (form.has('approve') || form.has('oaapprove')) return issue(org, state, res, flowId, flow, app, user);
  sendText(res, 200, consentPage(flowId, app.name, user.username, org.grantScopes(app, flow.scope) ?? []), HTML);
  return 200;
}

function afterLogin(emulator: Emulator, state: AuthorizeState, res: ServerResponse, flowId: string, flow: Flow, org: Org, user: EmulatedUser, headers: Record<string, string> = {}): number {
  const app = org.appByClientId(flow.clientId);
  if (!app) return redirectWith(res, flow.redirectUri, { ...OAUTH_ERRORS.invalidClientId, state: flow.state }, headers);
  if (!app.redirectUris.includes(flow.redirectUri)) return showError(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
  const problem = org.accessProblem(app, user);
  if (problem) {
    state.flows.delete(flowId);
    return redirectWith(res, flow.redirectUri, { ...redirectError(problem), state: flow.state }, headers);
  }
  if (flow.forceConsent || org.needsConsent(app, user)) {
    sendText(res, 200, consentPage(flowId, app.name, user.username, org.grantScopes(app, flow.scope) ?? []), HTML, { 'Cache-Control': 'no-cache, no-store', ...headers });
    return 200;
  }
  return issue(org, state, res, flowId, flow, app, user, headers);
}

function issue(org: Org, state: AuthorizeState, res: ServerResponse, flowId: string, flow: Flow, app: ConnectedApp, user: EmulatedUser, headers: Record<string, string> = {}): number {
  state.flows.delete(flowId);
  const scopes = org.grantScopes(app, flow.scope);
  if (!scopes) return redirectWith(res, flow.redirectUri, { error: 'invalid_scope', error_description: 'the requested scope is not allowed', state: flow.state }, headers);
  const code = org.issueCode(app, user, flow.redirectUri, flow.codeChallenge, scopes);
  return redirectWith(res, flow.redirectUri, { code, state: flow.state }, headers);
}
