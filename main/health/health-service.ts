/**
 * One object for main/app to wire: the health monitor, the sign-in preflight, the
 * invalid_grant explainer, revocation and keep-alive, all over the same ports. health-module.ts
 * maps its public methods to IPC channels and domain events.
 */
import type { ConnectionDto, RevokedBySignIn } from '../../common/models';
import type {
  ApprovalCensusDto,
  HealthReport,
  InvalidGrantExplanation,
  PreflightRequest,
  PreflightResult,
  RevokeApprovalRequest,
  RevokeApprovalResult,
} from '../../common/health-models';
import { AppError } from '../../common/errors';
import type { Logger } from '../platform/logger';
import type { Timers } from '../platform/timers';
import { ApiUsageTracker } from './api-usage';
import { ApprovalCensusService } from './approval-census';
import type { HealthMonitorPorts, HealthSink } from './health-monitor';
import { countedVia, HealthMonitor } from './health-monitor';
import { InvalidGrantExplainer } from './invalid-grant-explainer';
import { KeepAliveScheduler } from './keep-alive';
import { candidatesFrom, revokedBetween, SignInPreflight } from './sign-in-preflight';

export interface HealthServicePorts extends HealthMonitorPorts {
  /**
   * Refreshes a connection's access token through the ConnectionService (serialised, rotated
   * token saved). When absent there is no keep-alive.
   */
  refreshConnection?(connectionId: string): Promise<void>;
}

export interface HealthServiceOptions {
  readonly ports: HealthServicePorts;
  readonly sink: HealthSink;
  readonly timers: Timers;
  readonly now?: () => number;
  readonly isOnline?: () => boolean;
  readonly logger?: Logger;
  /** ForceSites' connected app as named in the org. Default "ForceSites". */
  readonly ownAppName?: string;
  readonly ownAppDeveloperName?: string;
  readonly runTimeoutMs?: number;
}

export class HealthService {
  readonly monitor: HealthMonitor;
  readonly apiUsage: ApiUsageTracker;
  readonly keepAlive: KeepAliveScheduler | undefined;
  private readonly preflightCheck: SignInPreflight;
  private readonly explainer: InvalidGrantExplainer;
  private readonly census: ApprovalCensusService;
  private readonly ownAppName: string;

