import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, requestSchemas } from '../../../common/contract';
import { createPreloadApi, type IpcRendererLike } from '../../../preload/preload-api';

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike & { invoked: string[]; emit(channel: string, payload: unknown): void } = {
    invoked: [],
    invoke: vi.fn(async (channel: string) => {
      ipc.invoked.push(channel);
      return { ok: true, value: null };
    }),
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    emit: (channel, payload) => listeners.get(channel)?.forEach((l) => l({ sender: 'secret-sender' }, payload)),
  };
  return ipc;
}

describe('preload: window.forcesites', () => {
  it('exposes exactly invoke and on, frozen', () => {
    const api = createPreloadApi(fakeIpc());
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards exactly the contract channels, and every contract channel has a schema', async () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    for (const channel of INVOKE_CHANNELS) await api.invoke(channel, {} as never);
    expect(ipc.invoked).toEqual([...INVOKE_CHANNELS]);
    expect(Object.keys(requestSchemas).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('refuses channels outside the contract without touching IPC', async () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    const result = await api.invoke('fs:read' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(ipc.invoked).toEqual([]);
    expect(() => api.on('ipc:raw' as never, () => {})).toThrow(TypeError);
  });

  it("delivers event payloads without Electron's event object, and unsubscribes", () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    const received: unknown[][] = [];
    const off = api.on(EVENT_CHANNELS[0]!, (...args: unknown[]) => received.push(args));
    const other = api.on(EVENT_CHANNELS[0]!, () => undefined);
    ipc.emit(EVENT_CHANNELS[0]!, { hello: 1 });
    off();
    ipc.emit(EVENT_CHANNELS[0]!, { hello: 2 });
    other();
    expect(received).toEqual([[{ hello: 1 }]]);
  });

  it('holds events that arrive before the page listens and hands them to the first listener', () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    ipc.emit('app:banner', { id: 'early', level: 'warning', message: 'Approvals at the cap' });
    const received: unknown[] = [];
    api.on('app:banner', (payload) => received.push(payload));
    expect(received).toEqual([{ id: 'early', level: 'warning', message: 'Approvals at the cap' }]);
  });
});
