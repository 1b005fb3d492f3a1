/**
 * Composes the main-process services from ports. Electron (main/electron) and the browser
 * edition (scripts/demo-server.ts, the tests) call this with their own ports; nothing here
 * knows which edition it serves beyond `edition`.
 */
import { mkdirSync } from 'node:fs';
import type { AppInfo, DemoOrgInfo, Edition } from '../../common/models';
import { ConnectionService } from '../auth/connection-service';
import { systemTimers } from '../platform/timers';
import { invalidGrantHook, preflightHook } from '../health/connection-hooks';
import { HealthService } from '../health/health-service';
import { reportHealthChanges } from './health-alerts';
import { KeyringSecretStore } from '../platform/keyring-secret-store';
import { silentLogger, type Logger } from '../platform/logger';
import type { SecretStore } from '../platform/token-vault';
import { ProfileStore, type ProfileStoreOptions } from '../platform/profile-store';
import { SiteService } from '../sites/site-service';
import { ActivityLog } from './activity-log';
import type { HandlerTable } from './dispatch';
import { EventHub } from './event-hub';
import { isAllowedExternalUrl } from './external-url-policy';
import { createHandlers } from './handlers';

export interface AppOptions {
  readonly edition: Edition;
  /** Where the profile file lives (Electron: userData). */
  readonly dataDir: string;
  readonly appVersion: string;
  /** Accept http loopback login hosts and URLs: the demo org and tests only. */
  readonly allowLoopbackHttp: boolean;
  /** Opens a URL in the system browser; answers false when this edition cannot. */
  readonly openExternal: (url: string) => Promise<boolean>;
  readonly notify?: (title: string, body: string) => void;
  /** Defaults to the OS keychain. The demo passes an in-memory store (its tokens are worthless). */
  readonly secrets?: SecretStore;
  readonly demoOrg?: DemoOrgInfo;
  readonly logger?: Logger;
  /** Loopback callback listener timeout; tests shorten it. */
  readonly callbackTimeoutMs?: number;
  /** Opens the profile file; Electron passes electron-store, plain Node uses conf. */
  readonly openProfileBacking?: ProfileStoreOptions['openBacking'];
  /** Start the scheduled health checks (default true; tests drive checks by hand). */
  readonly scheduleHealthChecks?: boolean;
  /** Whether the machine is online; the scheduled checks pause while it is not. */
  readonly isOnline?: () => boolean;
}

export interface ForceSitesApp {
  readonly handlers: HandlerTable;
  readonly events: EventHub;
  readonly activity: ActivityLog;
  readonly connections: ConnectionService;
  readonly sites: SiteService;
  readonly health: HealthService;
  readonly store: ProfileStore;
  isAllowedExternalUrl(url: string): boolean;
  /** For errors that are not AppErrors: main's log, never the renderer. */
  logUnexpected(channel: string, error: unknown): void;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<ForceSitesApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const logger = options.logger ?? silentLogger;
  const events = new EventHub();
  const sink = { emit: events.emit };
  const activity = new ActivityLog(events.emit);
  const store = new ProfileStore({ cwd: options.dataDir, ...(options.openProfileBacking ? { openBacking: options.openProfileBacking } : {}) });
  const secrets = options.secrets ?? new KeyringSecretStore();

  const siteHosts = () =>
    store.listSites().flatMap((site) => {
      try {
        return [new URL(site.wordpressUrl).hostname];
      } catch {
        return [];
      }
    });
  const urlAllowed = (url: string) => isAllowedExternalUrl(url, { siteHosts, allowLoopbackHttp: options.allowLoopbackHttp });
  const openExternal = async (url: string) => (urlAllowed(url) ? options.openExternal(url) : false);

  // Health and sign-in need each other: the census explains a refused refresh token and
  // warns before a sign-in, and the census reads Salesforce through the connections. The
  // hooks below close over `health`, declared further down; they only run after start-up.
  const connections: ConnectionService = new ConnectionService({
    store,
    secrets,
    openExternal: async (url) => {
      await openExternal(url);
    },
    events: sink,
    log: logger,
    allowLoopbackHttp: options.allowLoopbackHttp,
    // Enforced: a sign-in that would evict another site's approval starts only when the
    // admin acknowledged exactly that approval in the preflight dialog.
    preflight: (context) => preflightHook(health, { logger, enforce: true })(context),
    explainInvalidGrant: (connection, refusal) => invalidGrantHook(health)(connection, refusal),
    onRefreshed: (connectionId) => health.noteRefreshed(connectionId),
    ...(options.callbackTimeoutMs === undefined ? {} : { callbackTimeoutMs: options.callbackTimeoutMs }),
  });
  const sites = new SiteService({ store, secrets, events: sink, log: logger });

  const health: HealthService = new HealthService({
    ports: {
      listSites: async () => sites.list(),
      listConnections: async () => connections.list(),
      openConnection: (connectionId) => connections.getConnection(connectionId),
      settings: async () => store.getSettings(),
      refreshConnection: (connectionId) => connections.refresh(connectionId),
    },
    sink: {
      changed: (report, changes) => {
        events.emit('health:changed', { report, changes });
        reportHealthChanges(changes, { emit: events.emit, activity, ...(options.notify ? { notify: options.notify } : {}) });
      },
    },
    timers: systemTimers,
    logger,
    ...(options.isOnline ? { isOnline: options.isOnline } : {}),
  });
  if (options.scheduleHealthChecks ?? true) health.start();

  const info: AppInfo = {
    name: 'ForceSites',
    version: options.appVersion,
    edition: options.edition,
    demo: options.demoOrg !== undefined,
    ...(options.demoOrg ? { demoOrg: options.demoOrg } : {}),
  };

  const handlers = createHandlers({ info, settings: store, sites, connections, health, activity, isAllowedExternalUrl: urlAllowed, openExternal });
  activity.add('info', 'app', `ForceSites ${options.appVersion} started (${options.edition === 'electron' ? 'desktop app' : 'browser edition'}).`);

  return {
    handlers,
    events,
    activity,
    connections,
    sites,
    health,
    store,
    isAllowedExternalUrl: urlAllowed,
    logUnexpected: (channel, error) => logger.error('Unexpected error in a request handler.', { channel, error: error instanceof Error ? error.name : typeof error }),
    close: async () => {
      // The profile store writes synchronously and secrets live in the keychain; what is
      // left is a sign-in that may still hold the loopback port.
      health.stop();
      await connections.close();
    },
  };
}