  constructor(private readonly options: HealthServiceOptions) {
    const now = options.now ?? Date.now;
    const { ports } = options;
    this.ownAppName = options.ownAppName ?? 'ForceSites';
    this.apiUsage = new ApiUsageTracker({ now });
    this.census = new ApprovalCensusService({ now });
    const refresh = ports.refreshConnection?.bind(ports);
    this.keepAlive = refresh
      ? new KeepAliveScheduler({ now, timers: options.timers, refresh, ...(options.logger ? { logger: options.logger } : {}) })
      : undefined;
    this.monitor = new HealthMonitor({
      ports,
      sink: options.sink,
      timers: options.timers,
      now,
      ownAppName: this.ownAppName,
      usage: this.apiUsage,
      census: this.census,
      ...(options.ownAppDeveloperName ? { ownAppDeveloperName: options.ownAppDeveloperName } : {}),
      ...(options.runTimeoutMs === undefined ? {} : { runTimeoutMs: options.runTimeoutMs }),
      ...(this.keepAlive ? { keepAlive: this.keepAlive } : {}),
      ...(options.isOnline ? { isOnline: options.isOnline } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.preflightCheck = new SignInPreflight({ ports, census: this.census, ownAppName: this.ownAppName });
    this.explainer = new InvalidGrantExplainer({ ports, census: this.census, ownAppName: this.ownAppName });
  }

  start(): void {
    this.monitor.start();
  }

  stop(): void {
    this.monitor.stop();
    this.keepAlive?.stop();
  }

  /** A refresh resets the idle window of "expire if not used" policies. */
  noteRefreshed(connectionId: string): void {
    this.keepAlive?.noteUse(connectionId);
  }

  /** One Salesforce request through a connection, for a site when the caller said which. */
  countCall(connectionId: string, siteId: string | undefined): void {
    this.apiUsage.countCalls(`connection:${connectionId}`, 1);
    if (siteId !== undefined) this.apiUsage.countCalls(siteId, 1);
  }

  /** `health:report` */
  report(): HealthReport {
    return this.monitor.report();
  }

  /** `health:check` */
  check(options: { readonly fresh?: boolean } = {}): Promise<HealthReport> {
    return this.monitor.checkNow(options);
  }

  /** `health:census`: a fresh census through one connection, with every watched app. */
  async takeCensus(connectionId: string): Promise<ApprovalCensusDto> {
    const { ports } = this.options;
    const [connections, sites, settings] = await Promise.all([ports.listConnections(), ports.listSites(), ports.settings()]);
    const connection = connections.find((c) => c.id === connectionId);
    if (!connection) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
    const api = await ports.openConnection(connectionId);
    const taken = await this.census.take(api, {
      watchedApps: [this.ownAppName, ...settings.watchedApps],
      approvalCap: settings.approvalCap,
      approvalWarnAt: settings.approvalWarnAt,
      candidates: candidatesFrom(
        connections.filter((c) => c.orgId === connection.orgId),
        sites,
        this.ownAppName,
      ),
      orgId: connection.orgId,
    });
    return countedVia(taken.dto, connectionId);
  }

  /** `health:revoke-approval`: then a new check, so every card shows the result. */
  async revokeApproval(request: RevokeApprovalRequest): Promise<RevokeApprovalResult> {
    const connections = await this.options.ports.listConnections();
    const connection = connections.find((c) => c.id === request.connectionId);
    if (!connection) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
    const api = await this.options.ports.openConnection(request.connectionId);
    const result = await this.census.revoke(api, request.approvalId, request.source, { loginUrl: connection.loginUrl });
    if (result.revoked) void this.monitor.checkNow({ fresh: true }).catch(() => undefined);
    return result;
  }

  /** `auth:preflight` */
  preflight(request: PreflightRequest): Promise<PreflightResult> {
    return this.preflightCheck.check(request);
  }

  /** The preflight as sign-in runs it: the verdict and the census, kept to compare after. */
  preflightWithCensus(request: PreflightRequest): Promise<{ readonly result: PreflightResult; readonly census: ApprovalCensusDto | null }> {
    return this.preflightCheck.checkWithCensus(request);
  }

  /**
   * After a sign-in: which of the user's approvals did Salesforce revoke? Compares the census
   * taken before the browser opened with one taken now through the new connection.
   */
  async revokedBySignIn(connection: ConnectionDto, before: ApprovalCensusDto | null): Promise<RevokedBySignIn[]> {
    if (before === null) return [];
    const { ports } = this.options;
    const [connections, sites, settings] = await Promise.all([ports.listConnections(), ports.listSites(), ports.settings()]);
    const api = await ports.openConnection(connection.id);
    const after = await this.census.take(api, {
      watchedApps: [this.ownAppName],
      approvalCap: settings.approvalCap,
      approvalWarnAt: settings.approvalWarnAt,
      candidates: candidatesFrom(connections.filter((c) => c.orgId === connection.orgId), sites, this.ownAppName),
      orgId: connection.orgId,
    });
    return revokedBetween(before, after.dto, { connectionId: connection.id, userId: connection.userId, username: connection.username }, this.ownAppName);
  }

  /** Why Salesforce refused this connection's refresh token, as far as a census can tell. */
  async explainInvalidGrant(connection: ConnectionDto): Promise<InvalidGrantExplanation> {
    try {
      const fresh = await this.explainer.explain(connection);
      if (fresh.cause !== 'unknown') return fresh;
    } catch {
      // fall back to what the last check knew
    }
    return this.monitor.explainInvalidGrant(connection);
  }
}
