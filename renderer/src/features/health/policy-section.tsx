import { useId } from 'react';
import type { InstallReportDto, PolicyEvidence, PolicyReportDto } from '../../../../common/health-models';
import { INSTALL_LABELS, evidenceValue, policyVerdictText } from './health-format';
import { SeverityBadge } from './severity-badge';

/**
 * The refresh token policy: verdict, why ForceSites thinks so, and the Setup path that fixes it.
 * An app that is not installed has no policy to read or set, so then the policy fix is the
 * second step, after installing, and an unknown policy says why it is unknown.
 */
export function PolicySection({ policy, appUninstalled = false }: { readonly policy: PolicyReportDto | null; readonly appUninstalled?: boolean }) {
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
          {appUninstalled && policy.verdict.kind === 'unknown' ? (
            <>
              <p>
                <strong>Not readable until the app is installed</strong> <SeverityBadge severity={policy.severity} />
              </p>
              <p>{policy.appName} is not installed in this org, so its refresh token policy can be neither read nor set yet. Install it first (see App installation above).</p>
            </>
          ) : (
            <>
              <p>
                <strong>{policyVerdictText(policy.verdict)}</strong> <SeverityBadge severity={policy.severity} />
              </p>
              <p>{policy.summary}</p>
            </>
          )}
          {policy.adminApprovedOnly !== null && (
            <p className="muted">
              {policy.adminApprovedOnly ? 'Only admin-approved users may authorize the app.' : 'All users may self-authorize the app.'}
            </p>
          )}
          <EvidenceList evidence={policy.evidence} />
          {policy.fix !== null && <FixPath fix={policy.fix} label={appUninstalled ? 'Then, once it is installed:' : undefined} />}
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

function FixPath({ fix, label = 'How to fix:' }: { readonly fix: string; readonly label?: string | undefined }) {
  return (
    <p className="health-fix">
      <span className="health-fix-label">{label}</span> {fix}
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
          {install.fix !== null && <FixPath fix={install.fix} label={install.verdict === 'uninstalled' ? 'How to fix, first:' : undefined} />}
        </>
      )}
    </section>
  );
}
