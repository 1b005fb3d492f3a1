/**
 * Fuzzes the browser edition's server on loopback: random and hostile WebSocket messages,
 * raw frames with random header bits (invalid opcodes, reserved bits, unmasked, oversized,
 * truncated), HTTP garbage and random requests. After every batch a real page load and a
 * real call must still work. Bounded in count and time; the seed is printed so a failure can
 * be replayed with FORCESITES_FUZZ_SEED=<seed>.
 *
 * A crash here shows up twice: the probe fails, and vitest reports the unhandled error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { INVOKE_CHANNELS } from '../../../common/contract';
import type { HandlerTable } from '../../../main/app/dispatch';
import { EventHub } from '../../../main/app/event-hub';
import { startWebServer, type RunningWebServer } from '../../../main/web/web-server';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { closedWithin, encodeFrame, rawUpgrade } from './raw-websocket';

const CASES = 800;
const BATCH = 20;
const TIME_BUDGET_MS = 20_000;
const SEED = Number(process.env.FORCESITES_FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: small, seedable, good enough to pick cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(SEED);
const int = (max: number) => Math.floor(rnd() * max);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));

function randomString(): string {
  return pick([
    () => '',
    () => '__proto__',
    () => 'constructor',
    () => pick(INVOKE_CHANNELS),
    () => 'x'.repeat(int(5000)),
    () => String.fromCharCode(...Array.from({ length: int(40) }, () => int(0xd7ff))),
    () => '\u0000\uffff\ud83d\ude00',
    () => '../../etc/passwd',
  ])();
}

function randomValue(depth = 0): unknown {
  const leaves = [null, true, false, 0, -1, 1.5, 2 ** 53, -0, 1e308, 'invoke', randomString()];
  if (depth > 3 || rnd() < 0.4) return pick(leaves);
  if (rnd() < 0.5) return Array.from({ length: int(5) }, () => randomValue(depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = int(5); i > 0; i--) object[pick(['t', 'id', 'channel', 'request', '__proto__', 'constructor', randomString()])] = randomValue(depth + 1);
  return object;
}

/** Mostly almost-valid invokes, because those reach furthest into the server. */
function randomMessage(): string {
  const shape = int(6);
  if (shape === 0) return JSON.stringify(randomValue());
  if (shape === 1) return randomString();
  if (shape === 2) return JSON.stringify(randomValue()).slice(0, int(40)); // truncated JSON
  const message: Record<string, unknown> = {
    t: rnd() < 0.8 ? 'invoke' : randomValue(),
    id: rnd() < 0.8 ? int(1_000_000) : randomValue(),
    channel: rnd() < 0.7 ? pick(INVOKE_CHANNELS) : randomValue(),
    request: randomValue(),
  };
  if (rnd() < 0.2) delete message[pick(['t', 'id', 'channel', 'request'])];
  return JSON.stringify(message);
}

function randomFrame(): Buffer {
  const kind = int(5);
  if (kind === 0) return encodeFrame({ opcode: int(16), rsv: int(8), fin: rnd() < 0.7, mask: rnd() < 0.8, payload: bytes(int(300)) });
  if (kind === 1) return encodeFrame({ opcode: pick([0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload: bytes(int(20)) });
  if (kind === 2) return encodeFrame({ opcode: 0x1, payload: bytes(int(200)) }); // text that is rarely valid UTF-8
  if (kind === 3) {
    // A header that promises more than follows (up to 2^63 bytes), then silence.
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(int(2 ** 31)) * BigInt(1 + int(2 ** 20)), 2);
    return Buffer.concat([header, bytes(int(50))]);
  }
  return bytes(int(500)); // pure noise after the handshake
}

const dir = mkdtempSync(join(tmpdir(), 'forcesites-fuzz-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
writeFileSync(join(dir, 'web-bridge.js'), '/* bridge */');
const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, () => ({ channel: c })])) as unknown as HandlerTable;
const log = new CapturingLogger();
let server: RunningWebServer;

beforeAll(async () => {
  server = await startWebServer({ port: 0, staticDir: dir, webBridgeFile: join(dir, 'web-bridge.js'), handlers, events: new EventHub(), log });
});
afterAll(() => server.close());

function openClient(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: server.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function probe(): Promise<void> {
  const page = await fetch(`${server.origin}/`, { signal: AbortSignal.timeout(5000) });
  expect(page.status).toBe(200);
  await page.text();
  const ws = await openClient();
  const answer = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
  ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'app:info', request: {} }));
  expect(await answer).toEqual({ t: 'result', id: 1, result: { ok: true, value: { channel: 'app:info' } } });
  ws.close();
}

async function rawCase(): Promise<void> {
  const raw = await rawUpgrade(server.port, `/ws?token=${server.token}`, server.origin);
  raw.on('error', () => undefined);
  raw.write(randomFrame());
  await closedWithin(raw, 50);
  raw.destroy();
}

async function httpNoise(): Promise<void> {
  const socket: Socket = tcpConnect(server.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const request = pick([
    () => bytes(int(400)),
    () => Buffer.from(`${pick(['GET', 'POST', 'DELETE', 'BREW', 'G\u0000T'])} ${randomString().slice(0, 300) || '/'} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`),
    () => Buffer.from(`GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: ${int(20)}\r\n\r\n`),
  ])();
  socket.write(request);
  await closedWithin(socket, 50);
  socket.destroy();
}

describe('browser-edition server under fuzzing', () => {
  it(`keeps serving real pages and calls through ${CASES} hostile inputs (seed ${SEED})`, async () => {
    const started = Date.now();
    let ran = 0;
    let answered = 0;
    let client = await openClient();
    const onClientMessage = (data: unknown) => {
      const message = JSON.parse(String(data)) as { t?: unknown; id?: unknown; result?: { ok?: unknown } };
      // Whatever was sent, every answer has the contract's shape.
      expect(message.t).toBe('result');
      expect(Number.isSafeInteger(message.id)).toBe(true);
      expect(typeof message.result?.ok).toBe('boolean');
      answered++;
    };
    client.on('message', onClientMessage);
    client.on('error', () => undefined);

    while (ran < CASES && Date.now() - started < TIME_BUDGET_MS) {
      const kind = int(10);
      if (kind < 5) {
        if (client.readyState !== WebSocket.OPEN) {
          client = await openClient();
          client.on('message', onClientMessage);
          client.on('error', () => undefined);
        }
        client.send(randomMessage());
      } else if (kind < 8) {
        await rawCase();
      } else {
        await httpNoise();
      }
      ran++;
      if (ran % BATCH === 0) await probe();
    }
    // Two oversized frames per run: cheap enough, and the crash the issue found.
    for (let i = 0; i < 2; i++) {
      const raw = await rawUpgrade(server.port, `/ws?token=${server.token}`, server.origin);
      raw.on('error', () => undefined);
      raw.write(encodeFrame({ opcode: 0x1, payload: Buffer.alloc(1024 * 1024 + 1 + int(1000), 0x20) }));
      expect(await closedWithin(raw, 5000)).toBe(true);
    }
    await probe();
    client.close();

    expect(ran).toBeGreaterThanOrEqual(Math.min(CASES, 60));
    expect(answered).toBeGreaterThan(0);
    // Protocol errors were handled (and logged), not thrown.
    expect(log.lines.some((line) => line.includes('protocol error'))).toBe(true);
  });
});
