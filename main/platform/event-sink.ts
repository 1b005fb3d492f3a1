import type { EventChannel, EventMap } from '../../common/contract';

/**
 * Where main-process services announce changes. The lead binds it to webContents.send (or
 * the browser edition's WebSocket); payloads are the contract's DTOs and carry no secret.
 */
export interface EventSink {
  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void;
}
