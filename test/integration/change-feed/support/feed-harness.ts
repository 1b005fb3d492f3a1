/**
 * The change feed against the Salesforce emulator over real HTTP (jsforce streaming, CometD
 * long polling, SOQL through the app's ConnectionRegistry, calls metered per site), with a
 * WordPress users list that a live pull updates.
 *
 * `standInLivePull` is the port the feed sees, written here to main/sync's documented
 * signature (one query per ≤ 200 ids, records matched to users by e-mail, only existing users
 * updated): it stands in for SyncService.openLivePull in the service-level tests so the feed's
 * own behaviour (replay, dedupe, batches, catch-up, polling) is what they measure. The app-level
 * test (feed-app.test.ts) goes through createApp's real wiring.
 */
import { mkdtempSync } from 'node:fs';
import type { Connection } from 'jsforce';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChangeFeedStatusDto } from '../../../../common/change-feed-models';
import { ChangeFeedService, type ChangeFeedServiceOptions } from '../../../../main/change-feed/change-feed-service';
import type { LiveApplyResult, LivePullSession, OpenLivePull } from '../../../../common/live-pull';
import { openLocalDatabase, type LocalDatabase } from '../../../../main/platform/local-database';
import type { QueryPage } from '../../../../main/salesforce/salesforce-api';
import type { RunningEmulator } from '../../../salesforce-emulator/index';
import { membersSite, startAppHarness, type AppHarness } from '../../app/app-harness';

export interface FeedUser {
  email: string;
  firstName: string;
  lastName: string;
  /** How many times the live pull wrote this user. */
  writes: number;
}

export interface StandInPull {
  readonly open: OpenLivePull;
  readonly users: Map<string, FeedUser>;
  /** Ids per applyIds call, in order. */
  readonly idBatches: string[][];
  readonly recordBatches: number[];
  readonly sessions: { runId: string; closed?: string }[];
  /** Make the next applies fail as if WordPress were down (null: up again). */
  failWith(error: Error | null): void;
  /** Every apply takes this long (a slow WordPress). */
  slowDown(ms: number): void;
}

const FIELDS = ['Id', 'SystemModstamp', 'Email', 'FirstName', 'LastName'];

