import { useMemo, useState } from 'react';
import type { SyncClass, SyncFieldChange, SyncPlanDto, SyncPlanRow } from '../../../../common/sync-models';
import { VirtualRows } from '../../ui/virtual-rows';

const CLASS_LABELS: { readonly [C in SyncClass]: string } = {
  create: 'To create',
  update: 'To update',
  unchanged: 'Unchanged',
  invalid: 'Invalid',
  conflict: 'Conflicts',
};

function describeRow(row: SyncPlanRow): string {
  if (row.reason !== null) return row.reason;
  if (row.changes.length === 0) return 'Nothing to change.';
  return row.changes.map(describeChange).join(' · ');
}

/** `field: old → new`, saying when the new value was cut to the field's length. */
export function describeChange(change: SyncFieldChange): string {
  return `${change.field}: ${change.old ?? '∅'} → ${change.new ?? '∅'}${change.truncatedFrom !== undefined ? ` (truncated from ${change.truncatedFrom.toLocaleString()} characters)` : ''}`;
}

/** The dry-run preview: counts per class, the API-call estimate, and every change, searchable. */
/** A row's label: a record refused before with the same values is not a create or update. */
function rowLabel(row: SyncPlanRow): string {
  return row.notResent === true ? NOT_RESENT_LABEL : CLASS_LABELS[row.class];
}

const NOT_RESENT_LABEL = 'Not re-sent';

export function SyncPreview({ plan }: { readonly plan: SyncPlanDto }) {
  const [search, setSearch] = useState('');
  const [only, setOnly] = useState<SyncClass | 'all' | 'not-resent'>('all');
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const shown = (row: SyncPlanRow): boolean => only === 'all' || (only === 'not-resent' ? row.notResent === true : row.class === only && row.notResent !== true);
    return plan.rows.filter((row) => shown(row) && (needle === '' || `${row.wpUserId ?? ''} ${row.key ?? ''} ${describeRow(row)}`.toLowerCase().includes(needle)));
  }, [plan.rows, search, only]);
  const notResent = plan.notResent ?? 0;
  const estimate = plan.estimate;
  const truncatedRows = useMemo(() => plan.rows.filter((row) => row.changes.some((change) => change.truncatedFrom !== undefined)).length, [plan.rows]);
  return (
    <section aria-label="Preview" className="panel sync-preview">
      <ul className="sync-counts">
        {(Object.keys(CLASS_LABELS) as SyncClass[]).map((name) => (
          <li key={name} className={`sync-count sync-count-${name}`}>
            <strong>{plan.counts[name].toLocaleString()}</strong> {CLASS_LABELS[name].toLowerCase()}
          </li>
        ))}
        {notResent > 0 && (
          <li className="sync-count sync-count-invalid">
            <strong>{notResent.toLocaleString()}</strong> {NOT_RESENT_LABEL.toLowerCase()}
          </li>
        )}
      </ul>
      {notResent > 0 && (
        <div className="notice notice-info" role="note">
          <p className="notice-message">
            Salesforce refused {notResent === 1 ? 'one record' : `${notResent.toLocaleString()} records`} with these same values before: the run records {notResent === 1 ? 'it' : 'them'} as failed
            again (with Salesforce’s message) without sending. Change the values in WordPress, or fix the cause in Salesforce and retry refused records.
          </p>
        </div>
      )}
      <p>
        {plan.users.toLocaleString()} {plan.direction === 'pull' ? 'Salesforce records' : 'WordPress users'} matched by {plan.matchKind === 'email' ? 'e-mail' : `external id (${plan.matchField})`} to {plan.objectType}. Writing
        takes about <strong>{estimate.writeCalls.toLocaleString()}</strong> API call{estimate.writeCalls === 1 ? '' : 's'} ({plan.strategy === 'bulk' ? 'Bulk API 2.0' : 'sObject Collections, 200 a call'}); the preview used {estimate.planCalls}.{' '}
        {estimate.remainingDaily === null ? 'Salesforce did not say how many requests the org has left today.' : `The org has ${estimate.remainingDaily.toLocaleString()} of ${estimate.maxDaily?.toLocaleString() ?? '?'} requests left today.`}
      </p>
      {truncatedRows > 0 && (
        <div className="notice notice-info" role="note">
          <p className="notice-message">
            {truncatedRows.toLocaleString()} user{truncatedRows === 1 ? ' has' : 's have'} a value longer than its Salesforce field; it is cut to fit (truncation is on in Settings). Search for “truncated” to see them.
          </p>
        </div>
      )}
      {estimate.needsConfirmation && (
        <div className="notice notice-warning" role="alert">
          <p className="notice-message">
            This sync would use more than {Math.round(estimate.shareLimit * 100)}% of the org’s remaining API requests for today. Run it only if nothing else needs them.
          </p>
        </div>
      )}
      <div className="sync-filters">
        <label>
          Search <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="e-mail, user id, field or value" />
        </label>
        <label>
          Show{' '}
          <select value={only} onChange={(event) => setOnly(event.target.value as SyncClass | 'all' | 'not-resent')}>
            <option value="all">All</option>
            {(Object.keys(CLASS_LABELS) as SyncClass[]).map((name) => (
              <option key={name} value={name}>
                {CLASS_LABELS[name]}
              </option>
            ))}
            {notResent > 0 && <option value="not-resent">{NOT_RESENT_LABEL}</option>}
          </select>
        </label>
      </div>
      <p className="muted" role="status">
        {rows.length.toLocaleString()} row{rows.length === 1 ? '' : 's'} shown{plan.rowsTruncated ? ` (the preview lists the first ${plan.rows.length.toLocaleString()}; the counts above cover everyone)` : ''}.
      </p>
      <VirtualRows
        label="Changes"
        items={rows}
        renderRow={(row) => (
          <div className={`sync-row sync-row-${row.notResent === true ? 'invalid' : row.class}`} title={describeRow(row)}>
            <span className="sync-row-user">{row.wpUserId === null ? 'new user' : `#${row.wpUserId}`}</span> <span className="sync-row-key">{row.key ?? '(no key)'}</span> <span className="sync-row-class">{rowLabel(row)}</span>{' '}
            <span className="sync-row-detail">{describeRow(row)}</span>
          </div>
        )}
      />
    </section>
  );
}
