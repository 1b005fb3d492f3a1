/**
 * Steps in the demo org (the Salesforce emulator) that e2e tests share: finishing a sign-in in
 * the tab ForceSites' link opens, and making approvals the way another installation would,
 * over plain HTTP through the login and consent forms.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningEmulator } from '../../salesforce-emulator/index';
import { browserLogin, exchange } from '../../salesforce-emulator/test-support';

export const DEMO_PASSWORD = 'demo-password';
// A registered callback URL of the demo app. Nothing has to listen there: only the code in the
// Location header is needed, and the code exchange names the same URL.
export const SPARE_REDIRECT_URI = 'http://localhost:1718/OauthRedirect';

/** Follows ForceSites' sign-in link, logs in as `username` and approves (consent may be skipped for a known app). */
export async function completeSalesforceSignIn(context: BrowserContext, page: Page, username: string): Promise<void> {
  const link = page.getByRole('link', { name: 'Open the Salesforce sign-in page' });
  const [salesforce] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await salesforce.waitForLoadState();
  await salesforce.locator('input[name="username"]').fill(username);
  await salesforce.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await salesforce.locator('input[name="password"]').press('Enter');
  const approve = salesforce.locator('button[name="approve"], input[name="approve"]');
  await Promise.race([approve.waitFor().then(() => approve.click()), salesforce.waitForURL(/OauthRedirect/)]);
  await salesforce.waitForURL(/OauthRedirect/);
  await salesforce.close();
}

/**
 * The demo org as the emulator helpers need it, read from the demo's prefilled Add connection
 * form (the demo prints no control URL): `browserLogin` and `exchange` use only these fields.
 */
export function demoOrg(loginUrl: string, clientId: string): RunningEmulator {
  return { loginUrl, clientId, redirectUris: [SPARE_REDIRECT_URI], users: [] } as unknown as RunningEmulator;
}

/** Makes `count` approvals of `username` for the demo app, as other installations would; answers their issued_at (ms). */
export async function makeApprovals(org: RunningEmulator, username: string, count: number): Promise<number[]> {
  const issued: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const login = await browserLogin(org, { username, password: DEMO_PASSWORD, redirectUri: SPARE_REDIRECT_URI, scope: 'api refresh_token id' });
    if (login.code === null) throw new Error(`no authorization code for ${username}: ${login.location.href}`);
    const token = await exchange(org, login, { redirectUri: SPARE_REDIRECT_URI });
    // Only the field names: the body holds tokens.
    if (token.status !== 200 || !token.body.refresh_token) throw new Error(`token exchange for ${username} answered ${token.status} with ${Object.keys(token.body).join(', ')}`);
    issued.push(Number(token.body.issued_at));
  }
  return issued;
}
