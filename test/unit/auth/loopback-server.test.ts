import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLingeringListeners, LoopbackServer, type LoopbackServerOptions } from '../../../main/auth/loopback-server';
import { freePort } from '../../integration/auth/support/free-port';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { ManualTimers } from '../../fakes/manual-timers';
import { rejection } from '../../support/app-error-rejection';

const STATE = 'expected-state-value-0123456789';
const open: LoopbackServer[] = [];
const others: Server[] = [];

async function start(options: Partial<LoopbackServerOptions> = {}): Promise<LoopbackServer> {
  const server = await LoopbackServer.listen({ port: 0, expectedState: STATE, timers: new ManualTimers(), ...options });
  open.push(server);
  return server;
}

function url(server: LoopbackServer, query: string, path = '/OauthRedirect'): string {
  return `http://127.0.0.1:${server.port}${path}?${query}`;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.shutdown()));
  await Promise.all(others.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('LoopbackServer', () => {
  it('answers a matching callback with a friendly page and yields the code', async () => {
    const server = await start();
    expect(server.redirectUri).toBe(`http://localhost:${server.port}/OauthRedirect`);
    const response = await fetch(url(server, `code=aPrx-the-code-1234&state=${STATE}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('You can close this tab and return to ForceSites');
    await expect(server.result).resolves.toEqual({ code: 'aPrx-the-code-1234' });
  });

  it('refuses a second request after the flow completed', async () => {
    const server = await start();
    await fetch(url(server, `code=first&state=${STATE}`)).then((r) => r.text());
    await server.result;
    const second = await fetch(url(server, `code=second&state=${STATE}`)).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(second === 'refused' || second === 409).toBe(true);
    await expect(server.result).resolves.toEqual({ code: 'first' });
  });

  it('answers a request with another state 400 and keeps waiting for the real callback', async () => {
    const server = await start();
    const stray = await fetch(url(server, `code=abc&state=${STATE}x`));
    expect(stray.status).toBe(400);
    expect(await stray.text()).toContain('different ForceSites sign-in');
    // A forged denial with the wrong state must not end the flow either.
    expect((await fetch(url(server, 'error=access_denied&state=nope'))).status).toBe(400);
    expect(server.settled).toBe(false);
    await fetch(url(server, `code=the-real-one&state=${STATE}`)).then((r) => r.text());
    await expect(server.result).resolves.toEqual({ code: 'the-real-one' });
  });

  it('answers a request without a state 400 and keeps waiting (an <img> on any web page)', async () => {
    const server = await start();
    expect((await fetch(url(server, 'code=abc'))).status).toBe(400);
    expect((await fetch(url(server, ''))).status).toBe(400);
    expect(server.settled).toBe(false);
    await fetch(url(server, `code=ok&state=${STATE}`)).then((r) => r.text());
    await expect(server.result).resolves.toEqual({ code: 'ok' });
  });

  it('answers a request target no browser sends with 400 instead of crashing', async () => {
    const server = await start();
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET http://[bad/OauthRedirect HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(server.settled).toBe(false);
  });

  it('logs a burst of stray requests once, without their state', async () => {
    const log = new CapturingLogger();
    const server = await start({ log });
    for (let i = 0; i < 5; i++) await fetch(url(server, `state=guess-${i}`)).then((r) => r.text());
    expect(log.lines.filter((line) => line.includes('state that does not match'))).toHaveLength(1);
    expect(log.lines.join('\n')).not.toContain('guess-');
  });

  it('answers other paths with 404 without consuming the flow', async () => {
    const server = await start();
    expect((await fetch(url(server, `code=abc&state=${STATE}`, '/favicon.ico'))).status).toBe(404);
    expect((await fetch(url(server, `code=abc&state=${STATE}`, '/oauthredirect'))).status).toBe(404);
    expect(server.settled).toBe(false);
    await fetch(url(server, `code=later&state=${STATE}`)).then((r) => r.text());
    await expect(server.result).resolves.toEqual({ code: 'later' });
  });

  it('answers POST and other methods with 405 without consuming the flow', async () => {
    const server = await start();
    const post = await fetch(url(server, `code=abc&state=${STATE}`), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await fetch(url(server, `code=abc&state=${STATE}`), { method: 'PUT' })).status).toBe(405);
    expect(server.settled).toBe(false);
    await fetch(url(server, `code=ok&state=${STATE}`)).then((r) => r.text());
    await expect(server.result).resolves.toEqual({ code: 'ok' });
  });

  it('shows Salesforce’s description on access_denied, escaped, and fails with AUTH_DENIED', async () => {
    const server = await start();
    const description = 'end-user denied authorization <script>alert(1)</script>';
    const response = await fetch(url(server, `error=access_denied&error_description=${encodeURIComponent(description)}&state=${STATE}`));
    const html = await response.text();
    expect(html).toContain('end-user denied authorization &#60;script&#62;');
    expect(html).not.toContain('<script>');
    const error = await rejection(server.result);
    expect(error.code).toBe('AUTH_DENIED');
    expect(error.message).toContain('end-user denied authorization');
  });

  it('reports other OAuth errors on the redirect as SALESFORCE_ERROR', async () => {
    const server = await start();
    await fetch(url(server, `error=OAUTH_APP_BLOCKED&error_description=this%20app%20is%20blocked&state=${STATE}`)).then((r) => r.text());
    const error = await rejection(server.result);
    expect(error.code).toBe('SALESFORCE_ERROR');
    expect(error.message).toContain('OAUTH_APP_BLOCKED');
    // An uninstalled app blocks new users since September 2025: the hint says how to fix it.
    expect(error.hint).toContain('Approve Uninstalled Connected Apps');
  });

  it('keeps the generic hint for other refusals', async () => {
    const server = await start();
    await fetch(url(server, `error=invalid_scope&error_description=bad%20scope&state=${STATE}`)).then((r) => r.text());
    const error = await rejection(server.result);
    expect(error.hint).not.toContain('Uninstalled');
  });

  it('refuses a busy port with AUTH_PORT_BUSY naming it, and leaves its owner running', async () => {
    const owner = createServer((_req, res) => res.end('still mine'));
    others.push(owner);
    await new Promise<void>((resolve) => owner.listen(0, '127.0.0.1', resolve));
    const port = (owner.address() as { port: number }).port;
    const error = await rejection(LoopbackServer.listen({ port, expectedState: STATE }));
    expect(error.code).toBe('AUTH_PORT_BUSY');
    expect(error.message).toContain(String(port));
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('still mine');
  });

  it('refuses a port another program holds on ::1, where "localhost" may resolve first', async () => {
    const owner = createServer((_req, res) => res.end('squatter'));
    const listening = await new Promise<boolean>((resolve) => {
      owner.once('error', () => resolve(false));
      owner.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return; // no IPv6 loopback here: nothing can squat on it either
    others.push(owner);
    const port = (owner.address() as { port: number }).port;
    const error = await rejection(LoopbackServer.listen({ port, expectedState: STATE, redirectHost: 'localhost' }));
    expect(error.code).toBe('AUTH_PORT_BUSY');
    // And 127.0.0.1 was released again.
    const probe = createServer();
    others.push(probe);
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
  });

  it('times out with AUTH_TIMEOUT after the configured time (manual timer)', async () => {
    const timers = new ManualTimers();
    const server = await start({ timers, timeoutMs: 1234 });
    expect(timers.pendingDelays).toEqual([1234]);
    timers.fireAll();
    expect((await rejection(server.result)).code).toBe('AUTH_TIMEOUT');
    await expect(fetch(url(server, `code=late&state=${STATE}`))).rejects.toThrow();
  });

  it('times out with AUTH_TIMEOUT on a short real timer, defaulting to five minutes otherwise', async () => {
    const server = await LoopbackServer.listen({ port: 0, expectedState: STATE, timeoutMs: 30 });
    open.push(server);
    expect((await rejection(server.result)).code).toBe('AUTH_TIMEOUT');
    const timers = new ManualTimers();
    await start({ timers });
    expect(timers.pendingDelays).toEqual([5 * 60 * 1000]);
  });

  it('after a cancel, tells the still-open tab the sign-in was cancelled for two minutes, then stops listening', async () => {
    const controller = new AbortController();
    const timers = new ManualTimers();
    const server = await start({ signal: controller.signal, timers });
    controller.abort();
    expect((await rejection(server.result)).code).toBe('AUTH_CANCELLED');
    await server.close(); // what OAuthFlow.cancel does; must not wait the two minutes
    expect(timers.pendingDelays).toEqual([2 * 60 * 1000]);
    // The admin finishes in the Salesforce tab anyway.
    const late = await fetch(url(server, `code=late&state=${STATE}`));
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('This sign-in was cancelled in ForceSites');
    await expect(server.result).rejects.toMatchObject({ code: 'AUTH_CANCELLED' });
    // Someone else's request still only gets "did not match".
    expect((await fetch(url(server, 'code=x&state=other'))).status).toBe(400);
    timers.fireAll();
    await server.closed;
    await expect(fetch(url(server, `code=x&state=${STATE}`))).rejects.toThrow();
  });

  it('close() while waiting cancels the same way, and shutdown() releases the port at once', async () => {
    const server = await start();
    await server.close();
    expect((await rejection(server.result)).code).toBe('AUTH_CANCELLED');
    expect((await fetch(url(server, `state=${STATE}`))).status).toBe(410);
    await server.shutdown();
    await expect(fetch(url(server, `state=${STATE}`))).rejects.toThrow();
  });

  it('a new sign-in on the same port takes over from a cancelled one; the old tab cannot end the new flow', async () => {
    const port = await freePort();
    const first = await start({ port, expectedState: 'first-state-0123456789' });
    await first.close();
    const second = await start({ port, expectedState: 'second-state-0123456789' });
    expect(second.port).toBe(port);
    // The first flow's tab comes back: it is told that sign-in was cancelled, the new one waits on.
    const old = await fetch(`http://127.0.0.1:${port}/OauthRedirect?code=old&state=first-state-0123456789`);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('This sign-in was cancelled in ForceSites');
    expect(second.settled).toBe(false);
    await fetch(`http://127.0.0.1:${port}/OauthRedirect?code=new&state=second-state-0123456789`).then((r) => r.text());
    await expect(second.result).resolves.toEqual({ code: 'new' });
  });

  it('closeLingeringListeners() releases every port a cancelled sign-in still holds (app quit)', async () => {
    const server = await start();
    await server.close();
    expect((await fetch(url(server, `state=${STATE}`))).status).toBe(410);
    await closeLingeringListeners();
    await expect(fetch(url(server, `state=${STATE}`))).rejects.toThrow();
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(LoopbackServer.listen({ port: 0, expectedState: STATE, signal: controller.signal }))).code).toBe('AUTH_CANCELLED');
  });

  it('destroys every socket on close, including idle keep-alive connections', async () => {
    const server = await start();
    const idle = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => idle.once('connect', () => resolve()));
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    // A keep-alive request that leaves its socket open.
    const keptAlive = await new Promise<import('node:net').Socket>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/nothing', agent: false, headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(req.socket!);
      });
      req.end();
    });
    await fetch(url(server, `code=done&state=${STATE}`)).then((r) => r.text());
    await server.result;
    await server.close();
    await idleClosed;
    expect(idle.destroyed).toBe(true);
    expect(keptAlive.destroyed || keptAlive.readyState === 'closed').toBe(true);
  });

  it('logs at most the last four characters of the code', async () => {
    const log = new CapturingLogger();
    const server = await start({ log });
    const code = 'aPrxSECRETCODE0123456789wxyz';
    await fetch(url(server, `code=${code}&state=${STATE}`)).then((r) => r.text());
    await server.result;
    const text = log.lines.join('\n');
    expect(text).toContain('…wxyz');
    expect(text).not.toContain(code.slice(0, -4));
    expect(text).not.toContain(STATE);
  });
});
