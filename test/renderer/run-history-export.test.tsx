/**
 * Run history on the Sync and Orders pages: one shared run table, and Export CSV that writes
 * every record of the run (paging through main 1,000 at a time), not just the page on screen,
 * quoted by a CSV library and with spreadsheet formulas neutralised.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderRecordDto, OrdersRunDto } from '../../common/orders-models';
import { DEFAULT_ORDER_SETTINGS } from '../../common/orders-models';
import type { SyncRecordDto, SyncRunDto } from '../../common/sync-models';
import { neutraliseFormula } from '../../renderer/src/ui/csv-export';
import { makeConnection, makeSite } from './factories';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

let downloads: { name: string; blob: Blob }[] = [];
let lastBlob: Blob | undefined;

beforeEach(() => {
  downloads = [];
  // jsdom has no object URLs and does not download: catch what would be saved.
  URL.createObjectURL = (blob: Blob) => {
    lastBlob = blob;
    return 'blob:forcesites-test';
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: lastBlob! });
  });
});

afterEach(() => vi.restoreAllMocks());

const text = (blob: Blob): Promise<string> =>
  new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });

const syncRun = (overrides: Partial<SyncRunDto> = {}): SyncRunDto => ({
  id: 'run-1', siteId: 'site-1', direction: 'push', state: 'completed', objectType: 'Contact', matchField: 'Email', strategy: 'collections',
  startedAt: '2026-12-01T05:00:00.000Z', finishedAt: '2026-12-01T05:00:02.000Z', total: 2_500, created: 2_499, updated: 0, unchanged: 0, failed: 1, invalid: 0, conflict: 0, apiCalls: 15, errorCode: null, message: null,
  ...overrides,
});

const syncRecord = (n: number): SyncRecordDto => ({
  wpUserId: n,
  matchValue: `user${n}@example.org`,
  salesforceId: n === 7 ? null : `003${String(n).padStart(12, '0')}AAA`,
  outcome: n === 7 ? 'failed' : 'created',
  errorCode: n === 7 ? 'FIELD_CUSTOM_VALIDATION_EXCEPTION' : null,
  errorMessage: n === 7 ? 'Say "hello", then stop' : null,
  changes: n === 3 ? [{ field: 'LastName', old: null, new: '=HYPERLINK("http://evil.example")' }] : [],
});

describe('Sync run history', () => {
  it('exports every record of a 2,500-record run through three pages, quoted, formulas neutralised', async () => {
    const bridge = fakeBridge();
    bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
    bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Members', connectionId: 'conn-1' })]);
    bridge.respond('sync:runs', [syncRun()]);
    const all = Array.from({ length: 2_500 }, (_, i) => syncRecord(i + 1));
    bridge.respond('sync:run', (request) => {
      const offset = request.offset ?? 0;
      return { run: syncRun(), total: all.length, records: all.slice(offset, offset + (request.limit ?? 1000)) };
    });
    await renderApp('sync');
    const table = await screen.findByRole('table');
    fireEvent.click(within(table).getByRole('button', { name: 'Records' }));
    const records = await screen.findByRole('region', { name: 'Run records' });
    expect(await within(records).findByText(/2,500 records \(the first 1,000 shown; Export CSV writes them all\)/)).toBeTruthy();

    fireEvent.click(within(records).getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.name).toBe('forcesites-run-run-1.csv');
    const csv = await text(downloads[0]!.blob);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('WordPress user id,Match value,Salesforce id,Outcome,Error code,Error message,Changes');
    expect(lines).toHaveLength(2_501);
    expect(lines[2_500]).toContain('user2500@example.org');
    expect(csv).toContain('7,user7@example.org,,failed,FIELD_CUSTOM_VALIDATION_EXCEPTION,"Say ""hello"", then stop",');
    // The "=HYPERLINK(…)" last name sits inside a cell that starts with the field name: text.
    expect(csv).toContain(`LastName:  → =HYPERLINK`);
    const exportCalls = bridge.calls.filter((c) => c.channel === 'sync:run' && (c.request as { offset?: number }).offset !== undefined).map((c) => (c.request as { offset: number }).offset);
    expect(exportCalls).toEqual([0, 1_000, 2_000]);
  });
});

describe('Orders run history', () => {
  it('shares the run table (Send / Replay) and exports every order with the filter on screen', async () => {
    const bridge = fakeBridge();
    bridge.respond('connections:list', [makeConnection({ id: 'conn-1' })]);
    bridge.respond('sites:list', [makeSite({ id: 'site-1', name: 'Shop', connectionId: 'conn-1' })]);
    bridge.respond('orders:settings', { ...DEFAULT_ORDER_SETTINGS });
    const run = (overrides: Partial<OrdersRunDto> = {}): OrdersRunDto => ({
      id: 'run-9', siteId: 'site-1', state: 'completed', kind: 'replay', startedAt: '2026-12-01T05:00:00.000Z', finishedAt: '2026-12-01T05:00:02.000Z',
      total: 1_200, created: 0, updated: 0, unchanged: 0, locked: 0, invalid: 0, failed: 1_200, apiCalls: 12, errorCode: null, message: null,
      ...overrides,
    });
    bridge.respond('orders:runs', [run()]);
    const failed: OrderRecordDto[] = Array.from({ length: 1_200 }, (_, i) => ({ wooOrderId: i + 1, key: `wc_order_${i + 1}`, salesforceId: null, outcome: 'failed', errorCode: 'FIELD_INTEGRITY_EXCEPTION', errorMessage: '-1 is not a quantity', wooTotal: '10.00', itemsTotal: 10 }));
    bridge.respond('orders:run', (request) => {
      const offset = request.offset ?? 0;
      return { run: run(), total: failed.length, records: failed.slice(offset, offset + (request.limit ?? 1000)) };
    });
    await renderApp('orders');
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('row')[1]!.textContent).toMatch(/Replay.*completed.*1200 failed/);
    fireEvent.click(within(table).getByRole('button', { name: 'Orders' }));
    const records = await screen.findByRole('region', { name: 'Run orders' });
    fireEvent.change(within(records).getByRole('combobox'), { target: { value: 'failed' } });
    await within(records).findByText(/1,200 orders \(the first 1,000 shown/);
    fireEvent.click(within(records).getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    const lines = (await text(downloads[0]!.blob)).trimEnd().split('\n');
    expect(lines).toHaveLength(1_201);
    expect(lines[1]).toBe("1,wc_order_1,,failed,FIELD_INTEGRITY_EXCEPTION,'-1 is not a quantity,10.00,10");
    const exportRequests = bridge.calls.filter((c) => c.channel === 'orders:run' && (c.request as { offset?: number }).offset !== undefined).map((c) => c.request);
    expect(exportRequests).toEqual([
      { runId: 'run-9', outcome: 'failed', offset: 0, limit: 1000 },
      { runId: 'run-9', outcome: 'failed', offset: 1000, limit: 1000 },
    ]);
  });
});

describe('neutraliseFormula', () => {
  it('prefixes what a spreadsheet would evaluate and leaves the rest alone', () => {
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('+33 1 23')).toBe("'+33 1 23");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('ann@example.org')).toBe('ann@example.org');
    expect(neutraliseFormula(42)).toBe(42);
    expect(neutraliseFormula('')).toBe('');
  });
});
