/**
 * What benchmarks need from the emulator: latency added to every API response, and a count of
 * API requests by kind (token, REST, query, Collections, Bulk and Bulk status polls).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index';
import { apiCallKind } from './request-log';
import { api, connectWithPkce, refreshCall } from './test-support';

let emu: RunningEmulator;
let token: string;
let refreshToken: string;

async function control(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${emu.controlUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
}

async function timed<T>(run: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

beforeAll(async () => {
  emu = await startEmulator({ latencyMs: 0 });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  emu.handle.reset();
  const { conn } = await connectWithPkce(emu);
  token = String(conn.accessToken);
  refreshToken = String(conn.refreshToken);
  emu.handle.resetApiCalls();
});

describe('apiCallKind', () => {
  it('classifies API paths and leaves the browser pages and control calls out', () => {
    expect(apiCallKind(true, 'POST', '/services/oauth2/token')).toBe('token');
    expect(apiCallKind(true, 'POST', '/services/oauth2/revoke')).toBe('other');
    expect(apiCallKind(true, 'GET', '/id/00D000000000001/005000000000001')).toBe('other');
    expect(apiCallKind(true, 'GET', '/services/oauth2/authorize')).toBeUndefined();
    expect(apiCallKind(false, 'GET', '/__emulator/requests')).toBeUndefined();
    expect(apiCallKind(false, 'GET', '/services/data/')).toBe('rest');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/sobjects/Contact/describe')).toBe('rest');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/query')).toBe('query');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/query/01gx-2000')).toBe('query');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/queryAll')).toBe('query');
    expect(apiCallKind(false, 'PATCH', '/services/data/v66.0/composite/sobjects/Contact/Email')).toBe('collections');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/jobs/query/750000000000001AAA')).toBe('bulkPoll');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/jobs/ingest/750000000000001AAA/')).toBe('bulkPoll');
    expect(apiCallKind(false, 'PATCH', '/services/data/v66.0/jobs/ingest/750000000000001AAA')).toBe('bulk');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/jobs/query/750000000000001AAA/results')).toBe('bulk');
    expect(apiCallKind(false, 'GET', '/services/data/v66.0/jobs/query')).toBe('bulk');
    expect(apiCallKind(false, 'POST', '/services/Soap/m/66.0')).toBe('metadata');
  });
});

describe('API call counts', () => {
  it('counts every API request by kind, in-process and over the control API, and starts again from zero', async () => {
    await refreshCall(emu, refreshToken);
    await api(emu, token, 'sobjects/Contact/describe');
    await api(emu, token, 'limits');
    await api(emu, token, `query?q=${encodeURIComponent('SELECT Id FROM Contact')}`);
    await api(emu, token, 'composite/sobjects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [{ attributes: { type: 'Contact' }, LastName: 'A' }] }) });
    const job = (await (await api(emu, token, 'jobs/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Contact' }) })).json()) as { id: string };
    await api(emu, token, `jobs/query/${job.id}`);
    await api(emu, token, `jobs/query/${job.id}`);
    await api(emu, token, `jobs/query/${job.id}/results`);
    await control('/requests'); // not an API call
    const expected = { total: 9, token: 1, rest: 2, query: 1, collections: 1, bulk: 2, bulkPoll: 2, metadata: 0, other: 0 };
    expect(emu.handle.apiCalls()).toEqual(expected);
    expect(await (await control('/api-calls')).json()).toEqual(expected);
    expect((await control('/api-calls', { method: 'DELETE' })).status).toBe(204);
    expect(emu.handle.apiCalls().total).toBe(0);
  });

  it('counts requests that fault injection answered with 503: the client sent them', async () => {
    emu.handle.setFaults({ error503Rate: 1 });
    expect((await api(emu, token, 'limits')).status).toBe(503);
    expect(emu.handle.apiCalls()).toMatchObject({ total: 1, rest: 1 });
  });

  it('reset() starts counting from zero', async () => {
    await api(emu, token, 'limits');
    emu.handle.reset();
    expect(emu.handle.apiCalls().total).toBe(0);
  });
});

describe('latency', () => {
  it('delays every API response, not the control API; reset() restores the start-up value, clearFaults() leaves it', async () => {
    expect(await (await control('/latency')).json()).toEqual({ ms: 0 });
    const put = await control('/latency', { method: 'PUT', body: JSON.stringify({ ms: 250 }) });
    expect(await put.json()).toEqual({ ms: 250 });
    expect(emu.handle.latencyMs).toBe(250);
    expect(await timed(() => api(emu, token, 'limits'))).toBeGreaterThanOrEqual(240);
    expect(await timed(() => refreshCall(emu, refreshToken))).toBeGreaterThanOrEqual(240);
    emu.handle.clearFaults();
    expect(emu.handle.latencyMs).toBe(250);
    emu.handle.reset();
    expect(emu.handle.latencyMs).toBe(0);
  });

  it('adds to fault latency rather than replacing it', async () => {
    emu.handle.setLatency(100);
    emu.handle.setFaults({ latencyMs: 100 });
    expect(await timed(() => api(emu, token, 'limits'))).toBeGreaterThanOrEqual(190);
    emu.handle.setLatency(0);
  });

  it('refuses a latency that is not a number of milliseconds, saying what to send', async () => {
    for (const body of [{ ms: -1 }, { ms: 'fast' }, {}, { ms: 1e9 }]) {
      const res = await control('/latency', { method: 'PUT', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/millisecond/);
    }
    expect(() => emu.handle.setLatency(Number.NaN)).toThrow(RangeError);
    await expect(startEmulator({ latencyMs: -5 })).rejects.toThrow(/latency must be/);
  });

  it('is the start-up value of startEmulator({latencyMs})', async () => {
    const slow = await startEmulator({ latencyMs: 200 });
    try {
      expect(slow.handle.latencyMs).toBe(200);
      expect(await timed(() => fetch(`${slow.instanceUrl}/services/data/`, { signal: AbortSignal.timeout(5_000) }))).toBeGreaterThanOrEqual(190);
      slow.handle.setLatency(0);
      slow.handle.reset();
      expect(slow.handle.latencyMs).toBe(200);
    } finally {
      await slow.close();
    }
  });
});

describe('Bulk query knobs over the control API', () => {
  it('PATCH /__emulator/orgs/default {bulkQuery} makes query jobs fail; a bad value is refused', async () => {
    const patched = await control('/orgs/default', { method: 'PATCH', body: JSON.stringify({ bulkQuery: { failRate: 1 } }) });
    expect(patched.status).toBe(200);
    const job = (await (await api(emu, token, 'jobs/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Contact' }) })).json()) as { id: string };
    await api(emu, token, `jobs/query/${job.id}`);
    const info = (await (await api(emu, token, `jobs/query/${job.id}`)).json()) as { state: string };
    expect(info.state).toBe('Failed');
    const bad = await control('/orgs/default', { method: 'PATCH', body: JSON.stringify({ bulkQuery: { invalidQuery: 'maybe' } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/reject/);
  });
});
