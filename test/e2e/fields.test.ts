/**
 * Object type, "Refresh Available Topics & Fields" and the mapping end to end in the browser
 * edition against the demo org: the admin signs in, adds a site, changes its object type to
 * Lead, refreshes (the page's API call count must be what the emulator counted), maps a
 * WordPress field to Lead's required Company, previews real demo users and saves; after a
 * reload the saved mapping is still there.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { startDemo, type DemoProcess } from './support/demo-process';
import { completeSalesforceSignIn } from './support/complete-salesforce-sign-in';

const SCREENSHOTS = 'test-results/screenshots';
const USERNAME = 'admin@demo.forcesites';
const SITE = 'Lead site';

/** API requests the demo org has received (token calls excluded: they are not API calls). */
async function emulatorApiCalls(loginUrl: string): Promise<number> {
  const response = await fetch(`${loginUrl}/__emulator/api-calls`);
  const counts = (await response.json()) as { total: number; token: number };
  return counts.total - counts.token;
}

async function screenshotWholePage(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const height = await page.locator('#main').evaluate((main) => main.scrollHeight + main.getBoundingClientRect().top);
  await page.setViewportSize({ width: viewport.width, height: Math.min(8000, Math.max(viewport.height, Math.ceil(height))) });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.setViewportSize(viewport);
}

describe.skipIf(!chromiumAvailable())('fields in the browser edition', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let loginUrl = '';
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

  it('signs in to the demo org', async () => {
    await page.goto(`${demo.url}#/connections`);
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    loginUrl = await page.getByLabel('Login URL').inputValue();
    await page.getByRole('button', { name: 'Authorize in browser' }).click();
    await completeSalesforceSignIn(context, page, USERNAME);
    await page.getByRole('heading', { name: new RegExp(USERNAME.replace(/\./g, '\\.')) }).waitFor();
  });

  it('adds a site and changes its object type to Lead from the objects the connection can use', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites', exact: true }).click();
    await page.getByRole('button', { name: 'Add your first site' }).click();
    await page.getByLabel('Site name').fill(SITE);
    const connection = page.getByLabel('Connection', { exact: true });
    const value = await connection.locator('option', { hasText: USERNAME }).getAttribute('value');
    await connection.selectOption(value ?? '');
    const object = page.getByLabel('Salesforce object');
    // The org's objects arrive from the global describe once a connection is chosen.
    await object.locator('option', { hasText: '(Account)' }).waitFor({ state: 'attached' });
    await object.selectOption('Lead');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText(`Saved “${SITE}”.`).waitFor();
  });

  it('refreshes the fields of Lead and shows the API calls the emulator counted', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fields', exact: true }).click();
    await page.getByText(/Not loaded yet/).waitFor();
    const before = await emulatorApiCalls(loginUrl);
    await page.getByRole('button', { name: 'Refresh Available Topics & Fields' }).click();
    const status = page.getByText(/The last refresh used/);
    await status.waitFor();
    const counted = (await emulatorApiCalls(loginUrl)) - before;
    expect(counted).toBe(1);
    expect(await status.textContent()).toContain(`The last refresh used ${counted} API call`);
    expect(await status.textContent()).toMatch(/fields of Lead/);
    await page.getByRole('heading', { name: 'Field mapping for Lead' }).waitFor();
  });

  it('maps a WordPress field to Company, previews three demo users and saves', async () => {
    const editor = page.getByRole('region', { name: 'Field mapping for Lead' });
    // Lead requires Company: the proposal gives it a default until a field is mapped.
    expect(await editor.getByLabel(/^Default for Company/).inputValue()).toBe('[not provided]');
    await editor.getByRole('button', { name: 'Add row' }).click();
    const rows = await editor.locator('tbody tr').count();
    const wordpressField = editor.getByLabel(`Row ${rows} WordPress field`);
    // Keyboard: the new row's first list has focus.
    expect(await wordpressField.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await wordpressField.selectOption('name');
    await editor.getByLabel(`Row ${rows} Salesforce field`).selectOption('Company');
    expect(await editor.getByLabel(/^Default for Company/).evaluate((element) => element.closest('label')?.textContent ?? '')).toContain('from name');

    await editor.getByRole('button', { name: 'Preview with 3 WordPress users' }).click();
    const previews = editor.getByRole('article');
    await previews.first().waitFor();
    expect(await previews.count()).toBe(3);
    expect(await previews.first().textContent()).toContain('Company');

    await editor.getByRole('button', { name: 'Save mapping' }).click();
    await editor.getByText(`Saved the mapping of “${SITE}”.`).waitFor();
    await screenshotWholePage(page, 'fields-mapping');
  });

  it('keeps the saved mapping after a reload', async () => {
    await page.reload();
    const editor = page.getByRole('region', { name: 'Field mapping for Lead' });
    await editor.waitFor();
    const count = await editor.locator('tbody tr').count();
    const pairs: string[] = [];
    for (let row = 1; row <= count; row += 1) {
      pairs.push(`${await editor.getByLabel(`Row ${row} WordPress field`).inputValue()}→${await editor.getByLabel(`Row ${row} Salesforce field`).inputValue()}`);
    }
    expect(pairs).toContain('name→Company');
    expect(pairs).toContain('email→Email');
    expect(pageErrors).toEqual([]);
  });
});
