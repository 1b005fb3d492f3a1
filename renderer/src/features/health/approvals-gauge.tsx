import type { ApprovalDto, UserAppApprovals } from '../../../../common/health-models';
import { formatTime, formatTimeWithSeconds, withinAMinuteOfAnother } from '../../ui/format';
import { Timestamp } from '../../ui/timestamp';
import './health.css';

export interface ApprovalsGaugeProps {
  readonly group: UserAppApprovals;
  /** Highlights the approval of the site whose card shows the gauge. */
  readonly currentConnectionId?: string | null;
  /** Offers a Revoke button per approval; the caller confirms and calls `health:revoke-approval`. */
  readonly onRevoke?: (approval: ApprovalDto) => void;
  readonly formatDate?: (iso: string | null) => string;
  /** For times within a minute of another in the list, which `formatDate` would show alike. */
  readonly formatDateWithSeconds?: (iso: string | null) => string;
}

function siteLabel(approval: ApprovalDto): string {
  if (approval.attribution.kind === 'unknown-site') return 'Unknown site';
  const names = approval.attribution.siteNames;
  return names.length > 0 ? names.join(', ') : 'A connection with no site';
}

/**
 * Status in words first: colour only repeats what the text says, so the gauge reads the same
 * to a screen reader, in high-contrast mode and to someone who cannot tell amber from red.
 */
function statusText(group: UserAppApprovals, evictedSite: string | null): { label: string; detail: string } {
  const who = group.username ?? 'this user';
  if (group.level === 'at-cap') {
    return {
      label: 'At the limit',
      detail: `The next sign-in as ${who} for ${group.appName} revokes the oldest approval${evictedSite ? ` (${evictedSite})` : ''}.`,
    };
  }
  if (group.level === 'warning') {
    const left = group.cap - group.used;
    return { label: 'Nearly full', detail: `${left} approval${left === 1 ? '' : 's'} left before Salesforce starts revoking the oldest.` };
  }
  return { label: 'OK', detail: `${group.cap - group.used} approvals left.` };
}

/** Used vs cap for one Salesforce user and one connected app, with the approvals oldest first. */
export function ApprovalsGauge({ group, currentConnectionId = null, onRevoke, formatDate = formatTime, formatDateWithSeconds = formatTimeWithSeconds }: ApprovalsGaugeProps) {
  const oldest = group.approvals.find((a) => a.evictedNext) ?? null;
  const status = statusText(group, oldest ? siteLabel(oldest) : null);
  const who = group.username ?? group.userId;
  // Approvals made in the same minute must still read apart, or "oldest" cannot be checked by eye.
  const closeCreated = withinAMinuteOfAnother(group.approvals.map((a) => a.createdAt));
  const closeUsed = withinAMinuteOfAnother(group.approvals.map((a) => a.lastUsedAt));
  const slots = Array.from({ length: Math.max(group.cap, group.used) }, (_, i) => i < group.used);
  return (
    <section className={`approvals-gauge approvals-gauge-${group.level}`} aria-label={`${group.appName} approvals of ${who}`}>
      <header className="approvals-gauge-header">
        <h3 className="approvals-gauge-title">
          {who} · {group.appName}
        </h3>
        <p className="approvals-gauge-count">
          <strong>
            {group.used} of {group.cap}
          </strong>{' '}
          approvals used · <span className={`approvals-gauge-status approvals-gauge-status-${group.level}`}>{status.label}</span>
        </p>
      </header>
      <div
        className="approvals-gauge-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={group.cap}
        aria-valuenow={Math.min(group.used, group.cap)}
        aria-valuetext={`${group.used} of ${group.cap} approvals used: ${status.label}`}
        aria-label={`Approvals used by ${who}`}
      >
        {slots.map((filled, i) => (
          <span key={i} className={`approvals-gauge-slot${filled ? ' approvals-gauge-slot-filled' : ''}${i >= group.warnAt - 1 && filled ? ' approvals-gauge-slot-hot' : ''}`} aria-hidden="true" />
        ))}
      </div>
      <p className="approvals-gauge-detail">{status.detail}</p>
      {group.approvals.length > 0 && (
        <ol className="approvals-gauge-list" aria-label="Approvals, oldest first">
          {group.approvals.map((approval, index) => {
            const site = siteLabel(approval);
            const created = closeCreated.has(index) ? formatDateWithSeconds : formatDate;
            const used = closeUsed.has(index) ? formatDateWithSeconds : formatDate;
            const current = approval.attribution.kind === 'site' && approval.attribution.connectionId === currentConnectionId;
            return (
              <li key={approval.id} className={`approvals-gauge-item${approval.evictedNext ? ' approvals-gauge-item-next' : ''}${current ? ' approvals-gauge-item-current' : ''}`}>
                <span className="approvals-gauge-site">
                  {site}
                  {current && <span className="approvals-gauge-tag"> (this site)</span>}
                </span>
                {approval.evictedNext && (
                  <span className="approvals-gauge-next">{group.nextAuthorizationEvicts ? 'Revoked by the next sign-in' : 'Oldest: revoked first'}</span>
                )}
                <span className="approvals-gauge-meta">
                  Authorized <Timestamp iso={approval.createdAt} format={created} /> · last used <Timestamp iso={approval.lastUsedAt} format={used} />
                  {approval.useCount !== null && ` · ${approval.useCount} ${approval.useCount === 1 ? 'use' : 'uses'}`}
                </span>
                {onRevoke && (
                  <button type="button" className="button button-quiet approvals-gauge-revoke" onClick={() => onRevoke(approval)} aria-label={`Revoke the approval authorized ${created(approval.createdAt)} (${site})`}>
                    Revoke…
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
