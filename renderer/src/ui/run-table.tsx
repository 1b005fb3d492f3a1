import type { ReactNode } from 'react';
import { formatTime } from './format';

/** What every run list shows, whatever the feature (sync push and pull, orders). */
export interface RunRowBase {
  readonly id: string;
  readonly startedAt: string;
  readonly state: string;
  readonly message: string | null;
}

/**
 * A site's runs, newest first, one row each: when, (optionally) what kind, state, result and
 * the button that opens its records. Sync and Orders share it so their history reads the same.
 */
export function RunTable<R extends RunRowBase>({
  runs,
  openRunId,
  onOpen,
  summary,
  emptyText,
  openLabel,
  kind,
  stateNote,
}: {
  readonly runs: readonly R[];
  readonly openRunId: string | null;
  readonly onOpen: (runId: string) => void;
  /** The run's counts in one line. */
  readonly summary: (run: R) => string;
  readonly emptyText: string;
  /** The open button's text, which also names what a run holds ("Records", "Orders"). */
  readonly openLabel: string;
  /** A "Run" column (Send / Replay …) when the feature has kinds of runs. */
  readonly kind?: (run: R) => ReactNode;
  /** Shown after the state (a pull, the live change feed's run …). */
  readonly stateNote?: (run: R) => ReactNode;
}) {
  if (runs.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            {kind !== undefined && <th scope="col">Run</th>}
            <th scope="col">State</th>
            <th scope="col">Result</th>
            <th scope="col">
              <span className="visually-hidden">{openLabel}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} aria-current={run.id === openRunId ? 'true' : undefined}>
              <td>{formatTime(run.startedAt)}</td>
              {kind !== undefined && <td>{kind(run)}</td>}
              <td>
                {run.state}
                {stateNote?.(run)}
              </td>
              <td>
                {summary(run)}
                {run.message !== null && run.state !== 'completed' && <div className="muted">{run.message}</div>}
              </td>
              <td>
                <button type="button" className="button-quiet" onClick={() => onOpen(run.id)}>
                  {openLabel}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
