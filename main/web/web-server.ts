/**
 * The browser edition's transport: serves the built renderer on 127.0.0.1 and binds the same
 * contract to a loopback WebSocket. Development and evaluation only; the packaged Electron
 * app never starts it.
 *
 * Guards, because any web page on this machine can reach a loopback port:
 * - a random per-run token in the page URL, required (constant-time) on the WebSocket;
 * - the WebSocket's Origin must be this server's own origin;
 * - the Host header must be this server's loopback host (defeats DNS rebinding);
 * - static files only from the build folder, GET/HEAD only, no directory escapes.
 *
 * And because one bad frame must not end the process: every message's shape is checked
 * before use, frames over 1 MiB are refused, and a socket's protocol error closes that socket
 * only (test/integration/web/web-server-fuzz.test.ts throws garbage at it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventHub } from '../app/event-hub';
import { dispatchInvoke, type HandlerTable } from '../app/dispatch';
import { toErrorDto } from '../../common/errors';
import { silentLogger, type Logger } from '../platform/logger';
import { RENDERER_CONTENT_TYPES } from '../platform/renderer-content-types';

export interface WebServerOptions {
  readonly port: number;
  /** Folder holding the built renderer (index.html + assets). */
  readonly staticDir: string;
  /** The bundled preload-equivalent (web-bridge.js). */
  readonly webBridgeFile: string;
  readonly handlers: HandlerTable;
  readonly events: EventHub;
  /** Fixed token for tests; random otherwise. */
  readonly token?: string;
  readonly onUnexpectedError?: (channel: string, error: unknown) => void;
  /** Socket problems (protocol errors, a page that stops reading). */
  readonly log?: Logger;
}

export interface RunningWebServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}


/** Larger frames close the socket (ws answers 1009); the largest real request is a few KiB. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Unsent bytes one page may hold before main gives up on it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const INVALID_MESSAGE = {
  code: 'INVALID_REQUEST',
  message: 'ForceSites could not read that request.',
  hint: 'Reload the page; the page and ForceSites may be from different versions.',
} as const;

type ParsedMessage =
  | { readonly kind: 'invoke'; readonly id: number; readonly channel: string; readonly request: unknown }
  | { readonly kind: 'invalid'; readonly id: number }
  | { readonly kind: 'ignore' };

/**
 * The one shape main accepts from the page: `{t:'invoke', id, channel, request}` with a
 * non-negative safe-integer id and a string channel. The request itself is checked against
 * the channel's schema by dispatchInvoke. A bad message with a usable id is answered (the
 * page's call would otherwise wait for its deadline); anything else is dropped.
 */
export function parseInvoke(data: RawData | string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : rawText(data));
  } catch {
    return { kind: 'ignore' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'ignore' };
  const record = value as Record<string, unknown>;
  const id = Object.hasOwn(record, 'id') ? record['id'] : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { kind: 'ignore' };
  if (!Object.hasOwn(record, 't') || record['t'] !== 'invoke' || typeof record['channel'] !== 'string') return { kind: 'invalid', id };
  return { kind: 'invoke', id, channel: record['channel'], request: record['request'] };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? silentLogger;
  let port = 0;
  const origins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const hosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = createServer((request, response) => {
    void serveStatic(request, response).catch(() => send(response, 500, 'text/plain; charset=utf-8', 'Internal error'));
  });

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hosts().includes(request.headers.host ?? '')) return send(response, 421, 'text/plain; charset=utf-8', 'Misdirected request');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'Bad request');
    }
    if (path === '/web-bridge.js') return send(response, 200, RENDERER_CONTENT_TYPES['.js']!, await readFile(options.webBridgeFile));
    const relative = path === '/' ? 'index.html' : path.slice(1);
    const file = normalize(join(options.staticDir, relative));
    if (!file.startsWith(normalize(options.staticDir) + sep)) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    if (relative === 'index.html') body = Buffer.from(injectBridge(body.toString('utf8'), port));
    send(response, 200, RENDERER_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body);
  }

  function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
    response.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    response.end(body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not become an unhandled 'error' (process exit).
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://x');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const allowed =
      url.pathname === '/ws' &&
      hosts().includes(request.headers.host ?? '') &&
      origins().includes(request.headers.origin ?? '') &&
      sameSecret(url.searchParams.get('token') ?? '', token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const sendJson = (message: unknown): void => {
      if (ws.readyState !== ws.OPEN) return;
      // A page that stops reading must not make main buffer without bound.
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn('browser-edition socket is not reading its messages; closing it', { bufferedBytes: ws.bufferedAmount });
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.events.subscribe((channel, payload) => sendJson({ t: 'event', channel, payload }));
    ws.on('close', unsubscribe);
    // Protocol errors (oversized frame, invalid opcode, unmasked frame, bad UTF-8…) end this
    // socket only; ws has already sent the close frame it could. Without this listener the
    // 'error' event would end the whole process.
    ws.on('error', (error: Error & { code?: string }) => {
      log.warn('browser-edition socket closed after a protocol error', { error });
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'ForceSites accepts text frames only');
        return;
      }
      const message = parseInvoke(data);
      if (message.kind === 'ignore') return; // not our client's message, and nothing to answer to
      if (message.kind === 'invalid') {
        sendJson({ t: 'result', id: message.id, result: { ok: false, error: INVALID_MESSAGE } });
        return;
      }
      const { id } = message;
      dispatchInvoke(options.handlers, message.channel, message.request, { edition: 'browser' }, { onUnexpectedError: options.onUnexpectedError })
        .then((result) => sendJson({ t: 'result', id, result }))
        .catch((error: unknown) => {
          options.onUnexpectedError?.(message.channel, error);
          sendJson({ t: 'result', id, result: { ok: false, error: toErrorDto(error) } });
        });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The browser edition allows exactly one network destination: its own WebSocket. */
export function contentSecurityPolicy(port: number, delivery: 'header' | 'meta' = 'header'): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
  ];
  // Browsers honour frame-ancestors only from the HTTP header and warn about it in a meta tag.
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/**
 * Adds the WebSocket bridge before the app's module script, and points the page's CSP meta
 * (strict `connect-src 'none'` for Electron) at this server's WebSocket.
 */
export function injectBridge(html: string, port: number): string {
  const withCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(port, 'meta')}">`);
  return withCsp.replace(/<head>/i, '<head>\n    <script src="/web-bridge.js"></script>');
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
