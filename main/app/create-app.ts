/**
 * Composition, and nothing else: builds platform → salesforce → features, assembles the IPC
 * handler table from the feature modules, and routes domain events to IPC events, Activity
 * entries, banners and notifications (event-routing.ts). Electron (main/electron) and the
 * browser edition (scripts/demo-server.ts, the tests) call this with their own ports.
 */
import { mkdirSync } from 'node:fs';
import { SYNC_SETTING_DEFAULTS, type AppInfo, type DemoOrgInfo, type Edition } from '../../common/models';
import { createAuthModule, type AuthModule } from '../auth/auth-module';
import { createChangeFeedModule } from '../change-feed/change-feed-module';
import { CHANGE_FEED_POLL_DEFAULT_SECONDS } from '../../common/change-feed-models';
import { createFieldsModule, type FieldsModule } from '../fields/fields-module';
import { createHealthModule, type HealthModule } from '../health/health-module';
import { createOrdersModule } from '../orders/orders-module';
import { createOutboundModule, type OutboundModuleOptions } from '../outbound/outbound-module';
import { EventBus } from '../platform/event-bus';
import { localDatabasePath, openLocalDatabase } from '../platform/local-database';
import type { HandlerTable } from '../platform/feature-module';
import { KeyringSecretStore } from '../platform/keyring-secret-store';
import { silentLogger, type Logger } from '../platform/logger';
import { ProfileStore, type ProfileStoreOptions } from '../platform/profile-store';
import { systemTimers, type Timers } from '../platform/timers';
import type { SecretStore } from '../platform/token-vault';
import { ConnectionRegistry } from '../salesforce/connection-registry';
import { createSitesModule, type SitesModule } from '../sites/sites-module';
import { createSyncModule } from '../sync/sync-module';
import { createWordpressModule } from '../wordpress/wordpress-module';
import { ActivityLog } from './activity-log';
import { createAppHandlers } from './app-handlers';
import { routeDomainEvents } from './event-routing';
import { EventHub } from './event-hub';
import { externalUrlVerdict } from './external-url-policy';
import { fieldsWordpressPort } from './fields-wordpress-port';
import { outboundWordpressPort } from './outbound-wordpress-port';
import { siteWordpressClient, type SiteWordpressDeps } from './site-wordpress';

export interface AppOptions {
  readonly edition: Edition;
  /** Where the profile file lives (Electron: userData). */
  readonly dataDir: string;
  readonly appVersion: string;
  /** Accept http loopback login hosts and URLs: the demo org and tests only. */
  readonly allowLoopbackHttp: boolean;
  /** Opens a URL in the system browser; answers false when this edition cannot. */
  readonly openExternal: (url: string) => Promise<boolean>;
  /**
   * Asks the admin, in main's own UI, before opening a host that only a renderer-saved value
   * vouches for (a WordPress site URL) or a login host no connection uses yet. Without it
   * such URLs are not opened (the browser edition shows them as links instead).
   */
  readonly confirmOpenExternal?: (url: string) => Promise<boolean>;
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
  /**
   * Follow again the sites whose live change feed was on when ForceSites last quit (default
   * true). A one-shot process (the command line) must not: it would follow beside the app.
   */
  readonly resumeChangeFeeds?: boolean;
  /** Whether the machine is online; the scheduled checks pause while it is not. */
  readonly isOnline?: () => boolean;
  /** Delay between a change of sites or connections and the health check it triggers. */
  readonly healthChangeDebounceMs?: number;
  readonly timers?: Timers;
  /** Deadline for one Salesforce request; defaults to the setting (tests shorten it below its 5 s minimum). */
  readonly requestTimeoutMs?: number;
  /** Deadline for one health run; defaults to four request deadlines. */
  readonly healthRunTimeoutMs?: number;
  /** Tests only: extra trusted CAs, a shorter Salesforce timeout, a shorter wait for WordPress (outbound tester). */
  readonly outboundTesting?: Pick<OutboundModuleOptions, 'network' | 'salesforceTimeoutMs' | 'verifyWaitMs'>;
}

export interface ForceSitesApp {
  readonly handlers: HandlerTable;
  readonly events: EventHub;
  readonly bus: EventBus;
  readonly activity: ActivityLog;
  readonly registry: ConnectionRegistry;
  readonly auth: AuthModule;
  readonly sites: SitesModule;
  readonly health: HealthModule;
  readonly fields: FieldsModule;
  readonly store: ProfileStore;
  isAllowedExternalUrl(url: string): boolean;
  /** Opens a URL the policy allows, asking first where it says so (Electron's window.open guard uses it). */
  openExternal(url: string): Promise<boolean>;
  /** For errors that are not AppErrors: main's log, never the renderer. */
  logUnexpected(channel: string, error: unknown): void;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<ForceSitesApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? systemTimers;

