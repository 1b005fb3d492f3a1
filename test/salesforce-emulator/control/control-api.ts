/**
 * The control API under `/__emulator/` (loopback only, JSON in and out). Each route is a
 * thin wrapper over one Emulator method, so what a test does in-process and what a script
 * does over HTTP cannot drift. `{orgId}` may be `default`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator';
import { sendJson } from '../http-util';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ControlError(400, 'body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ControlError(400, 'body must be a JSON object');
  return value as Json;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function num(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export const CONTROL_ROUTES = [
  'GET    /__emulator/                                   description of the default org (what the CLI prints)',
  'POST   /__emulator/reset                              back to the start-up state',
  'GET    /__emulator/orgs                               every org',
  'POST   /__emulator/orgs                               create an org {name?, users?, apps?, settings?, topicsEnabled?}',
  'GET    /__emulator/orgs/{orgId}                       one org: settings, users, apps',
  'PATCH  /__emulator/orgs/{orgId}                       {approvalCap?, dailyApiMax?, sessionTimeoutMinutes?, apiUsed?, topicsEnabled?, bulkQuery?}',
  'POST   /__emulator/orgs/{orgId}/users                 add a user {username, password, permissions?, ...}',
  'PATCH  /__emulator/orgs/{orgId}/users/{user}          {permissions?, addPermissions?, removePermissions?, active?, password?}',
  'POST   /__emulator/orgs/{orgId}/apps                  add a connected app',
  'PATCH  /__emulator/orgs/{orgId}/apps/{app}            {refreshTokenPolicy?, rotation?, pkceRequired?, installed?, adminApprovedOnly?, approvedUsers?, approvalCap?, redirectUris?, scopes?}',
  'GET    /__emulator/orgs/{orgId}/approvals             ?app=&user=',
  'POST   /__emulator/orgs/{orgId}/sessions/expire       every access token of the org dies now',
  'POST   /__emulator/orgs/{orgId}/records/{sObject}     seed {records:[...]} → {ids}',
  'GET    /__emulator/orgs/{orgId}/records/{sObject}     records as stored',
  'DELETE /__emulator/orgs/{orgId}/records               drop all records (?schema=true also customisations)',
  'POST   /__emulator/orgs/{orgId}/fields/{sObject}      add a custom field (CustomFieldSpec)',
  'POST   /__emulator/orgs/{orgId}/objects               add a custom object {name, label, labelPlural?, nameField?, fields?, topicsEnabled?}',
  'PUT    /__emulator/orgs/{orgId}/topics/{sObject}      {enabled}',
  'PUT    /__emulator/orgs/{orgId}/currencies            multiple currencies {corporate, currencies} (Order, OrderItem, price books gain CurrencyIsoCode)',
  'DELETE /__emulator/orgs/{orgId}/currencies            one currency again',
  'POST   /__emulator/orgs/{orgId}/record-types/{sObject} add a record type {name, developerName?, description?, active?, default?} → {id}',
  'GET    /__emulator/orgs/{orgId}/streaming             {settings, clients}: change data capture objects, CometD timings and clients',
  'PATCH  /__emulator/orgs/{orgId}/streaming             {changeDataCapture?, connectTimeoutMs?, clientExpiryMs?, maxEventsPerConnect?, retentionMs?}',
  'POST   /__emulator/orgs/{orgId}/streaming/drop-clients the server forgets every CometD client (403::Unknown client) → {dropped}',
  'GET    /__emulator/orgs/{orgId}/change-events         retained change events ?channel=&after= → {events}',
  'GET    /__emulator/clock                              {now}',
  'POST   /__emulator/clock                              advance {ms?|seconds?|minutes?|hours?|days?} → {now}',
  'GET    /__emulator/faults                             current fault settings',
  'PUT    /__emulator/faults                             {seed?, latencyMs?, error500Rate?, error503Rate?, lockRowRate?, dropRate?}',
  'DELETE /__emulator/faults                             no faults',
  'POST   /__emulator/sessions/expire                    every access token of every org dies now',
  'POST   /__emulator/tokens/revoke                      {token} (access, refresh or DeleteToken)',
  'GET    /__emulator/requests                           request log ?since=&limit=&kind= → {total, counts, entries}',
  'DELETE /__emulator/requests                           clear the request log',
  'GET    /__emulator/latency                            {ms} added to every API response',
  'PUT    /__emulator/latency                            {ms} (0 = none; reset restores the start-up value)',
  'GET    /__emulator/api-calls                          API requests by kind {total, token, rest, query, collections, bulk, bulkPoll, metadata, other}',
  'DELETE /__emulator/api-calls                          start counting from zero',
];

export async function handleControl(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<number> {
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: 'the control API answers loopback clients only' });
    return 403;
  }
  try {
    const result = route(emulator, req.method ?? 'GET', url, body);
    if (result === undefined) {
      res.writeHead(204);
      res.end();
      return 204;
    }
    sendJson(res, 200, result);
    return 200;
  } catch (error) {
    const status = error instanceof ControlError ? error.status : error instanceof RangeError || error instanceof TypeError ? 400 : 400;
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, status, { error: message });
    return status;
  }
}

function route(emulator: Emulator, method: string, url: URL, body: Buffer): unknown {
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [a, b, c, d] = parts;
  const q = url.searchParams;
  const key = `${method} ${a ?? ''}`;
  const notFound = (): never => {
    throw new ControlError(404, `no control route ${method} ${url.pathname}; see GET /__emulator/routes`);
  };

  switch (key) {
    case 'GET ':
      return emulator.describe();
    case 'GET routes':
      return { routes: CONTROL_ROUTES };
    case 'POST reset':
      return emulator.reset();
    case 'GET clock':
      return { now: emulator.now(), iso: new Date(emulator.now()).toISOString() };
    case 'POST clock': {
      const now = emulator.advanceClock(parseJson(body) as never);
      return { now, iso: new Date(now).toISOString() };
    }
    case 'GET faults':
      return emulator.faults.current();
    case 'PUT faults':
    case 'POST faults':
      return emulator.setFaults(parseJson(body));
    case 'DELETE faults':
      emulator.clearFaults();
      return undefined;
    case 'POST sessions':
      if (b !== 'expire') return notFound();
      return { expired: emulator.expireAllSessions() };
    case 'POST tokens': {
      if (b !== 'revoke') return notFound();
      const token = parseJson(body).token;
      if (typeof token !== 'string') throw new ControlError(400, 'token is required');
      return { revoked: emulator.revokeToken(token) };
    }
    case 'GET requests':
      return emulator.requestLog({ since: num(q.get('since')), limit: num(q.get('limit')), kind: q.get('kind') ?? undefined });
    case 'DELETE requests':
      emulator.clearRequestLog();
      return undefined;
    case 'GET latency':
      return { ms: emulator.latencyMs };
    case 'PUT latency':
    case 'POST latency': {
      const ms = parseJson(body).ms;
      if (typeof ms !== 'number') throw new ControlError(400, 'ms is required: a number of milliseconds, e.g. {"ms": 100}');
      return { ms: emulator.setLatency(ms) };
    }
    case 'GET api-calls':
      return emulator.apiCalls();
    case 'DELETE api-calls':
      emulator.resetApiCalls();
      return undefined;
    case 'GET orgs':
      if (b === undefined) return emulator.orgs().map((o) => emulator.describeOrg(o));
      break;
    case 'POST orgs':
      if (b === undefined) return emulator.createOrg(parseJson(body));
      break;
    default:
      if (a !== 'orgs') return notFound();
  }
  return orgRoute(emulator, method, b!, c, d, q, body) ?? notFound();
}

function orgRoute(emulator: Emulator, method: string, orgId: string, resource: string | undefined, name: string | undefined, q: URLSearchParams, body: Buffer): unknown {
  const org = emulator.org(orgId); // throws RangeError → 400 for an unknown org
  switch (`${method} ${resource ?? ''}`) {
    case 'GET ':
      return emulator.describeOrg(org);
    case 'PATCH ':
    case 'PUT ':
      return emulator.configureOrg(orgId, parseJson(body));
    case 'POST users':
      return emulator.addUser(orgId, parseJson(body) as never);
    case 'PATCH users':
      if (!name) return undefined;
      return emulator.configureUser(orgId, name, parseJson(body));
    case 'POST apps':
      return emulator.addApp(orgId, parseJson(body) as never);
    case 'PATCH apps':
      if (!name) return undefined;
      return emulator.configureApp(orgId, name, parseJson(body));
    case 'GET approvals':
      return emulator.approvals(orgId, { app: q.get('app') ?? undefined, user: q.get('user') ?? undefined });
    case 'POST sessions':
      if (name !== 'expire') return undefined;
      return { expired: emulator.expireAllSessions(orgId) };
    case 'POST records': {
      if (!name) return undefined;
      const records = parseJson(body).records;
      if (!Array.isArray(records)) throw new ControlError(400, 'records must be an array');
      return { ids: emulator.seed(orgId, name, records as Record<string, unknown>[]) };
    }
    case 'GET records':
      if (!name) return undefined;
      return emulator.records(orgId, name);
    case 'DELETE records':
      emulator.resetData(orgId, { schema: q.get('schema') === 'true' });
      return { ok: true };
    case 'POST fields':
      if (!name) return undefined;
      emulator.addCustomField(orgId, name, parseJson(body) as never);
      return { ok: true };
    case 'POST objects': {
      const spec = parseJson(body);
      if (typeof spec.name !== 'string' || typeof spec.label !== 'string') throw new ControlError(400, 'name and label are required');
      emulator.addCustomObject(orgId, spec as never);
      return { ok: true };
    }
    case 'POST record-types':
      if (!name) return undefined;
      return { id: emulator.addRecordType(orgId, name, parseJson(body) as never) };
    case 'PUT topics':
    case 'POST topics':
      if (!name) return undefined;
      emulator.setTopicsEnabled(orgId, name, parseJson(body).enabled !== false);
      return { ok: true };
    case 'PUT currencies': {
      if (name) return undefined;
      const spec = parseJson(body);
      if (typeof spec.corporate !== 'string' || !Array.isArray(spec.currencies)) throw new ControlError(400, 'corporate (an ISO code) and currencies (a list of ISO codes) are required');
      emulator.setCurrencies(orgId, { corporate: spec.corporate, currencies: spec.currencies.map(String) });
      return { ok: true };
    }
    case 'DELETE currencies':
      if (name) return undefined;
      emulator.setCurrencies(orgId, null);
      return { ok: true };
    case 'GET streaming':
      if (name) return undefined;
      return { settings: emulator.streamingSettings(orgId), clients: emulator.streamingClients(orgId) };
    case 'PATCH streaming':
    case 'PUT streaming':
      if (name) return undefined;
      return { settings: emulator.configureStreaming(orgId, parseJson(body)) };
    case 'POST streaming':
      if (name !== 'drop-clients') return undefined;
      return { dropped: emulator.dropStreamingClients(orgId) };
    case 'GET change-events':
      return { events: emulator.changeEvents(orgId, { ...(q.get('channel') ? { channel: q.get('channel')! } : {}), ...(num(q.get('after')) !== undefined ? { after: num(q.get('after')) } : {}) }) };
    default:
      return undefined;
  }
}
