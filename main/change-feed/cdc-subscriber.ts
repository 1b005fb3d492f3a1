/**
 * One Change Data Capture subscription through jsforce's Streaming client (faye, CometD long
 * polling), with the replay position supplied by the feed rather than by jsforce's Replay
 * extension: jsforce's extension resubscribes from the last event it SAW, while the feed must
 * resubscribe from the last event it APPLIED (so a crash or a drop replays instead of losing).
 *
 * faye re-handshakes and resubscribes by itself after `403::Unknown client`; a resubscription
 * that fails is silent in faye (the subscription object is internal), so this extension
 * watches every `/meta/subscribe` answer and reports the failures Salesforce names:
 * a channel that does not exist (object not selected for CDC) and a replay id past retention.
 * `advice.reconnect = "none"` on handshake or connect (session refused) is reported too: faye
 * would stop silently.
 *
 * Deadlines: faye aborts and retries any CometD request after 1.2 × the server's advised
 * timeout (110 s → 132 s); `subscribe` here has its own deadline (the request timeout), and
 * `stop` never waits for the network.
 */
import type { Connection } from 'jsforce';
import type { ChangeEventRef } from './burst-queue';

/** The Salesforce error texts this reacts to (modelled from the Streaming API guide; see README). */
const NO_CHANNEL = /channel you requested to subscribe to does not exist/i;
const REPLAY_INVALID = /replayId .* you provided was invalid/i;

export type SubscribeFailure = 'no-channel' | 'replay-invalid' | 'auth' | 'timeout' | 'other';

export class SubscribeError extends Error {
  readonly kind: SubscribeFailure;
  constructor(kind: SubscribeFailure, message: string) {
    super(message);
    this.name = 'SubscribeError';
    this.kind = kind;
  }
}

export interface CdcHandlers {
  onEvent(event: ChangeEventRef): void;
  /** A (re)subscription after a re-handshake failed; the subscriber is dead, build a new one. */
  onFailure(error: SubscribeError): void;
  /** CometD transport up or down (faye retries by itself while down). */
  onTransport(up: boolean): void;
}

/** The fields of a CDC message the feed reads. */
interface CdcMessage {
  readonly event?: { readonly replayId?: number };
  readonly payload?: {
    readonly ChangeEventHeader?: {
      readonly changeType?: string;
      readonly recordIds?: readonly string[];
      readonly commitTimestamp?: number | string;
    };
  };
}

interface BayeuxMessage {
  channel?: string;
  successful?: boolean;
  error?: string;
  subscription?: string | string[];
  advice?: { reconnect?: string };
  ext?: Record<string, unknown>;
}

interface FayeClient {
  subscribe(channel: string, listener: (message: unknown) => void): PromiseLike<void> & { cancel(): void };
  addExtension(extension: unknown): void;
  on(event: 'transport:up' | 'transport:down', listener: () => void): void;
  disconnect(): void;
}

/** `/data/ContactChangeEvent`; custom objects drop the `c`: `/data/Member__ChangeEvent`. */
export function changeEventChannel(objectType: string): string {
  const name = objectType.endsWith('__c') ? `${objectType.slice(0, -1)}` : objectType;
  return `/data/${name}ChangeEvent`;
}

export function classifyBayeuxError(error: string): SubscribeFailure {
  if (NO_CHANNEL.test(error)) return 'no-channel';
  if (REPLAY_INVALID.test(error)) return 'replay-invalid';
  if (/^40[13]::(Authentication invalid|Handshake denied)/i.test(error)) return 'auth';
  return 'other';
}

function toChangeEvent(message: unknown): ChangeEventRef | undefined {
  const cdc = message as CdcMessage;
  const header = cdc.payload?.ChangeEventHeader;
  const replayId = cdc.event?.replayId;
  if (header === undefined || typeof replayId !== 'number' || !Array.isArray(header.recordIds)) return undefined;
  const commit = header.commitTimestamp;
  const commitMs = typeof commit === 'number' ? commit : typeof commit === 'string' ? Date.parse(commit) : Number.NaN;
  return {
    replayId,
    commitMs: Number.isFinite(commitMs) ? commitMs : Date.now(),
    changeType: header.changeType ?? 'UPDATE',
    recordIds: header.recordIds.filter((id): id is string => typeof id === 'string'),
  };
}

export class CdcSubscriber {
  readonly #client: FayeClient;
  readonly #channel: string;
  readonly #handlers: CdcHandlers;
  #stopped = false;
  #subscribedOnce = false;
  #initial: { reject(error: SubscribeError): void } | undefined;