  // platform
  const bus = new EventBus(logger);
  const events = new EventHub();
  const activity = new ActivityLog(events.emit);
  const store = new ProfileStore({ cwd: options.dataDir, ...(options.openProfileBacking ? { openBacking: options.openProfileBacking } : {}) });
  const secrets = options.secrets ?? new KeyringSecretStore();
  const stopRouting = routeDomainEvents({ bus, store, emit: events.emit, activity, ...(options.notify ? { notify: options.notify } : {}) });

  // salesforce
  const registry = new ConnectionRegistry({
    store,
    secrets,
    bus,
    log: logger,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: () => options.requestTimeoutMs! }),
  });

  // features
  const siteHosts = () =>
    store.listSites().flatMap((site) => {
      try {
        return [new URL(site.wordpressUrl).hostname];
      } catch {
        return [];
      }
    });
  const verdict = (url: string) =>
    externalUrlVerdict(url, {
      siteHosts,
      connectionUrls: () => registry.list().flatMap((c) => [c.instanceUrl, c.loginUrl]),
      allowLoopbackHttp: options.allowLoopbackHttp,
    });
  const urlAllowed = (url: string) => verdict(url) !== 'refuse';
  const openExternal = async (url: string, asked: 'confirm-unknown' | 'refuse-unknown' = 'refuse-unknown'): Promise<boolean> => {
    const decision = verdict(url);
    const mayAsk = decision === 'confirm' || (decision === 'refuse' && asked === 'confirm-unknown' && url.startsWith('https://'));
    if (decision === 'open') return options.openExternal(url);
    if (mayAsk && options.confirmOpenExternal !== undefined && (await options.confirmOpenExternal(url))) return options.openExternal(url);
    return false;
  };

  const sites = createSitesModule({ store, secrets, bus, log: logger });
  const wordpress = createWordpressModule({ store, secrets, logger });
  const health = createHealthModule({
    registry,
    store,
    bus,
    timers,
    logger,
    listSites: () => sites.service.list(),
    schedule: options.scheduleHealthChecks ?? true,
    ...(options.healthRunTimeoutMs === undefined ? {} : { runTimeoutMs: options.healthRunTimeoutMs }),
    ...(options.healthChangeDebounceMs === undefined ? {} : { changeDebounceMs: options.healthChangeDebounceMs }),
    ...(options.isOnline ? { isOnline: options.isOnline } : {}),
  });
  const findSite = (siteId: string) => sites.service.list().find((site) => site.id === siteId);
  // Every WordPress port below reaches the site through the same client settings.
  const siteWordpress: SiteWordpressDeps = {
    site: findSite,
    password: (id) => sites.service.getWordpressPassword(id),
    woocommerceKey: (id) => sites.service.getWoocommerceKey(id),
    timeoutMs: () => store.getSettings().requestTimeoutSeconds * 1000,
    logger,
  };
  const fields = createFieldsModule({
    bus,
    dataDir: options.dataDir,
    log: logger,
    openConnection: (connectionId) => registry.open(connectionId),
    findConnection: (connectionId) => registry.find(connectionId),
    meter: registry.meter,
    sites: { get: findSite, list: () => sites.service.list(), save: (input) => sites.service.save(input) },
    wordpressFor: (siteId) =>
      fieldsWordpressPort(siteId, siteWordpress),
  });
  const outbound = createOutboundModule({
    bus,
    dataDir: options.dataDir,
    secrets,
    log: logger,
    site: findSite,
    connection: (connectionId) => registry.find(connectionId),
    openApi: (connectionId) => registry.open(connectionId),
    forSite: (siteId, work) => registry.meter.forSite(siteId, work),
    requestTimeoutMs: () => options.requestTimeoutMs ?? store.getSettings().requestTimeoutSeconds * 1000,
    wordpressFor: (siteId) =>
      outboundWordpressPort(siteId, siteWordpress),
    ...options.outboundTesting,
  });
  // Sync: journals and run history in the local database; WordPress users through the
  // WordPress client (features never import each other, so the port is made here).
  const database = openLocalDatabase(localDatabasePath(options.dataDir));
  const sync = createSyncModule({
    db: database,
    bus,
    registry,
    site: findSite,
    log: logger,
    // The Settings page's sync settings, read at each plan and run so a change applies to the
    // next one without a restart.
    concurrency: () => store.getSettings().syncConcurrency ?? SYNC_SETTING_DEFAULTS.syncConcurrency,
    bulkThreshold: () => store.getSettings().syncBulkThreshold ?? SYNC_SETTING_DEFAULTS.syncBulkThreshold,
    apiShare: () => (store.getSettings().syncApiSharePercent ?? SYNC_SETTING_DEFAULTS.syncApiSharePercent) / 100,
    pushOptions: () => {
      const settings = store.getSettings();
      return { removeTopics: settings.syncRemoveTopics ?? false, truncateLongValues: settings.syncTruncateLongValues ?? false };
    },
    describe: (siteId) => {
      const state = fields.service.cached(siteId);
      return state.stale === null ? state.cache?.fields : undefined;
    },
    readUsers: async function* (siteId, signal) {
      if (findSite(siteId) === undefined) return;
      for await (const page of siteWordpressClient(siteId, siteWordpress, { concurrency: 4 }).users({ signal })) yield { items: page.items, total: page.total };
    },
    writeUsers: (siteId) => {
      const client = siteWordpressClient(siteId, siteWordpress);
      return {
        create: (input, signal) => client.createUser(input, signal),
        update: (id, input, signal) => client.updateUser(id, input, signal),
        findByEmail: (email, signal) => client.findUserByEmail(email, signal),
        writeBatch: (writes, signal) => client.writeUsersBatch(writes, signal),
      };
    },
  });
  // Orders: WooCommerce orders through the WordPress client (the port is made here), settings
  // on the site profile, journal and history in the local database.
  const orders = createOrdersModule({
    db: database,
    bus,
    registry,
    site: findSite,
    log: logger,
    loadSettings: (siteId) => store.getSite(siteId)?.orders,
    saveSettings: (siteId, settings) => {
      const site = store.getSite(siteId);
      if (site !== undefined) store.saveSite({ ...site, orders: settings });
    },
    readOrders: async function* (siteId, query, signal) {
      if (findSite(siteId) === undefined) return;
      const client = siteWordpressClient(siteId, siteWordpress, { concurrency: 4 });
      for await (const page of client.orders({ status: query.statuses, ...(query.after ? { after: query.after } : {}), signal })) yield { items: page.items, total: page.total };
    },
  });
  // Live change feed: Salesforce changes applied to WordPress through the sync's live pull
  // (a port: features never import each other); its calls count for the site on Health.
  const changeFeed = createChangeFeedModule({
    db: database,
    bus,
    log: logger,
    site: findSite,
    openApi: (connectionId) => registry.open(connectionId),
    refreshSession: (connectionId) => registry.refresh(connectionId),
    forSite: (siteId, work) => registry.meter.forSite(siteId, work),
    // main/sync's live pull (main/sync/README.md "Live pull"): one origin-'live' run per session.
    openLivePull: (siteId, pullOptions) => sync.service.openLivePull(siteId, pullOptions),
    requestTimeoutMs: () => options.requestTimeoutMs ?? store.getSettings().requestTimeoutSeconds * 1000,
    pollIntervalSeconds: () => store.getSettings().changesPollSeconds ?? CHANGE_FEED_POLL_DEFAULT_SECONDS,
    resumeOnStart: options.resumeChangeFeeds ?? true,
  });
  const auth = createAuthModule({
    registry,
    bus,
    log: logger,
    allowLoopbackHttp: options.allowLoopbackHttp,
    callbackPorts: () => store.getSettings().callbackPorts,
    // The authorize URL is built by main from a validated login host; a custom host no
    // connection uses yet is opened only after the admin confirms it in main's own dialog.
    openExternal: async (url) => {
      await openExternal(url, 'confirm-unknown');
    },
    // Enforced: a sign-in that would evict another site's approval starts only when the
    // admin acknowledged exactly that approval in the preflight dialog.
    preflight: health.signInPreflight,
    afterSignIn: health.afterSignIn,
    ...(options.callbackTimeoutMs === undefined ? {} : { callbackTimeoutMs: options.callbackTimeoutMs }),
  });

  const info: AppInfo = {
    name: 'ForceSites',
    version: options.appVersion,
    edition: options.edition,
    demo: options.demoOrg !== undefined,
    ...(options.demoOrg ? { demoOrg: options.demoOrg } : {}),
  };
  const handlers: HandlerTable = {
    ...createAppHandlers({ info, store, registry, bus, activity, isAllowedExternalUrl: urlAllowed, openExternal: (url) => openExternal(url) }),
    ...sites.handlers,
    ...wordpress.handlers,
    ...auth.handlers,
    ...health.handlers,
    ...fields.handlers,
    ...sync.handlers,
    ...outbound.handlers,
    ...orders.handlers,
    ...changeFeed.handlers,
  };

  const modules = [sites, wordpress, auth, health, fields, sync, outbound, orders, changeFeed];
  for (const module of modules) module.start();
  activity.add('info', 'app', `ForceSites ${options.appVersion} started (${options.edition === 'electron' ? 'desktop app' : 'browser edition'}).`);

  return {
    handlers,
    events,
    bus,
    activity,
    registry,
    auth,
    sites,
    health,
    fields,
    store,
    isAllowedExternalUrl: urlAllowed,
    openExternal: (url) => openExternal(url),
    logUnexpected: (channel, error) => logger.error('Unexpected error in a request handler.', { channel, error }),
    close: async () => {
      // The profile store writes synchronously and secrets live in the keychain; what is
      // left is background work and a sign-in that may still hold the loopback port.
      for (const module of [...modules].reverse()) await module.stop();
      stopRouting();
      database.close();
    },
  };
}
