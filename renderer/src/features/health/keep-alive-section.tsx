import { useId } from 'react';
import type { KeepAlivePlanDto } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { formatDuration } from './health-format';

/** When ForceSites next refreshes the token so an idle site does not lose its approval, and why. */
export function KeepAliveSection({ plan }: { readonly plan: KeepAlivePlanDto | null }) {
  const headingId = useId();
  return (
    <section className="health-section" aria-labelledby={headingId}>
      <h4 id={headingId} className="health-section-title">
        Keep-alive
      </h4>
      {plan === null ? (
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
        </>
      )}
    </section>
  );
}
