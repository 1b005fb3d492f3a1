/**
 * The contract's implementation: one handler per channel, each a few lines that delegate to
 * a service. `HandlerTable` makes a missing channel a compile error.
 */
import { AppError } from '../../common/errors';
import type { AppInfo, ConnectionDto, Settings, SignInRequest, SignInStarted, SiteProfileDto } from '../../common/models';
import type { RequestOf } from '../../common/contract';
import type {
  ApprovalCensusDto,
  HealthReport,
  PreflightRequest,
  PreflightResult,
  RevokeApprovalRequest,
  RevokeApprovalResult,
} from '../../common/health-models';
import type { ActivityLog } from './activity-log';
import type { HandlerTable } from './dispatch';

export interface SettingsPort {
  getSettings(): Settings;
  updateSettings(patch: Partial<Settings>): Settings;
}

/** Services announce their own changes (sites:changed, connections:changed, auth:finished). */
export interface SitesPort {
  list(): readonly SiteProfileDto[];
  save(input: RequestOf<'sites:save'>): Promise<SiteProfileDto>;
  delete(siteId: string): Promise<{ deleted: true }>;
}

export interface ConnectionsPort {
  list(): readonly ConnectionDto[];
  startSignIn(request: SignInRequest): Promise<SignInStarted>;
  cancelSignIn(flowId: string): Promise<{ cancelled: boolean }>;
  disconnect(connectionId: string, removeLocallyIfRevokeFails: boolean): Promise<{ revokedAtSalesforce: boolean; removedLocally: boolean; message: string }>;
}

export interface HealthPort {
  report(): HealthReport;
  check(): Promise<HealthReport>;
  takeCensus(connectionId: string): Promise<ApprovalCensusDto>;
  revokeApproval(request: RevokeApprovalRequest): Promise<RevokeApprovalResult>;
  preflight(request: PreflightRequest): Promise<PreflightResult>;
}

export interface HandlerDependencies {
  readonly info: AppInfo;
  readonly settings: SettingsPort;
  readonly sites: SitesPort;
  readonly connections: ConnectionsPort;
  readonly health: HealthPort;
  readonly activity: ActivityLog;
  readonly isAllowedExternalUrl: (url: string) => boolean;
  readonly openExternal: (url: string) => Promise<boolean>;
}

export function createHandlers(deps: HandlerDependencies): HandlerTable {
  const { sites, connections, health, activity } = deps;

  return {
    'app:info': () => deps.info,
    'settings:get': () => deps.settings.getSettings(),
    'settings:update': (patch) => {
      const settings = deps.settings.updateSettings(patch);
      activity.add('info', 'app', 'Settings saved.');
      return settings;
    },
    'sites:list': () => sites.list(),
    'sites:save': async (input) => {
      const saved = await sites.save(input);
      activity.add('info', 'sites', `Site profile "${saved.name}" saved.`);
      return saved;
    },
    'sites:delete': async ({ siteId }) => {
      const name = sites.list().find((site) => site.id === siteId)?.name ?? siteId;
      const result = await sites.delete(siteId);
      activity.add('info', 'sites', `Site profile "${name}" deleted.`);
      return result;
    },
    'connections:list': () => connections.list(),
    'connections:disconnect': async ({ connectionId, removeLocallyIfRevokeFails }) => {
      const outcome = await connections.disconnect(connectionId, removeLocallyIfRevokeFails);
      activity.add(outcome.revokedAtSalesforce ? 'info' : 'warning', 'auth', outcome.message);
      return outcome;
    },
    'auth:start': async (request) => {
      const started = await connections.startSignIn(request);
      activity.add('info', 'auth', 'Sign-in started: waiting for Salesforce in the browser.');
      return started;
    },
    'auth:cancel': ({ flowId }) => connections.cancelSignIn(flowId),
    'shell:open-external': async ({ url }) => {
      if (!deps.isAllowedExternalUrl(url)) {
        throw new AppError('URL_NOT_ALLOWED', 'ForceSites opens only Salesforce, Salesforce help and your configured WordPress sites.', {
          hint: 'Copy the address into your browser yourself if you trust it.',
        });
      }
      return { opened: await deps.openExternal(url) };
    },
    'activity:list': ({ limit }) => activity.list(limit),
    'health:report': () => health.report(),
    'health:check': () => health.check(),
    'health:census': ({ connectionId }) => health.takeCensus(connectionId),
    'health:revoke-approval': async (request) => {
      const result = await health.revokeApproval(request);
      activity.add(result.revoked ? 'info' : 'warning', 'health', result.message);
      return result;
    },
    'auth:preflight': (request) => health.preflight(request),
  };
}
