/**
 * Why did Salesforce answer `invalid_grant` for a connection's refresh token? Salesforce says
 * the same words ("expired access/refresh token") for an eviction by the approval cap, an
 * expiring refresh-token policy and a manual revoke, but the fix differs, so we look:
 *
 * - the connection's approval is gone while its user holds a full set of newer approvals for
 *   the app → `evicted-by-approval-cap` (authorizing another site pushed it out);
 * - else the policy expires tokens → `policy-expiry`;
 * - else the approval is gone → `revoked` (an admin or the user revoked it);
 * - anything we cannot see → `unknown`.
 */
import type { ConnectionDto, SiteProfileDto } from '../../common/models';
import type { ApprovalCensusDto, InvalidGrantExplanation, PolicyReportDto } from '../../common/health-models';
import type { CapSettings } from './approval-census';
import { ApprovalCensusService } from './approval-census';
import { PolicyCheck, policyFixPath } from './policy-check';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { candidatesFrom, formatWhen } from './sign-in-preflight';

function policyExpires(policy: PolicyReportDto | null): boolean {
  const kind = policy?.verdict.kind;
  return kind === 'expires-after' || kind === 'expires-if-unused' || kind === 'expires-immediately';
}

/** Pure: the cause from a census taken after the failure, and the policy. */
export function explainFromCensus(connection: ConnectionDto, census: ApprovalCensusDto | null, policy: PolicyReportDto | null, appName: string): InvalidGrantExplanation {
  const policyExplanation = (): InvalidGrantExplanation => ({
    cause: 'policy-expiry',
    detail: `${policy!.summary} Change it at ${policyFixPath(appName)}, then reauthorize.`,
  });
  // Without Customize Application a census shows its own user only: it can say nothing about others.
  const userSeen = census !== null && (census.scope === 'all-users' || census.groups.some((g) => g.userId.slice(0, 15) === connection.userId.slice(0, 15)));
  if (!census || !userSeen) {
    if (policyExpires(policy)) return policyExplanation();
    return { cause: 'unknown', detail: 'Salesforce refused the saved authorization; ForceSites could not see the approvals to tell why. Reauthorize to reconnect.' };
  }
  const app = appName.trim().toLowerCase();
  const group = census.groups.find((g) => g.appName.trim().toLowerCase() === app && g.userId.slice(0, 15) === connection.userId.slice(0, 15));
  const stillThere = group?.approvals.some((a) => a.attribution.kind === 'site' && a.attribution.connectionId === connection.id) ?? false;
  if (!stillThere && group && group.used >= group.cap) {
    const authorizedAt = Date.parse(connection.authorizedAt);
    const newer = group.approvals.filter((a) => Number.isNaN(authorizedAt) || Date.parse(a.createdAt) > authorizedAt).length;
    if (newer >= group.cap || Number.isNaN(authorizedAt)) {
      return {
        cause: 'evicted-by-approval-cap',
        detail:
          `${connection.username} authorized ${appName} ${group.used} more times after this connection (${formatWhen(connection.authorizedAt)}); ` +
          `Salesforce keeps ${group.cap} approvals per user and revoked this one, the oldest. Reauthorize with a dedicated integration user for this group of sites.`,
      };
    }
  }
  if (policyExpires(policy)) return policyExplanation();
  if (!stillThere) {
    return { cause: 'revoked', detail: `The approval of ${connection.username} for this connection is gone: someone revoked it in Salesforce (Setup » Connected Apps OAuth Usage, or the user's own settings). Reauthorize to reconnect.` };
  }
  return { cause: 'unknown', detail: 'The approval still exists but Salesforce refused its refresh token (a reused rotated token or a deactivated user can do this). Reauthorize to reconnect.' };
}

export interface ExplainerPorts {
  listConnections(): Promise<readonly ConnectionDto[]>;
  listSites(): Promise<readonly SiteProfileDto[]>;
  openConnection(connectionId: string): Promise<SalesforceApi>;
  settings(): Promise<CapSettings>;
}

export interface InvalidGrantExplainerOptions {
  readonly ports: ExplainerPorts;
  readonly ownAppName?: string;
  readonly census?: ApprovalCensusService;
  readonly policy?: PolicyCheck;
  readonly toleranceMs?: number;
}

/**
 * The `explainInvalidGrant(connection)` hook for the ConnectionService: looks through another
 * live connection of the same org (the failed one cannot call Salesforce any more).
 */
export class InvalidGrantExplainer {
  private readonly ownAppName: string;
  private readonly census: ApprovalCensusService;
  private readonly policy: PolicyCheck;

  constructor(private readonly options: InvalidGrantExplainerOptions) {
    this.ownAppName = options.ownAppName ?? 'ForceSites';
    this.census = options.census ?? new ApprovalCensusService();
    this.policy = options.policy ?? new PolicyCheck();
  }

  async explain(connection: ConnectionDto): Promise<InvalidGrantExplanation> {
    const { ports } = this.options;
    const [connections, sites, settings] = await Promise.all([ports.listConnections(), ports.listSites(), ports.settings()]);
    const others = connections.filter((c) => c.id !== connection.id && c.orgId === connection.orgId && c.state.kind === 'connected');
    const all = connections.some((c) => c.id === connection.id) ? connections : [...connections, connection];
    for (const other of others) {
      try {
        const api = await ports.openConnection(other.id);
        const taken = await this.census.take(api, {
          watchedApps: [this.ownAppName],
          approvalCap: settings.approvalCap,
          approvalWarnAt: settings.approvalWarnAt,
          candidates: candidatesFrom(all.filter((c) => c.orgId === connection.orgId), sites, this.ownAppName),
          toleranceMs: this.options.toleranceMs,
          orgId: connection.orgId,
        });
        let policy: PolicyReportDto | null = null;
        try {
          policy = await this.policy.check(api, { appName: this.ownAppName });
        } catch {
          policy = null;
        }
        const explanation = explainFromCensus(connection, taken.dto, policy, this.ownAppName);
        if (explanation.cause !== 'unknown' || others.at(-1) === other) return explanation;
      } catch {
        continue;
      }
    }
    return explainFromCensus(connection, null, null, this.ownAppName);
  }
}
