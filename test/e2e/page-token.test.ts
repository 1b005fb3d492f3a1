/**
 * The browser edition's per-run token must not stay in the address bar, the tab's history or
 * screenshots once the page has read it, and the page must keep working after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './support/chromium';
import { startDemo, type DemoProcess } from './support/demo-process';

describe.skipIf(!chromiumAvailable())('page token in Chromium', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    demo = await startDemo();
    token = new URL(demo.url).searchParams.get('token') ?? '';
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('takes the token out of the address bar once the bridge has read it', async () => {
    expect(token.length).toBeGreaterThan(20);
    await page.goto(demo.url);
    await page.getByText('Demo org', { exact: false }).first().waitFor();
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href)).not.toContain('token=');
  });

  it('leaves no history entry that holds the token', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Health', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await page.goBack();
    expect(page.url()).not.toContain(token);
  });

  it('keeps working after a reload, although the URL no longer carries the token', async () => {
    await page.reload();
    await page.getByText('Demo org', { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain(token);
  });
});
