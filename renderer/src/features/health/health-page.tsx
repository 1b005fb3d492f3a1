import { useId, useState, type ReactNode } from 'react';
import type { HealthReport } from '../../../../common/health-models';
import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { useLive } from '../../app/use-live';
import { useSetupProgress } from '../../app/use-setup-progress';
import { invoke } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTime } from '../../ui/format';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';
import { ApprovalsByUser } from './approvals-by-user';
import { ApprovalsExplainer } from './approvals-explainer';
import { ReportStatus } from './report-status';
import { RevokeApprovalDialog, type RevokeTarget } from './revoke-approval-dialog';
import { SiteCard } from './site-card';
import { useHealthReport } from './use-health-report';
import './health.css';

function checkedMessage(report: HealthReport): string {
  if (report.status === 'error') return `The check failed${report.lastError !== null ? `: ${report.lastError}` : '.'}`;
  if (report.status === 'offline') return 'ForceSites is offline; it checks again once the network is back.';
  const attention = report.cards.filter((card) => card.severity === 'warning' || card.severity === 'error').length;
  const sites = report.cards.length === 1 ? '1 site' : `${report.cards.length} sites`;
  return `Checked ${formatTime(report.generatedAt)}: ${sites}, ${attention === 0 ? 'none needs attention' : `${attention} need${attention === 1 ? 's' : ''} attention`}.`;
}

export function HealthPage() {
  const progress = useSetupProgress();
  const { settings } = useApp();
  const connections = useLive(() => invoke('connections:list', {}), 'connections:changed');
  const health = useHealthReport();
  const [status, setStatus] = useState('');
  const [revoking, setRevoking] = useState<RevokeTarget | undefined>(undefined);
  const [revokeWarning, setRevokeWarning] = useState<string | undefined>(undefined);
  const cap = settings?.approvalCap ?? 5;
  const { report } = health;

  async function checkNow() {
    setStatus('Checking every connection…');
    const fresh = await health.check();
    setStatus(fresh === undefined ? '' : checkedMessage(fresh));
  }

  async function revoke(target: RevokeTarget) {
    const result = await invoke('health:revoke-approval', { connectionId: target.connectionId, approvalId: target.approval.id, source: target.approval.source });
    setRevoking(undefined);
    if (result.revoked) {
      setRevokeWarning(undefined);
      setStatus(result.message);
    } else {
      setRevokeWarning(result.message);
      setStatus('');
    }
    // Recount, so the gauge shows the freed slot (or what is still there).
    const fresh = await health.check();
    if (fresh !== undefined && result.revoked) setStatus(`${result.message} ${checkedMessage(fresh)}`);
  }

  const openRevoke = (approval: RevokeTarget['approval'], group: RevokeTarget['group'], connectionId: string) => {
    setRevokeWarning(undefined);
    setRevoking({ approval, group, connectionId });
  };

  const hasResults = report !== undefined && (report.cards.length > 0 || report.censuses.length > 0);
  const noConnections = !progress.loading && progress.connections === 0;
  const stale = report === undefined ? undefined : staleness(report, progress.sites);
  const checkButton = (
    <button type="button" className="button button-primary" onClick={() => void checkNow()} disabled={health.checking} aria-describedby="health-check-status">
      {health.checking ? 'Checking…' : 'Check now'}
    </button>
  );

  return (
    <div className="page">
      <PageHeader
        title="Health"
        // While the report is stale its notice carries Check now; one such button is enough.
        actions={!noConnections && stale === undefined && checkButton}
      >
        Whether every site can still reach Salesforce, and how close each user is to the approval limit.
      </PageHeader>

      <p id="health-check-status" role="status" aria-live="polite" className="page-status">
        {status}
      </p>
      {health.checkError !== undefined && <ErrorNotice error={health.checkError} title="The check did not finish." />}
      {health.loadError !== undefined && <ErrorNotice error={health.loadError} title="The health report could not be loaded." />}
      {revokeWarning !== undefined && (
        <div className="notice notice-warning" role="alert">
          <p className="notice-title">The approval was not revoked.</p>
          <p>{revokeWarning}</p>
        </div>
      )}

      {noConnections && !hasResults ? (
        <NoConnections cap={cap} progress={progress} />
      ) : report === undefined ? (
        health.loadError === undefined && (
          <p className="muted" role="status">
            Loading the health report…
          </p>
        )
      ) : (
        <>
          <ReportStatus report={report} />
          {stale !== undefined && <StaleReportNotice report={report} stale={stale} sites={progress.sites} checkButton={checkButton} />}
          {stale !== undefined && !hasResults ? null : !hasResults && report.status === 'never-checked' ? (
            <EmptyState
              title="Not checked yet"
              action={
                <button type="button" className="button button-primary" onClick={() => void checkNow()} disabled={health.checking}>
                  {health.checking ? 'Checking…' : 'Run the first check'}
                </button>
              }
            >
              <p>
                ForceSites checks your connections every {settings?.healthIntervalHours ?? 6} hours (change it in <a href={routeHref('settings')}>Settings</a>).
                Run a check now to count every user’s approvals and read the app’s policies.
              </p>
            </EmptyState>
          ) : (
            <>
              <SitesSection report={report} outdated={stale !== undefined} onRevoke={openRevoke} />
              <ApprovalsByUser censuses={report.censuses} connections={connections.data ?? []} outdated={stale !== undefined} onRevoke={openRevoke} />
            </>
          )}
        </>
      )}

      <ApprovalsExplainer cap={cap} />

      {revoking !== undefined && <RevokeApprovalDialog target={revoking} onConfirm={() => revoke(revoking)} onCancel={() => setRevoking(undefined)} />}
    </div>
  );
}

