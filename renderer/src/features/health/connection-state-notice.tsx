import type { CardConnectionState } from '../../../../common/health-models';
import { routeHref } from '../../app/routes';
import { causeText } from '../connections/login-host';

/** Whether the site's Salesforce connection works, and where to go when it does not. */
export function ConnectionStateNotice({
  state,
  username,
  detachedFrom,
}: {
  readonly state: CardConnectionState;
  readonly username: string | null;
  /** The connection a `no-connection` site used until it was disconnected. */
  readonly detachedFrom?: string | undefined;
}) {
  switch (state.kind) {
    case 'connected':
      return (
        <p className="health-connection">
          <span className="state state-connected">Connected</span>
          {username !== null && <span className="muted"> as {username}</span>}
        </p>
      );
    case 'needs-reauthorization':
      return (
        <div className="notice notice-warning">
          <p className="notice-title">Needs reauthorization{username !== null ? ` (${username})` : ''}</p>
          <p>{causeText(state.cause)}</p>
          {state.detail !== '' && <p className="notice-hint">{state.detail}</p>}
          <p>
            <a href={routeHref('connections')}>Reauthorize on the Connections page</a>
          </p>
        </div>
      );
    case 'keychain-error':
      return (
        <div className="notice notice-error">
          <p className="notice-title">Keychain error</p>
          <p>ForceSites could not read this connection’s token from the system keychain.</p>
          {state.detail !== '' && <p className="notice-hint">{state.detail}</p>}
          <p>
            Unlock the keychain and reopen ForceSites, or <a href={routeHref('connections')}>reauthorize on the Connections page</a>.
          </p>
        </div>
      );
    case 'no-connection':
      if (detachedFrom !== undefined) {
        return (
          <div className="notice notice-warning">
            <p className="notice-title">Disconnected — choose or add a connection</p>
            <p>
              This site used {detachedFrom} until that connection was disconnected, so it no longer syncs and ForceSites cannot check it. Choose another
              connection on the <a href={routeHref('sites')}>Sites page</a> or add one under <a href={routeHref('connections')}>Connections</a>.
            </p>
          </div>
        );
      }
      return (
        <div className="notice notice-info">
          <p className="notice-title">No connection</p>
          <p>
            This site does not use a Salesforce connection yet, so ForceSites cannot check it. Pick one on the <a href={routeHref('sites')}>Sites page</a>{' '}
            or add one under <a href={routeHref('connections')}>Connections</a>.
          </p>
        </div>
      );
  }
}
