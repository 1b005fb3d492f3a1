import { useCallback, useEffect, useId, useState } from 'react';
import type { ConnectionDto, SiteProfileDto } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { useLive } from '../../app/use-live';
import { invoke, on } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { PageHeader } from '../../ui/page-header';
import { Timestamp } from '../../ui/timestamp';
import { PreflightDialog } from '../health/preflight-dialog';
import { hostOf } from '../sites/site-form';
import { AddConnectionForm } from './add-connection-form';
import { useAuthFlow, type SignInRequest } from './auth-flow';
import { DisconnectDialog } from './disconnect-dialog';
import { causeText, reauthorizeRequest, shortKey } from './login-host';
import { RevokedBySignInNotice } from './revoked-by-sign-in-notice';
import { SetupGuide } from './setup-guide';
import { SignInStatus } from './sign-in-status';
import { likelyReusedConnection, useSignInPreflight } from './use-sign-in-preflight';

export function ConnectionsPage() {
  const { appInfo, settings } = useApp();
  const connections = useLive(() => invoke('connections:list', {}), 'connections:changed');
  const sites = useLive(() => invoke('sites:list', {}), 'sites:changed');
  const flow = useAuthFlow();
  const [adding, setAdding] = useState(false);
  const [disconnecting, setDisconnecting] = useState<ConnectionDto | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [detached, setDetached] = useState<readonly string[]>([]);

  const { reload } = connections;
  // Main also sends connections:changed; reloading here keeps the list right if that event
  // was missed while the page was closed.
  useEffect(() => on('auth:finished', (event) => event.ok && reload()), [reload]);

  // A reload forgets a sign-in that main still runs: ask main, and hold the "No connections
  // yet" invitation until it answered so it does not flash over a waiting sign-in.
  const { resume } = flow;
  const [pendingAsked, setPendingAsked] = useState(false);
  useEffect(() => {
    let live = true;
    void resume().finally(() => live && setPendingAsked(true));
    return () => {
      live = false;
    };
  }, [resume]);

  const list = connections.data ?? [];
  const siteList = sites.data ?? [];
  const { start } = flow;
  // The add form stays open until the sign-in really starts, so Cancel in the preflight
  // dialog returns the admin to what they typed.
  const startSignIn = useCallback(
    (request: SignInRequest) => {
      setAdding(false);
      void start(request);
    },
    [start],
  );
  const [askForAnotherUsername, setAskForAnotherUsername] = useState(0);
  const onChooseAnotherUsername = useCallback(() => setAskForAnotherUsername((n) => n + 1), []);
  const preflight = useSignInPreflight(startSignIn, { onChooseAnotherUsername });
  const flowBusy = flow.state.phase === 'starting' || flow.state.phase === 'waiting' || preflight.checking || preflight.pending !== undefined;
  const cap = settings?.approvalCap ?? 5;

  function startAdd(request: SignInRequest) {
    setStatus('');
    setDetached([]);
    // A typed username says who signs in; otherwise the browser most likely reuses the session
    // of the newest connection for the same app (unless the admin chose another user).
    const reused = likelyReusedConnection(request, list);
    void preflight.begin(request, request.expectedUsername !== undefined ? { username: request.expectedUsername } : reused === undefined ? undefined : { connectionId: reused.id });
  }

  function reauthorize(connection: ConnectionDto) {
    setStatus('');
    setDetached([]);
    void preflight.begin(reauthorizeRequest(connection), { connectionId: connection.id });
  }

  const namesOf = (connection: ConnectionDto) => siteNames(connection, siteList);

  return (
    <div className="page">
      <PageHeader
        title="Connections"
        actions={
          !adding && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)} disabled={flowBusy}>
              Add connection
            </button>
          )
        }
      >
        The Salesforce users ForceSites signs in as. Each connection is one approval: a login host, an app and a user.
      </PageHeader>

      <p role="status" aria-live="polite" className="page-status">
        {preflight.checking ? 'Checking the user’s approvals before the sign-in…' : status}
      </p>

      <div className="notice notice-info">
        <p className="notice-title">One approval per user, shared by every site</p>
        <p>
          Salesforce keeps at most {cap} approvals per user for each app; one more silently revokes the oldest and disconnects whatever used it. Site profiles
          that share the same org, app and user share one connection here, so ForceSites never uses more than one approval per user per app, however many
          sites you add.
        </p>
      </div>

      {flow.revocations.map((entry) => (
        <RevokedBySignInNotice key={entry.flowId} entry={entry} sites={siteList} onDismiss={() => flow.dismissRevocations(entry.flowId)} />
      ))}

      {detached.length > 0 && <DetachedSitesNotice names={detached} onDismiss={() => setDetached([])} />}

      {preflight.note !== undefined && (
        <div className="notice notice-info" role="note">
          <p className="notice-title">Approvals not checked</p>
          <p>{preflight.note}</p>
        </div>
      )}

      <SignInStatus connections={list} />

      {adding && (
        <AddConnectionForm
          // Remount once app:info arrives so the demo org's values prefill the form.
          key={appInfo === undefined ? 'app-info-pending' : 'app-info-known'}
          connections={list}
          busy={flowBusy}
          onSubmit={startAdd}
          onCancel={() => setAdding(false)}
          askForAnotherUsername={askForAnotherUsername}
        />
      )}

      {connections.error !== undefined && <ErrorNotice error={connections.error} title="The connection list could not be loaded." />}

      {connections.loading && connections.data === undefined ? (
        <p className="muted" role="status">
          Loading connections…
        </p>
      ) : list.length === 0 && connections.error === undefined ? (
        !adding &&
        pendingAsked &&
        flow.state.phase === 'idle' && (
          <EmptyState
            title="No connections yet"
            action={
              <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                Add your first connection
              </button>
            }
          >
            <p>
              A connection lets ForceSites work in your Salesforce org as one user. Set up the Salesforce app below, then add a connection and sign in; your
              site profiles then pick it.
            </p>
          </EmptyState>
        )
      ) : (
        <ul className="card-list" aria-label="Connections">
          {list.map((connection) => (
            <ConnectionCard
              key={connection.id}
              connection={connection}
              siteNames={namesOf(connection)}
              busy={flowBusy}
              onReauthorize={() => reauthorize(connection)}
              onDisconnect={() => setDisconnecting(connection)}
            />
          ))}
        </ul>
      )}

      <SetupGuide open={list.length === 0} />

      {preflight.pending !== undefined && (
        <PreflightDialog
          result={preflight.pending.result}
          onContinue={preflight.continueAsPlanned}
          onChooseAnotherUser={preflight.chooseAnotherUser}
          onCancel={preflight.cancel}
        />
      )}

      {disconnecting !== undefined && (
        <DisconnectDialog
          connection={disconnecting}
          siteNames={namesOf(disconnecting)}
          onCancel={() => setDisconnecting(undefined)}
          onDone={(outcome) => {
            connections.set(list.filter((connection) => connection.id !== disconnecting.id));
            setDisconnecting(undefined);
            setStatus(outcome.detachedSites.length === 0 ? outcome.message : `${outcome.message} ${detachedSummary(outcome.detachedSites)}`);
            setDetached(outcome.detachedSites);
          }}
        />
      )}
    </div>
  );
}

