import { useState } from 'react';
import type { SiteProfileDto } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { useLive } from '../../app/use-live';
import { invoke } from '../../bridge';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatTime } from '../../ui/format';
import { PageHeader } from '../../ui/page-header';
import { hostOf, SiteForm } from './site-form';
import { emptySiteForm, siteFormFromProfile, type SiteFormValues } from './site-form-model';

type Editor =
  | { readonly mode: 'closed' }
  | {
      readonly mode: 'open';
      readonly profile: SiteProfileDto | undefined;
      readonly initial: SiteFormValues;
      readonly session: number;
      /** Opened from "Choose a connection": start on the Connection field. */
      readonly focusConnection: boolean;
    };

let sessions = 0;
/** A fresh key per opening, so the form starts from its initial values each time. */
function nextSession(): number {
  sessions += 1;
  return sessions;
}

export function SitesPage() {
  const { appInfo } = useApp();
  const sites = useLive(() => invoke('sites:list', {}), 'sites:changed');
  const connections = useLive(() => invoke('connections:list', {}), 'connections:changed');
  const [editor, setEditor] = useState<Editor>({ mode: 'closed' });
  const [deleting, setDeleting] = useState<SiteProfileDto | undefined>(undefined);
  const [status, setStatus] = useState('');

  const siteList = sites.data ?? [];
  const connectionList = connections.data ?? [];

  function openNew() {
    const demo = appInfo?.demoOrg;
    const onlyConnection = connectionList.length === 1 ? connectionList[0]?.id : undefined;
    setStatus('');
    setEditor({
      mode: 'open',
      profile: undefined,
      // The demo's WordPress is prefilled as the Add connection form prefills the demo org.
      initial: emptySiteForm({
        wordpressUrl: demo?.wordpressUrl,
        wordpressUsername: demo?.wordpressUsername,
        wordpressPassword: demo?.wordpressApplicationPassword,
        connectionId: onlyConnection,
      }),
      session: nextSession(),
      focusConnection: false,
    });
  }

  function openEdit(profile: SiteProfileDto, focusConnection = false) {
    setStatus('');
    setEditor({ mode: 'open', profile, initial: siteFormFromProfile(profile), session: nextSession(), focusConnection });
  }

  function saved(profile: SiteProfileDto) {
    sites.set([...siteList.filter((site) => site.id !== profile.id), profile]);
    setEditor({ mode: 'closed' });
    setStatus(`Saved “${profile.name}”.`);
  }

  async function remove(profile: SiteProfileDto) {
    await invoke('sites:delete', { siteId: profile.id });
    sites.set(siteList.filter((site) => site.id !== profile.id));
    setDeleting(undefined);
    setStatus(`Deleted “${profile.name}”.`);
    if (editor.mode === 'open' && editor.profile?.id === profile.id) setEditor({ mode: 'closed' });
  }

  const connectionName = (id: string | null) => {
    if (id === null) return undefined;
    return connectionList.find((connection) => connection.id === id);
  };

  return (
    <div className="page">
      <PageHeader
        title="Sites"
        actions={
          editor.mode === 'closed' ? (
            <button type="button" className="button button-primary" onClick={openNew}>
              Add site
            </button>
          ) : undefined
        }
      >
        Each WordPress site ForceSites keeps in step with Salesforce: where it lives, which connection it uses and how its fields map.
      </PageHeader>

      <p role="status" aria-live="polite" className="page-status">
        {status}
      </p>

      {sites.error !== undefined && <ErrorNotice error={sites.error} title="The site list could not be loaded." />}

      {editor.mode === 'open' && (
        <SiteForm
          key={editor.session}
          profile={editor.profile}
          initialValues={editor.initial}
          sites={siteList}
          connections={connectionList}
          onSaved={saved}
          onCancel={() => setEditor({ mode: 'closed' })}
          focusConnection={editor.focusConnection}
        />
      )}

      {sites.loading && sites.data === undefined ? (
        <p className="muted" role="status">
          Loading sites…
        </p>
      ) : siteList.length === 0 && sites.error === undefined ? (
        editor.mode === 'closed' && (
          <EmptyState
            title="No sites yet"
            action={
              <button type="button" className="button button-primary" onClick={openNew}>
                Add your first site
              </button>
            }
          >
            <p>
              A site profile tells ForceSites about one WordPress site: its address, the WordPress user and application password it signs in with, and the
              Salesforce connection and object its members sync to.
            </p>
            <p>
              {connectionList.length === 0 ? (
                <>
                  Start by <a href={routeHref('connections')}>adding a connection</a> to your Salesforce org, then add your sites. Many sites can share one
                  connection, and so one Salesforce approval.
                </>
              ) : (
                'Add a site and pick the connection it should use. Sites that share a connection share its one Salesforce approval.'
              )}
            </p>
          </EmptyState>
        )
      ) : (
        siteList.length > 0 && (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Site profiles</caption>
              <thead>
                <tr>
                  <th scope="col">Site</th>
                  <th scope="col">Connection</th>
                  <th scope="col">Object and tags</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...siteList]
                  .sort((a, b) => a.name.localeCompare(b.name))
                  .map((site) => {
                    const connection = connectionName(site.connectionId);
                    return (
                      <tr key={site.id}>
                        <th scope="row">
                          <span className="cell-title">{site.name}</span>
                          <span className="cell-sub">{hostOf(site.wordpressUrl)}</span>
                          {!site.hasWordpressPassword && <span className="tag tag-warning">No application password</span>}
                          {site.woocommerceAuth === 'consumer-key' &&
                            (site.hasWoocommerceKey === true ? (
                              <span className="tag">Orders: WooCommerce key …{site.woocommerceKeyEnding ?? ''}</span>
                            ) : (
                              <span className="tag tag-warning">No WooCommerce key</span>
                            ))}
                        </th>
                        <td>
                          {connection === undefined ? (
                            isDetached(site, connections.data !== undefined) ? (
                              <DetachedCell site={site} canChoose={connectionList.length > 0} onChoose={() => openEdit(site, true)} />
                            ) : (
                              <span className="muted">{site.connectionId === null ? 'None chosen' : 'Loading…'}</span>
                            )
                          ) : (
                            <>
                              <span className="cell-title">{connection.username}</span>
                              {connection.state.kind !== 'connected' && <span className="tag tag-warning">Needs attention</span>}
                            </>
                          )}
                        </td>
                        <td>
                          {site.objectType}
                          <span className="cell-sub">{site.tagMode === 'topics' ? 'Topics' : `Picklist ${site.tagField ?? ''}`}</span>
                        </td>
                        <td>{formatTime(site.lastSyncedAt)}</td>
                        <td className="cell-actions">
                          <button type="button" className="button" onClick={() => openEdit(site)} aria-label={`Edit ${site.name}`}>
                            Edit
                          </button>
                          <button type="button" className="button button-danger-quiet" onClick={() => setDeleting(site)} aria-label={`Delete ${site.name}`}>
                            Delete
                          </button>
                          <a href={`${routeHref('outbound')}/${encodeURIComponent(site.id)}`} className="button-quiet" aria-label={`Test outbound messages for ${site.name}`}>
                            Outbound messages
                          </a>
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        )
      )}

      {deleting !== undefined && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete site"
          busyLabel="Deleting…"
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>
            ForceSites forgets this site profile and removes its application password from the keychain. Nothing changes in WordPress or in Salesforce, and
            the connection stays for any other sites that use it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * A site whose connection was disconnected (main remembers whose it was) or whose connection
 * no longer exists. Unlike a site that never had one, it used to sync and has stopped.
 */
function isDetached(site: SiteProfileDto, connectionsLoaded: boolean): boolean {
  if (site.connectionId === null) return site.detachedFromConnection !== undefined;
  return connectionsLoaded;
}

function DetachedCell({ site, canChoose, onChoose }: { readonly site: SiteProfileDto; readonly canChoose: boolean; readonly onChoose: () => void }) {
  return (
    <>
      <span className="cell-title cell-attention">Disconnected — choose or add a connection</span>
      {site.detachedFromConnection !== undefined && <span className="cell-sub">Used {site.detachedFromConnection} until it was disconnected.</span>}
      <span className="cell-links">
        {canChoose && (
          <button type="button" className="button-quiet" onClick={onChoose} aria-label={`Choose a connection for ${site.name}`}>
            Choose a connection
          </button>
        )}
        <a href={routeHref('connections')}>Add a connection</a>
      </span>
    </>
  );
}
