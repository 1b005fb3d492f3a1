import type { EventChannel, EventMap } from '../../common/contract';
import type { EventBus } from '../../main/platform/event-bus';
import { connectionDtos, siteDtos } from '../../main/platform/profile-dtos';
import type { ProfileStore } from '../../main/platform/profile-store';

/**
 * Records the renderer's events; `next(channel)` waits for the next one on a channel.
 * `attach(bus, store)` feeds it the way main/app's event routing does for the events the
 * service tests look at (connections, sites, sign-in results).
 */
export class RecordingEventSink {
  readonly events: { channel: EventChannel; payload: unknown }[] = [];
  readonly #waiters: { channel: EventChannel; resolve: (payload: unknown) => void }[] = [];

  readonly emit = <E extends EventChannel>(channel: E, payload: EventMap[E]): void => {
    // Round-trip through JSON: what crosses IPC is exactly what a test may inspect.
    this.events.push({ channel, payload: JSON.parse(JSON.stringify(payload)) as unknown });
    const index = this.#waiters.findIndex((waiter) => waiter.channel === channel);
    if (index !== -1) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(payload);
    }
  };

  attach(bus: EventBus, store: ProfileStore): this {
    const lists = () => {
      this.emit('connections:changed', connectionDtos(store));
      this.emit('sites:changed', siteDtos(store));
    };
    bus.on('connections.changed', lists);
    bus.on('sites.changed', lists);
    bus.on('sign-in.finished', (finished) => this.emit('auth:finished', finished));
    return this;
  }

  next<E extends EventChannel>(channel: E): Promise<EventMap[E]> {
    return new Promise((resolve) => this.#waiters.push({ channel, resolve: resolve as (payload: unknown) => void }));
  }

  of<E extends EventChannel>(channel: E): EventMap[E][] {
    return this.events.filter((event) => event.channel === channel).map((event) => event.payload as EventMap[E]);
  }
}
