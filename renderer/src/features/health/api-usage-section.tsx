import { useId } from 'react';
import type { ApiUsageDto, SiteApiCallsDto } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { API_LEVEL_LABELS, formatCount, formatPercent } from './health-format';

/**
 * The org's daily API allowance (main's level says warning from 80 %, critical from 95 %),
 * this site's share (calls made for it: syncs, field refreshes), and all calls through its
 * connection (health checks and keep-alive included; shared by the sites on that connection).
 */
export function ApiUsageSection({ usage, calls, connectionCalls }: { readonly usage: ApiUsageDto | null; readonly calls: SiteApiCallsDto; readonly connectionCalls?: SiteApiCallsDto | undefined }) {
  const headingId = useId();
  return (
    <section className="health-section" aria-labelledby={headingId}>
      <h4 id={headingId} className="health-section-title">
        API usage
      </h4>
      <OrgAllowance usage={usage} />
      <p>
        ForceSites made {callCount(calls.last24h)} for this site in the last 24 hours
        {connectionCalls !== undefined && <>, and {callCount(connectionCalls.last24h)} in all through its connection (health checks included)</>}.
      </p>
    </section>
  );
}

function OrgAllowance({ usage }: { readonly usage: ApiUsageDto | null }) {
  const used = usage?.used ?? null;
  const max = usage?.max ?? null;
  if (usage === null || used === null || max === null || max <= 0) {
    return <p className="muted">{usage !== null && usage.message !== '' ? usage.message : 'The org’s API allowance has not been read yet.'}</p>;
  }
  const fraction = usage.fraction ?? used / max;
  const level = API_LEVEL_LABELS[usage.level];
  return (
    <>
      <p>
        <strong>
          {formatCount(used)} of {formatCount(max)}
        </strong>{' '}
        daily API requests used in the org ({formatPercent(fraction)}) · <span className={`health-badge health-badge-api-${usage.level}`}>{level}</span>
      </p>
      <div
        className={`health-meter health-meter-${usage.level}`}
        role="meter"
        aria-label="Daily API requests used"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(used, max)}
        aria-valuetext={`${formatCount(used)} of ${formatCount(max)} (${formatPercent(fraction)}): ${level}`}
      >
        <span className="health-meter-fill" style={{ width: `${Math.min(100, fraction * 100)}%` }} />
      </div>
      {usage.message !== '' && <p className="muted">{usage.message}</p>}
      {usage.observedAt !== null && <p className="muted">Read {formatTime(usage.observedAt)}.</p>}
    </>
  );
}

function callCount(n: number): string {
  return n === 1 ? '1 call' : `${formatCount(n)} calls`;
}
