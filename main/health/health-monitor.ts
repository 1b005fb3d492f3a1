/**
 * The health monitor: one card per site profile, on demand and every few hours.
 *
 * For each org it reaches Salesforce through one live connection (preferring one whose user
 * sees every approval), takes the approval census, checks the refresh-token policy and the
 * install state of ForceSites' app, reads the API allowance, and touches every other
 * connection once (`limits/`) so a dead refresh token is found by the monitor rather than by
 * the next sync. Missing permissions become text on the card, never an exception.
 *
 * Scheduling: every `settings.healthIntervalHours`; after a failed run it retries with
 * exponential back-off (1 min, 2, 4 … up to the interval); while `isOnline()` is false it does
 * not call Salesforce and polls every few minutes until it is.
 */
import type { ConnectionDto, Settings, SiteProfileDto } from '../../common/models';
import type {
  ApiUsageDto,
  ApprovalCensusDto,
  CardConnectionState,
  HealthChange,
  HealthReport,
  HealthSeverity,
  InstallReportDto,
  InvalidGrantExplanation,
  KeepAlivePlanDto,
  PermissionGap,
  PolicyReportDto,
  SiteHealthCard,
  UserAppApprovals,
} from '../../common/health-models';
import { AppError, isAppError } from '../../common/errors';
import type { Timers } from '../platform/timers';
import type { Logger } from '../platform/logger';
import { silentLogger } from '../platform/logger';
import { ApprovalCensusService } from './approval-census';
import { ApiUsageTracker, unknownUsage } from './api-usage';
import { readConnectedApplication } from './connected-application';
import { buildInstallReport } from './install-check';
import { explainFromCensus } from './invalid-grant-explainer';
import type { KeepAliveScheduler } from './keep-alive';
import { keepAliveWindow } from './keep-alive';
import { PolicyCheck } from './policy-check';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { errorCodeOf, errorMessageOf, isAuthorizationLost } from '../salesforce/salesforce-errors';
import { candidatesFrom } from './sign-in-preflight';
import type { UserPermissions } from './user-permissions';
import { readUserPermissions } from './user-permissions';

export interface HealthMonitorPorts {
  listSites(): Promise<readonly SiteProfileDto[]>;
  listConnections(): Promise<readonly ConnectionDto[]>;
  /** A jsforce Connection for a stored connection; rejects with AppError NEEDS_REAUTHORIZATION / KEYCHAIN_UNAVAILABLE. */
  openConnection(connectionId: string): Promise<SalesforceApi>;
  settings(): Promise<Settings>;
}

/** Where reports go: health-module.ts puts them on the event bus ('health.changed'). */
export interface HealthSink {
  changed(report: HealthReport, changes: readonly HealthChange[]): void;
}

export interface HealthMonitorOptions {
  readonly ports: HealthMonitorPorts;
  readonly sink: HealthSink;
  readonly now?: () => number;
  readonly timers: Timers;
  /** Deadline for one whole run (default: four request deadlines, at least a minute). */
  readonly runTimeoutMs?: number;
  readonly isOnline?: () => boolean;
  readonly logger?: Logger;
  /** ForceSites' connected app as named in the org (ConnectedApplication.Name). */
  readonly ownAppName?: string;
  /** Metadata API fullName of ForceSites' app when it is not the name as an API name. */
  readonly ownAppDeveloperName?: string;
  readonly usage?: ApiUsageTracker;
  readonly keepAlive?: KeepAliveScheduler;
  readonly census?: ApprovalCensusService;
  readonly policy?: PolicyCheck;
  readonly toleranceMs?: number;
  readonly backoffInitialMs?: number;
  readonly offlinePollMs?: number;
}

interface OrgFindings {
  readonly orgId: string;
  readonly census: ApprovalCensusDto | null;
  readonly policy: PolicyReportDto | null;
  readonly install: InstallReportDto | null;
  readonly apiUsage: ApiUsageDto;
  readonly problems: string[];
  readonly gaps: PermissionGap[];
}

const SEVERITY_RANK: Record<HealthSeverity, number> = { ok: 0, unknown: 1, warning: 2, error: 3 };

