/**
 * Fields: per site, "Refresh Available Topics & Fields" for its Salesforce object, what
 * changed since the last refresh and what that breaks, the tags of its tag mode, the mapping
 * editor with a preview of real users, and the settings as a file.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { FieldsStateDto, WordpressFieldsDto } from '../../../../common/fields-models';
import type { SiteProfileDto } from '../../../../common/models';
import { routeHref } from '../../app/routes';
import { useLive } from '../../app/use-live';
import { useSetupProgress } from '../../app/use-setup-progress';
import { invoke, toErrorDto } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTime } from '../../ui/format';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';
import { FieldDiffPanel } from './field-diff-panel';
import { MappingEditor } from './mapping-editor';
import { SettingsTransfer } from './settings-transfer';
import { TagsPanel } from './tags-panel';
import './fields.css';

/** `#/fields?site=<id>` opens a given site. */
function siteFromHash(): string | undefined {
  const query = window.location.hash.split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('site') ?? undefined);
}

function callsText(calls: number): string {
  return `${calls} API call${calls === 1 ? '' : 's'}`;
}

export function FieldsPage() {
  const progress = useSetupProgress();
  const sites = useLive(() => invoke('sites:list', {}), 'sites:changed');
  const siteList = sites.data ?? [];
  const connected = siteList.filter((site) => site.connectionId !== null);
  const [chosen, setChosen] = useState<string | undefined>(siteFromHash);
  const site: SiteProfileDto | undefined = siteList.find((candidate) => candidate.id === chosen) ?? connected[0] ?? siteList[0];

  if (connected.length === 0 || site === undefined) {
    return (
      <div className="page">
        <PageHeader title="Fields">The Salesforce fields and topics your sites can map to.</PageHeader>
        <EmptyState title="No fields loaded yet">
          <p>
            This page refreshes the fields of each site’s Salesforce object and the topics or picklist values available for tags, so the field mapping offers
            real API names and tags match what the org allows.
          </p>
          <NextStep progress={progress} needs="site" />
          {!progress.loading && progress.connectedSites > 0 && <p className="muted">Field and topic lists appear here once ForceSites has read them from Salesforce.</p>}
        </EmptyState>
      </div>
    );
  }

  return (
    <SiteFields
      key={site.id}
      site={site}
      siteList={siteList}
      onChoose={setChosen}
      onSitesChanged={(next) => sites.set(next)}
    />
  );
}

interface SiteFieldsProps {
  readonly site: SiteProfileDto;
  readonly siteList: readonly SiteProfileDto[];
  readonly onChoose: (siteId: string) => void;
  readonly onSitesChanged: (sites: readonly SiteProfileDto[]) => void;
}

