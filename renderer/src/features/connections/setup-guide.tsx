import { useApp } from '../../app/app-context';

export const OAUTH_SCOPES = 'api refresh_token offline_access id';

/** How to create the Salesforce app ForceSites signs in with. */
export function SetupGuide({ open }: { readonly open: boolean }) {
  const { settings } = useApp();
  const ports = settings?.callbackPorts ?? [];
  return (
    <details className="panel guide" open={open}>
      <summary className="guide-summary">How to set up the Salesforce app</summary>
      <p>
        ForceSites signs in through an app in your org. Since Spring ’26 Salesforce no longer lets admins create classic connected apps, so create an{' '}
        <strong>External Client App</strong>. A connected app your org already has works too, with the same settings.
      </p>
      <ol className="guide-steps">
        <li>
          In Setup, open <strong>External Client App Manager</strong> and choose <strong>New External Client App</strong>. Give it a name such as
          “ForceSites” and keep the distribution state <em>Local</em>.
        </li>
        <li>
          Under <strong>API (Enable OAuth Settings)</strong>, turn on OAuth and enter these callback URLs, one per line:
          {ports.length === 0 ? (
            <p className="muted">Loading the callback ports from Settings…</p>
          ) : (
            <ul className="code-list">
              {ports.map((port) => (
                <li key={port}>
                  <code>{`http://localhost:${port}/OauthRedirect`}</code>
                </li>
              ))}
            </ul>
          )}
          Salesforce matches the port exactly, so list every port ForceSites may use (see Settings).
        </li>
        <li>
          Select the OAuth scopes <code>{OAUTH_SCOPES}</code>: “Manage user data via APIs (api)”, “Perform requests at any time (refresh_token,
          offline_access)” and “Access the identity URL service (id, profile, email, address, phone)”.
        </li>
        <li>
          Under flow enablement and security, enable the <strong>Authorization Code and Credentials Flow</strong> and keep{' '}
          <strong>Require Proof Key for Code Exchange (PKCE)</strong> on. Turn off “Require secret for Web Server Flow” unless you will enter the consumer
          secret here.
        </li>
        <li>
          On the <strong>Policies</strong> tab, set the refresh token policy to <strong>Refresh token is valid until revoked</strong>, so sites keep working
          between syncs. Under permitted users, choose <em>All users may self-authorize</em>, or <em>Admin approved users are pre-authorized</em> and add the
          profiles or permission sets of the users who will sign in.
        </li>
        <li>
          On the <strong>Settings</strong> tab, open <strong>Consumer Key and Secret</strong> and paste the consumer key into the form on this page.
        </li>
      </ol>
    </details>
  );
}
