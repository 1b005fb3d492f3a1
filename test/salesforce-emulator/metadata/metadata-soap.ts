/**
 * Metadata API SOAP endpoint `/services/Soap/m/{version}`: only `readMetadata` of
 * `ConnectedApp`, enough for the app to read `oauthPolicy.refreshTokenPolicy`. The request is
 * the envelope jsforce's `conn.metadata.read('ConnectedApp', [...])` sends
 * (lib/soap.js `_createEnvelope`); we read it with a few tolerant regular expressions
 * rather than a full XML parser, which keeps the emulator dependency-free.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator';
import { escapeXml, sendText } from '../http-util';
import type { ConnectedApp } from '../model';
import { policyToMetadata } from '../model';
import type { Org } from '../org';
import { SUPPORTED_VERSIONS } from '../rest/versions';

const XML = 'text/xml;charset=UTF-8';

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** SOAP faults travel with HTTP 500; jsforce refreshes the session on sf:INVALID_SESSION_ID. */
function fault(res: ServerResponse, code: string, message: string, headers: Record<string, string> = {}): number {
  sendText(res, 500, envelope(`<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>`), XML, headers);
  return 500;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Text of every `<name>` element (any namespace prefix). */
function elements(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:[A-Za-z0-9_]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${name}>`, 'g');
  return [...xml.matchAll(re)].map((m) => unescapeXml(m[1]!.trim()));
}

/** Salesforce's enumeration names for the OAuth scopes in metadata. */
const SCOPE_ENUM: Record<string, string> = {
  api: 'Api',
  refresh_token: 'RefreshToken',
  offline_access: 'RefreshToken',
  id: 'Basic',
  openid: 'OpenID',
  web: 'Web',
  full: 'Full',
  profile: 'Basic',
  email: 'Basic',
  address: 'Basic',
  phone: 'Basic',
};

function connectedAppXml(app: ConnectedApp, org: Org): string {
  const contact = [...org.users.values()][0]?.email ?? 'admin@example.com';
  const scopes = [...new Set(app.scopes.map((s) => SCOPE_ENUM[s] ?? s))];
  return (
    `<records xsi:type="ConnectedApp"><fullName>${escapeXml(app.developerName)}</fullName>` +
    `<contactEmail>${escapeXml(contact)}</contactEmail><label>${escapeXml(app.name)}</label>` +
    '<oauthConfig>' +
    `<callbackUrl>${escapeXml(app.redirectUris.join('\n'))}</callbackUrl>` +
    `<consumerKey>${escapeXml(app.clientId)}</consumerKey>` +
    `<isAdminApproved>${app.adminApprovedOnly}</isAdminApproved>` +
    '<isConsumerSecretOptional>' + (app.clientSecret === undefined) + '</isConsumerSecretOptional>' +
    '<isIntrospectAllTokens>false</isIntrospectAllTokens>' +
    `<isPkceRequired>${app.pkceRequired}</isPkceRequired>` +
    '<isSecretRequiredForRefreshToken>' + (app.clientSecret !== undefined) + '</isSecretRequiredForRefreshToken>' +
    scopes.map((s) => `<scopes>${escapeXml(s)}</scopes>`).join('') +
    '</oauthConfig>' +
    '<oauthPolicy><ipRelaxation>ENFORCE</ipRelaxation>' +
    `<isRefreshTokenRotationEnabled>${app.rotation}</isRefreshTokenRotationEnabled>` +
    `<refreshTokenPolicy>${policyToMetadata(app.refreshTokenPolicy)}</refreshTokenPolicy></oauthPolicy>` +
    (app.startUrl ? `<startUrl>${escapeXml(app.startUrl)}</startUrl>` : '') +
    '</records>'
  );
}

export interface SoapOutcome {
  readonly status: number;
  readonly orgId?: string;
}

export function handleMetadataSoap(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): SoapOutcome {
  const version = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/[A-Za-z0-9]{15,18})?\/?$/.exec(url.pathname)?.[1];
  if (req.method !== 'POST' || !version || !SUPPORTED_VERSIONS.has(version)) {
    return { status: fault(res, 'soapenv:Client', version && !SUPPORTED_VERSIONS.has(version) ? `UNSUPPORTED_API_VERSION: Invalid Api version specified on URL` : 'Only POST of a SOAP envelope is supported') };
  }
  const xml = body.toString('utf8');
  const sessionId = elements(xml, 'sessionId')[0];
  const org = sessionId ? emulator.orgForAccessToken(sessionId) : undefined;
  const auth = org && sessionId ? org.authenticate(sessionId) : undefined;
  if (!org || !auth) return { status: fault(res, 'sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session') };
  const quota = org.consumeApi();
  const limit = { 'Sforce-Limit-Info': `api-usage=${quota.used}/${quota.max}` };
  if (!quota.ok) return { status: fault(res, 'sf:REQUEST_LIMIT_EXCEEDED', 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.', limit), orgId: org.id };

  const bodyXml = /<(?:[A-Za-z0-9_]+:)?Body[^>]*>([\s\S]*)<\/(?:[A-Za-z0-9_]+:)?Body>/.exec(xml)?.[1] ?? '';
  const operation = /<(?:[A-Za-z0-9_]+:)?([A-Za-z]+)[\s>]/.exec(bodyXml)?.[1];
  if (operation !== 'readMetadata') {
    return { status: fault(res, 'soapenv:Client', `No operation available for request {http://soap.sforce.com/2006/04/metadata}${operation ?? ''}, please check the WSDL for the service.`, limit), orgId: org.id };
  }
  const user = auth.user;
  if (!user.permissions.has('CustomizeApplication') && !user.permissions.has('ModifyAllData') && !user.permissions.has('ModifyMetadata')) {
    return { status: fault(res, 'sf:INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions', limit), orgId: org.id };
  }
  const type = elements(bodyXml, 'type')[0];
  const fullNames = elements(bodyXml, 'fullNames');
  if (type !== 'ConnectedApp') {
    return { status: fault(res, 'sf:INVALID_TYPE', `INVALID_TYPE: This type of metadata is not available for this organization (emulator reads ConnectedApp only): ${type ?? ''}`, limit), orgId: org.id };
  }
  if (fullNames.length > 10) return { status: fault(res, 'sf:INVALID_OPERATION', 'INVALID_OPERATION: Too many full names: 10 is the limit', limit), orgId: org.id };
  const records = fullNames.map((name) => {
    // Uninstalled apps live in another org's metadata: not readable here.
    const app = [...org.apps.values()].find((a) => a.installed && a.developerName === name);
    return app ? connectedAppXml(app, org) : '<records xsi:nil="true"/>';
  });
  sendText(res, 200, envelope(`<readMetadataResponse><result>${records.join('')}</result></readMetadataResponse>`), XML, limit);
  return { status: 200, orgId: org.id };
}
