/**
 * `/services/oauth2/token`, `/services/oauth2/revoke`, the identity URL and
 * `/services/oauth2/userinfo`. Errors use Salesforce's bodies: token errors are JSON objects
 * `{error, error_description}` with HTTP 400, never REST-style arrays.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator';
import { bearerToken, parseForm, sendEmpty, sendJson, sendText } from '../http-util';
import { sfDateTime } from '../ids';
import type { EmulatedUser } from '../model';
import type { Org } from '../org';
import { OAUTH_ERRORS } from '../org';

const NO_STORE = { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private', Pragma: 'no-cache' };

function oauthError(res: ServerResponse, status: number, error: string, description: string): number {
  sendJson(res, status, { error, error_description: description }, NO_STORE);
  return status;
}

export function handleToken(emulator: Emulator, req: IncomingMessage, res: ServerResponse, body: Buffer): number {
  if (req.method !== 'POST') return oauthError(res, 400, 'invalid_request', 'must use HTTP POST');
  const params = parseForm(body);
  for (const key of ['grant_type', 'code', 'refresh_token', 'client_id']) {
    if (params.getAll(key).length > 1) return oauthError(res, 400, 'invalid_request', `duplicate ${key} parameter`);
  }
  const grant = params.get('grant_type');
  if (grant !== 'authorization_code' && grant !== 'refresh_token') return oauthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  const clientId = params.get('client_id') ?? '';
  if (!clientId || emulator.appsForClientId(clientId).length === 0) return oauthError(res, 400, OAUTH_ERRORS.invalidClientId.error, OAUTH_ERRORS.invalidClientId.error_description);

  let result;
  if (grant === 'authorization_code') {
    const code = params.get('code') ?? '';
    const org = code ? emulator.orgForCode(code) : undefined;
    if (!org) return oauthError(res, 400, OAUTH_ERRORS.invalidCode.error, OAUTH_ERRORS.invalidCode.error_description);
    result = org.exchangeCode(params);
  } else {
    const token = params.get('refresh_token') ?? '';
    const org = token ? emulator.orgForRefreshToken(token) : undefined;
    if (!org) return oauthError(res, 400, OAUTH_ERRORS.expired.error, OAUTH_ERRORS.expired.error_description);
    result = org.refresh(params);
  }
  if (!result.ok) return oauthError(res, result.status, result.body.error, result.body.error_description);
  sendJson(res, 200, result.body, NO_STORE);
  return 200;
}

export function handleRevoke(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): number {
  if (req.method !== 'POST' && req.method !== 'GET') return oauthError(res, 400, 'invalid_request', 'must use HTTP POST or GET');
  const token = (req.method === 'POST' ? parseForm(body).get('token') : null) ?? url.searchParams.get('token');
  if (!token) return oauthError(res, 400, 'unsupported_token_type', 'this token type is not supported');
  if (!emulator.revokeToken(token)) return oauthError(res, 400, 'invalid_token', 'invalid token');
  sendEmpty(res, 200, NO_STORE);
  return 200;
}

function tokenFrom(req: IncomingMessage, url: URL): string | undefined {
  return bearerToken(req) ?? url.searchParams.get('oauth_token') ?? undefined;
}

/** The urls block of the identity response; `{version}` is left for the client to fill. */
export function identityUrls(org: Org, user: EmulatedUser): Record<string, string> {
  const inst = org.instanceUrl;
  const rest = `${inst}/services/data/v{version}/`;
  return {
    enterprise: `${inst}/services/Soap/c/{version}/${org.id15}`,
    metadata: `${inst}/services/Soap/m/{version}/${org.id15}`,
    partner: `${inst}/services/Soap/u/{version}/${org.id15}`,
    rest,
    sobjects: `${rest}sobjects/`,
    search: `${rest}search/`,
    query: `${rest}query/`,
    recent: `${rest}recent/`,
    tooling_soap: `${inst}/services/Soap/T/{version}/${org.id15}`,
    tooling_rest: `${rest}tooling/`,
    profile: `${inst}/${user.id}`,
    feeds: `${rest}chatter/feeds`,
    groups: `${rest}chatter/groups`,
    users: `${rest}chatter/users`,
    feed_items: `${rest}chatter/feed-items`,
    feed_elements: `${rest}chatter/feed-elements`,
    custom_domain: inst,
  };
}

function resolveBearer(emulator: Emulator, req: IncomingMessage, url: URL): { org: Org; user: EmulatedUser; appId: string | undefined } | undefined {
  const token = tokenFrom(req, url);
  const org = token ? emulator.orgForAccessToken(token) : undefined;
  const auth = org && token ? org.authenticate(token) : undefined;
  return org && auth ? { org, user: auth.user, appId: auth.session.appId } : undefined;
}

/** GET /id/{orgId}/{userId}. Bad tokens get Salesforce's plain-text 403 `Bad_OAuth_Token`. */
export function handleIdentity(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, orgId: string, userId: string): number {
  if (req.method !== 'GET' && req.method !== 'POST') {
    sendText(res, 405, 'Method Not Allowed', 'text/plain');
    return 405;
  }
  const who = resolveBearer(emulator, req, url);
  if (!who) {
    sendText(res, 403, 'Bad_OAuth_Token', 'text/plain;charset=UTF-8');
    return 403;
  }
  const { org } = who;
  const user = org.id.startsWith(orgId.slice(0, 15)) && orgId.length >= 15 ? org.findUser(userId) : undefined;
  if (!user || !userId.startsWith(user.id.slice(0, 15))) {
    sendText(res, 404, 'Bad_Id', 'text/plain;charset=UTF-8');
    return 404;
  }
  const app = who.appId ? org.apps.get(who.appId) : undefined;
  sendJson(res, 200, {
    id: org.identityUrl(user.id),
    asserted_user: user.id === who.user.id,
    user_id: user.id,
    organization_id: org.id,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${org.instanceUrl}/profilephoto/005/F`, thumbnail: `${org.instanceUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(org, user),
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: sfDateTime(user.lastModifiedDate),
    is_app_installed: app?.installed ?? false,
  });
  return 200;
}

/** OpenID Connect userinfo. */
export function handleUserinfo(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): number {
  const who = resolveBearer(emulator, req, url);
  if (!who) {
    sendText(res, 403, 'Bad_OAuth_Token', 'text/plain;charset=UTF-8');
    return 403;
  }
  const { org, user } = who;
  const app = who.appId ? org.apps.get(who.appId) : undefined;
  sendJson(res, 200, {
    sub: org.identityUrl(user.id),
    user_id: user.id,
    organization_id: org.id,
    preferred_username: user.username,
    nickname: user.username.split('@')[0],
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${org.instanceUrl}/profilephoto/005/F`, thumbnail: `${org.instanceUrl}/profilephoto/005/T` },
    profile: `${org.instanceUrl}/${user.id}`,
    picture: `${org.instanceUrl}/profilephoto/005/F`,
    address: {},
    is_salesforce_integration_user: false,
    urls: identityUrls(org, user),
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: new Date(user.lastModifiedDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    is_app_installed: app?.installed ?? false,
  });
  return 200;
}
