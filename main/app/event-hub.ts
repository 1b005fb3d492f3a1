/**
 * Main→renderer events, typed by the contract.
 *
 * Events raised before any window is listening (start-up health results, a sign-in that
 * finishes while the window reloads) are queued and delivered to the first subscriber, so
 * nothing the admin should see is lost to timing.
 */
import type { EventChannel, EventMap } from '../../common/contract';

export type EventSink = <E extends EventChannel>(channel: E, payload: EventMap[E]) => void;

export class EventHub {
  private readonly subscribers = new Set<EventSink>();
  private readonly pending: Array<{ channel: EventChannel; payload: unknown }> = [];

  constructor(private readonly maxPending = 500) {}

  emit: EventSink = (channel, payload) => {
    if (this.subscribers.size === 0) {
      if (this.pending.length >= this.maxPending) this.pending.shift();
      this.pending.push({ channel, payload });
      return;
    }
    for (const subscriber of this.subscribers) subscriber(channel, payload);
  };

  /** Returns an unsubscribe function. The first subscriber receives whatever was queued. */
  subscribe(sink: EventSink): () => void {
    this.subscribers.add(sink);
    if (this.pending.length > 0) {
      const queued = this.pending.splice(0);
      for (const event of queued) sink(event.channel, event.payload as never);
    }
    return () => this.subscribers.delete(sink);
  }
}
