import { useId } from 'react';
import type { KeepAlivePlanDto, RefreshPolicyVerdict } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { formatDuration, policyVerdictText } from './health-format';

export interface KeepAliveSectionProps {
  readonly plan: KeepAlivePlanDto | null;
  /** The refresh token policy of the current report: what keep-alive can and cannot do depends on it. */
  readonly policy?: RefreshPolicyVerdict | null | undefined;
}

/**
 * When ForceSites next refreshes the token so an idle site does not lose its approval, and why.
 * The section follows the current policy: a token that expires at once cannot be kept alive,
 * so a plan made under an earlier policy is not shown as if it still protected the site.
 */
export function KeepAliveSection({ plan, policy = null }: KeepAliveSectionProps) {
  const headingId = useId();
  return (
    <section className="health-section" aria-labelledby={headingId}>
      <h4 id={headingId} className="health-section-title">
        Keep-alive
      </h4>
      {policy?.kind === 'expires-immediately' ? (
        <>
          <p>
            <strong>Keep-alive cannot help with this policy.</strong>
          </p>
          <p>
            With “{policyVerdictText(policy)}”, Salesforce expires each refresh token as soon as it is issued, so no refresh keeps a site connected. Change
            the app’s refresh token policy to “Refresh token is valid until revoked” (see Refresh token policy).
          </p>
        </>
      ) : plan === null ? (
        <p className="muted">No keep-alive refresh is planned for this site’s connection.</p>
      ) : (
        <>
          <p>
            Next refresh: <strong>{plan.nextRunAt === null ? 'not scheduled' : formatTime(plan.nextRunAt)}</strong>
          </p>
          <p>
            Why: {plan.reason}. ForceSites refreshes every {formatDuration(plan.intervalMs)} so a refresh always lands inside the {formatDuration(plan.windowMs)}{' '}
            window.
          </p>
          {policy?.kind === 'expires-after' && (
            <p className="muted">
              Keep-alive cannot postpone this policy’s expiry, which comes {formatDuration(policy.periodMs)} after authorization however often the token
              is refreshed; it only guards against the idle limit.
            </p>
          )}
        </>
      )}
    </section>
  );
}
