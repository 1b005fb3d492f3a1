/**
 * Builds `window.forcesites` from the contract and nothing else.
 *
 * Kept free of the `electron` import so it can be tested in plain Node: index.ts passes
 * `ipcRenderer` in. The renderer gets exactly two functions; channels outside the contract
 * are refused here before anything reaches main, and listeners never see Electron's event
 * object (it exposes the sender).
 */
import { EVENT_CHANNELS, isEventChannel, isInvokeChannel } from '../common/channels';
import { EventRelay } from '../common/event-relay';
import type { ForceSitesApi } from '../common/contract';
import type { Result } from '../common/errors';

/** The slice of `ipcRenderer` the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadApi(ipc: IpcRendererLike): ForceSitesApi {
  // Listen to every contract event from the start: events that arrive while React is still
  // mounting are held by the relay for the first listener instead of being lost.
  const relay = new EventRelay();
  for (const channel of EVENT_CHANNELS) ipc.on(channel, (_event, payload) => relay.deliver(channel, payload as never));

  const api: ForceSitesApi = {
    invoke(channel, request) {
      if (!isInvokeChannel(channel)) {
        const refused: Result<never> = {
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: 'ForceSites does not know that request.' },
        };
        return Promise.resolve(refused);
      }
      return ipc.invoke(channel, request) as never;
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new TypeError('ForceSites does not send that event.');
      return relay.on(channel, listener);
    },
  };
  return Object.freeze(api);
}
