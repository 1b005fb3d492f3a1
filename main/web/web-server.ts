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
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventHub } from '../app/event-hub';
import { dispatchInvoke, type HandlerTable } from '../app/dispatch';

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
}

export interface RunningWebServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
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
    if (path === '/web-bridge.js') return send(response, 200, MIME['.js']!, await readFile(options.webBridgeFile));
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
    send(response, 200, MIME[extname(file)] ?? 'application/octet-stream', body);
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
    const url = new URL(request.url ?? '/', 'http://x');
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
    const unsubscribe = options.events.subscribe((channel, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'event', channel, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let message: { t?: unknown; id?: unknown; channel?: unknown; request?: unknown };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        return; // not our client; nothing to answer to
      }
      if (message.t !== 'invoke' || typeof message.id !== 'number') return;
      const id = message.id;
      void dispatchInvoke(options.handlers, message.channel, message.request, { edition: 'browser' }, { onUnexpectedError: options.onUnexpectedError }).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id, result }));
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
