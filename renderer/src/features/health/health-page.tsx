import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { useSetupProgress } from '../../app/use-setup-progress';
import { EmptyState } from '../../ui/empty-state';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';

export function HealthPage() {
  const progress = useSetupProgress();
  const { settings } = useApp();
  const cap = settings?.approvalCap ?? 5;
  return (
    <div className="page">
      <PageHeader title="Health">Whether every site can still reach Salesforce, and how close each user is to the approval limit.</PageHeader>
      <EmptyState title="No health results yet">
        <p>This page shows the approval census and the policy checks for your connections:</p>
        <ul>
          <li>
            How many approvals each Salesforce user holds for each app, against your cap of {cap}, so you see a site about to be disconnected before
            Salesforce revokes its approval.
          </li>
          <li>Whether the app’s refresh token policy keeps approvals valid until revoked, who may authorize it, and whether it is installed in the org.</li>
          <li>How much of the org’s daily API allowance the sites use.</li>
        </ul>
        <NextStep progress={progress} needs="connection" />
        {!progress.loading && progress.connections > 0 && (
          <p className="muted">
            Results appear here after ForceSites has checked your connections. Change how often it checks in <a href={routeHref('settings')}>Settings</a>.
          </p>
        )}
      </EmptyState>
    </div>
  );
}
