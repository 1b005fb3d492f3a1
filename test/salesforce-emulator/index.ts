/**
 * A faithful local Salesforce for ForceSites' tests, demo and benchmarks.
 *
 *   const sf = await startEmulator();            // random port
 *   sf.loginUrl    // http://localhost:PORT      OAuth, identity
 *   sf.instanceUrl // http://127.0.0.1:PORT      REST, SOAP
 *   sf.handle.advanceClock({ days: 31 });        // everything the control API does
 *   await sf.close();
 */
import type { AddressInfo } from 'node:net';
import { createSimulatedClock } from './clock';
import type { SimulatedClock } from './clock';
import { createOrgData as createDataHalf } from './data/org-data';
import { Emulator } from './emulator';
import type { CreateOrgData, EmulatorDescription, OrgSpec } from './emulator';
import { createEmulatorServer } from './server';

export type { EmulatorDescription, OrgSpec, OrgDescription, AppDescription, ApprovalDescription, OrgConfigPatch, UserPatch, AppPatch, UserDescription, CreateOrgData } from './emulator';
export type { AppSpec, UserSpec, RefreshTokenPolicy, OrgSettings, TimeUnit } from './model';
export { FORCESITES_CLIENT_ID, FORCESITES_REDIRECT_URIS, DEFAULT_USERS, DEFAULT_APPS } from './model';
export type { FaultSettings } from './faults';
export type { RequestLogEntry, RequestLogSnapshot, RequestKind, ApiCallCounts, ApiCallKind } from './request-log';
export type { SimulatedClock } from './clock';
export { Emulator } from './emulator';
export { CONTROL_ROUTES } from './control/control-api';
export { createStubOrgData } from './stub-org-data';

export interface StartEmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Inject a clock; by default real time plus whatever `advanceClock` added. */
  readonly clock?: SimulatedClock;
  /** Freeze the default clock at this epoch ms (ignored when `clock` is given). */
  readonly startTime?: number;
  /** Customise the default org (users, apps, settings). */
  readonly org?: OrgSpec;
  /** The data half's factory; defaults to data/org-data.ts `createOrgData` (see stub-org-data.ts for a stub). */
  readonly createOrgData?: CreateOrgData;
  /** Request-log ring size (default 100,000 entries). */
  readonly requestLogCapacity?: number;
  /**
   * Milliseconds added to every API response (token, REST, SOAP, identity), for benchmarks
   * that model the network. Default 0. Change later with `handle.setLatency(ms)` or
   * `PUT /__emulator/latency {ms}`.
   */
  readonly latencyMs?: number;
}

export interface RunningEmulator extends EmulatorDescription {
  readonly port: number;
  /** In-process control: the same operations as the `/__emulator/` routes. */
  readonly handle: Emulator;
  /** The description again (after a reset the ids stay the same). */
  describe(): EmulatorDescription;
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const createOrgData = options.createOrgData ?? createDataHalf;
  const clock = options.clock ?? createSimulatedClock(options.startTime === undefined ? {} : { frozenAt: options.startTime });

  // Listen first: the URLs (and so every org's instance_url) need the port.
  const server = createEmulatorServer();
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  let ready: Emulator;
  try {
    ready = new Emulator({
      loginUrl: `http://localhost:${port}`,
      instanceUrl: `http://127.0.0.1:${port}`,
      clock,
      createOrgData,
      ...(options.org ? { defaultOrg: options.org } : {}),
      ...(options.requestLogCapacity ? { requestLogCapacity: options.requestLogCapacity } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
      // A reset also forgets half-finished logins and browser sessions.
      onReset: () => server.authorizeState.clear(),
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  server.attach(ready);
  return {
    ...ready.describe(),
    port,
    handle: ready,
    describe: () => ready.describe(),
    close: async () => {
      // Answer held long polls first, so their timers do not keep the process alive.
      ready.streaming.closeAll();
      await server.close();
    },
  };
}
