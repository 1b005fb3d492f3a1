/**
 * The sign-in side of the app as the service tests drive it: the Salesforce layer's
 * ConnectionRegistry and auth's SignInService over one event bus, with the renderer's events
 * recorded. Health is not here; a test that needs its diagnosis passes `explainInvalidGrant`,
 * which answers 'connection.refresh-refused' the way health's module does.
 */
import type { ConnectionDto, ReauthorizationCause } from '../../common/models';
import { SignInService, type SignInServiceOptions } from '../../main/auth/sign-in-service';
import { EventBus } from '../../main/platform/event-bus';
import type { Logger } from '../../main/platform/logger';
import type { ProfileStore } from '../../main/platform/profile-store';
import type { SecretStore } from '../../main/platform/token-vault';
import { ConnectionRegistry, type ConnectionRegistryOptions } from '../../main/salesforce/connection-registry';
import { RecordingEventSink } from './recording-event-sink';

export interface ConnectionsUnderTestOptions extends Partial<Omit<SignInServiceOptions, 'registry' | 'bus'>> {
  readonly store: ProfileStore;
  readonly secrets: SecretStore;
  readonly log?: Logger;
  readonly events?: RecordingEventSink;
  readonly freshTokenGraceMs?: number;
  readonly endpointsFor?: ConnectionRegistryOptions['endpointsFor'];
  readonly requestTimeoutMs?: () => number;
  readonly explainInvalidGrant?: (connection: ConnectionDto) => Promise<{ cause: ReauthorizationCause; detail: string } | undefined>;
  readonly onRefreshed?: (connectionId: string) => void;
}

export function connectionsUnderTest(options: ConnectionsUnderTestOptions) {
  const { store, secrets, log, explainInvalidGrant, onRefreshed } = options;
  const bus = new EventBus(log);
  const events = (options.events ?? new RecordingEventSink()).attach(bus, store);
  const registry = new ConnectionRegistry({
    store,
    secrets,
    bus,
    ...(log ? { log } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.freshTokenGraceMs === undefined ? {} : { freshTokenGraceMs: options.freshTokenGraceMs }),
    ...(options.endpointsFor ? { endpointsFor: options.endpointsFor } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  if (explainInvalidGrant) {
    bus.on('connection.refresh-refused', ({ connection }) => {
      void explainInvalidGrant(connection).then((found) => {
        if (found) bus.emit('connection.diagnosed', { connection, ...found });
      });
    });
  }
  if (onRefreshed) bus.on('connection.refreshed', ({ connectionId }) => onRefreshed(connectionId));
  const signIn = new SignInService({
    openExternal: () => undefined,
    callbackPorts: () => store.getSettings().callbackPorts,
    ...options,
    registry,
    bus,
  });
  return {
    bus,
    events,
    registry,
    signIn,
    // The calls the tests make, by their old names.
    startSignIn: signIn.startSignIn.bind(signIn),
    cancelSignIn: signIn.cancelSignIn.bind(signIn),
    reauthorize: signIn.reauthorize.bind(signIn),
    whenIdle: signIn.whenIdle.bind(signIn),
    close: signIn.close.bind(signIn),
    list: registry.list.bind(registry),
    getConnection: registry.open.bind(registry),
    refresh: registry.refresh.bind(registry),
    disconnect: registry.disconnect.bind(registry),
  };
}

export type ConnectionsUnderTest = ReturnType<typeof connectionsUnderTest>;
