/**
 * Hands main→renderer events to the renderer's listeners, holding the ones that arrive
 * before any listener for their channel exists (the page is still mounting), so an event
 * main queued for "when the window is ready" is not dropped in the last step. Used by both
 * bridges: the Electron preload and the browser edition's WebSocket bridge.
 */
import type { EventChannel, EventMap } from './contract';

type Listener = (payload: never) => void;

export class EventRelay {
  private readonly listeners = new Map<EventChannel, Set<Listener>>();
  private readonly held = new Map<EventChannel, unknown[]>();

  constructor(private readonly maxHeldPerChannel = 100) {}

  deliver<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    const listeners = this.listeners.get(channel);
    if (listeners !== undefined && listeners.size > 0) {
      for (const listener of [...listeners]) listener(payload as never);
      return;
    }
    const held = this.held.get(channel) ?? [];
    if (held.length >= this.maxHeldPerChannel) held.shift();
    held.push(payload);
    this.held.set(channel, held);
  }

  /** The first listener of a channel also receives what was held for it, oldest first. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
    const listeners = this.listeners.get(channel) ?? new Set<Listener>();
    this.listeners.set(channel, listeners);
    listeners.add(listener as Listener);
    const held = this.held.get(channel);
    if (held !== undefined) {
      this.held.delete(channel);
      for (const payload of held) listener(payload as EventMap[E]);
    }
    return () => {
      listeners.delete(listener as Listener);
    };
  }
}
