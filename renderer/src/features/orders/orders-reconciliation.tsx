import type { OrdersReconcileDto, ReconcileState } from '../../../../common/orders-models';

const STATES: { readonly [S in Exclude<ReconcileState, 'ok'>]: string } = {
  missing: 'Missing in Salesforce',
  failed: 'Failed',
  'total-differs': 'Total differs',
};

/** WooCommerce against Salesforce: what is missing, what failed (Salesforce's own error), what totals differ. */
export function OrdersReconciliation({ report, onReplay, replaying }: { readonly report: OrdersReconcileDto; readonly onReplay: (orderIds: number[]) => void; readonly replaying: boolean }) {
  const replayable = report.rows.filter((row) => row.state !== 'total-differs' || row.salesforceId !== null).map((row) => row.wooOrderId);
  return (
    <section aria-label="Reconciliation">
      <p>
        {report.orders.toLocaleString()} WooCommerce orders: {report.counts.ok.toLocaleString()} match, {report.counts.missing.toLocaleString()} missing in Salesforce, {report.counts.failed.toLocaleString()} failed,{' '}
        {report.counts['total-differs'].toLocaleString()} with a different total · {report.apiCalls} API calls
      </p>
      {report.rows.length === 0 ? (
        <p className="muted">Every order is in Salesforce with the same total.</p>
      ) : (
        <>
          <button type="button" className="button button-primary" disabled={replaying || replayable.length === 0} onClick={() => onReplay(replayable)}>
            {replaying ? 'Replaying…' : `Replay ${replayable.length} order${replayable.length === 1 ? '' : 's'}`}
          </button>
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">State</th>
                  <th scope="col">WooCommerce</th>
                  <th scope="col">Salesforce</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr key={row.wooOrderId}>
                    <td>#{row.number}</td>
                    <td>{STATES[row.state as Exclude<ReconcileState, 'ok'>]}</td>
                    <td>
                      items {row.itemsTotal.toFixed(2)} (order total {row.wooTotal})
                    </td>
                    <td>{row.salesforceTotal === null ? '—' : `${row.salesforceTotal.toFixed(2)} (${row.salesforceId})`}</td>
                    <td>{row.errorCode !== null ? `${row.errorCode}: ${row.errorMessage ?? ''}` : row.state === 'total-differs' ? 'The Order’s products add up to another amount.' : 'Not sent yet.'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.rowsTruncated && <p className="muted">Only the first {report.rows.length.toLocaleString()} are listed.</p>}
        </>
      )}
    </section>
  );
}
