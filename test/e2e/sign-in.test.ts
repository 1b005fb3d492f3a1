/**
 * Sign-in end to end in the browser edition: the admin adds a connection to the demo org,
 * follows the link to the Salesforce login page (the emulator) in a new tab, logs in,
 * approves, and the loopback listener hands the code back to ForceSites, which shows the
 * new connection. Nothing here is a fake but the Salesforce org itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { startDemo, type DemoProcess } from './support/demo-process';

describe.skipIf(!chromiumAvailable())('sign-in through the browser edition', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('adds a connection through the login and consent pages and lists it', async () => {
    await page.goto(`${demo.url}#/connections`);
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    await page.getByRole('button', { name: 'Authorize in browser' }).click();

    const link = page.getByRole('link', { name: 'Open the Salesforce sign-in page' });
    const [salesforce] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await salesforce.waitForLoadState();
    await salesforce.locator('input[name="username"]').fill('sites@demo.forcesites');
    await salesforce.locator('input[name="password"]').fill('demo-password');
    await salesforce.locator('input[name="password"]').press('Enter');
    await salesforce.locator('button[name="approve"], input[name="approve"]').click();
    await salesforce.waitForURL(/OauthRedirect/);
    expect(await salesforce.textContent('body')).toMatch(/close this (tab|window)/i);
    await salesforce.screenshot({ path: 'test-results/screenshots/sign-in-callback.png' });
    await salesforce.close();

    await page.getByText('sites@demo.forcesites').first().waitFor();
    await page.screenshot({ path: 'test-results/screenshots/connections-signed-in.png', fullPage: true });
  });
});
