import { useSetupProgress } from '../../app/use-setup-progress';
import { EmptyState } from '../../ui/empty-state';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';

export function OrdersPage() {
  const progress = useSetupProgress();
  return (
    <div className="page">
      <PageHeader title="Orders">WooCommerce orders, recorded in Salesforce as Orders.</PageHeader>
      <EmptyState title="No orders yet">
        <p>
          For sites that run WooCommerce, this page copies orders to Salesforce as Orders with their products and line items, linked to the customer’s
          record, and shows which orders have been copied and which failed.
        </p>
        <NextStep progress={progress} needs="site" />
        {!progress.loading && progress.connectedSites > 0 && <p className="muted">Orders copied from your WooCommerce sites appear here.</p>}
      </EmptyState>
    </div>
  );
}