export function standInLivePull(harness: AppHarness, objectType = 'Contact'): StandInPull {
  const users = new Map<string, FeedUser>();
  const idBatches: string[][] = [];
  const recordBatches: number[] = [];
  const sessions: { runId: string; closed?: string }[] = [];
  let failure: Error | null = null;
  let delayMs = 0;
  const slow = (): Promise<void> => (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : Promise.resolve());
  let n = 0;
  const apply = (records: readonly Record<string, unknown>[]): LiveApplyResult => {
    let updated = 0;
    let unchanged = 0;
    let skipped = 0;
    for (const record of records) {
      const user = users.get(String(record['Email'] ?? '').toLowerCase());
      if (user === undefined) {
        skipped += 1;
        continue;
      }
      const first = String(record['FirstName'] ?? '');
      const last = String(record['LastName'] ?? '');
      if (user.firstName === first && user.lastName === last) {
        unchanged += 1;
        continue;
      }
      user.firstName = first;
      user.lastName = last;
      user.writes += 1;
      updated += 1;
    }
    return { created: 0, updated, unchanged, failed: 0, skipped, apiCalls: 0 };
  };
  const open: OpenLivePull = async (siteId) => {
    const site = harness.app.sites.service.list().find((s) => s.id === siteId)!;
    const runId = `live-${(n += 1)}`;
    const entry: { runId: string; closed?: string } = { runId };
    sessions.push(entry);
    const session: LivePullSession = {
      runId,
      objectType,
      selectFields: FIELDS,
      applyRecords: async (records) => {
        if (failure) throw failure;
        if (records.length > 200) throw new Error(`applyRecords takes at most 200 records, got ${records.length}`);
        recordBatches.push(records.length);
        await slow();
        return apply(records);
      },
      applyIds: async (ids) => {
        if (failure) throw failure;
        if (ids.length > 200) throw new Error(`applyIds takes at most 200 ids, got ${ids.length}`);
        idBatches.push([...ids]);
        await slow();
        const api = await harness.app.registry.open(site.connectionId!);
        const soql = `SELECT ${FIELDS.join(', ')} FROM ${objectType} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
        const page = await api.request<QueryPage<Record<string, unknown>>>(`/query?q=${encodeURIComponent(soql)}`);
        const result = apply(page.records);
        return { ...result, skipped: result.skipped + (ids.length - page.records.length), apiCalls: 1 };
      },
      close: (outcome) => {
        entry.closed = outcome;
      },
    };
    return session;
  };
  return { open, users, idBatches, recordBatches, sessions, failWith: (error) => (failure = error), slowDown: (ms) => (delayMs = ms) };
}

export interface FeedHarness {
  readonly h: AppHarness;
  readonly siteId: string;
  readonly connectionId: string;
  readonly db: LocalDatabase;
  readonly service: ChangeFeedService;
  readonly pull: StandInPull;
  readonly statuses: ChangeFeedStatusDto[];
  readonly notes: string[];
  /** Every SOQL query the feed itself sent (not the stand-in pull's reads). */
  readonly queries: string[];
  /** A new service on the same database (a restart). */
  restart(extra?: Partial<ChangeFeedServiceOptions>): ChangeFeedService;
  close(): Promise<void>;
}

export async function startFeedHarness(emu: RunningEmulator, options: { objectType?: string; extra?: Partial<ChangeFeedServiceOptions> } = {}): Promise<FeedHarness> {
  const objectType = options.objectType ?? 'Contact';
  const h = await startAppHarness(emu, { requestTimeoutMs: 5_000 });
  const finished = await h.signIn();
  const connectionId = finished.connection!.id;
  const site = await h.call('sites:save', membersSite({ url: 'http://127.0.0.1:9/', username: 'admin', password: 'xxxx xxxx xxxx xxxx' }, connectionId, { direction: 'pull', objectType }));
  const db = openLocalDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'forcesites-feed-')), 'feed.db'));
  const pull = standInLivePull(h, objectType);
  const statuses: ChangeFeedStatusDto[] = [];
  const notes: string[] = [];
  const queries: string[] = [];
  const offs = [h.app.bus.on('changes.status', (status) => statuses.push(status)), h.app.bus.on('activity.note', ({ message }) => notes.push(message))];
  const services: ChangeFeedService[] = [];
  const make = (extra: Partial<ChangeFeedServiceOptions> = {}): ChangeFeedService => {
    const service = new ChangeFeedService({
      db,
      bus: h.app.bus,
      log: h.logger,
      site: (id) => h.app.sites.service.list().find((s) => s.id === id),
      openApi: async (id) => recordingQueries(await h.app.registry.open(id), queries),
      refreshSession: (id) => h.app.registry.refresh(id),
      forSite: (id, work) => h.app.registry.meter.forSite(id, work),
      openLivePull: pull.open,
      requestTimeoutMs: () => 5_000,
      retry: { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 50, maxDelayMs: 200 },
      statusIntervalMs: 0,
      ...options.extra,
      ...extra,
    });
    services.push(service);
    return service;
  };
  const service = make();
  return {
    h,
    siteId: site.id,
    connectionId,
    db,
    service,
    pull,
    statuses,
    notes,
    queries,
    restart: make,
    close: async () => {
      for (const s of services) await s.stopAll();
      for (const off of offs) off();
      await h.app.close();
      db.close();
    },
  };
}

/** The app's own Connection, with the SOQL of every `request('/query?q=…')` written down. */
function recordingQueries(conn: Connection, into: string[]): Connection {
  return new Proxy(conn, {
    get(target, key, receiver) {
      if (key !== 'request') return Reflect.get(target, key, receiver) as unknown;
      return (request: unknown, ...rest: unknown[]) => {
        if (typeof request === 'string' && request.startsWith('/query?q=')) into.push(decodeURIComponent(request.slice('/query?q='.length)));
        return (target.request as (...args: unknown[]) => unknown).call(target, request, ...rest);
      };
    },
  });
}

export async function until<T>(read: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