/** One site's fields; mounted afresh (keyed by site) when another site is chosen. */
function SiteFields({ site, siteList, onChoose, onSitesChanged }: SiteFieldsProps) {
  const [state, setState] = useState<FieldsStateDto | undefined>(undefined);
  const [loadError, setLoadError] = useState<ErrorDto | undefined>(undefined);
  const [refreshError, setRefreshError] = useState<ErrorDto | undefined>(undefined);
  const [refreshing, setRefreshing] = useState(false);
  const [wordpress, setWordpress] = useState<WordpressFieldsDto | undefined>(undefined);
  const siteId = site.id;

  useEffect(() => {
    let active = true;
    invoke('fields:wordpress', { siteId }).then(
      (value) => active && setWordpress(value),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [siteId]);

  // The profile changed (object, tag mode): main says whether the cache still fits it.
  const objectType = site.objectType;
  const tagKey = `${site.tagMode}:${site.tagField ?? ''}:${site.connectionId ?? ''}`;
  useEffect(() => {
    let active = true;
    invoke('fields:cached', { siteId }).then(
      (value) => {
        if (!active) return;
        setState(value);
        setLoadError(undefined);
      },
      (failure: unknown) => active && setLoadError(toErrorDto(failure)),
    );
    return () => {
      active = false;
    };
  }, [siteId, objectType, tagKey]);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      setState(await invoke('fields:refresh', { siteId }));
    } catch (failure) {
      setRefreshError(toErrorDto(failure));
    } finally {
      setRefreshing(false);
    }
  }, [siteId]);

  const cache = state?.cache ?? null;
  const stale = state?.stale ?? null;
  return (
    <div className="page">
      <PageHeader
        title="Fields"
        actions={
          <button type="button" className="button button-primary" onClick={() => void refresh()} disabled={refreshing || site.connectionId === null}>
            {refreshing ? 'Refreshing…' : 'Refresh Available Topics & Fields'}
          </button>
        }
      >
        What each site writes where in Salesforce.
      </PageHeader>

      {siteList.length > 1 && (
        <label className="field fields-site-picker">
          <span className="field-label">Site</span>
          <select className="input" value={site.id} onChange={(event) => onChoose(event.target.value)}>
            {siteList.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} · {candidate.objectType}
                {candidate.connectionId === null ? ' (no connection)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}

      <section className="panel" aria-label="Refresh status">
        <p>
          <strong>{site.name}</strong> writes WordPress users to <strong>{site.objectType}</strong>
          {site.tagMode === 'none' ? ', without tags' : site.tagMode === 'topics' ? ', tags as Topics' : `, tags in ${site.tagField ?? 'a picklist'}`}.{' '}
          <a href={routeHref('sites')}>Change on the Sites page</a>
        </p>
        {site.connectionId === null && <p className="notice notice-warning">This site has no Salesforce connection: choose one on the Sites page to load its fields.</p>}
        {state === undefined && loadError === undefined && <p className="muted">Reading the saved field list…</p>}
        {state !== undefined && cache === null && <p>Not loaded yet. Click “Refresh Available Topics & Fields” to read {site.objectType}’s fields from Salesforce.</p>}
        {cache !== null && (
          <p role="status">
            Loaded {formatTime(cache.loadedAt)}: {cache.fields.length} fields of {cache.objectLabel}. The last refresh used <strong>{callsText(cache.lastRefresh.apiCalls)}</strong>
            {cache.lastRefresh.describeChanged ? '' : ' (the object had not changed, so Salesforce did not send its fields again)'}
            {cache.lastRefresh.topicPages > 1 ? `, ${cache.lastRefresh.topicPages} pages of topics` : ''}.
          </p>
        )}
        {stale !== null && (
          <div className="notice notice-warning" role="alert">
            <p className="notice-title">The field list is out of date</p>
            <p>{stale}</p>
          </div>
        )}
        {loadError !== undefined && <ErrorNotice error={loadError} title="The saved field list could not be read." />}
        {refreshError !== undefined && <ErrorNotice error={refreshError} title="The refresh did not finish." />}
        {wordpress?.problem !== undefined && wordpress.problem !== null && (
          <ErrorNotice error={wordpress.problem} title="WordPress could not be read: only its core user fields are offered, and the preview needs it." />
        )}
        {wordpress !== undefined && wordpress.problem === null && !wordpress.companionPlugin && (
          <p className="muted">The ForceSites Companion plugin is not active on this site, so only WordPress’s core user fields (no meta keys, no tags) can be mapped.</p>
        )}
      </section>

      {cache !== null && stale === null && (
        <>
          {cache.diff !== null && <FieldDiffPanel diff={cache.diff} />}
          <TagsPanel tags={cache.tags} wordpress={wordpress} />
          <MappingEditor key={`${site.id}:${cache.objectType}`} site={site} cache={cache} wordpress={wordpress} onSaved={(saved) => onSitesChanged(siteList.map((candidate) => (candidate.id === saved.id ? saved : candidate)))} />
        </>
      )}
      <SettingsTransfer
        site={site}
        onImported={(saved, created) => {
          onSitesChanged(created ? [...siteList, saved] : siteList.map((candidate) => (candidate.id === saved.id ? saved : candidate)));
          if (created) onChoose(saved.id);
        }}
      />
    </div>
  );
}
