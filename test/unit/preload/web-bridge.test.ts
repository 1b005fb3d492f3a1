import { describe, expect, it } from 'vitest';
import { createWebSocketApi, type SocketLike } from '../../../preload/web-bridge';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  private listeners: Record<string, Array<(event: { data?: unknown }) => void>> = {};
  send(data: string) {
    this.sent.push(data);
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    (this.listeners[type] ??= []).push(listener);
  }
  fire(type: string, data?: unknown) {
    for (const l of this.listeners[type] ?? []) l({ data });
  }
}

describe('browser-edition bridge (preload-equivalent)', () => {
  it('queues invokes until the socket opens and resolves them by id', async () => {
    const socket = new FakeSocket();
    const api = createWebSocketApi(() => socket);
    const pending = api.invoke('auth:cancel', { flowId: 'f1' });
    expect(socket.sent).toEqual([]);
    socket.readyState = 1;
    socket.fire('open');
    expect(JSON.parse(socket.sent[0]!)).toEqual({ t: 'invoke', id: 1, channel: 'auth:cancel', request: { flowId: 'f1' } });
    socket.fire('message', JSON.stringify({ t: 'result', id: 1, result: { ok: true, value: { cancelled: true } } }));
    await expect(pending).resolves.toEqual({ ok: true, value: { cancelled: true } });
  });

  it('refuses channels outside the contract without sending', async () => {
    const socket = new FakeSocket();
    socket.readyState = 1;
    const api = createWebSocketApi(() => socket);
    await expect(api.invoke('fs:read' as never, {} as never)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(socket.sent).toEqual([]);
  });

  it('fails pending calls with NETWORK_ERROR when the socket closes, then reconnects', async () => {
    const sockets: FakeSocket[] = [];
    const api = createWebSocketApi(() => {
      const s = new FakeSocket();
      s.readyState = 1;
      sockets.push(s);
      return s;
    }, { retryDelayMs: 0 });
    const pending = api.invoke('sites:list', {});
    sockets[0]!.fire('close');
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK_ERROR' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(sockets).toHaveLength(2);
  });

  it('holds events that arrive before the page listens', () => {
    const socket = new FakeSocket();
    const api = createWebSocketApi(() => socket);
    socket.fire('message', JSON.stringify({ t: 'event', channel: 'app:banner', payload: { id: 'early' } }));
    const seen: unknown[] = [];
    api.on('app:banner', (payload) => seen.push(payload));
    expect(seen).toEqual([{ id: 'early' }]);
  });

  it('delivers only contract events to listeners', () => {
    const socket = new FakeSocket();
    const api = createWebSocketApi(() => socket);
    const seen: unknown[] = [];
    api.on('app:banner', (payload) => seen.push(payload));
    socket.fire('message', JSON.stringify({ t: 'event', channel: 'app:banner', payload: { id: 'x' } }));
    socket.fire('message', JSON.stringify({ t: 'event', channel: 'evil:thing', payload: 1 }));
    socket.fire('message', 'not json');
    expect(seen).toEqual([{ id: 'x' }]);
  });

  it('fails a call main never answers with a clear timeout error, and ignores the late answer', async () => {
    const socket = new FakeSocket();
    socket.readyState = 1;
    const api = createWebSocketApi(() => socket, { callTimeoutMs: 20 });
    const started = Date.now();
    const result = await api.invoke('health:census', { connectionId: 'c1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(result).toEqual({
      ok: false,
      error: { code: 'NETWORK_ERROR', message: 'ForceSites did not answer within 0.02 seconds.', hint: expect.stringContaining('Try again') },
    });
    // The answer that finally arrives changes nothing and throws nothing.
    expect(() => socket.fire('message', JSON.stringify({ t: 'result', id: 1, result: { ok: true, value: 'late' } }))).not.toThrow();
  });

  it('gives every call a 60-second deadline by default', () => {
    const delays: number[] = [];
    const socket = new FakeSocket();
    socket.readyState = 1;
    const api = createWebSocketApi(() => socket, {
      timers: { setTimeout: (_callback, ms) => delays.push(ms), clearTimeout: () => undefined },
    });
    void api.invoke('sites:list', {});
    expect(delays).toEqual([60_000]);
  });

  it('answers in time clear their deadline', async () => {
    const cleared: unknown[] = [];
    const socket = new FakeSocket();
    socket.readyState = 1;
    const api = createWebSocketApi(() => socket, {
      timers: { setTimeout: () => 'handle-1', clearTimeout: (handle) => cleared.push(handle) },
    });
    const pending = api.invoke('sites:list', {});
    socket.fire('message', JSON.stringify({ t: 'result', id: 1, result: { ok: true, value: [] } }));
    await expect(pending).resolves.toEqual({ ok: true, value: [] });
    expect(cleared).toEqual(['handle-1']);
  });

  it('does not send calls it already failed when the socket closed before they went out', async () => {
    const sockets: FakeSocket[] = [];
    const api = createWebSocketApi(() => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    }, { retryDelayMs: 0 });
    const pending = api.invoke('sites:delete', { id: 's1' } as never);
    sockets[0]!.fire('close');
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'NETWORK_ERROR' } });
    await new Promise((r) => setTimeout(r, 5));
    sockets[1]!.readyState = 1;
    sockets[1]!.fire('open');
    expect(sockets[1]!.sent).toEqual([]);
  });

  it('ignores messages that are not objects instead of throwing in the page', () => {
    const socket = new FakeSocket();
    createWebSocketApi(() => socket);
    for (const text of ['null', '1', '[]', '"x"', '{"t":"result"}']) expect(() => socket.fire('message', text)).not.toThrow();
  });
});
