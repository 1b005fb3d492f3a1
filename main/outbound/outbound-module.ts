/**
 * The outbound-message tester as a feature module: `outbound:settings`, `outbound:save`,
 * `outbound:records`, `outbound:test`. It forgets a deleted site's endpoint settings and
 * access key when sites announce the deletion.
 */
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import { silentLogger } from '../platform/logger';
import { OutboundService, type OutboundServiceOptions } from './outbound-service';

export type OutboundChannel = 'outbound:settings' | 'outbound:save' | 'outbound:records' | 'outbound:test';

export interface OutboundModuleOptions extends OutboundServiceOptions {
  readonly bus: EventBus;
}

export interface OutboundModule extends FeatureModule<OutboundChannel> {
  readonly service: OutboundService;
}

export function createOutboundModule(options: OutboundModuleOptions): OutboundModule {
  const service = new OutboundService(options);
  const log = options.log ?? silentLogger;
  let unsubscribe: (() => void) | undefined;
  return {
    service,
    handlers: {
      'outbound:settings': ({ siteId }) => service.settings(siteId),
      'outbound:save': (request) => service.save(request),
      'outbound:records': ({ siteId, search }) => service.records(siteId, search),
      'outbound:test': async (request) => {
        const result = await service.test(request);
        // The admin may run a test and walk away: the Activity page keeps what it found.
        options.bus.emit('activity.note', {
          level: result.verdict === 'pass' ? 'info' : result.verdict === 'warning' ? 'warning' : 'error',
          area: 'sites',
          message: `Outbound message test (${result.testCase}, ${result.action}) to ${result.endpointUrlMasked}: ${result.summary}`,
        });
        return result;
      },
    },
    start() {
      unsubscribe = options.bus.on('site.deleted', ({ siteId }) => {
        service.forgetSite(siteId).catch((error: unknown) => log.warn('could not forget a deleted site’s outbound settings', { siteId, error }));
      });
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