function detachedSummary(names: readonly string[]): string {
  return names.length === 1 ? `1 site has no connection now: ${names[0] ?? ''}.` : `${names.length} sites have no connection now: ${names.join(', ')}.`;
}

/** After a disconnect: which sites lost their connection, and where to give them another. */
function DetachedSitesNotice({ names, onDismiss }: { readonly names: readonly string[]; readonly onDismiss: () => void }) {
  const headingId = useId();
  return (
    <section className="notice notice-warning" aria-labelledby={headingId}>
      <h2 id={headingId} className="notice-title">
        {names.length === 1 ? 'This site has no connection now' : `These ${names.length} sites have no connection now`}
      </h2>
      <ul aria-label="Sites without a connection">
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <p>They stop syncing until they use a connection again. Choose another connection for each on the Sites page, or add a connection here.</p>
      <div className="form-actions">
        <a className="button button-primary" href={routeHref('sites')}>
          Choose connections on the Sites page
        </a>
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}

function siteNames(connection: ConnectionDto, sites: readonly SiteProfileDto[]): readonly string[] {
  return connection.siteIds.map((id) => sites.find((site) => site.id === id)?.name ?? id);
}

interface ConnectionCardProps {
  readonly connection: ConnectionDto;
  readonly siteNames: readonly string[];
  readonly busy: boolean;
  readonly onReauthorize: () => void;
  readonly onDisconnect: () => void;
}

function ConnectionCard({ connection, siteNames: names, busy, onReauthorize, onDisconnect }: ConnectionCardProps) {
  const { state } = connection;
  const headingId = `connection-${connection.id}`;
  return (
    <li className={`card card-${state.kind}`} aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId} className="card-title">
          {connection.displayName} <span className="muted">({connection.username})</span>
        </h2>
        <span className={`state state-${state.kind}`}>
          {state.kind === 'connected' ? 'Connected' : state.kind === 'needs-reauthorization' ? 'Needs reauthorization' : 'Keychain error'}
        </span>
      </div>
      {state.kind === 'needs-reauthorization' && (
        <div className="notice notice-warning">
          <p>{causeText(state.cause)}</p>
          {state.detail !== '' && <p className="notice-hint">{state.detail}</p>}
          <p className="notice-hint">Reauthorize to reconnect the sites that use it.</p>
        </div>
      )}
      {state.kind === 'keychain-error' && (
        <div className="notice notice-error">
          <p>ForceSites could not read this connection’s token from the system keychain.</p>
          {state.detail !== '' && <p className="notice-hint">{state.detail}</p>}
          <p className="notice-hint">Unlock the keychain and reopen ForceSites, or reauthorize to store a new token.</p>
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>Org</dt>
          <dd>{hostOf(connection.instanceUrl)}</dd>
        </div>
        <div>
          <dt>Login host</dt>
          <dd>{hostOf(connection.loginUrl)}</dd>
        </div>
        <div>
          <dt>App consumer key</dt>
          <dd>
            <code title={connection.clientId}>{shortKey(connection.clientId)}</code>
          </dd>
        </div>
        <div>
          <dt>Authorized</dt>
          <dd>
            <Timestamp iso={connection.authorizedAt} />
          </dd>
        </div>
        <div>
          <dt>API version</dt>
          <dd>{connection.apiVersion}</dd>
        </div>
      </dl>
      <p className="card-sites">
        {names.length === 0 ? 'No site uses this connection yet.' : `Used by ${names.length === 1 ? '1 site' : `${names.length} sites`}: ${names.join(', ')}.`}
      </p>
      <div className="card-actions">
        <button
          type="button"
          className={`button${state.kind === 'connected' ? '' : ' button-primary'}`}
          onClick={onReauthorize}
          disabled={busy}
          aria-label={`Reauthorize ${connection.username}`}
        >
          Reauthorize
        </button>
        <button type="button" className="button button-danger-quiet" onClick={onDisconnect} aria-label={`Disconnect ${connection.username}`}>
          Disconnect
        </button>
      </div>
    </li>
  );
}
