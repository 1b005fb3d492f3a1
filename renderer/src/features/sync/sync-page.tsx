import { useCallback, useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { SiteProfileDto } from '../../../../common/models';
import type { PullOptionsDto, SyncPlanDto, SyncProgressDto, SyncRunDto } from '../../../../common/sync-models';
import { useSetupProgress } from '../../app/use-setup-progress';
import { invoke, on, toErrorDto } from '../../bridge';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';
import { RunRecords, runSummary, SyncHistory } from './sync-history';
import { SyncPreview } from './sync-preview';

const PHASES: { readonly [P in SyncProgressDto['phase']]: string } = {
  recovering: 'Checking an earlier run',
  reading: 'Reading WordPress users',
  'looking-up': 'Looking up Salesforce records',
  writing: 'Writing to Salesforce',
  done: 'Finished',
};

/** A pull reads Salesforce first and writes to WordPress. */
function phaseLabel(phase: SyncProgressDto['phase'], direction: 'push' | 'pull'): string {
  if (direction === 'pull' && phase === 'writing') return 'Writing to WordPress';
  if (direction === 'pull' && phase === 'looking-up') return 'Reading Salesforce records';
  return PHASES[phase];
}

/**
 * Sync: pick a site, preview what a push would do (nothing is written), run it with a
 * progress bar and Cancel, and read each run's per-record outcomes.
 */
export function SyncPage() {
  const progress = useSetupProgress();
  const [sites, setSites] = useState<readonly SiteProfileDto[]>([]);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [plan, setPlan] = useState<SyncPlanDto | undefined>(undefined);
  const [busy, setBusy] = useState<'plan' | 'start' | undefined>(undefined);
  // Push: send records Salesforce refused before even though their values have not changed.
  const [retryRefused, setRetryRefused] = useState(false);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [live, setLive] = useState<SyncProgressDto | undefined>(undefined);
  const [runs, setRuns] = useState<readonly SyncRunDto[]>([]);
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [direction, setDirection] = useState<'push' | 'pull'>('push');
  const [role, setRole] = useState('subscriber');
  // The pull's filter: a Topic, or a value of the site's picklist tag field, as its tag mode says.
  const [tagFilter, setTagFilter] = useState('');
  const pullRequest = (): { direction: 'pull'; pull: PullOptionsDto } => ({
    direction: 'pull',
    pull: { role: role.trim() || 'subscriber', filter: pullFilter(sites.find((s) => s.id === siteId), tagFilter) },
  });

  useEffect(() => {
    let active = true;
    const wanted = runFromHash();
    void invoke('sites:list', {}).then(async (list) => {
      if (!active) return;
      const usable = list.filter((site) => site.connectionId !== null);
      setSites(usable);
      // `#/sync?run=<id>` (the live changes panel links there): that run's site, run opened.
      const linked = wanted === undefined ? undefined : await invoke('sync:run', { runId: wanted, limit: 1 }).then((page) => page.run, () => undefined);
      if (!active) return;
      if (linked !== undefined && usable.some((site) => site.id === linked.siteId)) {
        setSiteId(linked.siteId);
        setOpenRunId(linked.id);
        return;
      }
      setSiteId((current) => current ?? usable[0]?.id ?? null);
    });
    return () => {
      active = false;
    };
  }, []);

  const loadRuns = useCallback((id: string) => {
    void invoke('sync:runs', { siteId: id, limit: 50 }).then(setRuns, (failure: unknown) => setError(toErrorDto(failure)));
  }, []);

  useEffect(() => {
    if (siteId !== null) loadRuns(siteId);
  }, [siteId, loadRuns]);

  const chooseSite = (id: string): void => {
    setSiteId(id);
    setPlan(undefined);
    setOpenRunId(null);
  };

  useEffect(
    () =>
      on('sync:progress', (event) => {
        if (event.siteId !== siteId) return;
        setLive(event.phase === 'done' ? undefined : event);
        if (event.phase === 'done' && siteId !== null) loadRuns(siteId);
      }),
    [siteId, loadRuns],
  );

  const preview = async (): Promise<void> => {
    if (siteId === null) return;
    setBusy('plan');
    setError(undefined);
    try {
      setPlan(await invoke('sync:plan', direction === 'pull' ? { siteId, ...pullRequest() } : { siteId, ...(retryRefused ? { retryRefused } : {}) }));
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const start = async (confirmed: boolean): Promise<void> => {
    if (siteId === null) return;
    setBusy('start');
    setError(undefined);
    try {
      const { runId } = await invoke('sync:start', direction === 'pull' ? { siteId, ...pullRequest() } : { siteId, confirmed, ...(retryRefused ? { retryRefused } : {}) });
      setOpenRunId(runId);
      setPlan(undefined);
      loadRuns(siteId);
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setBusy(undefined);
    }
  };

  if (!progress.loading && sites.length === 0) {
    return (
      <div className="page">
        <PageHeader title="Sync">Moving members and their tags between WordPress and Salesforce.</PageHeader>
        <EmptyState title="Nothing synced yet">
          <p>This page pushes a site’s WordPress users to Salesforce, following its field mapping. It previews what would change before anything is written.</p>
          <NextStep progress={progress} needs="site" />
        </EmptyState>
      </div>
    );
  }

  const site = sites.find((s) => s.id === siteId);
  const openRun = runs.find((run) => run.id === openRunId);
  return (
    <div className="page">
      <PageHeader title="Sync">Push a site’s WordPress users to Salesforce, or pull Salesforce records into WordPress users: preview first, then run, then read every record’s outcome.</PageHeader>
      <div className="sync-filters">
        <label>
          Site{' '}
          <select value={siteId ?? ''} onChange={(event) => chooseSite(event.target.value)}>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction{' '}
          <select
            value={direction}
            onChange={(event) => {
              setDirection(event.target.value as 'push' | 'pull');
              setPlan(undefined);
            }}
          >
            <option value="push">WordPress → Salesforce</option>
            <option value="pull">Salesforce → WordPress</option>
          </select>
        </label>
        {direction === 'push' && ((plan?.notResent ?? 0) > 0 || retryRefused) && (
          <label>
            <input
              type="checkbox"
              checked={retryRefused}
              onChange={(event) => {
                setRetryRefused(event.target.checked);
                setPlan(undefined);
              }}
            />{' '}
            Send again the records Salesforce refused
          </label>
        )}
        {direction === 'pull' && (
          <>
            <label>
              Role for new users <input value={role} onChange={(event) => setRole(event.target.value)} />
            </label>
            {site?.tagMode === 'topics' && (
              <label>
                Only records with the Topic <input value={tagFilter} onChange={(event) => setTagFilter(event.target.value)} placeholder="all records" />
              </label>
            )}
            {site?.tagMode === 'picklist' && site.tagField !== null && (
              <label>
                Only records whose {site.tagField} has the value <input value={tagFilter} onChange={(event) => setTagFilter(event.target.value)} placeholder="all records" />
              </label>
            )}
          </>
        )}
        <button type="button" className="button" onClick={() => void preview()} disabled={busy !== undefined || live !== undefined}>
          {busy === 'plan' ? 'Previewing…' : 'Preview'}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => (plan?.estimate.needsConfirmation ? setConfirming(true) : void start(false))}
          disabled={plan === undefined || busy !== undefined || live !== undefined}
        >
          {busy === 'start' ? 'Starting…' : 'Sync now'}
        </button>
      </div>
      {plan === undefined && live === undefined && <p className="muted">Preview first: nothing is written until you press Sync now.</p>}
      {error !== undefined && <ErrorNotice error={error} title="The sync could not go on." />}
      {live !== undefined && (
        <section aria-label="Progress" className="panel sync-progress">
          <p>
            {phaseLabel(live.phase, direction)}: {live.done.toLocaleString()} of {live.total.toLocaleString()}
            {live.rate > 0 ? ` · ${live.rate.toLocaleString()} a second` : ''}
            {live.etaSeconds !== null ? ` · about ${live.etaSeconds} s left` : ''}
          </p>
          <progress max={Math.max(1, live.total)} value={live.done} aria-label={phaseLabel(live.phase, direction)} />{' '}
          <button type="button" className="button" onClick={() => siteId !== null && void invoke('sync:cancel', { siteId })}>
            Cancel
          </button>
        </section>
      )}
      {plan !== undefined && <SyncPreview plan={plan} />}
      {confirming && plan !== undefined && (
        <ConfirmDialog
          title="Use that many API requests?"
          confirmLabel="Sync anyway"
          busyLabel="Starting…"
          tone="default"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await start(true);
            setConfirming(false);
          }}
        >
          <p>
            This sync needs about {plan.estimate.writeCalls.toLocaleString()} API calls, more than {Math.round(plan.estimate.shareLimit * 100)}% of the{' '}
            {plan.estimate.remainingDaily?.toLocaleString()} the org has left today.
          </p>
        </ConfirmDialog>
      )}
      <h2>Runs{site !== undefined ? ` of ${site.name}` : ''}</h2>
      <SyncHistory runs={runs} onOpen={setOpenRunId} openRunId={openRunId} />
      {openRunId !== null && (
        <>
          <h3>Records of the run {openRun !== undefined ? `(${runSummary(openRun)})` : ''}</h3>
          <RunRecords runId={openRunId} refreshKey={openRun !== undefined ? `${openRun.state} ${runSummary(openRun)}` : ''} />
        </>
      )}
    </div>
  );
}

/** The run `#/sync?run=<id>` names, if any. */
function runFromHash(): string | undefined {
  const query = window.location.hash.split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('run') ?? undefined);
}

/** All records, or those with the Topic / picklist value typed, as the site keeps its tags. */
function pullFilter(site: SiteProfileDto | undefined, value: string): PullOptionsDto['filter'] {
  const wanted = value.trim();
  if (wanted === '' || site === undefined) return { kind: 'all' };
  if (site.tagMode === 'topics') return { kind: 'topic', name: wanted };
  if (site.tagMode === 'picklist' && site.tagField !== null) return { kind: 'picklist', value: wanted };
  return { kind: 'all' };
}
