/**
 * What a feature hands to main/app: its share of the IPC handler table and its lifecycle.
 * The types live here, below every feature, so features can implement channels without
 * importing main/app; `HandlerTable` makes a channel nobody handles a compile error.
 */
import type { InvokeChannel, RequestOf, ResponseOf } from '../../common/contract';
import type { Edition } from '../../common/models';

export interface CallContext {
  readonly edition: Edition;
}

export type Handler<C extends InvokeChannel> = (request: RequestOf<C>, context: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** The handlers for a subset of the contract's channels. */
export type Handlers<C extends InvokeChannel> = { readonly [K in C]: Handler<K> };

/** Every channel of the contract: what main/app assembles from the modules. */
export type HandlerTable = Handlers<InvokeChannel>;

export interface FeatureModule<C extends InvokeChannel> {
  readonly handlers: Handlers<C>;
  /** Starts background work (schedules, subscriptions). Called once, after every module exists. */
  start(): void;
  /** Stops background work and releases ports; awaited when the app quits. */
  stop(): Promise<void>;
}