  /**
   * @param replayFrom read at every (re)subscription: the stored replay id, or -1 for new
   *   events only.
   */
  constructor(conn: Connection, channel: string, replayFrom: () => number, handlers: CdcHandlers) {
    this.#channel = channel;
    this.#handlers = handlers;
    const extension = {
      outgoing: (message: BayeuxMessage, callback: (m: BayeuxMessage) => void) => {
        if (message.channel === '/meta/subscribe') message.ext = { ...(message.ext ?? {}), replay: { [channel]: replayFrom() } };
        callback(message);
      },
      incoming: (message: BayeuxMessage, callback: (m: BayeuxMessage) => void) => {
        this.#inspect(message);
        callback(message);
      },
    };
    this.#client = conn.streaming.createClient([extension]) as unknown as FayeClient;
    this.#client.on('transport:up', () => {
      if (!this.#stopped) handlers.onTransport(true);
    });
    this.#client.on('transport:down', () => {
      if (!this.#stopped) handlers.onTransport(false);
    });
  }

  get channel(): string {
    return this.#channel;
  }

  /** Resolves once Salesforce acknowledged the subscription; rejects with a SubscribeError. */
  async start(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#initial = { reject };
        timer = setTimeout(() => reject(new SubscribeError('timeout', `Salesforce did not confirm the subscription to ${this.#channel} within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
        const subscription = this.#client.subscribe(this.#channel, (message) => {
          if (this.#stopped) return;
          const event = toChangeEvent(message);
          if (event !== undefined) this.#handlers.onEvent(event);
        });
        subscription.then(
          () => resolve(),
          (error: unknown) => {
            const text = bayeuxText(error);
            reject(new SubscribeError(classifyBayeuxError(text), text));
          },
        );
      });
      this.#subscribedOnce = true;
    } finally {
      clearTimeout(timer);
      this.#initial = undefined;
    }
  }

  /** Unsubscribes and disconnects without waiting for the network (a held long poll is dropped). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      this.#client.disconnect();
    } catch {
      // Already disconnected: nothing to release.
    }
    releaseTransport(this.#client);
  }

  #inspect(message: BayeuxMessage): void {
    if (this.#stopped) return;
    if ((message.channel === '/meta/handshake' || message.channel === '/meta/connect') && message.advice?.reconnect === 'none') {
      const failure = new SubscribeError('auth', message.error ?? 'Salesforce refused the streaming session.');
      this.#fail(failure);
      return;
    }
    if (message.channel === '/meta/subscribe' && message.successful === false && this.#subscribedOnce) {
      // A resubscription after a re-handshake: faye drops it silently, the feed must not.
      const text = message.error ?? 'the subscription was refused';
      this.#fail(new SubscribeError(classifyBayeuxError(text), text));
    }
  }

  #fail(error: SubscribeError): void {
    if (this.#initial !== undefined) {
      this.#initial.reject(error);
      return;
    }
    this.stop();
    this.#handlers.onFailure(error);
  }
}

/**
 * faye keeps a timer per message in flight (the held long poll's is 1.2 × 110 s) and the
 * request itself, neither released by `disconnect()`: a stopped feed would keep a plain-Node
 * process (the browser edition, the CLI, the benchmark) alive for minutes. Abort them. Reaches
 * into faye 1.4's dispatcher (`_envelopes`); if the shape differs, nothing happens.
 */
function releaseTransport(client: FayeClient): void {
  const dispatcher = (client as unknown as { _dispatcher?: { _envelopes?: Map<unknown, { message?: { channel?: string }; timer?: unknown; request?: PromiseLike<{ abort?: () => void } | undefined> | null }> } })._dispatcher;
  const envelopes = dispatcher?._envelopes;
  if (!(envelopes instanceof Map)) return;
  for (const envelope of envelopes.values()) {
    if (envelope.timer !== undefined && envelope.timer !== null) clearTimeout(envelope.timer as ReturnType<typeof setTimeout>);
    envelope.timer = null;
    // The /meta/disconnect that disconnect() just queued must still reach Salesforce (else the
    // server keeps the client until it expires); it is answered at once, so it holds nothing.
    if (envelope.message?.channel === '/meta/disconnect') continue;
    envelope.request?.then(
      (request) => request?.abort?.(),
      () => undefined,
    );
    envelope.request = null;
  }
  envelopes.clear();
}

function bayeuxText(error: unknown): string {
  if (error instanceof Error) {
    const faye = error as Error & { code?: number; params?: string[] };
    // faye's Error.parse splits "400::text" into code, params and message.
    if (typeof faye.code === 'number') return `${faye.code}:${(faye.params ?? []).join(',')}:${faye.message}`;
    return error.message;
  }
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const faye = error as { code?: number; params?: string[]; message?: string };
    if (typeof faye.code === 'number') return `${faye.code}:${(faye.params ?? []).join(',')}:${faye.message ?? ''}`;
    return String(faye.message);
  }
  return String(error);
}
