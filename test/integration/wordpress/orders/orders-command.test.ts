/**
 * `forcesites orders <site>` as the CLI runs it: the command over the app's contract and
 * events (the same ports main/cli/forcesites-cli.ts gives it), against the real test WordPress
 * and the emulator: --dry-run writes nothing, --since narrows the orders, --json prints one
 * JSON object a line, and the exit code says some orders could not be sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrdersPlanDto, OrdersRunDto } from '../../../../common/orders-models';
import { checkSince, runOrdersCommand, type OrdersCommandPorts } from '../../../../main/orders/orders-command';
import { useEmulator } from '../../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from '../../app/app-harness';
import { clientFor, collect, wordpress } from '../wordpress-support';

const emu = useEmulator();
let harness: AppHarness | undefined;

afterEach(async () => {
  await harness?.app.close();
  harness = undefined;
});

async function shop(): Promise<{ h: AppHarness; siteId: string; out: string[]; err: string[]; ports: OrdersCommandPorts }> {
  harness = await startAppHarness(emu);
  const h = harness;
  const finished = await h.signIn();
  const site = await h.call('sites:save', { name: 'Shop', wordpressUrl: wordpress.main.url, wordpressUsername: wordpress.main.adminUser, wordpressPassword: wordpress.main.applicationPassword, connectionId: finished.connection!.id, objectType: 'Contact', tagMode: 'none', tagField: null, fieldMapping: [] });
  await h.call('orders:save-settings', { siteId: site.id, settings: { orgCurrency: 'USD' } });
  const out: string[] = [];
  const err: string[] = [];
  const ports: OrdersCommandPorts = {
    call: (channel, request) => h.call(channel, request),
    subscribe: (listener) => h.app.events.subscribe(listener),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    isTTY: false,
    // The CLI's own mapping for what this test meets: anything else is 1.
    exitCodeOf: (error) => (error.code === 'NEEDS_REAUTHORIZATION' ? 3 : error.code === 'REQUEST_LIMIT_EXCEEDED' ? 4 : 1),
  };
  return { h, siteId: site.id, out, err, ports };
}

describe('forcesites orders', () => {
  it('--dry-run --json previews without writing; --since sends only the newer orders; the exit code reports what could not be sent', async () => {
    const { siteId, out, err, ports } = await shop();
    expect(await runOrdersCommand(ports, { siteId, siteName: 'Shop', dryRun: true, json: true })).toBe(0);
    const plan = JSON.parse(out.join('')) as OrdersPlanDto;
    expect(plan.counts.create).toBeGreaterThan(0);
    expect(emu.handle.records(undefined, 'Order')).toHaveLength(0);

    const all = await collect(clientFor(wordpress.main).client.orders({ status: ['completed', 'processing'] }));
    const since = '2025-01-01';
    const newer = all.filter((order) => order.dateCreatedGmt.slice(0, 10) >= since);
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.length).toBeLessThan(all.length);
    out.length = 0;
    const code = await runOrdersCommand(ports, { siteId, siteName: 'Shop', since, dryRun: false, json: true });
    const lines = out.join('').trim().split('\n').map((line) => JSON.parse(line) as { progress?: unknown; run?: OrdersRunDto });
    const run = lines.at(-1)!.run!;
    expect(lines.slice(0, -1).every((line) => line.progress !== undefined)).toBe(true);
    expect(run.total).toBe(newer.length);
    expect(emu.handle.records(undefined, 'Order').length).toBe(run.created);
    expect(code).toBe(run.failed + run.invalid > 0 ? 1 : 0);

    // Without --json and not on a terminal: a human summary on stdout, progress as JSON lines
    // on stderr; sending the same orders again creates nothing.
    out.length = 0;
    err.length = 0;
    await runOrdersCommand(ports, { siteId, siteName: 'Shop', since, dryRun: false, json: false });
    const progress = err.join('').trim().split('\n').map((line) => JSON.parse(line) as { progress: { phase: string } });
    expect(progress.at(-1)!.progress.phase).toBe('done');
    expect(out.join('')).toMatch(/^Shop: /);
    expect(emu.handle.records(undefined, 'Order').length).toBe(run.created);
  });

  it('refuses a --since that is not a date', () => {
    expect(checkSince('2025-13-45')).toMatch(/YYYY-MM-DD/);
    expect(checkSince('yesterday')).toMatch(/YYYY-MM-DD/);
    expect(checkSince('2025-02-01')).toBeUndefined();
  });
});
