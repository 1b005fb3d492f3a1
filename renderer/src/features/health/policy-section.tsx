import { useId } from 'react';
import type { InstallReportDto, PolicyEvidence, PolicyReportDto } from '../../../../common/health-models';
import { INSTALL_LABELS, evidenceValue, policyVerdictText } from './health-format';
import { SeverityBadge } from './severity-badge';

/** The refresh token policy: verdict, why ForceSites thinks so, and the Setup path that fixes it. */
export function PolicySection({ policy }: { readonly policy: PolicyReportDto | null }) {
  const headingId = useId();
  return (
    <section className="health-section" aria-labelledby={headingId}>
      <h4 id={headingId} className="health-section-title">
        Refresh token policy
      </h4>
      {policy === null ? (
        <p className="muted">Not checked: no working connection could read the app’s policy.</p>
      ) : (
        <>
          <p>
            <strong>{policyVerdictText(policy.verdict)}</strong> <SeverityBadge severity={policy.severity} />
          </p>
          <p>{policy.summary}</p>
          {policy.adminApprovedOnly !== null && (
            <p className="muted">
              {policy.adminApprovedOnly ? 'Only admin-approved users may authorize the app.' : 'All users may self-authorize the app.'}
            </p>
          )}
          <EvidenceList evidence={policy.evidence} />
          {policy.fix !== null && <FixPath fix={policy.fix} />}
        </>
      )}
    </section>
  );
}

function EvidenceList({ evidence }: { readonly evidence: readonly PolicyEvidence[] }) {
  if (evidence.length === 0) return null;
  return (
    <details className="health-evidence">
      <summary>Why ForceSites thinks so ({evidence.length === 1 ? '1 finding' : `${evidence.length} findings`})</summary>
      <ul>
        {evidence.map((item) => (
          <li key={`${item.source}:${item.field}`}>
            <span className="muted">{item.source}</span> <code>{item.field}</code> = <code>{evidenceValue(item.value)}</code>: {item.reading}
            {!item.confirmed && (
              <>
                {' '}
                <span className="tag tag-warning">Unconfirmed</span>
                <span className="muted"> (an inference Salesforce does not document)</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

function FixPath({ fix }: { readonly fix: string }) {
  return (
    <p className="health-fix">
      <span className="health-fix-label">How to fix:</span> {fix}
    </p>
  );
}

/** Whether the app is installed in the org (uninstalled apps stop authorizing since September 2025). */
export function InstallSection({ install }: { readonly install: InstallReportDto | null }) {
  const headingId = useId();
  return (
    <section className="health-section" aria-labelledby={headingId}>
      <h4 id={headingId} className="health-section-title">
        App installation
      </h4>
      {install === null ? (
        <p className="muted">Not checked: no working connection could look the app up.</p>
      ) : (
        <>
          <p>
            <strong>{INSTALL_LABELS[install.verdict]}</strong> <SeverityBadge severity={install.severity} />
          </p>
          <p>{install.explanation}</p>
          {install.fix !== null && <FixPath fix={install.fix} />}
        </>
      )}
    </section>
  );
}
