/**
 * The HTTP server. One port, two host names: `localhost` is the login host (OAuth, identity)
 * and `127.0.0.1` the instance host (REST, SOAP), so a client that keeps calling the login
 * URL instead of the returned `instance_url` fails here as it would against Salesforce.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { handleControl } from './control/control-api';
import type { Emulator } from './emulator';
import { BodyTooLargeError, NOT_FOUND_BODY, readBody, restError, sendJson, sendText } from './http-util';
import { handleMetadataSoap } from './metadata/metadata-soap';
import { AuthorizeState, handleAuthorize } from './oauth/authorize';
import { homePage } from './oauth/pages';
import { handleIdentity, handleRevoke, handleToken, handleUserinfo } from './oauth/token';
import { apiCallKind } from './request-log';
import type { RequestKind } from './request-log';
import { handleRest, kindOf } from './rest/rest-api';
import { handleCometd } from './streaming/cometd-endpoint';

interface Outcome {
  status: number;
  kind: RequestKind;
  orgId?: string;
}

export interface EmulatorServer {
  readonly server: Server;
  readonly authorizeState: AuthorizeState;
  /** Starts answering requests; separate from creation because the URLs need the port first. */
  attach(emulator: Emulator): void;
  close(): Promise<void>;
}

const UNKNOWN_EXCEPTION = restError('UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)');
const SERVER_UNAVAILABLE = restError('SERVER_UNAVAILABLE', 'Server is unavailable. Please try again later.');

export function createEmulatorServer(): EmulatorServer {
  const authorizeState = new AuthorizeState();
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Keep-alive clients (undici) would otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  return {
    server,
    authorizeState,
    attach(emulator: Emulator): void {
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        void handle(emulator, authorizeState, req, res);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function isLoginHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return host === 'localhost' || host.startsWith('localhost:');
}

/** Requests that fault injection may hit: API traffic, not login pages or control calls. */
function faultable(loginHost: boolean, path: string): boolean {
  return loginHost ? path === '/services/oauth2/token' : (path.startsWith('/services/data/v') || path.startsWith('/services/Soap/'));
}

async function handle(emulator: Emulator, authorizeState: AuthorizeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    sendJson(res, 400, restError('MALFORMED_URL', 'Malformed request URL'));
    return;
  }
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const loginHost = isLoginHost(req);
  const apiKind = apiCallKind(loginHost, method, path);
  if (apiKind) emulator.apiCounter.add(apiKind);
  let outcome: Outcome = { status: 0, kind: 'other' };
  try {
    // Benchmark latency: every API call pays it, concurrently, before anything else happens.
    if (apiKind && emulator.latencyMs > 0) await delay(emulator.latencyMs);
    if (faultable(loginHost, path)) {
      const latency = emulator.faults.latencyMs;
      if (latency > 0) await delay(latency);
      const decision = emulator.faults.decide();
      if (decision === 'drop') {
        req.socket.destroy();
        outcome = { status: 0, kind: loginHost ? 'oauth-token' : kindFor(path) };
        return;
      }
      if (decision === 'error500' || decision === 'error503') {
        const status = decision === 'error500' ? 500 : 503;
        // Drain the body so keep-alive connections stay usable.
        await readBody(req).catch(() => undefined);
        sendJson(res, status, status === 500 ? UNKNOWN_EXCEPTION : SERVER_UNAVAILABLE);
        outcome = { status, kind: loginHost ? 'oauth-token' : kindFor(path) };
        return;
      }
    }
    const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    outcome = await route(emulator, authorizeState, req, res, url, body, loginHost);
  } catch (error) {
    if (!res.headersSent) {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, restError('REQUEST_ENTITY_TOO_LARGE', 'Request entity too large'));
        outcome = { ...outcome, status: 413 };
      } else {
        sendJson(res, 500, UNKNOWN_EXCEPTION);
        outcome = { ...outcome, status: 500 };
      }
    } else {
      res.destroy();
    }
  } finally {
    if (!path.startsWith('/__emulator')) {
      emulator.log.add({ time: emulator.now(), method, path, status: outcome.status, kind: outcome.kind, ...(outcome.orgId ? { orgId: outcome.orgId } : {}) });
    }
  }
}

function kindFor(path: string): RequestKind {
  if (path.startsWith('/services/Soap/')) return 'metadata';
  const m = /^\/services\/data\/v\d+\.\d\/(.*)$/.exec(path);
  return m ? kindOf(m[1]!.replace(/\/+$/, '')) : 'rest';
}

async function route(emulator: Emulator, authorizeState: AuthorizeState, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, loginHost: boolean): Promise<Outcome> {
  const path = url.pathname;
  if (path === '/__emulator' || path.startsWith('/__emulator/')) {
    return { status: await handleControl(emulator, req, res, url, body), kind: 'control' };
  }
  if (loginHost) {
    switch (path) {
      case '/services/oauth2/authorize':
        return { status: handleAuthorize(emulator, authorizeState, req, res, url, body), kind: 'oauth-authorize' };
      case '/services/oauth2/token':
        return { status: handleToken(emulator, req, res, body), kind: 'oauth-token' };
      case '/services/oauth2/revoke':
        return { status: handleRevoke(emulator, req, res, url, body), kind: 'oauth-revoke' };
      case '/services/oauth2/userinfo':
        return { status: handleUserinfo(emulator, req, res, url), kind: 'identity' };
      case '/':
        sendText(res, 200, homePage(emulator.loginUrl), 'text/html;charset=UTF-8');
        return { status: 200, kind: 'other' };
    }
    const id = /^\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(path);
    if (id) return { status: handleIdentity(emulator, req, res, url, id[1]!, id[2]!), kind: 'identity' };
    // Data endpoints do not exist on the login host: the client ignored instance_url.
    sendJson(res, 404, NOT_FOUND_BODY);
    return { status: 404, kind: path.startsWith('/services/data') ? 'rest' : 'other' };
  }
  if (path === '/services/data' || path.startsWith('/services/data/')) return handleRest(emulator, req, res, url, body);
  if (path === '/cometd' || path.startsWith('/cometd/')) {
    const cometd = await handleCometd(emulator, req, res, url, body);
    return { status: cometd.status, kind: 'streaming', ...(cometd.orgId ? { orgId: cometd.orgId } : {}) };
  }
  if (path.startsWith('/services/Soap/m/')) {
    const soap = handleMetadataSoap(emulator, req, res, url, body);
    return { status: soap.status, kind: 'metadata', ...(soap.orgId ? { orgId: soap.orgId } : {}) };
  }
  // OAuth lives on the login host only (see README: a deliberate strictness).
  sendJson(res, 404, NOT_FOUND_BODY);
  return { status: 404, kind: 'other' };
}
