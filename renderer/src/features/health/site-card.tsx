import { useId } from 'react';
import type { ApprovalDto, SiteHealthCard, UserAppApprovals } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { ApiUsageSection } from './api-usage-section';
import { ApprovalsGauge } from './approvals-gauge';
import { ConnectionStateNotice } from './connection-state-notice';
import { KeepAliveSection } from './keep-alive-section';
import { PermissionGaps } from './permission-gaps';
import { InstallSection, PolicySection } from './policy-section';
import { SeverityBadge } from './severity-badge';

export interface SiteCardProps {
  readonly card: SiteHealthCard;
  /** Offered only when the card's own connection works: it can see (and revoke) its user's approvals. */
  readonly onRevoke?: (approval: ApprovalDto, group: UserAppApprovals, connectionId: string) => void;
}

/** Everything the health check knows about one site profile. */
export function SiteCard({ card, onRevoke }: SiteCardProps) {
  const headingId = useId();
  const connectionId = card.connectionId;
  const canRevoke = onRevoke !== undefined && connectionId !== null && card.connectionState.kind === 'connected';
  const approvals = card.approvals;
  // An uninstalled app must be installed before its policy can be set: that fix comes first.
  const uninstalled = card.install?.verdict === 'uninstalled';
  return (
    <li className={`card health-card health-card-${card.severity}`} aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId} className="card-title">
          {card.siteName}
        </h3>
        <SeverityBadge severity={card.severity} />
      </div>
      <p className="health-headline">{card.headline}</p>
      {card.problems.length > 0 && (
        <ul className="health-problems" aria-label={`Problems of ${card.siteName}`}>
          {card.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <ConnectionStateNotice state={card.connectionState} username={card.username} detachedFrom={card.detachedFromConnection} />
      {approvals !== null ? (
        <ApprovalsGauge
          group={approvals}
          currentConnectionId={connectionId}
          {...(canRevoke ? { onRevoke: (approval: ApprovalDto) => onRevoke(approval, approvals, connectionId) } : {})}
        />
      ) : (
        card.connectionState.kind !== 'no-connection' && <p className="muted">The approvals of this site’s user were not counted in the last check.</p>
      )}
      <div className="health-sections">
        {uninstalled ? (
          <>
            <InstallSection install={card.install} />
            <PolicySection policy={card.policy} appUninstalled />
          </>
        ) : (
          <>
            <PolicySection policy={card.policy} />
            <InstallSection install={card.install} />
          </>
        )}
        <ApiUsageSection usage={card.apiUsage} calls={card.siteApiCalls} connectionCalls={card.connectionApiCalls} />
        <KeepAliveSection plan={card.keepAlive} policy={card.policy?.verdict ?? null} />
      </div>
      <PermissionGaps gaps={card.permissionGaps} />
      <dl className="facts">
        <div>
          <dt>Last sync</dt>
          <dd>{formatTime(card.lastSyncedAt)}</dd>
        </div>
        <div>
          <dt>Last check</dt>
          <dd>{formatTime(card.lastCheckedAt)}</dd>
        </div>
      </dl>
    </li>
  );
}
