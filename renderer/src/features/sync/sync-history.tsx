import { useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { SyncRecordOutcome, SyncRunDto, SyncRunPageDto } from '../../../../common/sync-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { CsvExportButton, OutcomeSelect } from '../../ui/run-records-controls';
import { RunTable } from '../../ui/run-table';
import { useCsvExport } from '../../ui/use-csv-export';
import { describeChange } from './sync-preview';
import { VirtualRows } from '../../ui/virtual-rows';

const OUTCOMES: readonly SyncRecordOutcome[] = ['created', 'updated', 'unchanged', 'failed', 'invalid', 'conflict', 'recovered'];
const PAGE = 1_000;

export function runSummary(run: SyncRunDto): string {
  return `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed${run.invalid + run.conflict > 0 ? `, ${run.invalid} invalid, ${run.conflict} conflicts` : ''} · ${run.apiCalls} API calls`;
}

/** The site's runs, newest first; one opens to its records, filterable and exportable as CSV. */
export function SyncHistory({ runs, onOpen, openRunId }: { readonly runs: readonly SyncRunDto[]; readonly onOpen: (runId: string) => void; readonly openRunId: string | null }) {
  return (
    <RunTable
      runs={runs}
      openRunId={openRunId}
      onOpen={onOpen}
      summary={runSummary}
      emptyText="No runs yet for this site."
      openLabel="Records"
      stateNote={(run) => run.direction === 'pull' && <span className="muted"> · {run.origin === 'live' ? 'live changes from Salesforce' : 'pull from Salesforce'}</span>}
    />
  );
}

/**
 * A run's records. `refreshKey` changes when the run does (state, counts): a run opened as it
 * starts holds only the records settled by then, so the list reloads when it finishes.
 */
export function RunRecords({ runId, refreshKey = '' }: { readonly runId: string; readonly refreshKey?: string }) {
  const [outcome, setOutcome] = useState<SyncRecordOutcome | 'all'>('all');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<SyncRunPageDto | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  useEffect(() => {
    let active = true;
    invoke('sync:run', { runId, ...(outcome === 'all' ? {} : { outcome }), ...(search.trim() === '' ? {} : { search: search.trim() }), limit: PAGE }).then(
      (answer) => active && (setPage(answer), setError(undefined)),
      (failure: unknown) => active && setError(toErrorDto(failure)),
    );
    return () => {
      active = false;
    };
  }, [runId, outcome, search, refreshKey]);

  const csvExport = useCsvExport({
    fileName: `forcesites-run-${runId}.csv`,
    columns: ['WordPress user id', 'Match value', 'Salesforce id', 'Outcome', 'Error code', 'Error message', 'Changes'],
    fetchPage: (offset, limit) => invoke('sync:run', { runId, ...(outcome === 'all' ? {} : { outcome }), ...(search.trim() === '' ? {} : { search: search.trim() }), offset, limit }),
    toRow: (r) => [r.wpUserId ?? '', r.matchValue ?? '', r.salesforceId ?? '', r.outcome, r.errorCode ?? '', r.errorMessage ?? '', r.changes.map((c) => `${c.field}: ${c.old ?? ''} → ${c.new ?? ''}${c.truncatedFrom !== undefined ? ` (truncated from ${c.truncatedFrom} characters)` : ''}`).join('; ')],
    onError: setError,
  });

  return (
    <section aria-label="Run records" className="panel sync-records">
      <div className="sync-filters">
        <OutcomeSelect value={outcome} outcomes={OUTCOMES} onChange={setOutcome} />
        <label>
          Search <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="e-mail, user id or Salesforce id" />
        </label>
        <CsvExportButton exporter={csvExport} hasRecords={page !== undefined && page.records.length > 0} />
      </div>
      {error !== undefined && <ErrorNotice error={error} title="The run’s records could not be loaded." />}
      {page !== undefined && (
        <>
          <p className="muted" role="status">
            {page.total.toLocaleString()} record{page.total === 1 ? '' : 's'}
            {page.total > page.records.length ? ` (the first ${page.records.length.toLocaleString()} shown; Export CSV writes them all)` : ''}.
          </p>
          <VirtualRows
            label="Records"
            items={page.records}
            renderRow={(r) => (
              <div className={`sync-row sync-record sync-row-${r.outcome}`}>
                <span className="sync-row-user">{r.wpUserId === null ? 'no WordPress user' : `#${r.wpUserId}`}</span> <span className="sync-row-key">{r.matchValue ?? ''}</span>{' '}
                <span className="sync-row-class">{r.outcome}</span> <span className="sync-row-id">{r.salesforceId ?? ''}</span>{' '}
                <span className="sync-row-detail">{r.errorCode !== null ? `${r.errorCode}: ${r.errorMessage ?? ''}` : r.changes.map(describeChange).join(' · ')}</span>
              </div>
            )}
          />
        </>
      )}
    </section>
  );
}
