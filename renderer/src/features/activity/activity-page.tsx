import { useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { ActivityEntry } from '../../../../common/models';
import { invoke, on, toErrorDto } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTime } from '../../ui/format';
import { PageHeader } from '../../ui/page-header';

const LIMIT = 200;

const AREA_LABELS: { readonly [A in ActivityEntry['area']]: string } = {
  auth: 'Sign-in',
  sites: 'Sites',
  health: 'Health',
  sync: 'Sync',
  app: 'App',
};

function newestFirst(entries: readonly ActivityEntry[]): readonly ActivityEntry[] {
  return [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, LIMIT * 2);
}

function sameEntry(a: ActivityEntry, b: ActivityEntry): boolean {
  return a.id === b.id;
}

export function ActivityPage() {
  const [entries, setEntries] = useState<readonly ActivityEntry[] | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);

  useEffect(() => {
    let active = true;
    // Entries added while the list loads are kept and merged in, not lost.
    let added: ActivityEntry[] = [];
    let loaded = false;
    const unsubscribe = on('activity:added', (entry) => {
      if (!active) return;
      if (!loaded) {
        added.push(entry);
        return;
      }
      setEntries((current) => newestFirst([entry, ...(current ?? [])]));
    });
    invoke('activity:list', { limit: LIMIT }).then(
      (list) => {
        if (!active) return;
        loaded = true;
        const extra = added.filter((entry) => !list.some((existing) => sameEntry(existing, entry)));
        added = [];
        setEntries(newestFirst([...extra, ...list]));
      },
      (failure: unknown) => {
        if (!active) return;
        loaded = true;
        setError(toErrorDto(failure));
        setEntries(newestFirst(added));
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);

  return (
    <div className="page">
      <PageHeader title="Activity">What ForceSites did and when: sign-ins, site changes, health checks and syncs, newest first.</PageHeader>
      {error !== undefined && <ErrorNotice error={error} title="The activity log could not be loaded." />}
      {entries === undefined ? (
        <p className="muted" role="status">
          Loading activity…
        </p>
      ) : entries.length === 0 ? (
        <EmptyState title="No activity yet">
          <p>
            Every sign-in, site change, health check and sync is recorded here as it happens, with warnings and errors marked. Start by adding a connection or a
            site; the entries appear on this page straight away.
          </p>
        </EmptyState>
      ) : (
        <ol className="activity-list" aria-label="Activity, newest first">
          {entries.map((entry) => (
            <li key={entry.id} className={`activity activity-${entry.level}`}>
              <time dateTime={entry.at} className="activity-time">
                {formatTime(entry.at)}
              </time>
              <span className={`tag tag-${entry.level}`}>{entry.level === 'info' ? 'Info' : entry.level === 'warning' ? 'Warning' : 'Error'}</span>
              <span className="activity-area">{AREA_LABELS[entry.area]}</span>
              <span className="activity-message">{entry.message}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