interface SitesSectionProps {
  readonly report: HealthReport;
  /** The report predates the current sites: an empty list says nothing about them. */
  readonly outdated: boolean;
  readonly onRevoke: (approval: RevokeTarget['approval'], group: RevokeTarget['group'], connectionId: string) => void;
}

function SitesSection({ report, outdated, onRevoke }: SitesSectionProps) {
  return (
    <section className="health-block" aria-labelledby="health-sites-title">
      <h2 id="health-sites-title" className="health-block-title">
        Sites
      </h2>
      {report.cards.length === 0 && outdated ? (
        <p className="muted">This report lists no sites because it was made before your current site profiles. Check now to see them.</p>
      ) : report.cards.length === 0 ? (
        <p className="muted">
          No site profiles yet. <a href={routeHref('sites')}>Add a site</a> to see its connection, policy and API use here; the approvals below are counted
          already.
        </p>
      ) : (
        <ul className="card-list" aria-label="Site health">
          {report.cards.map((card) => (
            <SiteCard key={card.siteId} card={card} onRevoke={onRevoke} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Staleness = 'outdated' | 'never-checked';

/**
 * Why the report cannot be read as the current state: main marked it older than the sites and
 * connections (`outdated`), or nothing was checked since start-up although sites exist.
 */
function staleness(report: HealthReport, sites: number): Staleness | undefined {
  if (report.outdated === true) return 'outdated';
  if (report.status === 'never-checked' && sites > 0) return 'never-checked';
  return undefined;
}

interface StaleReportNoticeProps {
  readonly report: HealthReport;
  readonly stale: Staleness;
  readonly sites: number;
  readonly checkButton: ReactNode;
}

function StaleReportNotice({ report, stale, sites, checkButton }: StaleReportNoticeProps) {
  const headingId = useId();
  const siteCount = sites === 1 ? '1 site' : `${sites} sites`;
  return (
    <section className="notice notice-warning" aria-labelledby={headingId}>
      <h2 id={headingId} className="notice-title">
        {stale === 'outdated' ? 'This report is older than your sites and connections' : 'Your sites have not been checked yet'}
      </h2>
      {stale === 'outdated' ? (
        <p>
          It was made {formatTime(report.generatedAt)}, before sites or connections changed, so it may leave out sites and approvals you have now or list
          ones that are gone. ForceSites checks again by itself shortly; Check now to see the current state without waiting.
        </p>
      ) : (
        <p>
          ForceSites has not checked your {siteCount} and their connections since it started. Check now to count the approvals and read the app’s policies.
        </p>
      )}
      <div className="form-actions">{checkButton}</div>
    </section>
  );
}

function NoConnections({ cap, progress }: { readonly cap: number; readonly progress: ReturnType<typeof useSetupProgress> }) {
  return (
    <EmptyState title="No health results yet">
      <p>This page shows the approval census and the policy checks for your connections:</p>
      <ul>
        <li>
          How many approvals each Salesforce user holds for each app, against your cap of {cap}, so you see a site about to be disconnected before Salesforce
          revokes its approval.
        </li>
        <li>Whether the app’s refresh token policy keeps approvals valid until revoked, who may authorize it, and whether it is installed in the org.</li>
        <li>How much of the org’s daily API allowance the sites use.</li>
      </ul>
      <NextStep progress={progress} needs="connection" />
    </EmptyState>
  );
}
