/**
 * `/services/data/...` on the instance host: the version list, then for `vXX.X/...` the
 * version check, bearer authentication, the daily API quota, the resources the core owns
 * (`limits`, OAuth usage) and hand-off to the org's data half.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataRequest, DataResponse } from '../data/seam';
import type { Emulator } from '../emulator';
import { NOT_FOUND_BODY, bearerToken, restError, sendJson } from '../http-util';
import type { RequestKind } from '../request-log';
import { handleOAuthUsage } from '../usage/oauth-usage';
import { SUPPORTED_VERSIONS, versionList } from './versions';

export interface RestOutcome {
  readonly status: number;
  readonly kind: RequestKind;
  readonly orgId?: string;
}

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']);

/** Salesforce's answer to a missing or dead session. */
export function sendInvalidSession(res: ServerResponse): void {
  sendJson(res, 401, restError('INVALID_SESSION_ID', 'Session expired or invalid'), { 'WWW-Authenticate': 'Token' });
}

export function kindOf(path: string): RequestKind {
  if (path === 'query' || path.startsWith('query/') || path === 'queryAll' || path.startsWith('queryAll/')) return 'query';
  if (path.startsWith('composite')) return 'composite';
  if (path.startsWith('jobs/')) return 'bulk';
  if (path.startsWith('apps/oauth/usage')) return 'usage';
  if (path === 'limits') return 'limits';
  return 'rest';
}

function limitsBody(used: number, max: number): Record<string, { Max: number; Remaining: number }> {
  const fixed = (n: number) => ({ Max: n, Remaining: n });
  // Keys are real `limits/` keys; only DailyApiRequests moves, the rest are typical
  // Developer Edition allowances so clients that read them find numbers.
  return {
    ConcurrentAsyncGetReportInstances: fixed(200),
    ConcurrentSyncReportRuns: fixed(20),
    DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
    DailyAsyncApexExecutions: fixed(250000),
    DailyBulkApiBatches: fixed(15000),
    DailyBulkV2QueryFileStorageMB: fixed(976562),
    DailyBulkV2QueryJobs: fixed(10000),
    DailyDurableStreamingApiEvents: fixed(10000),
    DailyStreamingApiEvents: fixed(10000),
    DailyWorkflowEmails: fixed(390),
    DataStorageMB: fixed(5),
    FileStorageMB: fixed(20),
    HourlyODataCallout: fixed(1000),
    HourlyTimeBasedWorkflow: fixed(50),
    MassEmail: fixed(10),
    SingleEmail: fixed(15),
  };
}

function resourceList(version: string): Record<string, string> {
  const b = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'contact-tracing', 'jsonxform', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'smartdatadiscovery', 'identity', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'domino', 'event', 'serviceTemplates', 'recent', 'connect', 'licensing', 'limits', 'process', 'dedupe', 'async-queries', 'query', 'jobs', 'match', 'localizedvalue', 'mobile', 'emailConnect', 'consent', 'tokenizer', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support', 'apps'];
  return Object.fromEntries(names.map((n) => [n, `${b}/${n}`]));
}

function send(res: ServerResponse, response: DataResponse, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  const body = response.body;
  if (body === undefined || body === null || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'text/plain;charset=UTF-8';
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  sendJson(res, response.status, body, headers);
}

export async function handleRest(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<RestOutcome> {
  const after = url.pathname.slice('/services/data'.length);
  if (after === '' || after === '/') {
    // The version list needs no session and carries no limit header.
    sendJson(res, 200, versionList());
    return { status: 200, kind: 'versions' };
  }
  const match = /^\/v(\d+\.\d)(?:\/(.*))?$/.exec(after);
  if (!match || !SUPPORTED_VERSIONS.has(match[1]!)) {
    sendJson(res, 404, NOT_FOUND_BODY);
    return { status: 404, kind: 'rest' };
  }
  const version = match[1]!;
  const path = (match[2] ?? '').replace(/\/+$/, '');
  const kind = kindOf(path);

  const token = bearerToken(req);
  const org = token ? emulator.orgForAccessToken(token) : undefined;
  const auth = org && token ? org.authenticate(token) : undefined;
  if (!org || !auth) {
    sendInvalidSession(res);
    return { status: 401, kind };
  }
  const quota = org.consumeApi();
  const limitHeader = { 'Sforce-Limit-Info': `api-usage=${quota.used}/${quota.max}` };
  if (!quota.ok) {
    sendJson(res, 403, restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), limitHeader);
    return { status: 403, kind, orgId: org.id };
  }
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) {
    sendJson(res, 405, restError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST,PATCH,PUT,DELETE`), limitHeader);
    return { status: 405, kind, orgId: org.id };
  }

  let response: DataResponse;
  if (path === '') {
    response = method === 'GET' || method === 'HEAD' ? { status: 200, body: resourceList(version) } : { status: 405, body: restError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are HEAD,GET`) };
  } else if (path === 'limits') {
    response = method === 'GET' || method === 'HEAD' ? { status: 200, body: limitsBody(quota.used, quota.max) } : { status: 405, body: restError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are HEAD,GET`) };
  } else {
    const request: DataRequest = {
      method: method as DataRequest['method'],
      path,
      query: url.searchParams,
      headers: req.headers as Record<string, string | undefined>,
      body,
      version,
      user: org.dataUser(auth.user),
    };
    if (path === 'apps/oauth/usage' || path.startsWith('apps/oauth/usage/')) {
      response = handleOAuthUsage(org, request, path.slice('apps/oauth/usage'.length));
    } else {
      try {
        response = await org.data.handle(request);
      } catch (error) {
        // A bug in the data half must look like a Salesforce 500, never a stack trace.
        const message = error instanceof Error ? error.message : String(error);
        response = { status: 500, body: restError('UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: emulator (${message.slice(0, 200)})`) };
      }
    }
  }
  send(res, response, limitHeader);
  return { status: response.status, kind, orgId: org.id };
}
