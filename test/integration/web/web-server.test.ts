import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { INVOKE_CHANNELS } from '../../../common/contract';
import type { HandlerTable } from '../../../main/app/dispatch';
import { EventHub } from '../../../main/app/event-hub';
import { startWebServer, type RunningWebServer } from '../../../main/web/web-server';
import { closedWithin, encodeFrame, rawUpgrade } from './raw-websocket';
import { connect as tcpConnect } from 'node:net';

const dir = mkdtempSync(join(tmpdir(), 'forcesites-web-'));
mkdirSync(join(dir, 'static', 'assets'), { recursive: true });
writeFileSync(
  join(dir, 'static', 'index.html'),
  `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'none'"><title>x</title></head><body><script type="module" src="./assets/app.js"></script></body></html>`,
);
writeFileSync(join(dir, 'static', 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
writeFileSync(join(dir, 'web-bridge.js'), '/* bridge */');

const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, () => ({ channel: c })])) as unknown as HandlerTable;
const events = new EventHub();
let server: RunningWebServer;

beforeAll(async () => {
  server = await startWebServer({ port: 0, staticDir: join(dir, 'static'), webBridgeFile: join(dir, 'web-bridge.js'), handlers, events });
});
afterAll(() => server.close());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

function collect(ws: WebSocket, count: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      seen.push(JSON.parse(String(data)));
      if (seen.length === count) {
        ws.off('message', onMessage);
        resolve(seen);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('browser edition web server', () => {
  it('serves index.html with the bridge injected before the app and a CSP allowing only its own socket', async () => {
    const page = await get('/?token=whatever');
    expect(page.status).toBe(200);
    expect(page.body.indexOf('/web-bridge.js')).toBeLessThan(page.body.indexOf('./assets/app.js'));
    const csp = `connect-src ws://127.0.0.1:${server.port} ws://localhost:${server.port}`;
    expect(page.headers['content-security-policy']).toContain(csp);
    expect(page.body).toContain(csp);
    expect(page.body).not.toContain("connect-src 'none'");
  });

  it('never serves files outside the build folder', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets/app.js')).status).toBe(200);
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const origin = server.origin;
    await expect(connect('', origin)).rejects.toThrow('403');
    await expect(connect('?token=wrong', origin)).rejects.toThrow('403');
    await expect(connect(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow('403');
    await expect(connect(`?token=${server.token}`, undefined)).rejects.toThrow('403');
  });

  it('answers invokes through the contract and validates them', async () => {
    const ws = await connect(`?token=${server.token}`, server.origin);
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'auth:cancel', request: { flowId: 'f1' } }));
    expect(await nextMessage(ws)).toEqual({ t: 'result', id: 1, result: { ok: true, value: { channel: 'auth:cancel' } } });
    ws.send(JSON.stringify({ t: 'invoke', id: 2, channel: 'auth:cancel', request: { flowId: 'a b' } }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 2, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    ws.close();
  });

  it('pushes events to connected pages', async () => {
    const ws = await connect(`?token=${server.token}`, server.origin);
    const message = nextMessage(ws);
    events.emit('app:banner', { id: 'b1', level: 'warning', message: 'Approvals at the cap' });
    expect(await message).toEqual({ t: 'event', channel: 'app:banner', payload: { id: 'b1', level: 'warning', message: 'Approvals at the cap' } });
    ws.close();
  });

  it('answers a well-formed frame with the wrong shape with INVALID_REQUEST when it has an id, and keeps the socket', async () => {
    const ws = await connect(`?token=${server.token}`, server.origin);
    ws.send(JSON.stringify({ t: 'invoke', id: 7, channel: 42, request: {} }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 7, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    ws.send(JSON.stringify({ t: 'invoke', id: 8, channel: 'auth:cancel', request: { flowId: 'f1' } }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 8, result: { ok: true } });
    ws.close();
  });

  it('survives an authenticated frame of null, a number, an array or a string, and keeps serving', async () => {
    const ws = await connect(`?token=${server.token}`, server.origin);
    const answers = collect(ws, 2);
    for (const text of ['null', '1', '[]', '"x"', 'true', '{"t":"invoke"}', '{"t":"invoke","id":1e400}', '{"__proto__":{"t":"invoke"},"id":3}']) ws.send(text);
    ws.send(JSON.stringify({ t: 'invoke', id: 9, channel: 'auth:cancel', request: { flowId: 'f1' } }));
    // Only the message with an id (the __proto__ one, whose own "t" is missing) is answered.
    expect(await answers).toMatchObject([
      { t: 'result', id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST' } } },
      { t: 'result', id: 9, result: { ok: true } },
    ]);
    ws.close();
    await expectStillServing();
  });

  it('closes only the offending socket for an oversized frame, invalid opcode, unmasked frame or invalid UTF-8', async () => {
    const bystander = await connect(`?token=${server.token}`, server.origin);
    const attacks = [
      encodeFrame({ opcode: 0x1, payload: Buffer.alloc(1024 * 1024 + 1, 0x61) }),
      encodeFrame({ opcode: 0x3, payload: Buffer.from('x') }),
      encodeFrame({ opcode: 0xb }),
      encodeFrame({ opcode: 0x1, payload: Buffer.from('{}'), mask: false }),
      encodeFrame({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28]) }),
      encodeFrame({ opcode: 0x1, rsv: 4, payload: Buffer.from('{}') }),
      encodeFrame({ opcode: 0x9, payload: Buffer.alloc(200) }),
    ];
    for (const bytes of attacks) {
      const raw = await rawUpgrade(server.port, `/ws?token=${server.token}`, server.origin);
      raw.on('error', () => undefined);
      raw.write(bytes);
      expect(await closedWithin(raw, 5000)).toBe(true);
      raw.destroy();
    }
    bystander.send(JSON.stringify({ t: 'invoke', id: 10, channel: 'auth:cancel', request: { flowId: 'f1' } }));
    expect(await nextMessage(bystander)).toMatchObject({ t: 'result', id: 10, result: { ok: true } });
    bystander.close();
    await expectStillServing();
  });

  it('refuses an upgrade with a malformed request target instead of crashing', async () => {
    for (const target of ['http://[bad/ws', '//', '/ws?token=%']) {
      const socket = tcpConnect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      expect(await closedWithin(socket, 5000)).toBe(true);
    }
    await expectStillServing();
  });
});

/** A fresh page can still load and a fresh socket can still call main. */
async function expectStillServing(): Promise<void> {
  expect((await get('/')).status).toBe(200);
  const ws = await connect(`?token=${server.token}`, server.origin);
  ws.send(JSON.stringify({ t: 'invoke', id: 99, channel: 'auth:cancel', request: { flowId: 'f1' } }));
  expect(await nextMessage(ws)).toEqual({ t: 'result', id: 99, result: { ok: true, value: { channel: 'auth:cancel' } } });
  ws.close();
}
