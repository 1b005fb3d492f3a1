/**
 * The channels that belong to no feature: app info, settings, the connection list and
 * disconnect (the Salesforce layer's registry), opening a URL, and the Activity page.
 */
import { AppError } from '../../common/errors';
import type { AppInfo } from '../../common/models';
import type { EventBus } from '../platform/event-bus';
import type { Handlers } from '../platform/feature-module';
import type { ProfileStore } from '../platform/profile-store';
import type { ConnectionRegistry } from '../salesforce/connection-registry';
import type { ActivityLog } from './activity-log';

export type AppChannel = 'app:info' | 'settings:get' | 'settings:update' | 'connections:list' | 'connections:disconnect' | 'shell:open-external' | 'activity:list';

export interface AppHandlerDependencies {
  readonly info: AppInfo;
  readonly store: ProfileStore;
  readonly registry: ConnectionRegistry;
  readonly bus: EventBus;
  readonly activity: ActivityLog;
  readonly isAllowedExternalUrl: (url: string) => boolean;
  readonly openExternal: (url: string) => Promise<boolean>;
}

export function createAppHandlers(deps: AppHandlerDependencies): Handlers<AppChannel> {
  return {
    'app:info': () => deps.info,
    'settings:get': () => deps.store.getSettings(),
    'settings:update': (patch) => {
      const settings = deps.store.updateSettings(patch);
      deps.bus.emit('settings.saved', {});
      return settings;
    },
    'connections:list': () => deps.registry.list(),
    'connections:disconnect': ({ connectionId, removeLocallyIfRevokeFails }) => deps.registry.disconnect(connectionId, removeLocallyIfRevokeFails),
    'shell:open-external': async ({ url }) => {
      if (!deps.isAllowedExternalUrl(url)) {
        throw new AppError('URL_NOT_ALLOWED', 'ForceSites opens only Salesforce, Salesforce help and your configured WordPress sites.', {
          hint: 'Copy the address into your browser yourself if you trust it.',
        });
      }
      return { opened: await deps.openExternal(url) };
    },
    'activity:list': ({ limit }) => deps.activity.list(limit),
  };
}
