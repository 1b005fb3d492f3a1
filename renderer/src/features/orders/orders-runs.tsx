import { useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OrderOutcome, OrderRecordDto, OrdersRunDto, OrdersRunPageDto } from '../../../../common/orders-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { CsvExportButton, OutcomeSelect } from '../../ui/run-records-controls';
import { RunTable } from '../../ui/run-table';
import { useCsvExport } from '../../ui/use-csv-export';
import { VirtualRows } from '../../ui/virtual-rows';

const OUTCOMES: readonly OrderOutcome[] = ['created', 'updated', 'unchanged', 'failed', 'invalid', 'locked', 'recovered'];
const PAGE = 1_000;

export function ordersRunSummary(run: OrdersRunDto): string {
  return `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed${run.invalid + run.locked > 0 ? `, ${run.invalid} not sendable, ${run.locked} activated and different` : ''} · ${run.apiCalls} API calls`;
}

/** The site's order runs, newest first; one opens to its per-order outcomes. */
export function OrdersRuns({ runs, openRunId, onOpen }: { readonly runs: readonly OrdersRunDto[]; readonly openRunId: string | null; readonly onOpen: (runId: string) => void }) {
  return (
    <RunTable
      runs={runs}
      openRunId={openRunId}
      onOpen={onOpen}
      summary={ordersRunSummary}
      emptyText="No orders sent yet for this site. Orders copied from your WooCommerce sites appear here."
      openLabel="Orders"
      kind={(run) => (run.kind === 'replay' ? 'Replay' : 'Send')}
    />
  );
}

const describeRecord = (r: OrderRecordDto): string => `#${r.wooOrderId} → ${r.salesforceId ?? 'not in Salesforce'}: ${r.outcome}${r.errorCode !== null ? ` — ${r.errorCode}: ${r.errorMessage ?? ''}` : ''}`;

/** A run's orders, filterable by outcome, virtualised, and exportable as CSV (every order). */
export function OrdersRunRecords({ runId }: { readonly runId: string }) {
  const [outcome, setOutcome] = useState<OrderOutcome | 'all'>('all');
  const [page, setPage] = useState<OrdersRunPageDto | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const csvExport = useCsvExport({
    fileName: `forcesites-orders-run-${runId}.csv`,
    columns: ['WooCommerce order id', 'Order key', 'Salesforce id', 'Outcome', 'Error code', 'Error message', 'WooCommerce total', 'Items total'],
    fetchPage: (offset, limit) => invoke('orders:run', { runId, ...(outcome === 'all' ? {} : { outcome }), offset, limit }),
    toRow: (r) => [r.wooOrderId, r.key, r.salesforceId ?? '', r.outcome, r.errorCode ?? '', r.errorMessage ?? '', r.wooTotal ?? '', r.itemsTotal ?? ''],
    onError: setError,
  });
  useEffect(() => {
    let active = true;
    invoke('orders:run', { runId, ...(outcome === 'all' ? {} : { outcome }), limit: PAGE }).then(
      (answer) => active && (setPage(answer), setError(undefined)),
      (failure: unknown) => active && setError(toErrorDto(failure)),
    );
    return () => {
      active = false;
    };
  }, [runId, outcome]);

  return (
    <section aria-label="Run orders">
      <div className="sync-filters">
        <OutcomeSelect value={outcome} outcomes={OUTCOMES} onChange={setOutcome} />
        <CsvExportButton exporter={csvExport} hasRecords={page !== undefined && page.records.length > 0} />
      </div>
      {error !== undefined && <ErrorNotice error={error} title="The run’s orders could not be loaded." />}
      {page !== undefined && (
        <>
          <p className="muted">
            {page.total.toLocaleString()} order{page.total === 1 ? '' : 's'}
            {page.total > page.records.length ? ` (the first ${page.records.length.toLocaleString()} shown; Export CSV writes them all)` : ''}.
          </p>
          <VirtualRows label="Orders of the run" items={page.records} renderRow={(r) => <div className={`sync-row sync-row-${r.outcome}`}>{describeRecord(r)}</div>} />
        </>
      )}
    </section>
  );
}
