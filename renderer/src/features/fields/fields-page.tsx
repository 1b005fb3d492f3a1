import { useSetupProgress } from '../../app/use-setup-progress';
import { EmptyState } from '../../ui/empty-state';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';

export function FieldsPage() {
  const progress = useSetupProgress();
  return (
    <div className="page">
      <PageHeader title="Fields">The Salesforce fields and topics your sites can map to.</PageHeader>
      <EmptyState title="No fields loaded yet">
        <p>
          This page refreshes the fields of each site’s Salesforce object and the topics or picklist values available for tags, so the field mapping on the
          Sites page offers real API names and tags match what the org allows.
        </p>
        <NextStep progress={progress} needs="site" />
        {!progress.loading && progress.connectedSites > 0 && (
          <p className="muted">Field and topic lists appear here once ForceSites has read them from Salesforce.</p>
        )}
      </EmptyState>
    </div>
  );
}
