import { useSetupProgress } from '../../app/use-setup-progress';
import { EmptyState } from '../../ui/empty-state';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';

export function SyncPage() {
  const progress = useSetupProgress();
  return (
    <div className="page">
      <PageHeader title="Sync">Moving members and their tags between WordPress and Salesforce.</PageHeader>
      <EmptyState title="Nothing synced yet">
        <p>
          This page pushes WordPress users to Salesforce and pulls Salesforce changes back, following each site’s field mapping. It shows a plan of what
          would change before anything is written, then the progress and result of each run.
        </p>
        <NextStep progress={progress} needs="site" />
        {!progress.loading && progress.connectedSites > 0 && <p className="muted">Sync runs and their results appear here.</p>}
      </EmptyState>
    </div>
  );
}
