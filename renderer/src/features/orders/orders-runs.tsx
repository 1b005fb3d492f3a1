import { useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OrderOutcome, OrdersRunDto, OrdersRunPageDto } from '../../../../common/orders-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTime } from '../../ui/format';

const OUTCOMES: readonly OrderOutcome[] = ['created', 'updated', 'unchanged', 'failed', 'invalid', 'locked', 'recovered'];

export function ordersRunSummary(run: OrdersRunDto): string {
  return `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed${run.invalid + run.locked > 0 ? `, ${run.invalid} not sendable, ${run.locked} activated and different` : ''} · ${run.apiCalls} API calls`;
}

/** The site's order runs, newest first; one opens to its per-order outcomes. */
export function OrdersRuns({ runs, openRunId, onOpen }: { readonly runs: readonly OrdersRunDto[]; readonly openRunId: string | null; readonly onOpen: (runId: string) => void }) {
  if (runs.length === 0) return <p className="muted">No orders sent yet for this site. Orders copied from your WooCommerce sites appear here.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            <th scope="col">Result</th>
            <th scope="col">
              <span className="visually-hidden">Orders</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} aria-current={run.id === openRunId ? 'true' : undefined}>
              <td>{formatTime(run.startedAt)}</td>
              <td>{run.kind === 'replay' ? 'Replay' : 'Send'}</td>
              <td>{run.state}</td>
              <td>
                {ordersRunSummary(run)}
                {run.message !== null && run.state !== 'completed' && <div className="muted">{run.message}</div>}
              </td>
              <td>
                <button type="button" className="button-quiet" onClick={() => onOpen(run.id)}>
                  Orders
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OrdersRunRecords({ runId }: { readonly runId: string }) {
  const [outcome, setOutcome] = useState<OrderOutcome | 'all'>('all');
  const [page, setPage] = useState<OrdersRunPageDto | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  useEffect(() => {
    let active = true;
    invoke('orders:run', { runId, ...(outcome === 'all' ? {} : { outcome }), limit: 1000 }).then(
      (answer) => active && (setPage(answer), setError(undefined)),
      (failure: unknown) => active && setError(toErrorDto(failure)),
    );
    return () => {
      active = false;
    };
  }, [runId, outcome]);
  return (
    <section aria-label="Run orders">
      <label>
        Outcome{' '}
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as OrderOutcome | 'all')}>
          <option value="all">All</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {error !== undefined && <ErrorNotice error={error} />}
      {page !== undefined && (
        <ul aria-label="Orders of the run">
          {page.records.map((r) => (
            <li key={r.wooOrderId}>
              #{r.wooOrderId} → {r.salesforceId ?? 'not in Salesforce'}: {r.outcome}
              {r.errorCode !== null ? ` — ${r.errorCode}: ${r.errorMessage ?? ''}` : ''}
            </li>
          ))}
        </ul>
      )}
      {page !== undefined && page.total > page.records.length && <p className="muted">{page.records.length.toLocaleString()} of {page.total.toLocaleString()} shown.</p>}
    </section>
  );
}
