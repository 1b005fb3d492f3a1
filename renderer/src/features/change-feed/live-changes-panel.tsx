import { useEffect, useId, useState } from 'react';
import type { ChangeFeedMode, ChangeFeedStatusDto } from '../../../../common/change-feed-models';
import type { ErrorDto } from '../../../../common/errors';
import { routeHref } from '../../app/routes';
import { invoke, on, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTimeWithSeconds } from '../../ui/format';
import './change-feed.css';

const MODE_LABELS: Readonly<Record<ChangeFeedMode, string>> = {
  off: 'Not following',
  following: 'Following changes',
  polling: 'Polling for changes',
  paused: 'Paused',
  'catching-up': 'Catching up',
  'offline-retrying': 'Offline — retrying',
  error: 'Stopped by a problem',
};

function modeClass(mode: ChangeFeedMode): string {
  if (mode === 'following' || mode === 'polling') return 'live-changes-following';
  if (mode === 'error') return 'live-changes-error';
  if (mode === 'off') return '';
  return 'live-changes-attention';
}

function modeDetail(status: ChangeFeedStatusDto): string {
  switch (status.mode) {
    case 'following':
      return `Change Data Capture on ${status.channel ?? 'the object'}: changes reach WordPress within seconds while ForceSites runs.`;
    case 'polling':
      return `Every ${status.pollIntervalSeconds ?? 60} s, one query for records changed since the last one.`;
    case 'off':
      return 'Salesforce changes to this site’s records reach WordPress only when you run a pull.';
    default:
      return '';
  }
}

/** Where the live run shows in the sync history. */
export function liveRunHref(runId: string): string {
  return `${routeHref('sync')}?run=${encodeURIComponent(runId)}`;
}

/**
 * "Live changes" for one site: follows Salesforce changes (Change Data Capture, or polling when
 * the object has none) and applies them to WordPress while ForceSites runs. Shows the mode,
 * the last change applied, the counts and the run they are recorded in; Follow, Pause, Resume
 * and Stop act at once (no Save needed).
 */
export function LiveChangesPanel({ siteId }: { readonly siteId: string }) {
  const headingId = useId();
  const [status, setStatus] = useState<ChangeFeedStatusDto | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let active = true;
    let eventSeen = false;
    const off = on('changes:updated', (next) => {
      if (!active || next.siteId !== siteId) return;
      eventSeen = true;
      setStatus(next);
    });
    invoke('changes:status', { siteId }).then(
      ([first]) => {
        if (active && !eventSeen && first !== undefined) setStatus(first);
      },
      (failure: unknown) => {
        if (active) setError(toErrorDto(failure));
      },
    );
    return () => {
      active = false;
      off();
    };
  }, [siteId]);

  const act = async (channel: 'changes:follow' | 'changes:pause' | 'changes:resume' | 'changes:stop') => {
    setBusy(true);
    setError(undefined);
    try {
      setStatus(await invoke(channel, { siteId }));
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setBusy(false);
    }
  };

  const mode = status?.mode ?? 'off';
  const counts = status?.counts;
  const running = mode === 'following' || mode === 'polling' || mode === 'catching-up' || mode === 'offline-retrying';

  return (
    <section className="live-changes" aria-labelledby={headingId}>
      <div className="live-changes-bar">
        <h3 id={headingId} className="live-changes-title">
          Live changes
        </h3>
        {(mode === 'off' || mode === 'error') && (
          <button type="button" className="button" disabled={busy || status === undefined} onClick={() => void act('changes:follow')}>
            Follow changes
          </button>
        )}
        {running && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('changes:pause')}>
            Pause
          </button>
        )}
        {mode === 'paused' && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('changes:resume')}>
            Resume
          </button>
        )}
        {mode !== 'off' && (
          <button type="button" className="button button-danger-quiet" disabled={busy} onClick={() => void act('changes:stop')}>
            Stop following
          </button>
        )}
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {status === undefined && error === undefined && <p className="muted">Loading…</p>}
      {status !== undefined && (
        <>
          <div className={`live-changes-mode ${modeClass(mode)}`} role="status" aria-live="polite">
            <p>
              <strong>{MODE_LABELS[mode]}</strong>
              {modeDetail(status) !== '' && <> — {modeDetail(status)}</>}
            </p>
            {status.message !== null && <p>{status.message}</p>}
            <p>Last change applied: {status.lastChangeAt === null ? 'none yet' : formatTimeWithSeconds(status.lastChangeAt)}</p>
          </div>
          {counts !== undefined && mode !== 'off' && (
            <ul className="live-changes-counts" aria-label="Since following started">
              <li>{counts.updated} updated</li>
              <li>{counts.created} created</li>
              <li>{counts.unchanged} unchanged</li>
              <li>{counts.skipped} skipped</li>
              <li>{counts.failed} failed</li>
              <li>{counts.pending} waiting</li>
              <li>{counts.apiCalls} API calls</li>
            </ul>
          )}
          {status.runId !== null && (
            <p>
              Each change is recorded in the sync history: <a href={liveRunHref(status.runId)}>open the live run</a>.
            </p>
          )}
        </>
      )}
    </section>
  );
}
