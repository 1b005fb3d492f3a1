/**
 * The live change feed as a feature module: `changes:status`, `changes:follow`,
 * `changes:pause`, `changes:resume`, `changes:stop`; the domain event `changes.status`.
 * `start()` follows again every site that followed when ForceSites last quit; `stop()` (app
 * quit) unsubscribes everything without waiting on the network.
 */
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import { silentLogger } from '../platform/logger';
import { ChangeFeedService, type ChangeFeedServiceOptions } from './change-feed-service';

export type ChangeFeedChannel = 'changes:status' | 'changes:follow' | 'changes:pause' | 'changes:resume' | 'changes:stop';

export interface ChangeFeedModuleOptions extends ChangeFeedServiceOptions {
  readonly bus: EventBus;
  /** Follow again on start the sites that followed (default true). */
  readonly resumeOnStart?: boolean;
}

export interface ChangeFeedModule extends FeatureModule<ChangeFeedChannel> {
  readonly service: ChangeFeedService;
}

export function createChangeFeedModule(options: ChangeFeedModuleOptions): ChangeFeedModule {
  const service = new ChangeFeedService(options);
  const log = options.log ?? silentLogger;
  let unsubscribe: (() => void) | undefined;
  return {
    service,
    handlers: {
      'changes:status': ({ siteId }) => service.statuses(siteId),
      'changes:follow': ({ siteId }) => service.follow(siteId),
      'changes:pause': ({ siteId }) => service.pause(siteId),
      'changes:resume': ({ siteId }) => service.resume(siteId),
      'changes:stop': ({ siteId }) => service.stop(siteId),
    },
    start() {
      unsubscribe = options.bus.on('site.deleted', ({ siteId }) => {
        service.forgetSite(siteId).catch((error: unknown) => log.warn('could not stop the change feed of a deleted site', { siteId, error }));
      });
      if (options.resumeOnStart ?? true) service.startRemembered();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await service.stopAll();
    },
  };
}
