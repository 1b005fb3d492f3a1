/**
 * The renderer's only door to the main process, and the only module that reads
 * `window.forcesites`. Everything else calls `invoke` and `on` from here.
 *
 * `invoke` unwraps the contract's `Result`: it returns the value or throws a `BridgeError`
 * that keeps the main process's error code and hint, so pages can tell the admin what to do.
 */
import type { EventChannel, EventMap, ForceSitesApi, InvokeChannel, RequestOf, ResponseOf } from '../../common/contract';
import type { ErrorCode, ErrorDto, Result } from '../../common/errors';

declare global {
  interface Window {
    /** Set by the preload (Electron) or its WebSocket equivalent (browser edition). */
    forcesites?: ForceSitesApi;
  }
}

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(error: ErrorDto) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.hint = error.hint;
  }

  toDto(): ErrorDto {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }
}

const BRIDGE_MISSING: ErrorDto = {
  code: 'INTERNAL',
  message: 'This window is not connected to ForceSites.',
  hint: 'Open ForceSites from its app icon, or run `npm run demo` for the browser edition.',
};

const TRANSPORT_FAILED: ErrorDto = {
  code: 'NETWORK_ERROR',
  message: 'ForceSites could not reach its main process.',
  hint: 'If you use the browser edition, check that `npm run demo` is still running, then reload the page.',
};

function api(): ForceSitesApi {
  const bridge = window.forcesites;
  if (bridge === undefined) throw new BridgeError(BRIDGE_MISSING);
  return bridge;
}

export async function invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const bridge = api();
  let result: Result<ResponseOf<C>>;
  try {
    result = await bridge.invoke(channel, request);
  } catch {
    // A rejected invoke means the transport broke (socket closed, preload gone), not a
    // domain error: main answers domain errors as {ok:false}.
    throw new BridgeError(TRANSPORT_FAILED);
  }
  if (result.ok) return result.value;
  throw new BridgeError(result.error);
}

/** Subscribes to a main→renderer event; returns the unsubscribe function. */
export function on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
  const bridge = window.forcesites;
  if (bridge === undefined) return () => undefined;
  return bridge.on(channel, listener);
}

/** Turns anything thrown by a call into an ErrorDto the UI can show. */
export function toErrorDto(error: unknown): ErrorDto {
  if (error instanceof BridgeError) return error.toDto();
  return { code: 'INTERNAL', message: 'Something went wrong in this window.', hint: 'Reload the window and try again.' };
}
