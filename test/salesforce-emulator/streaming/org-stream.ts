/**
 * One org's side of the Streaming API: the retained change events (72 hours on the emulator's
 * clock, replay ids in commit order), the CometD clients with their subscriptions and
 * delivery queues, and which objects are selected for Change Data Capture.
 *
 * An event leaves a client's queue only when it is written into a /meta/connect answer, so a
 * long poll that dies before it is answered loses nothing the client could not replay.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedClock } from '../clock';
import { HOUR_MS } from '../clock';
import type { OrgData, RecordTransaction } from '../data/seam';
import { ALL_CHANGE_EVENTS, changeEventChannel, changeEventsOf, entityOfChannel, type ChangeEventData } from './change-events';

export interface StreamingSettings {
  /** Objects selected for Change Data Capture (Setup » Change Data Capture). */
  readonly changeDataCapture: readonly string[];
  /** How long a /meta/connect waits for events before answering empty (Salesforce advises 110 s). Real milliseconds. */
  readonly connectTimeoutMs: number;
  /** A client that has not connected for this long (emulator clock) is forgotten: its next call gets 403::Unknown client. */
  readonly clientExpiryMs: number;
  /** Most events one /meta/connect answer carries. */
  readonly maxEventsPerConnect: number;
  /** How long events are kept for replay (72 hours). */
  readonly retentionMs: number;
}

export const DEFAULT_STREAMING_SETTINGS: StreamingSettings = {
  changeDataCapture: ['Contact', 'Lead'],
  connectTimeoutMs: 110_000,
  clientExpiryMs: 40_000,
  maxEventsPerConnect: 500,
  retentionMs: 72 * HOUR_MS,
};

export interface RetainedEvent {
  readonly replayId: number;
  readonly channel: string;
  readonly entity: string;
  /** Emulator-clock ms when it was committed. */
  readonly createdAt: number;
  readonly data: ChangeEventData;
}

export interface Delivery {
  readonly channel: string;
  readonly data: ChangeEventData;
}

/** A /meta/connect being held open. */
export interface HeldConnect {
  /** Answers the poll now; `unknownClient` when the server forgot the client meanwhile. */
  release(reason: 'events' | 'timeout' | 'unknown-client' | 'replaced' | 'closing'): void;
}

export interface StreamClient {
  readonly id: string;
  readonly userId: string;
  readonly subscriptions: Set<string>;
  readonly queue: Delivery[];
  connects: number;
  lastSeen: number;
  held: HeldConnect | undefined;
}

export class ReplayError extends Error {}
export class ChannelError extends Error {}

export class OrgStream {
  readonly orgId: string;
  settings: StreamingSettings;
  private readonly clock: SimulatedClock;
  private readonly events: RetainedEvent[] = [];
  /** Highest replay id no longer retained (0: nothing pruned yet). */
  private prunedThrough = 0;
  private lastReplayId = 0;
  private commitNumber = 10_000_000_000;
  readonly clients = new Map<string, StreamClient>();
  private readonly unsubscribe: (() => void) | undefined;

  constructor(orgId: string, data: OrgData, clock: SimulatedClock, settings: StreamingSettings) {
    this.orgId = orgId;
    this.clock = clock;
    this.settings = settings;
    this.unsubscribe = data.onRecordChanges?.((transaction) => this.publish(transaction));
  }

  close(): void {
    this.unsubscribe?.();
    for (const client of this.clients.values()) client.held?.release('closing');
    this.clients.clear();
  }

  isEnabled(entity: string): boolean {
    return this.settings.changeDataCapture.some((name) => name.toLowerCase() === entity.toLowerCase());
  }

  /** Turns a committed transaction into events, stores them and queues them for subscribers. */
  publish(transaction: RecordTransaction): void {
    const now = this.clock.now();
    const built = changeEventsOf(transaction, (entity) => this.isEnabled(entity), { now, nextCommitNumber: () => (this.commitNumber += 1) });
    if (built.length === 0) return;
    this.prune();
    for (const event of built) {
      const entity = event.payload.ChangeEventHeader.entityName;
      const replayId = (this.lastReplayId += 1);
      const retained: RetainedEvent = { replayId, channel: changeEventChannel(entity), entity, createdAt: now, data: { ...event, event: { replayId } } };
      this.events.push(retained);
      for (const client of this.clients.values()) {
        for (const channel of client.subscriptions) {
          if (channel === retained.channel || channel === ALL_CHANGE_EVENTS) client.queue.push({ channel, data: retained.data });
        }
      }
    }
    for (const client of this.clients.values()) if (client.queue.length > 0) client.held?.release('events');
  }

  /** Drops events past retention. */
  prune(): void {
    const oldest = this.clock.now() - this.settings.retentionMs;
    let drop = 0;
    while (drop < this.events.length && this.events[drop]!.createdAt < oldest) drop += 1;
    if (drop === 0) return;
    this.prunedThrough = this.events[drop - 1]!.replayId;
    this.events.splice(0, drop);
  }

