/**
 * Token health end to end in the browser edition against the demo org: the admin signs in as
 * sites@demo.forcesites, a site uses that connection, and four more approvals of the same user
 * for the same connected app appear (made here with plain HTTP through the emulator's login and
 * consent forms, as other installations would). The user then holds 5 = the cap. The Health
 * page must show 5 of 5 and that the site's approval goes next; the sign-in preflight must warn
 * before the browser opens once a reauthorization would disconnect somebody else's approval.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningEmulator } from '../salesforce-emulator/index';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { startDemo, type DemoProcess } from './support/demo-process';
import { completeSalesforceSignIn, demoOrg, makeApprovals } from './support/complete-salesforce-sign-in';

const SCREENSHOTS = 'test-results/screenshots';
const USERNAME = 'sites@demo.forcesites';

const SITE = 'Members site';

/** The app scrolls inside its main area, so a full-page shot needs a viewport as tall as the content. */
async function screenshotWholePage(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const height = await page.locator('#main').evaluate((main) => main.scrollHeight + main.getBoundingClientRect().top);
  await page.setViewportSize({ width: viewport.width, height: Math.min(8000, Math.max(viewport.height, Math.ceil(height))) });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.setViewportSize(viewport);
}

describe.skipIf(!chromiumAvailable())('token health in the browser edition', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let emulator: RunningEmulator;
  /** issued_at of the oldest approval made over HTTP (ms since the epoch). */
  let firstExtraIssuedAt = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    demo = await startDemo();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('signs in through the UI and reads the demo org from the Add connection form', async () => {
    await page.goto(`${demo.url}#/connections`);
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    const loginUrl = await page.getByLabel('Login URL').inputValue();
    const clientId = await page.getByLabel('Consumer key').inputValue();
    expect(loginUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(clientId).not.toBe('');
    emulator = demoOrg(loginUrl, clientId);

    await page.getByRole('button', { name: 'Authorize in browser' }).click();
    await completeSalesforceSignIn(context, page, USERNAME);
    await page.getByRole('heading', { name: new RegExp(USERNAME.replace('.', '\\.')) }).waitFor();
  });

  it('adds a site profile that uses the connection', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites', exact: true }).click();
    await page.getByRole('button', { name: 'Add your first site' }).click();
    await page.getByLabel('Site name').fill(SITE);
    await page.getByLabel('WordPress username').fill('admin');
    const connection = page.getByLabel('Connection', { exact: true });
    const value = await connection.locator('option', { hasText: USERNAME }).getAttribute('value');
    await connection.selectOption(value ?? '');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText(SITE).first().waitFor();
  });

  it('makes four more approvals of the same user for the same app over HTTP', async () => {
    const issued = await makeApprovals(emulator, USERNAME, 4);
    expect(issued).toHaveLength(4);
    firstExtraIssuedAt = issued[0]!;
  });

  it('Check now shows 5 of 5 and that the site’s own approval, the oldest, goes next', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Health', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByRole('status').filter({ hasText: /^Checked / }).waitFor({ timeout: 60_000 });

    const card = page.getByRole('listitem', { name: SITE });
    const gauge = card.getByRole('region', { name: `ForceSites approvals of ${USERNAME}` });
    await expect.poll(() => gauge.textContent()).toContain('5 of 5');
    expect(await gauge.getByRole('meter').getAttribute('aria-valuetext')).toBe('5 of 5 approvals used: At the limit');
    const items = gauge.getByRole('list', { name: 'Approvals, oldest first' }).getByRole('listitem');
    expect(await items.count()).toBe(5);
    const oldest = (await items.nth(0).textContent()) ?? '';
    expect(oldest).toContain(`${SITE} (this site)`);
    expect(oldest).toContain('Revoked by the next sign-in');
    for (let i = 1; i < 5; i += 1) expect(await items.nth(i).textContent()).not.toContain('Revoked by the next sign-in');
    expect(await gauge.textContent()).toContain(`revokes the oldest approval (${SITE})`);

    // The census lists the same user's approvals, the four made elsewhere as unknown sites.
    const byUser = page.getByRole('region', { name: 'Approvals by user' });
    expect(await byUser.getByText('Unknown site', { exact: true }).count()).toBeGreaterThanOrEqual(4);
    await screenshotWholePage(page, 'health-at-cap');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotWholePage(page, 'health-at-cap-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reauthorizing the connection that holds the oldest approval only replaces it, so no warning', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
    await page.getByRole('button', { name: `Reauthorize ${USERNAME}` }).click();
    // Main's verdict is "safe" (the connection's own approval is the one Salesforce drops), so
    // the sign-in starts without a dialog.
    await page.getByRole('link', { name: 'Open the Salesforce sign-in page' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await completeSalesforceSignIn(context, page, USERNAME);
    await page.getByText('Reauthorized.').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('now that the oldest approval belongs to someone else, Reauthorize warns before any browser step; Cancel starts nothing', async () => {
    const pagesBefore = context.pages().length;
    await page.getByRole('button', { name: `Reauthorize ${USERNAME}` }).click();
    const dialog = page.getByRole('dialog', { name: 'This sign-in will disconnect a site' });
    await dialog.waitFor({ timeout: 60_000 });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(`Authorizing now as ${USERNAME} will disconnect`);
    expect(text).toContain('5 of 5');
    expect(text).toContain('Site that loses its connection');
    expect(text).toContain('an unknown site or app');
    const authorized = new Date(firstExtraIssuedAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    expect(text).toContain(authorized);
    // Nothing started: no sign-in link, no waiting panel, no new tab.
    expect(await page.getByRole('link', { name: 'Open the Salesforce sign-in page' }).count()).toBe(0);
    expect(await page.getByText(/Waiting for Salesforce/).count()).toBe(0);
    expect(context.pages().length).toBe(pagesBefore);
    await page.screenshot({ path: `${SCREENSHOTS}/preflight.png`, fullPage: true });

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByText(/Waiting for Salesforce/).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Reauthorize ${USERNAME}` }).isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
