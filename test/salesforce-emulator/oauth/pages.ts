/**
 * The HTML the browser sees during the web-server flow. Element names and ids follow
 * Salesforce's own pages where the app's end-to-end tests might look for them
 * (`username`, `password`, `Login`), and the consent buttons carry the names `approve`
 * and `deny` so a test can drive the form with plain fetch.
 */
import { escapeHtml } from '../http-util';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f3f3f3;margin:0}main{max-width:380px;margin:60px auto;background:#fff;padding:24px 28px;border:1px solid #ddd;border-radius:6px}
h1{font-size:20px}label{display:block;margin:12px 0 4px}input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:8px}
button,input[type=submit]{margin-top:16px;padding:8px 16px}.error{color:#c23934}.note{color:#666;font-size:12px}</style></head>
<body><main>${body}<p class="note">Salesforce emulator (ForceSites tests)</p></main></body></html>`;
}

export function loginPage(flow: string, error?: string, username = ''): string {
  return page(
    'Login | Salesforce',
    `<h1>Log in to Salesforce</h1>
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form id="login_form" name="login" method="POST" action="/services/oauth2/authorize" autocomplete="off">
<input type="hidden" name="flow" value="${escapeHtml(flow)}">
<label for="username">Username</label><input type="email" id="username" name="username" value="${escapeHtml(username)}" autofocus>
<label for="password">Password</label><input type="password" id="password" name="password">
<input type="submit" id="Login" name="Login" value="Log In">
</form>`,
  );
}

const SCOPE_LABELS: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  web: 'Access the Salesforce API platform (web)',
  full: 'Full access (full)',
};

export function consentPage(flow: string, appName: string, username: string, scopes: readonly string[]): string {
  const items = [...new Set(scopes.map((s) => SCOPE_LABELS[s] ?? s))].map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return page(
    'Allow Access? | Salesforce',
    `<h1>Allow Access?</h1>
<p><strong id="app_name">${escapeHtml(appName)}</strong> is asking to:</p><ul id="scopes">${items}</ul>
<p>Do you want to allow access for ${escapeHtml(username)}?</p>
<form id="consent_form" method="POST" action="/services/oauth2/authorize">
<input type="hidden" name="flow" value="${escapeHtml(flow)}">
<button type="submit" id="oadeny" name="deny" value="Deny">Deny</button>
<button type="submit" id="oaapprove" name="approve" value="Allow">Allow</button>
</form>`,
  );
}

/** Salesforce shows these errors in the page instead of redirecting (bad client or callback). */
export function errorPage(error: string, description: string): string {
  const query = `error=${encodeURIComponent(error)}&error_description=${encodeURIComponent(description)}`;
  return page('Error | Salesforce', `<h1>OAuth Error</h1><p id="error">We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p id="details">${escapeHtml(query)}</p>`);
}

export function homePage(loginUrl: string): string {
  return page('Salesforce emulator', `<h1>Salesforce emulator</h1><p>OAuth endpoints live under <code>${escapeHtml(loginUrl)}/services/oauth2/</code>.</p>`);
}