  /** Retained events, oldest first (optionally one channel's, after a replay id). */
  retained(options: { channel?: string; after?: number } = {}): RetainedEvent[] {
    this.prune();
    return this.events.filter((event) => (options.after === undefined || event.replayId > options.after) && matches(options.channel, event));
  }

  handshake(userId: string): StreamClient {
    this.expireClients();
    // CometD client ids are opaque; Salesforce's look like this (lower-case base36).
    const id = BigInt(`0x${randomBytes(17).toString('hex')}`).toString(36).slice(0, 27);
    const client: StreamClient = { id, userId, subscriptions: new Set(), queue: [], connects: 0, lastSeen: this.clock.now(), held: undefined };
    this.clients.set(id, client);
    return client;
  }

  client(id: unknown): StreamClient | undefined {
    this.expireClients();
    return typeof id === 'string' ? this.clients.get(id) : undefined;
  }

  /** Forgets every client (a server restart, or a test's dropped connection). */
  dropClients(): number {
    const count = this.clients.size;
    for (const client of [...this.clients.values()]) {
      this.clients.delete(client.id);
      client.held?.release('unknown-client');
    }
    return count;
  }

  forget(client: StreamClient): void {
    this.clients.delete(client.id);
  }

  private expireClients(): void {
    const limit = this.clock.now() - this.settings.clientExpiryMs;
    for (const client of [...this.clients.values()]) {
      if (client.held === undefined && client.lastSeen < limit) this.clients.delete(client.id);
    }
  }

  /**
   * Subscribes a client and queues what the replay id asks for: -1 only new events, -2 every
   * retained one, n every retained one after n. Throws ChannelError for a channel that does
   * not exist for this org, ReplayError for a replay id outside what is retained.
   */
  subscribe(client: StreamClient, channel: string, replay: unknown): void {
    if (channel !== ALL_CHANGE_EVENTS) {
      const entity = entityOfChannel(channel);
      if (entity === undefined || !this.isEnabled(entity)) throw new ChannelError(channel);
    }
    const replayId = replay === undefined || replay === null ? -1 : typeof replay === 'number' ? replay : Number(replay);
    if (!Number.isInteger(replayId) || replayId < -2) throw new ReplayError(String(replay));
    this.prune();
    let after: number | undefined;
    if (replayId === -2) after = 0;
    else if (replayId >= 0) {
      // Valid when every event after it is still retained (or not yet happened).
      if (replayId < this.prunedThrough || replayId > this.lastReplayId) throw new ReplayError(String(replayId));
      after = replayId;
    }
    client.subscriptions.add(channel);
    if (after !== undefined) {
      for (const event of this.events) {
        if (event.replayId > after && matches(channel, event)) client.queue.push({ channel, data: event.data });
      }
    }
  }

  unsubscribeChannel(client: StreamClient, channel: string): boolean {
    const removed = client.subscriptions.delete(channel);
    if (removed) {
      for (let i = client.queue.length - 1; i >= 0; i -= 1) if (client.queue[i]!.channel === channel) client.queue.splice(i, 1);
    }
    return removed;
  }

  touch(client: StreamClient): void {
    client.lastSeen = this.clock.now();
  }
}

function matches(channel: string | undefined, event: RetainedEvent): boolean {
  return channel === undefined || channel === ALL_CHANGE_EVENTS || channel === event.channel;
}

/** Every org's stream; the Emulator owns one. */
export class StreamingHub {
  private readonly streams = new Map<string, OrgStream>();
  constructor(private readonly clock: SimulatedClock) {}

  attach(orgId: string, data: OrgData): OrgStream {
    this.streams.get(orgId)?.close();
    const stream = new OrgStream(orgId, data, this.clock, DEFAULT_STREAMING_SETTINGS);
    this.streams.set(orgId, stream);
    return stream;
  }

  stream(orgId: string): OrgStream | undefined {
    return this.streams.get(orgId);
  }

  /** Forgets every org's clients and events (emulator reset, server close). */
  closeAll(): void {
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
  }
}

/** Checks and merges a settings patch (control API and handle). */
export function patchStreamingSettings(current: StreamingSettings, patch: Partial<StreamingSettings>): StreamingSettings {
  const next = { ...current };
  if (patch.changeDataCapture !== undefined) {
    if (!Array.isArray(patch.changeDataCapture) || !patch.changeDataCapture.every((name) => typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(name))) {
      throw new RangeError('changeDataCapture must be a list of sObject names, e.g. ["Contact", "Member__c"]');
    }
    next.changeDataCapture = [...patch.changeDataCapture] as StreamingSettings['changeDataCapture'];
  }
  const positive = (name: keyof StreamingSettings, value: unknown, max: number) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) throw new RangeError(`${name} must be a number above 0 and at most ${max}`);
    (next as Record<string, unknown>)[name] = value;
  };
  positive('connectTimeoutMs', patch.connectTimeoutMs, 600_000);
  positive('clientExpiryMs', patch.clientExpiryMs, 30 * 24 * HOUR_MS);
  positive('maxEventsPerConnect', patch.maxEventsPerConnect, 100_000);
  positive('retentionMs', patch.retentionMs, 30 * 24 * HOUR_MS);
  return next;
}
