import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OutboundSettingsDto } from '../../../../common/outbound-models';
import { routeHref } from '../../app/routes';
import { useLive } from '../../app/use-live';
import { invoke, toErrorDto } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { FieldShell } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { EndpointForm } from './endpoint-form';
import { SetupSteps } from './setup-steps';
import { TestPanel } from './test-panel';
import './outbound.css';

/** `#/outbound/<siteId>`: the Sites page links here for one site. */
export function outboundHref(siteId: string): string {
  return `${routeHref('outbound')}/${encodeURIComponent(siteId)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function siteIdFromHash(): string {
  const match = /^#\/outbound\/([^/?#]+)/.exec(window.location.hash);
  return match?.[1] === undefined ? '' : decodeURIComponent(match[1]);
}

/**
 * Outbound messages: for one site, where Salesforce sends its Outbound Messages (the
 * connector's URL with the access key kept in main's keychain), the exact Salesforce setup,
 * and "Send test message", which delivers the SOAP message as Salesforce would and shows
 * each step with the raw exchange.
 */
export function OutboundPage() {
  const sites = useLive(() => invoke('sites:list', {}), 'sites:changed');
  const hashSiteId = useSyncExternalStore(subscribe, siteIdFromHash, siteIdFromHash);
  const siteList = [...(sites.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const siteId = siteList.some((site) => site.id === hashSiteId) ? hashSiteId : (siteList[0]?.id ?? '');
  // Keyed by site, so a switch of site never shows the previous site's settings.
  const [loaded, setLoaded] = useState<{ readonly siteId: string; readonly settings?: OutboundSettingsDto; readonly error?: ErrorDto } | undefined>(undefined);
  const current = loaded?.siteId === siteId ? loaded : undefined;
  const settings = current?.settings;
  const error = current?.error;
  const setSettings = useCallback((value: OutboundSettingsDto) => setLoaded({ siteId: value.siteId, settings: value }), []);

  useEffect(() => {
    if (siteId === '') return;
    let active = true;
    invoke('outbound:settings', { siteId }).then(
      (value) => active && setLoaded({ siteId, settings: value }),
      (failure: unknown) => active && setLoaded({ siteId, error: toErrorDto(failure) }),
    );
    return () => {
      active = false;
    };
  }, [siteId]);

  return (
    <div className="page outbound-page">
      <PageHeader title="Outbound messages">
        Salesforce flows send Outbound Messages to a site so contact and tag changes reach WordPress. Set up the endpoint and test it before a change gets lost.
      </PageHeader>

      {sites.error !== undefined && <ErrorNotice error={sites.error} title="The site list could not be loaded." />}

      {sites.loading && sites.data === undefined ? (
        <p className="muted" role="status">
          Loading sites…
        </p>
      ) : siteList.length === 0 ? (
        sites.error === undefined && (
          <EmptyState title="No sites yet">
            <p>
              Outbound messages go to a WordPress site. <a href={routeHref('sites')}>Add a site</a> first, then come back to set up and test its endpoint.
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <FieldShell label="Site" className="outbound-site-picker">
            {({ id }) => (
              <select id={id} className="input" value={siteId} onChange={(event) => (window.location.hash = outboundHref(event.target.value))}>
                {siteList.map((site) => (
                  <option key={site.id} value={site.id}>
                    {site.name}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          {error !== undefined && <ErrorNotice error={error} title="The outbound-message settings could not be loaded." />}
          {settings === undefined ? (
            error === undefined && (
              <p className="muted" role="status">
                Loading the endpoint…
              </p>
            )
          ) : (
            <div key={settings.siteId}>
              <EndpointForm settings={settings} onSaved={setSettings} />
              <SetupSteps settings={settings} />
              <TestPanel settings={settings} />
            </div>
          )}
        </>
      )}
    </div>
  );
}
