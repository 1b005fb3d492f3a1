/**
 * Orders through the app's contract, as the renderer drives them: a site on the real test
 * WordPress signed in to the emulator; `orders:save-settings` (kept on the site profile),
 * `orders:plan` → `orders:send` → `orders:progress` events → `orders:runs` / `orders:run`,
 * the Activity entry, `orders:reconcile` and a replay; bad settings refused with a hint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrdersProgressDto } from '../../../../common/orders-models';
import { useEmulator } from '../../../salesforce-emulator/use-emulator';
import { startAppHarness, type AppHarness } from '../../app/app-harness';
import { wordpress } from '../wordpress-support';

const emu = useEmulator();
let harness: AppHarness | undefined;

afterEach(async () => {
  await harness?.app.close();
  harness = undefined;
});

function progressUntilDone(h: AppHarness): Promise<OrdersProgressDto[]> {
  const seen: OrdersProgressDto[] = [];
  return new Promise((resolve) => {
    const stop = h.app.events.subscribe((channel, payload) => {
      if (channel !== 'orders:progress') return;
      seen.push(payload as OrdersProgressDto);
      if ((payload as OrdersProgressDto).phase === 'done') {
        stop();
        resolve(seen);
      }
    });
  });
}

describe('orders channels', () => {
  it('saves settings on the profile, previews, sends with progress, lists the run, reconciles and replays', async () => {
    harness = await startAppHarness(emu);
    const h = harness;
    const finished = await h.signIn();
    const site = await h.call('sites:save', {
      name: 'Shop',
      wordpressUrl: wordpress.main.url,
      wordpressUsername: wordpress.main.adminUser,
      wordpressPassword: wordpress.main.applicationPassword,
      connectionId: finished.connection!.id,
      objectType: 'Contact',
      tagMode: 'none',
      tagField: null,
      fieldMapping: [],
    });

    const refused = await h.send('orders:save-settings', { siteId: site.id, settings: { accountStrategy: 'default-account' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', hint: expect.stringMatching(/default Account/) } });
    const saved = await h.call('orders:save-settings', { siteId: site.id, settings: { orgCurrency: 'USD', statuses: ['completed'], activate: true } });
    expect(saved).toMatchObject({ orgCurrency: 'USD', statuses: ['completed'], activate: true, accountStrategy: 'per-customer' });
    expect(h.app.store.getSite(site.id)?.orders).toMatchObject({ orgCurrency: 'USD', activate: true });
    expect(await h.call('orders:settings', { siteId: site.id })).toEqual(saved);

    const plan = await h.call('orders:plan', { siteId: site.id });
    expect(plan.counts.create).toBeGreaterThan(0);
    expect(plan).toMatchObject({ keyField: 'OrderReferenceNumber', draftStatus: 'Draft', activatedStatus: 'Activated', pricebook: { standard: true } });
    expect(emu.handle.records(undefined, 'Order')).toHaveLength(0);

    const progress = progressUntilDone(h);
    const { runId } = await h.call('orders:send', { siteId: site.id });
    const events = await progress;
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['reading', 'looking-up', 'orders', 'order-items', 'activating', 'done']));
    const runs = await h.call('orders:runs', { siteId: site.id });
    expect(runs[0]).toMatchObject({ id: runId, state: 'completed' });
    expect(runs[0]!.created).toBe(plan.counts.create - runs[0]!.failed);
    const page = await h.call('orders:run', { runId, outcome: 'invalid' });
    expect(page.records.every((r) => r.errorCode === 'CURRENCY_MISMATCH')).toBe(true);
    expect(page.total).toBe(plan.counts.invalid);
    const activity = await h.call('activity:list', {});
    expect(activity.some((entry) => /Orders of "Shop" sent: \d+ created/.test(entry.message))).toBe(true);

    const report = await h.call('orders:reconcile', { siteId: site.id });
    expect(report.counts.missing).toBe(0);
    const notes = await h.call('activity:list', {});
    expect(notes.some((entry) => entry.message === `Orders of "Shop" reconciled: ${report.counts.ok} match, 0 missing in Salesforce, ${report.counts.failed} failed, ${report.counts['total-differs']} with a different total.`)).toBe(true);
    expect(report.counts.failed).toBe(plan.counts.invalid + runs[0]!.failed);
    const replayed = await h.call('orders:send', { siteId: site.id, orderIds: [report.rows[0]!.wooOrderId] });
    await expect.poll(async () => (await h.call('orders:run', { runId: replayed.runId })).run.state).toBe('completed');
    expect((await h.call('orders:runs', { siteId: site.id }))[0]).toMatchObject({ kind: 'replay', total: 1 });
  });
});
