import { useEffect, useId, useRef } from 'react';
import type { ConnectionDto } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { ErrorNotice } from '../../ui/error-notice';
import { ExternalLink } from '../../ui/external-link';
import { useAuthFlow } from './auth-flow';

/** Where a sign-in stands: waiting for the admin in the browser, done, failed or cancelled. */
export function SignInStatus({ connections }: { readonly connections: readonly ConnectionDto[] }) {
  const { state, cancel, reset } = useAuthFlow();
  const { appInfo, settings } = useApp();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // The form or button that started the sign-in is gone or disabled now: keep the
    // keyboard user's place by moving focus to this panel.
    if (state.phase === 'starting') heading.current?.focus();
  }, [state.phase]);

  if (state.phase === 'idle') return null;

  const reauthorizing =
    state.phase === 'starting' || state.phase === 'waiting' ? connections.find((connection) => connection.id === state.reauthorizeConnectionId) : undefined;

  return (
    <section className="panel panel-flow" aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1} className="panel-title">
        {reauthorizing !== undefined ? `Reauthorize ${reauthorizing.username}` : 'Salesforce sign-in'}
      </h2>
      <div role="status" aria-live="polite" className="flow-status">
        {state.phase === 'starting' && <p>Starting the sign-in…</p>}
        {state.phase === 'waiting' && (
          <p className="waiting">
            <span className="spinner" aria-hidden="true" /> Waiting for Salesforce… Sign in and allow access in your browser.
          </p>
        )}
        {state.phase === 'succeeded' && (
          <div className="notice notice-success">
            <p className="notice-title">{state.reauthorized ? 'Reauthorized.' : 'Connected.'}</p>
            {state.connection !== undefined && (
              <p>
                Signed in as <strong>{state.connection.displayName}</strong> ({state.connection.username}) to {state.connection.instanceUrl}.
              </p>
            )}
          </div>
        )}
        {state.phase === 'cancelled' && <p>Sign-in cancelled. Nothing was saved.</p>}
      </div>

      {state.phase === 'waiting' && (
        <>
          <ApprovalNote reauthorizing={reauthorizing} acknowledgedEviction={state.acknowledgedApprovalId !== undefined} cap={settings?.approvalCap ?? 5} />
          {appInfo?.edition === 'browser' ? (
            <BrowserEditionLink authorizeUrl={state.authorizeUrl} opened={state.browserOpened === true} />
          ) : (
            <p>
              Your browser should show the Salesforce sign-in page. <ExternalLink href={state.authorizeUrl}>Open the Salesforce sign-in page</ExternalLink>
            </p>
          )}
          <p className="field-hint">
            Salesforce sends you back to <code>{state.redirectUri}</code>. That address must be one of the app’s callback URLs.
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => void cancel()}>
              Cancel sign-in
            </button>
          </div>
        </>
      )}

      {state.phase === 'failed' && <ErrorNotice error={state.error} title="The sign-in did not complete." />}

      {(state.phase === 'succeeded' || state.phase === 'failed' || state.phase === 'cancelled') && (
        <div className="form-actions">
          {state.phase === 'succeeded' && (
            <a className="button button-primary" href={routeHref('sites')}>
              Go to Sites
            </a>
          )}
          <button type="button" className="button" onClick={reset}>
            {state.phase === 'failed' ? 'Dismiss' : 'Done'}
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * What this sign-in does to the user's approvals. Reauthorizing replaces the connection's own
 * approval (main revokes the old one once Salesforce has issued the new one), so it does not
 * use up one more; only a new sign-in adds one, and at the cap Salesforce revokes the oldest.
 */
function ApprovalNote({ reauthorizing, acknowledgedEviction, cap }: { readonly reauthorizing: ConnectionDto | undefined; readonly acknowledgedEviction: boolean; readonly cap: number }) {
  const accepted = acknowledgedEviction ? ' When Salesforce issues the new approval it also revokes the approval you agreed to give up.' : '';
  if (reauthorizing !== undefined) {
    return (
      <p className="field-hint">
        Sign in as {reauthorizing.username}. Reauthorizing replaces this connection’s own approval: once Salesforce issues the new one, ForceSites revokes the
        old one, so {reauthorizing.username} does not end up with one more approval of this app.{accepted}
      </p>
    );
  }
  return (
    <p className="field-hint">
      This adds one approval for the user who signs in. If that user already holds {cap} approvals of this app, Salesforce revokes their oldest.{accepted}
    </p>
  );
}

/**
 * In the browser edition ForceSites already runs in a browser tab, so following this link is
 * the ordinary way to reach Salesforce, not a fallback: it is offered as the next step, in
 * a neutral tone, whether or not main also managed to open a window.
 */
function BrowserEditionLink({ authorizeUrl, opened }: { readonly authorizeUrl: string; readonly opened: boolean }) {
  const hintId = useId();
  return (
    <>
      <p>
        {opened
          ? 'ForceSites opened the Salesforce sign-in page in a new browser window. If you do not see it, open it here.'
          : 'Sign in to Salesforce in a new tab and allow access. This page updates by itself when Salesforce sends you back.'}
      </p>
      <p>
        <a href={authorizeUrl} target="_blank" rel="noopener noreferrer" className="button button-primary" aria-describedby={hintId}>
          Open the Salesforce sign-in page
        </a>{' '}
        <span id={hintId} className="field-hint">
          (opens in a new tab)
        </span>
      </p>
    </>
  );
}
