/**
 * Binds the contract's handler table to ipcMain. Every call is checked twice before work:
 * the sender must be the app's own top-level page (isTrustedAppSender: app://forcesites, or
 * the dev server when not packaged), and dispatchInvoke validates the payload against the
 * channel's schema.
 */
import { ipcMain, type WebContents } from 'electron';
import { INVOKE_CHANNELS } from '../../common/contract';
import { AppError } from '../../common/errors';
import { dispatchInvoke, type HandlerTable } from '../app/dispatch';
import type { EventHub } from '../app/event-hub';
import { isTrustedAppSender } from './app-protocol';

/** Where the app page comes from besides app://forcesites: the dev server, when not packaged. */
export interface IpcSenderPolicy {
  readonly devOrigin: string | undefined;
}

export function registerIpcHandlers(handlers: HandlerTable, policy: IpcSenderPolicy, onUnexpectedError: (channel: string, error: unknown) => void): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      const frame = event.senderFrame;
      const trusted = isTrustedAppSender({ url: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame }, policy);
      if (!trusted) {
        return { ok: false, error: new AppError('FORBIDDEN_SENDER', 'This window may not use ForceSites.').toDto() };
      }
      return dispatchInvoke(handlers, channel, payload, { edition: 'electron' }, { onUnexpectedError });
    });
  }
}

/**
 * Forwards main→renderer events to one window's web contents, from the moment its page has
 * loaded (the preload is listening then; until that the hub keeps queueing). A reload pauses
 * forwarding until the new page has loaded.
 */
export function forwardEvents(events: EventHub, contents: WebContents): () => void {
  let unsubscribe: (() => void) | undefined;
  const stop = () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const start = () => {
    stop();
    unsubscribe = events.subscribe((channel, payload) => {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    });
  };
  contents.on('did-finish-load', start);
  contents.on('did-start-loading', stop);
  return () => {
    stop();
    if (!contents.isDestroyed()) {
      contents.off('did-finish-load', start);
      contents.off('did-start-loading', stop);
    }
  };
}
