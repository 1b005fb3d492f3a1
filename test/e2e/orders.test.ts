/**
 * Orders end to end in the browser edition: `npm run demo -- --wordpress real` (a real
 * WordPress with WooCommerce-shaped orders in USD, EUR, GBP, JPY and SEK) and the demo org. The
 * admin signs in, gives the site its connection, sets the org's currency in the order settings,
 * previews, sends, and opens the reconciliation view: the orders Salesforce refused (other
 * currencies) are listed with the reason, a Replay button offers them again, and every order
 * sent is in Salesforce exactly once.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { startDemo, type DemoProcess } from './support/demo-process';
import { completeSalesforceSignIn } from './support/complete-salesforce-sign-in';

const SCREENSHOTS = 'test-results/screenshots';
const USERNAME = 'admin@demo.forcesites';
const SITE = 'Real WordPress';

async function emulatorRecords(loginUrl: string, sobject: string): Promise<Record<string, unknown>[]> {
  const orgs = (await (await fetch(`${loginUrl}/__emulator/orgs`)).json()) as { id?: string; orgId?: string }[] | { orgs: { id?: string; orgId?: string }[] };
  const list = Array.isArray(orgs) ? orgs : orgs.orgs;
  const orgId = list[0]!.id ?? list[0]!.orgId;
  const answer = (await (await fetch(`${loginUrl}/__emulator/orgs/${orgId}/records/${sobject}`)).json()) as Record<string, unknown>[] | { records: Record<string, unknown>[] };
  return Array.isArray(answer) ? answer : answer.records;
}

describe.skipIf(!chromiumAvailable())('orders in the browser edition', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let loginUrl = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    demo = await startDemo(['--wordpress', 'real'], 120_000);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('signs in to the demo org and gives the real WordPress site the connection', async () => {
    await page.goto(`${demo.url}#/connections`);
    await page.getByRole('button', { name: 'Add your first connection' }).click();
    loginUrl = await page.getByLabel('Login URL').inputValue();
    await page.getByRole('button', { name: 'Authorize in browser' }).click();
    await completeSalesforceSignIn(context, page, USERNAME);
    await page.getByRole('heading', { name: new RegExp(USERNAME.replace(/\./g, '\\.')) }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites', exact: true }).click();
    await page.getByRole('button', { name: `Edit ${SITE}` }).click();
    const connection = page.getByLabel('Connection', { exact: true });
    const value = await connection.locator('option', { hasText: USERNAME }).getAttribute('value');
    await connection.selectOption(value ?? '');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`Saved “${SITE}”.`).waitFor();
  });

  it('sets the org currency, previews, sends, and reconciles with a Replay button', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('button', { name: 'Order settings' }).click();
    const form = page.getByRole('form', { name: 'Order settings' });
    await form.getByLabel(/Org currency/).fill('USD');
    await form.getByRole('button', { name: 'Save order settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    const summary = (await preview.locator('p').first().textContent()) ?? '';
    const created = Number(/(\d+) new/.exec(summary)?.[1] ?? 0);
    const refused = Number(/(\d+) cannot be sent/.exec(summary)?.[1] ?? 0);
    expect(created).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(await emulatorRecords(loginUrl, 'Order')).toHaveLength(0);
    await page.screenshot({ path: `${SCREENSHOTS}/orders-preview.png`, fullPage: true });

    await page.getByRole('button', { name: 'Send orders' }).click();
    await page.getByRole('cell', { name: 'completed' }).first().waitFor({ timeout: 60_000 });
    const orders = await emulatorRecords(loginUrl, 'Order');
    const keys = orders.map((order) => order['OrderReferenceNumber']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.length).toBeLessThanOrEqual(created);

    await page.getByRole('button', { name: 'Reconcile' }).click();
    const view = page.getByRole('region', { name: 'Reconciliation' });
    await view.waitFor();
    expect(await view.locator('p').first().textContent()).toMatch(/0 missing in Salesforce/);
    await view.getByText(/CURRENCY_MISMATCH/).first().waitFor();
    expect(await view.getByRole('button', { name: /^Replay \d+ orders?$/ }).isEnabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/orders-reconciliation.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
