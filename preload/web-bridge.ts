/**
 * The browser edition's preload-equivalent: the same `ForceSitesApi`, spoken over a loopback
 * WebSocket instead of Electron IPC. Loaded by the web server before the renderer bundle.
 *
 * Wire messages (JSON):
 *   page → main  {t:'invoke', id, channel, request}
 *   main → page  {t:'result', id, result} | {t:'event', channel, payload}
 */
import { isEventChannel, isInvokeChannel } from '../common/channels';
import { EventRelay } from '../common/event-relay';
import type { EventChannel, ForceSitesApi } from '../common/contract';
import type { Result } from '../common/errors';

/** The slice of the DOM WebSocket this bridge uses (keeps DOM types out of preload/). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close' | 'message', listener: (event: { data?: unknown }) => void): void;
}

export type WireToPage =
  | { readonly t: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly t: 'event'; readonly channel: EventChannel; readonly payload: unknown };

export type WireToMain = { readonly t: 'invoke'; readonly id: number; readonly channel: string; readonly request: unknown };

const OPEN = 1;

export function createWebSocketApi(connect: () => SocketLike, retryDelayMs = 1000): ForceSitesApi {
  let socket: SocketLike;
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const queued: string[] = [];
  const relay = new EventRelay();

  const open = () => {
    socket = connect();
    socket.addEventListener('open', () => {
      for (const message of queued.splice(0)) socket.send(message);
    });
    socket.addEventListener('message', (event) => {
      let message: WireToPage;
      try {
        message = JSON.parse(String(event.data)) as WireToPage;
      } catch {
        return;
      }
      if (message.t === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.t === 'event' && isEventChannel(message.channel)) {
        relay.deliver(message.channel, message.payload as never);
      }
    });
    socket.addEventListener('close', () => {
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'NETWORK_ERROR', message: 'Lost the connection to ForceSites.', hint: 'Check that `npm run demo` is still running, then try again.' } });
        pending.delete(id);
      }
      setTimeout(open, retryDelayMs);
    });
  };
  open();

  return Object.freeze<ForceSitesApi>({
    invoke(channel, request) {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'ForceSites does not know that request.' } });
      }
      const id = nextId++;
      const message: WireToMain = { t: 'invoke', id, channel, request };
      const text = JSON.stringify(message);
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        if (socket.readyState === OPEN) socket.send(text);
        else queued.push(text);
      });
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new TypeError('ForceSites does not send that event.');
      return relay.on(channel, listener);
    },
  });
}
