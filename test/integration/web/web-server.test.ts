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
});
