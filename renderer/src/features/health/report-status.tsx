import { useId } from 'react';
import type { HealthReport } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { REPORT_STATUS_LABELS } from './health-format';

const STATUS_TEXT: Readonly<Record<HealthReport['status'], string>> = {
  'never-checked': 'ForceSites has not checked your connections since it started.',
  ok: 'The last check reached Salesforce.',
  offline: 'This computer is offline. ForceSites checks again once the network is back; what you see is from the last check.',
  error: 'The last check could not finish. What you see is from the check before it.',
};

/** When the report was made, whether it worked, and when the next scheduled check runs. */
export function ReportStatus({ report }: { readonly report: HealthReport }) {
  const headingId = useId();
  return (
    <section className={`panel health-status health-status-${report.status}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="panel-title">
        Status: {REPORT_STATUS_LABELS[report.status]}
      </h2>
      <p>{STATUS_TEXT[report.status]}</p>
      {report.lastError !== null && (
        <div className="notice notice-error">
          <p className="notice-title">Last error</p>
          <p>{report.lastError}</p>
        </div>
      )}
      <dl className="facts">
        {report.status !== 'never-checked' && (
          <div>
            <dt>Last check</dt>
            <dd>{formatTime(report.generatedAt)}</dd>
          </div>
        )}
        <div>
          <dt>Next scheduled check</dt>
          <dd>{report.nextCheckAt === null ? (report.status === 'offline' ? 'when the network is back' : 'not scheduled') : formatTime(report.nextCheckAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
