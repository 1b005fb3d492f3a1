import type { EventChannel, EventMap } from '../../common/contract';
import type { EventSink } from '../../main/platform/event-sink';

/** Records every event; `next(channel)` waits for the next one on a channel. */
export class RecordingEventSink implements EventSink {
  readonly events: { channel: EventChannel; payload: unknown }[] = [];
  readonly #waiters: { channel: EventChannel; resolve: (payload: unknown) => void }[] = [];

  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    // Round-trip through JSON: what crosses IPC is exactly what a test may inspect.
    this.events.push({ channel, payload: JSON.parse(JSON.stringify(payload)) as unknown });
    const index = this.#waiters.findIndex((waiter) => waiter.channel === channel);
    if (index !== -1) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(payload);
    }
  }

  next<E extends EventChannel>(channel: E): Promise<EventMap[E]> {
    return new Promise((resolve) => this.#waiters.push({ channel, resolve: resolve as (payload: unknown) => void }));
  }

  of<E extends EventChannel>(channel: E): EventMap[E][] {
    return this.events.filter((event) => event.channel === channel).map((event) => event.payload as EventMap[E]);
  }
}
