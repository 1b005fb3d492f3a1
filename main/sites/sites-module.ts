/** Site profiles as a feature module: `sites:list`, `sites:save`, `sites:delete`. */
import type { FeatureModule } from '../platform/feature-module';
import { SiteService, type SiteServiceOptions } from './site-service';

export type SitesChannel = 'sites:list' | 'sites:save' | 'sites:delete';

export interface SitesModule extends FeatureModule<SitesChannel> {
  readonly service: SiteService;
}

export function createSitesModule(options: SiteServiceOptions): SitesModule {
  const service = new SiteService(options);
  return {
    service,
    handlers: {
      'sites:list': () => service.list(),
      'sites:save': (input) => service.save(input),
      'sites:delete': ({ siteId }) => service.delete(siteId),
    },
    start() {},
    async stop() {},
  };
}
