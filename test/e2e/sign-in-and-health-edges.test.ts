/**
 * Issue 10's wrong answers and first rough edge, end to end in Chromium against the demo org:
 *
 * - item 2: after signing in and adding a site, the Health page does not present the report
 *   from start-up (no connection, no site) as current;
 * - item 1: reauthorizing a connection whose user holds 4 of 5 approvals (its own the oldest)
 *   warns about nothing, and the user still holds 4 afterwards;
 * - item 3: with the username typed in Add connection, a user at 5 of 5 gets the preflight
 *   warning before any browser step, and after the sign-in the page names the approval
 *   Salesforce revoked;
 * - item 6: a reload while Salesforce waits for the admin shows the waiting panel again.
 *
 * The admin signs in as admin@ (who may see every user's approvals); sites@ holds no
 * connection until item 3. Approvals "made elsewhere" go through the emulator's login and
 * consent forms over plain HTTP.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningEmulator } from '../salesforce-emulator/index';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { completeSalesforceSignIn, demoOrg, makeApprovals } from './support/complete-salesforce-sign-in';
import { startDemo, type DemoProcess } from './support/demo-process';

const SCREENSHOTS = 'test-results/screenshots';
const ADMIN = 'admin@demo.forcesites';
const SITES_USER = 'sites@demo.forcesites';
const SITE = 'Members site';

describe.skipIf(!chromiumAvailable())('sign-in and health edges in the browser edition (issue 10 items 1, 2, 3, 6)', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let org: RunningEmulator;
  const pageErrors: string[] = [];

  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  /** Runs Check now (the header's or the outdated notice's: there is one) and waits for its answer. */
  async function checkNow(): Promise<void> {
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.locator('#health-check-status').filter({ hasText: /^Checked / }).waitFor({ timeout: 60_000 });
  }

  /** The approvals gauge on the site's card (the card also has an API-usage meter). */
  const adminGauge = () => page.getByRole('listitem', { name: SITE }).getByRole('meter', { name: `Approvals used by ${ADMIN}` });

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

  it('opens Health before anything exists, then signs in as the admin and adds a site', async () => {
    await page.goto(`${demo.url}#/health`);
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await page.getByRole('region', { name: 'No health results yet' }).waitFor();

    await nav('Connections');
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    org = demoOrg(await page.getByLabel('Login URL').inputValue(), await page.getByLabel('Consumer key').inputValue());
    await page.getByRole('button', { name: 'Authorize in browser' }).click();
    await completeSalesforceSignIn(context, page, ADMIN);
    await page.getByText('Connected.').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    await nav('Sites');
    await page.getByRole('button', { name: 'Add your first site' }).click();
    await page.getByLabel('Site name').fill(SITE);
    const connection = page.getByLabel('Connection', { exact: true });
    await connection.selectOption((await connection.locator('option', { hasText: ADMIN }).getAttribute('value')) ?? '');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText(SITE).first().waitFor();
  });

  it('item 2: Health does not show the start-up report as current; it shows the new check or says the report is outdated with Check now', async () => {
    await nav('Health');
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    const outdated = page.getByRole('region', { name: /This report is older than your sites and connections|Your sites have not been checked yet/ });
    const card = page.getByRole('listitem', { name: SITE });
    await outdated.or(card).first().waitFor({ timeout: 30_000 });
    // One snapshot of the page, because the debounced check may replace the report any moment.
    const seen = await page.locator('#main').evaluate((main) => {
      const notice = [...main.querySelectorAll('h2')]
        .find((heading) => /This report is older than your sites and connections|Your sites have not been checked yet/.test(heading.textContent ?? ''))
        ?.closest('section');
      const checkButtons = (root: typeof main) => [...root.querySelectorAll('button')].filter((button) => button.textContent === 'Check now').length;
      return { text: main.textContent ?? '', outdated: notice != null, inNotice: notice ? checkButtons(notice) : 0, onPage: checkButtons(main) };
    });
    // Whichever it shows, it never presents the empty start-up lists as the current state.
    expect(seen.text).not.toMatch(/No site profiles yet|No approvals were counted/);
    if (seen.outdated) {
      // Check now is offered in the notice (and only there).
      expect([seen.inNotice, seen.onPage]).toEqual([1, 1]);
      await page.screenshot({ path: `${SCREENSHOTS}/health-outdated.png`, fullPage: true });
    } else {
      expect(seen.text).toContain(SITE);
    }
    await checkNow();
    await card.waitFor();
    expect(await adminGauge().getAttribute('aria-valuetext')).toMatch(/^1 of 5 approvals used/);
    expect(await outdated.count()).toBe(0);
  });

  it('item 1: reauthorizing at 4 of 5, the connection’s own approval the oldest, warns about nothing and keeps 4', async () => {
    await makeApprovals(org, ADMIN, 3);
    await checkNow();
    expect(await adminGauge().getAttribute('aria-valuetext')).toMatch(/^4 of 5 approvals used/);

    await nav('Connections');
    const pagesBefore = context.pages().length;
    await page.getByRole('button', { name: `Reauthorize ${ADMIN}` }).click();
    const panel = page.getByRole('region', { name: `Reauthorize ${ADMIN}` });
    await panel.getByRole('link', { name: 'Open the Salesforce sign-in page' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('dialog').count()).toBe(0);
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('replaces this connection’s own approval');
    expect(text).not.toMatch(/one new approval|drops the oldest|will disconnect/);
    expect(context.pages().length).toBe(pagesBefore);
    await page.screenshot({ path: `${SCREENSHOTS}/reauthorize-at-4-of-5.png`, fullPage: true });

    await completeSalesforceSignIn(context, page, ADMIN);
    await page.getByText('Reauthorized.').waitFor();
    expect(await page.getByRole('region', { name: /Salesforce revoked/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Done' }).click();

    await nav('Health');
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await checkNow();
    expect(await adminGauge().getAttribute('aria-valuetext')).toMatch(/^4 of 5 approvals used/);
  });

  it('item 3: with the username typed, a user at 5 of 5 is warned before any browser step; after the sign-in the revoked approval is named', async () => {
    const [oldest] = await makeApprovals(org, SITES_USER, 5);
    await nav('Connections');
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('Salesforce username you will sign in as (optional)').fill(SITES_USER);
    const pagesBefore = context.pages().length;
    await page.getByRole('button', { name: 'Authorize in browser' }).click();

    const dialog = page.getByRole('dialog', { name: 'This sign-in will disconnect a site' });
    await dialog.waitFor({ timeout: 60_000 });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(SITES_USER);
    expect(text).toContain('5 of 5');
    const authorized = new Date(oldest ?? 0).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    expect(text).toContain(authorized);
    // Nothing started: no sign-in link, no waiting panel, no new tab.
    expect(await page.getByRole('link', { name: 'Open the Salesforce sign-in page' }).count()).toBe(0);
    expect(await page.getByText(/Waiting for Salesforce/).count()).toBe(0);
    expect(context.pages().length).toBe(pagesBefore);
    await page.screenshot({ path: `${SCREENSHOTS}/preflight-typed-username.png`, fullPage: true });

    await dialog.getByRole('button', { name: 'Continue and disconnect' }).click();
    await completeSalesforceSignIn(context, page, SITES_USER);
    await page.getByText('Connected.').waitFor({ timeout: 60_000 });
    const notice = page.getByRole('region', { name: `Salesforce revoked 1 approval because ${SITES_USER} was at the cap` });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`ForceSites authorized ${authorized}`);
    await page.screenshot({ path: `${SCREENSHOTS}/revoked-by-sign-in.png`, fullPage: true });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('item 6: a reload during a sign-in shows the waiting panel again, and finishing in Salesforce completes it', async () => {
    await page.getByRole('button', { name: `Reauthorize ${ADMIN}` }).click();
    await page.getByRole('link', { name: 'Open the Salesforce sign-in page' }).waitFor({ timeout: 60_000 });
    await page.reload();
    const panel = page.getByRole('region', { name: `Reauthorize ${ADMIN}` });
    await panel.getByText(/Waiting for Salesforce…/).waitFor();
    expect(await page.getByText('No connections yet').count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Cancel sign-in' }).count()).toBe(1);
    await completeSalesforceSignIn(context, page, ADMIN);
    // Once done, the panel is titled "Salesforce sign-in" again.
    await page.getByRole('region', { name: 'Salesforce sign-in' }).getByText('Reauthorized.').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
