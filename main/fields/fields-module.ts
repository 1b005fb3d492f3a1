/**
 * Fields as a feature module: the object list, "Refresh Available Topics & Fields", the
 * cached fields, the WordPress side, the mapping preview and save, and a profile's settings
 * as a JSON file. A deleted site's field cache is deleted with it.
 */
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import { FieldCacheStore } from './field-cache-store';
import { FieldsService, type FieldsServiceOptions } from './fields-service';

export type FieldsChannel =
  | 'fields:objects'
  | 'fields:cached'
  | 'fields:refresh'
  | 'fields:wordpress'
  | 'fields:preview'
  | 'fields:save-mapping'
  | 'sites:export'
  | 'sites:import';

export interface FieldsModuleOptions extends Omit<FieldsServiceOptions, 'cache' | 'note'> {
  readonly bus: EventBus;
  /** The app's data folder: the cache lives in `<dataDir>/field-cache/`. */
  readonly dataDir: string;
}

export interface FieldsModule extends FeatureModule<FieldsChannel> {
  readonly service: FieldsService;
}

export function createFieldsModule(options: FieldsModuleOptions): FieldsModule {
  const { bus, dataDir, ...rest } = options;
  const service = new FieldsService({
    ...rest,
    cache: new FieldCacheStore(dataDir, options.log),
    note: (level, message) => bus.emit('activity.note', { level, area: 'sites', message }),
  });
  const unsubscribe: (() => void)[] = [];
  return {
    service,
    handlers: {
      'fields:objects': ({ connectionId, fresh }) => service.objects(connectionId, fresh ?? false),
      'fields:cached': ({ siteId }) => service.cached(siteId),
      'fields:refresh': ({ siteId }) => service.refresh(siteId),
      'fields:wordpress': ({ siteId }) => service.wordpress(siteId),
      'fields:preview': ({ siteId, settings }) => service.preview(siteId, settings),
      'fields:save-mapping': ({ siteId, settings }) => service.saveMapping(siteId, settings),
      'sites:export': ({ siteId }) => service.exportSite(siteId),
      'sites:import': ({ json, siteId }) => service.importSite(json, siteId),
    },
    start() {
      if (unsubscribe.length > 0) return;
      unsubscribe.push(bus.on('site.deleted', ({ siteId }) => service.forget(siteId)));
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
