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

/** The timer calls the bridge needs; tests pass their own. */
export interface BridgeTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WebSocketApiOptions {
  /** Wait before reconnecting after the socket closed. */
  readonly retryDelayMs?: number;
  /**
   * How long a call may wait for main's answer. Main gives each Salesforce or WordPress call
   * its own deadline; this one catches a main process that never answers at all.
   */
  readonly callTimeoutMs?: number;
  readonly timers?: BridgeTimers;
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

const browserTimers: BridgeTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface PendingCall {
  readonly resolve: (result: Result<unknown>) => void;
  readonly deadline: unknown;
}

export function createWebSocketApi(connect: () => SocketLike, options: WebSocketApiOptions = {}): ForceSitesApi {
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const timers = options.timers ?? browserTimers;
  let socket: SocketLike;
  let nextId = 1;
  const pending = new Map<number, PendingCall>();
  /** Calls made while the socket was not open, sent when it opens, by id. */
  const queued = new Map<number, string>();
  const relay = new EventRelay();

  const settle = (id: number, result: Result<unknown>): void => {
    const call = pending.get(id);
    if (call === undefined) return; // already answered, timed out or failed by a close
    pending.delete(id);
    queued.delete(id);
    timers.clearTimeout(call.deadline);
    call.resolve(result);
  };

  const open = () => {
    socket = connect();
    socket.addEventListener('open', () => {
      const waiting = [...queued.values()];
      queued.clear();
      for (const message of waiting) socket.send(message);
    });
    socket.addEventListener('message', (event) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const wire = message as Partial<Record<'t' | 'id' | 'result' | 'channel' | 'payload', unknown>>;
      if (wire.t === 'result' && typeof wire.id === 'number' && isResult(wire.result)) {
        settle(wire.id, wire.result);
      } else if (wire.t === 'event' && typeof wire.channel === 'string' && isEventChannel(wire.channel)) {
        relay.deliver(wire.channel, wire.payload as never);
      }
    });
    socket.addEventListener('close', () => {
      // Every call in flight or still queued fails now, and a queued one is never sent later:
      // the page was told it failed, so main must not do it behind the page's back.
      for (const id of [...pending.keys()]) {
        settle(id, { ok: false, error: { code: 'NETWORK_ERROR', message: 'Lost the connection to ForceSites.', hint: 'Check that `npm run demo` is still running, then try again.' } });
      }
      queued.clear();
      timers.setTimeout(open, retryDelayMs);
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
        const deadline = timers.setTimeout(() => {
          settle(id, {
            ok: false,
            error: {
              code: 'NETWORK_ERROR',
              message: `ForceSites did not answer within ${callTimeoutMs / 1000} seconds.`,
              hint: 'Try again. If it keeps happening, restart `npm run demo`; its console says what it was doing.',
            },
          });
        }, callTimeoutMs);
        pending.set(id, { resolve: resolve as (result: Result<unknown>) => void, deadline });
        if (socket.readyState === OPEN) socket.send(text);
        else queued.set(id, text);
      });
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new TypeError('ForceSites does not send that event.');
      return relay.on(channel, listener);
    },
  });
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}
