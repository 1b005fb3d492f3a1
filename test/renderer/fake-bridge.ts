/**
 * A hand-written fake of `window.forcesites` for renderer tests. It records every invoke,
 * answers from per-channel responders (values, errors, or promises the test settles), and lets
 * a test emit main→renderer events.
 */
import type { EventChannel, EventMap, ForceSitesApi, InvokeChannel, RequestOf, ResponseOf } from '../../common/contract';
import type { ErrorDto, Result } from '../../common/errors';
import type { HealthReport } from '../../common/health-models';
import { EMPTY_CHANGE_FEED_COUNTS, type ChangeFeedStatusDto } from '../../common/change-feed-models';
import type { AppInfo, Settings } from '../../common/models';

type Responder<C extends InvokeChannel> = (request: RequestOf<C>) => Result<ResponseOf<C>> | Promise<Result<ResponseOf<C>>>;

export interface RecordedCall {
  readonly channel: InvokeChannel;
  readonly request: unknown;
}

export const DEFAULT_APP_INFO: AppInfo = { name: 'ForceSites', version: '0.1.0', edition: 'electron', demo: false };

export const DEFAULT_SETTINGS: Settings = {
  approvalCap: 5,
  approvalWarnAt: 4,
  healthIntervalHours: 6,
  watchedApps: [],
  callbackPorts: [1717, 1718],
  requestTimeoutSeconds: 30,
};

/** What main answers before its first health check. */
export const NEVER_CHECKED: HealthReport = {
  generatedAt: '2026-11-20T08:00:00.000Z',
  status: 'never-checked',
  cards: [],
  censuses: [],
  nextCheckAt: null,
  lastError: null,
};

/** A site's change feed as main answers it before the site ever followed. */
export function offChangeFeed(siteId: string, siteName = 'Site'): ChangeFeedStatusDto {
  return { siteId, siteName, mode: 'off', channel: null, pollIntervalSeconds: null, lastChangeAt: null, replayId: null, counts: EMPTY_CHANGE_FEED_COUNTS, runId: null, message: null, updatedAt: '2026-11-20T08:00:00.000Z' };
}

export class FakeBridge implements ForceSitesApi {
  readonly calls: RecordedCall[] = [];
  private readonly responders = new Map<InvokeChannel, Responder<InvokeChannel>>();
  private readonly listeners = new Map<EventChannel, Set<(payload: never) => void>>();

  constructor() {
    this.respond('app:info', DEFAULT_APP_INFO);
    this.respond('settings:get', DEFAULT_SETTINGS);
    this.respond('sites:list', []);
    this.respond('connections:list', []);
    this.respond('activity:list', []);
    this.respond('shell:open-external', { opened: true });
    this.respond('health:report', NEVER_CHECKED);
    // No sign-in waits in main unless a test says so.
    this.respond('auth:pending', null);
    // The site form's Live changes panel asks for every edited site: not following.
    this.respond('changes:status', ({ siteId }) => (siteId === undefined ? [] : [offChangeFeed(siteId)]));
  }

  /** Answer `channel` with a value, or with a function of the request. */
  respond<C extends InvokeChannel>(channel: C, value: ResponseOf<C> | ((request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>)): void {
    const responder: Responder<C> = async (request) => ({
      ok: true,
      value: typeof value === 'function' ? await (value as (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>)(request) : value,
    });
    this.responders.set(channel, responder as unknown as Responder<InvokeChannel>);
  }

  /** Answer `channel` with `{ok:false, error}`. */
  fail<C extends InvokeChannel>(channel: C, error: ErrorDto): void {
    this.responders.set(channel, () => ({ ok: false, error }));
  }

  /** Make `channel` wait until the test calls the returned function with the answer. */
  defer<C extends InvokeChannel>(channel: C): { resolve: (value: ResponseOf<C>) => void; reject: (error: ErrorDto) => void } {
    let settle: (result: Result<ResponseOf<C>>) => void = () => undefined;
    const pending = new Promise<Result<ResponseOf<C>>>((resolve) => {
      settle = resolve;
    });
    this.responders.set(channel, (() => pending) as unknown as Responder<InvokeChannel>);
    return { resolve: (value) => settle({ ok: true, value }), reject: (error) => settle({ ok: false, error }) };
  }

  /** Make `channel` reject, as a broken transport would. */
  breakTransport(channel: InvokeChannel): void {
    this.responders.set(channel, () => Promise.reject(new Error('socket closed')));
  }

  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    this.calls.push({ channel, request });
    const responder = this.responders.get(channel) as Responder<C> | undefined;
    if (responder === undefined) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `The fake has no answer for ${channel}.` } });
    }
    return Promise.resolve().then(() => responder(request));
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(channel, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) (listener as (payload: EventMap[E]) => void)(payload);
  }

  listenerCount(channel: EventChannel): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  /** The requests sent on one channel, in order. */
  requests<C extends InvokeChannel>(channel: C): RequestOf<C>[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request as RequestOf<C>);
  }
}

let current: FakeBridge | undefined;

export function installFakeBridge(): FakeBridge {
  current = new FakeBridge();
  window.forcesites = current;
  return current;
}

/** The fake installed for the running test (setup.ts installs a fresh one before each test). */
export function fakeBridge(): FakeBridge {
  if (current === undefined) throw new Error('No fake bridge installed');
  return current;
}