export function worstSeverity(values: readonly (HealthSeverity | null | undefined)[]): HealthSeverity {
  let worst: HealthSeverity = 'ok';
  for (const v of values) if (v && SEVERITY_RANK[v] > SEVERITY_RANK[worst]) worst = v;
  return worst;
}

/** 1, 2, 4 … × initial, never above the regular interval. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  if (failures <= 0) return maxMs;
  return Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
}

function gaugeSeverity(g: UserAppApprovals | null): HealthSeverity | null {
  if (!g) return null;
  return g.level === 'at-cap' ? 'error' : g.level === 'warning' ? 'warning' : 'ok';
}

function usageSeverity(u: ApiUsageDto | null): HealthSeverity | null {
  if (!u) return null;
  return u.level === 'critical' ? 'error' : u.level === 'warning' ? 'warning' : u.level === 'unknown' ? 'unknown' : 'ok';
}

function headlineOf(state: CardConnectionState, approvals: UserAppApprovals | null, policy: PolicyReportDto | null, install: InstallReportDto | null, usage: ApiUsageDto | null): string {
  if (state.kind === 'no-connection') return 'No Salesforce connection chosen for this site.';
  if (state.kind === 'keychain-error') return 'The keychain refused to give ForceSites the saved authorization.';
  if (state.kind === 'needs-reauthorization') return `Needs reauthorization: ${state.detail}`;
  if (state.kind === 'unreachable') return state.detail;
  if (install?.verdict === 'uninstalled') return 'The connected app is not installed: new users are blocked.';
  if (policy && (policy.severity === 'error' || policy.severity === 'warning')) return policy.summary;
  if (approvals?.level === 'at-cap') return `${approvals.used} of ${approvals.cap} approvals used: the next sign-in as ${approvals.username ?? 'this user'} disconnects a site.`;
  if (usage && (usage.level === 'critical' || usage.level === 'warning')) return usage.message;
  if (approvals) return `Connected · ${approvals.used} of ${approvals.cap} approvals used.`;
  return 'Connected.';
}

export class HealthMonitor {
  private readonly ports: HealthMonitorPorts;
  private readonly now: () => number;
  private readonly isOnline: () => boolean;
  private readonly logger: Logger;
  private readonly ownAppName: string;
  private readonly usage: ApiUsageTracker;
  private readonly census: ApprovalCensusService;
  private readonly policy: PolicyCheck;
  private readonly backoffInitialMs: number;
  private readonly offlinePollMs: number;

  private last: HealthReport;
  private running: Promise<HealthReport> | null = null;
  private followUp: Promise<HealthReport> | null = null;
  private handle: unknown = undefined;
  private failures = 0;
  private started = false;
  /** Causes found for dead connections, kept so the card does not flap between checks. */
  private readonly explanations = new Map<string, InvalidGrantExplanation>();

  constructor(private readonly options: HealthMonitorOptions) {
    this.ports = options.ports;
    this.now = options.now ?? Date.now;
    this.isOnline = options.isOnline ?? (() => true);
    this.logger = options.logger ?? silentLogger;
    this.ownAppName = options.ownAppName ?? 'ForceSites';
    this.usage = options.usage ?? new ApiUsageTracker({ now: this.now });
    this.census = options.census ?? new ApprovalCensusService({ now: this.now });
    this.policy = options.policy ?? new PolicyCheck();
    this.backoffInitialMs = options.backoffInitialMs ?? 60_000;
    this.offlinePollMs = options.offlinePollMs ?? 5 * 60_000;
    this.last = { generatedAt: new Date(this.now()).toISOString(), status: 'never-checked', cards: [], censuses: [], nextCheckAt: null, lastError: null };
  }

  /** The tracker the sync code counts its calls with. */
  get apiUsage(): ApiUsageTracker {
    return this.usage;
  }

  report(): HealthReport {
    return this.last;
  }

  /** Starts the schedule with a check right away. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.arm(0);
  }

  stop(): void {
    this.started = false;
    this.options.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /**
   * On demand (the Health page's "Check now"); concurrent callers share one run. `fresh`:
   * the caller changed something (revoked an approval, added a site) that a run already in
   * progress may not have seen, so a new run follows it.
   */
  checkNow(options: { readonly fresh?: boolean } = {}): Promise<HealthReport> {
    if (this.running) {
      if (!options.fresh) return this.running;
      this.followUp ??= this.running.then(
        () => this.checkNow(),
        () => this.checkNow(),
      ).finally(() => {
        this.followUp = null;
      });
      return this.followUp;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The ConnectionService's `explainInvalidGrant` hook, answered from the latest findings when fresh. */
  async explainInvalidGrant(connection: ConnectionDto): Promise<InvalidGrantExplanation> {
    const census = this.last.censuses.find((c) => c.orgId === connection.orgId) ?? null;
    const card = this.last.cards.find((c) => c.connectionId === connection.id);
    const explanation = explainFromCensus(connection, census, card?.policy ?? null, this.ownAppName);
    this.explanations.set(connection.id, explanation);
    return explanation;
  }

  // ---------------------------------------------------------------- scheduling

  private arm(delayMs: number): void {
    this.options.timers.clearTimeout(this.handle);
    if (!this.started) return;
    this.handle = this.options.timers.setTimeout(() => void this.tick(), Math.max(0, delayMs));
  }

  private async tick(): Promise<void> {
    if (!this.started) return;
    if (!this.isOnline()) {
      this.publish({ ...this.last, status: 'offline', nextCheckAt: null }, []);
      this.arm(this.offlinePollMs);
      return;
    }
    const report = await this.checkNow();
    void report;
  }

  private async runTimeoutMs(): Promise<number> {
    if (this.options.runTimeoutMs !== undefined) return this.options.runTimeoutMs;
    try {
      const settings = await this.ports.settings();
      return Math.max(60_000, (settings.requestTimeoutSeconds ?? 30) * 4_000);
    } catch {
      return 120_000;
    }
  }

  private withRunDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const handle = this.options.timers.setTimeout(() => {
        const seconds = Math.round(timeoutMs / 1000);
        reject(
          new AppError('REQUEST_TIMEOUT', `The health check did not finish within ${seconds} seconds: Salesforce is slow or unreachable.`, {
            hint: 'The next scheduled check tries again; Check now retries at once. The deadline follows the request deadline in Settings.',
          }),
        );
      }, timeoutMs);
      work.then(
        (value) => {
          this.options.timers.clearTimeout(handle);
          resolve(value);
        },
        (error: unknown) => {
          this.options.timers.clearTimeout(handle);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private async intervalMs(): Promise<number> {
    try {
      const settings = await this.ports.settings();
      return Math.max(15 * 60_000, settings.healthIntervalHours * 3_600_000);
    } catch {
      return 6 * 3_600_000;
    }
  }

  // ---------------------------------------------------------------- one run

  private async run(): Promise<HealthReport> {
    const interval = await this.intervalMs();
    let report: HealthReport;
    let failed = false;
    try {
      // A run has a deadline of its own: one hung answer must not stop health for good. A run
      // past it is dropped (its findings are never published) and reported.
      const built = await this.withRunDeadline(this.build(), await this.runTimeoutMs());
      report = built.report;
      failed = built.allFailed;
    } catch (error) {
      this.logger.warn('health check failed', { code: errorCodeOf(error) });
      failed = true;
      report = { ...this.last, generatedAt: new Date(this.now()).toISOString(), status: 'error', lastError: isAppError(error) ? error.message : errorMessageOf(error) };
    }
    this.failures = failed ? this.failures + 1 : 0;
    const delay = failed ? backoffDelay(this.failures, this.backoffInitialMs, interval) : interval;
    report = { ...report, nextCheckAt: this.started ? new Date(this.now() + delay).toISOString() : null };
    this.publish(report, diff(this.last, report));
    this.arm(delay);
    return report;
  }

  private publish(report: HealthReport, changes: readonly HealthChange[]): void {
    this.last = report;
    try {
      this.options.sink.changed(report, changes);
    } catch (error) {
      this.logger.warn('health sink failed', { code: errorCodeOf(error) });
    }
  }

  private async build(): Promise<{ report: HealthReport; allFailed: boolean }> {
    const [settings, sites, connections] = await Promise.all([this.ports.settings(), this.ports.listSites(), this.ports.listConnections()]);
    const states = new Map<string, CardConnectionState>();
    const findings = new Map<string, OrgFindings>();
    let reachedAny = connections.length === 0;
    let networkFailures = 0;
    let lastNetworkError = '';

    const byOrg = new Map<string, ConnectionDto[]>();
    for (const c of connections) byOrg.set(c.orgId, [...(byOrg.get(c.orgId) ?? []), c]);

    for (const [orgId, orgConnections] of byOrg) {
      // Touch every connection: a refresh that fails here marks it before a sync trips on it.
      const live: { connection: ConnectionDto; api: SalesforceApi }[] = [];
      let apiUsage: ApiUsageDto | null = null;
      for (const connection of orgConnections) {
        if (connection.state.kind !== 'connected') {
          states.set(connection.id, connection.state);
          continue;
        }
        try {
          const api = await this.ports.openConnection(connection.id);
          const usage = await this.usage.readOrgUsage(api, orgId);
          apiUsage = apiUsage && apiUsage.level !== 'unknown' ? apiUsage : usage;
          live.push({ connection, api });
          states.set(connection.id, { kind: 'connected' });
          reachedAny = true;
        } catch (error) {
          if (isAppError(error) && error.code === 'KEYCHAIN_UNAVAILABLE') {
            states.set(connection.id, { kind: 'keychain-error', detail: error.message });
          } else if (isAuthorizationLost(error)) {
            states.set(connection.id, { kind: 'needs-reauthorization', cause: 'unknown', detail: isAppError(error) ? error.message : 'Salesforce refused the saved authorization.' });
          } else {
            // Not reached: never "Connected" on the strength of a call that did not answer.
            networkFailures += 1;
            lastNetworkError = isAppError(error) ? error.message : errorMessageOf(error);
            states.set(connection.id, { kind: 'unreachable', detail: `Salesforce could not be reached: ${lastNetworkError}` });
          }
        }
      }
      findings.set(orgId, await this.examineOrg(orgId, live, orgConnections, sites, settings, apiUsage));
    }

    // Dead connections: explain from the census just taken.
    for (const connection of connections) {
      const state = states.get(connection.id);
      if (state?.kind !== 'needs-reauthorization') continue;
      const f = findings.get(connection.orgId);
      const explanation = f?.census ? explainFromCensus(connection, f.census, f.policy, this.ownAppName) : (this.explanations.get(connection.id) ?? null);
      if (explanation && (state.cause === 'unknown' || explanation.cause !== 'unknown')) {
        this.explanations.set(connection.id, explanation);
        states.set(connection.id, { kind: 'needs-reauthorization', cause: explanation.cause, detail: explanation.detail });
      }
    }

    // Keep-alive: guard every live connection against idle expiry.
    const plans = new Map<string, KeepAlivePlanDto>();
    if (this.options.keepAlive) {
      for (const connection of connections) {
        const f = findings.get(connection.orgId);
        const kind = states.get(connection.id)?.kind;
        if (kind === 'unreachable') continue; // keep the plan: the next refresh may get through
        if (kind !== 'connected') {
          this.options.keepAlive.unschedule(connection.id);
          continue;
        }
        const window = keepAliveWindow(f?.policy?.verdict ?? { kind: 'unknown' });
        if (window === null) {
          // A policy keep-alive cannot help with (or none needed): drop any earlier plan.
          this.options.keepAlive.unschedule(connection.id);
          continue;
        }
        const reason = f?.policy?.verdict.kind === 'expires-if-unused' ? 'the refresh token policy expires unused tokens' : 'Salesforce may expire refresh tokens unused for 30 days';
        plans.set(connection.id, this.options.keepAlive.schedule({ connectionId: connection.id, windowMs: window, reason }));
      }
    }

    const now = new Date(this.now()).toISOString();
    const cards = sites.map((site) => this.card(site, connections, states, findings, plans, now));
    const censuses = [...findings.values()].map((f) => f.census).filter((c): c is ApprovalCensusDto => c !== null);
    const allFailed = !reachedAny && networkFailures > 0;
    return {
      report: {
        generatedAt: now,
        status: allFailed ? 'error' : 'ok',
        cards,
        censuses,
        nextCheckAt: null,
        lastError: allFailed ? `Salesforce unreachable: no connection got an answer (${lastNetworkError})` : null,
      },
      allFailed,
    };
  }

  private async examineOrg(orgId: string, live: readonly { connection: ConnectionDto; api: SalesforceApi }[], orgConnections: readonly ConnectionDto[], sites: readonly SiteProfileDto[], settings: Settings, apiUsage: ApiUsageDto | null): Promise<OrgFindings> {
    const problems: string[] = [];
    const usage = apiUsage ?? unknownUsage(orgId, 'No live connection in this org to read the API allowance with.');
    if (live.length === 0) return { orgId, census: null, policy: null, install: null, apiUsage: usage, problems, gaps: [] };

    // The probe: the first live connection whose user holds Customize Application, else the first.
    let probe = live[0]!;
    let permissions: UserPermissions | undefined;
    for (const candidate of live) {
      const p = await readUserPermissions(candidate.api);
      if (permissions === undefined) permissions = p;
      if (p.customizeApplication === true) {
        probe = candidate;
        permissions = p;
        break;
      }
    }

    let census: ApprovalCensusDto | null = null;
    let usageInstalled: boolean | null = null;
    const censusRequest = {
      watchedApps: [this.ownAppName, ...settings.watchedApps],
      approvalCap: settings.approvalCap,
      approvalWarnAt: settings.approvalWarnAt,
      candidates: candidatesFrom(orgConnections, sites, this.ownAppName),
      ...(this.options.toleranceMs !== undefined ? { toleranceMs: this.options.toleranceMs } : {}),
      orgId,
    };
    try {
      const taken = await this.census.take(probe.api, { ...censusRequest, ...(permissions ? { permissions } : {}) });
      census = countedVia(taken.dto, probe.connection.id);
      usageInstalled = taken.usageApps.get(this.ownAppName)?.installed ?? null;
    } catch (error) {
      problems.push(`The approval census failed: ${errorMessageOf(error)}`);
    }
    if (census && census.scope !== 'all-users') census = await this.addOwnCensuses(census, probe, live, censusRequest);

    let policy: PolicyReportDto | null = null;
    let install: InstallReportDto | null = null;
    try {
      const row = await readConnectedApplication(probe.api, this.ownAppName);
      install = buildInstallReport(this.ownAppName, { row, usageApiInstalled: usageInstalled });
      policy = await this.policy.check(probe.api, {
        appName: this.ownAppName,
        row,
        ...(this.options.ownAppDeveloperName ? { developerName: this.options.ownAppDeveloperName } : {}),
        ...(permissions ? { permissions } : {}),
      });
    } catch (error) {
      problems.push(`The policy check failed: ${errorMessageOf(error)}`);
    }
    const gaps = mergeGaps([...(census?.permissionGaps ?? []), ...(policy?.permissionGaps ?? []), ...(install?.permissionGaps ?? [])]);
    return { orgId, census, policy, install, apiUsage: usage, problems, gaps };
  }

  /**
   * Without Customize Application a user sees only their own approvals, so each other user
   * with a live connection counts their own, and their groups join the org's census.
   */
  private async addOwnCensuses(census: ApprovalCensusDto, probe: { connection: ConnectionDto }, live: readonly { connection: ConnectionDto; api: SalesforceApi }[], request: Parameters<ApprovalCensusService['take']>[1]): Promise<ApprovalCensusDto> {
    const seen = new Set([probe.connection.userId.slice(0, 15)]);
    let groups = [...census.groups];
    const notes = [...census.notes];
    for (const { connection, api } of live) {
      const user = connection.userId.slice(0, 15);
      if (seen.has(user)) continue;
      seen.add(user);
      try {
        const own = await this.census.take(api, request);
        groups = groups.filter((g) => g.userId.slice(0, 15) !== user).concat(countedVia(own.dto, connection.id).groups.filter((g) => g.userId.slice(0, 15) === user));
      } catch (error) {
        notes.push(`The approvals of ${connection.username} could not be counted: ${errorMessageOf(error)}`);
      }
    }
    notes.push('No connection holds Customize Application: each user’s approvals were counted through their own connection; users without one are not shown.');
    return { ...census, groups, notes };
  }

  private card(site: SiteProfileDto, connections: readonly ConnectionDto[], states: ReadonlyMap<string, CardConnectionState>, findings: ReadonlyMap<string, OrgFindings>, plans: ReadonlyMap<string, KeepAlivePlanDto>, now: string): SiteHealthCard {
    const connection = site.connectionId ? connections.find((c) => c.id === site.connectionId) : undefined;
    const siteApiCalls = this.usage.siteCalls(site.id);
    if (!connection) {
      return {
        siteId: site.id,
        siteName: site.name,
        connectionId: site.connectionId,
        connectionState: { kind: 'no-connection' },
        username: null,
        severity: 'warning',
        headline: headlineOf({ kind: 'no-connection' }, null, null, null, null),
        approvals: null,
        policy: null,
        install: null,
        apiUsage: null,
        siteApiCalls,
        keepAlive: null,
        permissionGaps: [],
        lastSyncedAt: site.lastSyncedAt,
        lastCheckedAt: now,
        problems: site.connectionId ? ['The connection this site used was removed.'] : [],
        ...(site.detachedFromConnection ? { detachedFromConnection: site.detachedFromConnection } : {}),
      };
    }
    const state = states.get(connection.id) ?? connection.state;
    const f = findings.get(connection.orgId);
    const app = this.ownAppName.trim().toLowerCase();
    const approvals = f?.census?.groups.find((g) => g.appName.trim().toLowerCase() === app && g.userId.slice(0, 15) === connection.userId.slice(0, 15)) ?? null;
    const stateSeverity: HealthSeverity = state.kind === 'connected' ? 'ok' : 'error';
    const severity = worstSeverity([stateSeverity, gaugeSeverity(approvals), f?.policy?.severity, f?.install?.severity, usageSeverity(f?.apiUsage ?? null), f && f.gaps.length > 0 ? 'unknown' : null]);
    const problems = [...(f?.problems ?? []), ...(f?.census?.truncated ? [f.census.truncated.message] : [])];
    return {
      siteId: site.id,
      siteName: site.name,
      connectionId: connection.id,
      connectionState: state,
      username: connection.username,
      severity,
      headline: headlineOf(state, approvals, f?.policy ?? null, f?.install ?? null, f?.apiUsage ?? null),
      approvals,
      policy: f?.policy ?? null,
      install: f?.install ?? null,
      apiUsage: f?.apiUsage ?? null,
      siteApiCalls,
      connectionApiCalls: this.usage.siteCalls(`connection:${connection.id}`),
      keepAlive: plans.get(connection.id) ?? this.options.keepAlive?.plan(connection.id) ?? null,
      permissionGaps: f?.gaps ?? [],
      lastSyncedAt: site.lastSyncedAt,
      lastCheckedAt: now,
      problems,
    };
  }
}

function mergeGaps(gaps: readonly PermissionGap[]): PermissionGap[] {
  const seen = new Map<string, PermissionGap>();
  for (const g of gaps) if (!seen.has(g.permission)) seen.set(g.permission, g);
  return [...seen.values()];
}

/**
 * Severity changes per site, for a banner or desktop notification. The first report announces
 * only sites that already need attention, so a healthy start stays quiet.
 */
export function diff(previous: HealthReport, next: HealthReport): HealthChange[] {
  if (previous.status === 'never-checked') {
    return next.cards
      .filter((c) => c.severity === 'error' || c.severity === 'warning')
      .map((c) => ({ siteId: c.siteId, siteName: c.siteName, from: null, to: c.severity, message: `${c.siteName}: ${c.headline}` }));
  }
  const before = new Map(previous.cards.map((c) => [c.siteId, c]));
  const out: HealthChange[] = [];
  for (const card of next.cards) {
    const old = before.get(card.siteId);
    if (old && old.severity === card.severity && old.headline === card.headline) continue;
    if (!old && card.severity === 'ok') continue;
    out.push({ siteId: card.siteId, siteName: card.siteName, from: old?.severity ?? null, to: card.severity, message: `${card.siteName}: ${card.headline}` });
  }
  return out;
}

/** Marks every group of a census with the connection that counted it (and may revoke from it). */
export function countedVia(census: ApprovalCensusDto, connectionId: string): ApprovalCensusDto {
  return { ...census, groups: census.groups.map((group) => ({ ...group, viaConnectionId: connectionId })) };
}
