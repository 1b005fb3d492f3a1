/** The controls above a run's records (Sync and Orders): the outcome filter and Export CSV. */

/** "All" or one outcome; the outcomes are the feature's own. */
export function OutcomeSelect<O extends string>({ value, outcomes, onChange }: { readonly value: O | 'all'; readonly outcomes: readonly O[]; readonly onChange: (value: O | 'all') => void }) {
  return (
    <label>
      Outcome{' '}
      <select value={value} onChange={(event) => onChange(event.target.value as O | 'all')}>
        <option value="all">All</option>
        {outcomes.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Export CSV, with the export's progress line while it runs (`useCsvExport`). */
export function CsvExportButton({ exporter, hasRecords }: { readonly exporter: { readonly status: string | undefined; readonly start: () => Promise<void> }; readonly hasRecords: boolean }) {
  return (
    <>
      <button type="button" className="button" onClick={() => void exporter.start()} disabled={!hasRecords || exporter.status !== undefined}>
        Export CSV
      </button>
      {exporter.status !== undefined && (
        <span className="muted" role="status">
          {exporter.status}
        </span>
      )}
    </>
  );
}
