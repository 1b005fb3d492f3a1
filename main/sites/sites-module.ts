/**
 * Site profiles as a feature module: `sites:list`, `sites:save`, `sites:delete`; a finished
 * manual sync (`sync.finished` on the bus) becomes the site's "Last sync".
 */
import type { FeatureModule } from '../platform/feature-module';
import { SiteService, type SiteServiceOptions } from './site-service';

export type SitesChannel = 'sites:list' | 'sites:save' | 'sites:delete';

export interface SitesModule extends FeatureModule<SitesChannel> {
  readonly service: SiteService;
}

export function createSitesModule(options: SiteServiceOptions): SitesModule {
  const service = new SiteService(options);
  let unsubscribe: (() => void) | undefined;
  return {
    service,
    handlers: {
      'sites:list': () => service.list(),
      'sites:save': (input) => service.save(input),
      'sites:delete': ({ siteId }) => service.delete(siteId),
    },
    start() {
      unsubscribe ??= options.bus.on('sync.finished', ({ run }) => {
        if (run.state === 'completed' && run.origin !== 'live' && run.finishedAt !== null) service.recordSync(run.siteId, run.finishedAt);
      });
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
