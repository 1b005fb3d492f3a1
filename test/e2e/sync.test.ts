/**
 * The manual sync end to end in the browser edition against the demo org: the admin signs in,
 * adds a site on the demo WordPress (36 users; the demo org already holds 12 of them as
 * Contacts), saves the proposed mapping, previews a push on the Sync page (counts and the
 * API-call estimate, which must match what the emulator then counts), runs it, watches the
 * progress finish, opens the run's records and filters them by outcome. A second preview
 * finds everyone unchanged.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningEmulator } from '../salesforce-emulator/index';
import { connectWithPkce } from '../salesforce-emulator/test-support';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { completeSalesforceSignIn } from './support/complete-salesforce-sign-in';
import { startDemo, type DemoProcess } from './support/demo-process';

const SCREENSHOTS = 'test-results/screenshots';
const USERNAME = 'admin@demo.forcesites';
const SITE = 'Members to sync';
/** The demo WordPress's users, and how many of them the demo org already holds as Contacts. */
const WORDPRESS_USERS = 36;
const SEEDED_CONTACTS = 12;

interface ApiCalls {
  readonly total: number;
  readonly token: number;
  readonly collections: number;
}

async function apiCalls(loginUrl: string): Promise<ApiCalls> {
  const response = await fetch(`${loginUrl}/__emulator/api-calls`, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as ApiCalls;
}

async function contactCount(loginUrl: string): Promise<number> {
  const org = (await (await fetch(`${loginUrl}/__emulator/`, { signal: AbortSignal.timeout(5_000) })).json()) as { orgId: string };
  const records = (await (await fetch(`${loginUrl}/__emulator/orgs/${org.orgId}/records/Contact`, { signal: AbortSignal.timeout(5_000) })).json()) as unknown;
  return Array.isArray(records) ? records.length : ((records as { records: unknown[] }).records?.length ?? 0);
}

async function setLatency(loginUrl: string, ms: number): Promise<void> {
  const response = await fetch(`${loginUrl}/__emulator/latency`, { method: 'PUT', body: JSON.stringify({ ms }), signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`the emulator refused latency ${ms}: HTTP ${response.status}`);
}

async function screenshotWholePage(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const height = await page.locator('#main').evaluate((main) => main.scrollHeight + main.getBoundingClientRect().top);
  await page.setViewportSize({ width: viewport.width, height: Math.min(8000, Math.max(viewport.height, Math.ceil(height))) });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.setViewportSize(viewport);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

describe.skipIf(!chromiumAvailable())('manual sync in the browser edition', () => {
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

  it('adds a site on the demo WordPress and saves the proposed mapping', async () => {
    await nav(page, 'Sites');
    await page.getByRole('button', { name: 'Add your first site' }).click();
    await page.getByLabel('Site name').fill(SITE);
    const connection = page.getByLabel('Connection', { exact: true });
    const value = await connection.locator('option', { hasText: USERNAME }).getAttribute('value');
    await connection.selectOption(value ?? '');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText(`Saved “${SITE}”.`).waitFor();

    await nav(page, 'Fields');
    await page.getByRole('button', { name: 'Refresh Available Topics & Fields' }).click();
    const editor = page.getByRole('region', { name: 'Field mapping for Contact' });
    await editor.waitFor();
    await editor.getByRole('button', { name: 'Save mapping' }).click();
    await editor.getByText(`Saved the mapping of “${SITE}”.`).waitFor();
  });

  it('previews the push: counts per class and the API calls it will cost, nothing written', async () => {
    await nav(page, 'Sync');
    await page.getByRole('heading', { level: 1, name: 'Sync' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Site' }).locator('option:checked').textContent()).toBe(SITE);
    const contactsBefore = await contactCount(loginUrl);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    const counts = preview.locator('.sync-counts');
    const creates = WORDPRESS_USERS - SEEDED_CONTACTS;
    expect(await counts.textContent()).toContain(`${creates} to create`);
    expect(await preview.textContent()).toContain(`${WORDPRESS_USERS} WordPress users matched by e-mail to Contact`);
    const estimate = Number((await preview.getByText(/Writing takes about/).locator('strong').textContent()) ?? 'NaN');
    expect(estimate).toBeGreaterThanOrEqual(1);
    expect(await contactCount(loginUrl)).toBe(contactsBefore);

    // The table: filter to the creates and search one user.
    await preview.getByRole('combobox', { name: 'Show' }).selectOption('create');
    await expect.poll(() => preview.getByRole('status').textContent()).toContain(`${creates} rows shown`);
    await preview.getByRole('searchbox', { name: 'Search' }).fill('@example.org');
    expect(await preview.getByRole('list', { name: 'Changes' }).getByRole('listitem').first().textContent()).toMatch(/To create/);
    await preview.getByRole('searchbox', { name: 'Search' }).fill('');
    await preview.getByRole('combobox', { name: 'Show' }).selectOption('all');
    await screenshotWholePage(page, 'sync-preview');

    // Sync now: progress, then the run with what the estimate said it would write. A slower
    // org (latency on every answer) keeps the progress bar up long enough to watch it.
    await setLatency(loginUrl, 400);
    const before = await apiCalls(loginUrl);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    await progress.waitFor({ timeout: 30_000 });
    expect(await progress.getByRole('progressbar').count()).toBe(1);
    expect(await progress.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    await screenshotWholePage(page, 'sync-progress');
    await progress.waitFor({ state: 'detached', timeout: 60_000 });
    await setLatency(loginUrl, 0);
    const runs = page.getByRole('table');
    await expect.poll(async () => (await runs.locator('tbody tr').first().textContent()) ?? '', { timeout: 60_000 }).toMatch(/completed/);
    const after = await apiCalls(loginUrl);
    expect(after.collections - before.collections).toBeLessThanOrEqual(estimate);
    expect(await contactCount(loginUrl)).toBe(contactsBefore + creates);
    expect(await runs.locator('tbody tr').first().textContent()).toContain(`${creates} created`);
  });

  it('opens the run’s records and filters them by outcome', async () => {
    // Sync now opened the new run's records.
    const records = page.getByRole('region', { name: 'Run records' });
    await records.waitFor();
    await expect.poll(() => records.getByRole('status').textContent()).toContain(`${WORDPRESS_USERS} records`);
    await records.getByRole('combobox', { name: 'Outcome' }).selectOption('created');
    await expect.poll(() => records.getByRole('status').textContent()).toContain(`${WORDPRESS_USERS - SEEDED_CONTACTS} records`);
    const first = (await records.getByRole('list', { name: 'Records' }).getByRole('listitem').first().textContent()) ?? '';
    expect(first).toMatch(/created/);
    expect(first).toMatch(/003[A-Za-z0-9]{12,15}/);
    await records.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
    await expect.poll(() => records.getByRole('status').textContent()).toContain('0 records');
    await records.getByRole('combobox', { name: 'Outcome' }).selectOption('all');
    await expect.poll(() => records.getByRole('status').textContent()).toContain(`${WORDPRESS_USERS} records`);
    await screenshotWholePage(page, 'sync-run');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotWholePage(page, 'sync-run-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('a second preview finds every user unchanged', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(async () => (await preview.locator('.sync-counts').textContent()) ?? '').toContain(`${WORDPRESS_USERS} unchanged`);
    expect(await preview.locator('.sync-counts').textContent()).toContain('0 to create');
    expect(pageErrors).toEqual([]);
  });

  it('follows live changes: a Contact edited in Salesforce reaches its WordPress user, shown in the panel and the live run', async () => {
    // The proposed mapping only pushes; let Last Name flow back from Salesforce too.
    await nav(page, 'Fields');
    const editor = page.getByRole('region', { name: 'Field mapping for Contact' });
    await editor.waitFor();
    const salesforceFields = editor.getByRole('combobox', { name: /^Row \d+ Salesforce field$/ });
    let lastNameRow = 0;
    for (let n = 1; n <= (await salesforceFields.count()); n++) {
      if ((await editor.getByRole('combobox', { name: `Row ${n} Salesforce field`, exact: true }).inputValue()) === 'LastName') lastNameRow = n;
    }
    expect(lastNameRow).toBeGreaterThan(0);
    await editor.getByRole('combobox', { name: `Row ${lastNameRow} direction`, exact: true }).selectOption('both');
    await editor.getByRole('button', { name: 'Save mapping' }).click();
    await editor.getByText(`Saved the mapping of “${SITE}”.`).waitFor();

    await nav(page, 'Sites');
    await page.getByRole('button', { name: `Edit ${SITE}` }).click();
    const panel = page.getByRole('region', { name: 'Live changes' });
    await panel.getByRole('button', { name: 'Follow changes' }).click();
    await expect.poll(async () => (await panel.getByRole('status').textContent()) ?? '', { timeout: 20_000 }).toContain('Following changes');

    // Someone else edits a Contact in Salesforce: the demo org's second user, through the API.
    const org = (await (await fetch(`${loginUrl}/__emulator/`, { signal: AbortSignal.timeout(5_000) })).json()) as Pick<RunningEmulator, 'loginUrl' | 'clientId' | 'redirectUris' | 'users'>;
    const otherUser = org.users.find((user) => user.username !== USERNAME)!;
    const { conn } = await connectWithPkce(org as RunningEmulator, { username: otherUser.username, password: otherUser.password });
    const [contact] = (await conn.query<{ Id: string; Email: string }>("SELECT Id, Email FROM Contact WHERE Email LIKE '%@%' ORDER BY Email LIMIT 1")).records;
    await conn.sobject('Contact').update({ Id: contact!.Id, LastName: 'Edited in Salesforce' });

    await expect.poll(async () => (await panel.getByRole('list', { name: 'Since following started' }).textContent()) ?? '', { timeout: 20_000 }).toContain('1 updated');
    await screenshotWholePage(page, 'live-changes');
    await panel.getByRole('link', { name: 'open the live run' }).click();
    const records = page.getByRole('region', { name: 'Run records' });
    await expect.poll(async () => (await records.getByRole('list', { name: 'Records' }).textContent()) ?? '', { timeout: 20_000 }).toContain(contact!.Email);
    expect(await records.getByRole('list', { name: 'Records' }).textContent()).toMatch(/updated/);

    await nav(page, 'Sites');
    await page.getByRole('button', { name: `Edit ${SITE}` }).click();
    await page.getByRole('region', { name: 'Live changes' }).getByRole('button', { name: 'Stop following' }).click();
    await expect.poll(async () => (await page.getByRole('region', { name: 'Live changes' }).getByRole('status').textContent()) ?? '').toContain('Not following');
    expect(pageErrors).toEqual([]);
  });
});
