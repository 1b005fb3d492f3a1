/**
 * WooCommerce orders → Salesforce Orders: plan (the dry run), send (journaled), replay,
 * reconcile. One run per site at a time in this process, and none while another live process
 * runs one for the site; before a run, batches an earlier run left unanswered are recovered
 * by looking their keys up.
 *
 * WooCommerce orders come through a port (`readOrders`) that main/app implements with the
 * WordPress client, so this feature imports no other feature.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors';
import type { OrderPlanRow, OrderSettings, OrdersPhase, OrdersPlanDto, OrdersProgressDto, OrdersReconcileDto, OrdersRunDto, ReconcileRow, ReconcileState } from '../../common/orders-models';
import type { WooOrder } from '../../common/wordpress-models';
import type { LocalDatabase } from '../platform/local-database';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../platform/retry-with-jitter';
import { COLLECTIONS_BATCH } from '../salesforce/collections';
import { errorCodeOf, toSalesforceAppError } from '../salesforce/salesforce-errors';
import { salesforceFailureKind } from '../salesforce/salesforce-failure-kind';
import { executePlan, OrdersStopped } from './order-executor';
import { lookupAccounts, lookupContacts, lookupEntries, lookupOrders, lookupProducts, readOrgFacts, type CallCounter, type OrdersApi, type Reader } from './order-lookups';
import { accountNameOf, orderKeyOf, planOrders, productNeeds, round2, unitPriceOf, type OrdersPlan, type OrgFacts } from './order-planner';
import { OrdersJournal, ordersRunDto } from './orders-journal';
import { SiteRunSlots } from '../platform/site-run-slots';

export interface WooOrdersQuery {
  /** Only orders created after this instant (ISO 8601, GMT). */
  readonly after?: string;
  readonly statuses: readonly string[];
}

export interface WooOrdersPage {
  readonly items: readonly WooOrder[];
  readonly total?: number;
}

/** The site's WooCommerce orders, page by page (main/app implements it with the WordPress client). */
export type ReadOrders = (siteId: string, query: WooOrdersQuery, signal: AbortSignal) => AsyncIterable<WooOrdersPage>;

export interface OrdersServiceOptions {
  readonly db: LocalDatabase;
  readonly readOrders: ReadOrders;
  /** The site's order settings; throws an AppError when the site cannot send orders. */
  readonly settingsFor: (siteId: string) => OrderSettings;
  readonly salesforceFor: (siteId: string) => Promise<OrdersApi>;
  readonly forSite?: <T>(siteId: string, work: () => T) => T;
  readonly onProgress?: (progress: OrdersProgressDto) => void;
  readonly onFinished?: (run: OrdersRunDto) => void;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly rowsLimit?: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly pid?: number;
  readonly isLive?: (pid: number) => boolean;
  /** Test seam: after a batch is journaled as sending, before it leaves. */
  readonly beforeSend?: (stage: string, batchId: number) => void | Promise<void>;
}

export interface SendOptions {
  /** Replay: only these WooCommerce orders (the reconciliation view's button). */
  readonly orderIds?: readonly number[];
  /** Only orders created on or after this day (YYYY-MM-DD), whatever the settings say (the CLI's --since). */
  readonly since?: string;
  readonly onRunStarted?: (runId: string) => void;
}

interface Pass {
  readonly orders: readonly WooOrder[];
  readonly org: OrgFacts;
  readonly plan: OrdersPlan;
}

export function processIsLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class OrdersService {
  readonly journal: OrdersJournal;
  readonly #options: OrdersServiceOptions;
  readonly #slots = new SiteRunSlots();

  constructor(options: OrdersServiceOptions) {
    this.#options = options;
    this.journal = new OrdersJournal(options.db, options.pid ?? process.pid);
  }

  isRunning(siteId: string): boolean {
    return this.#slots.isRunning(siteId);
  }

  /** The dry run: what sending would do and cost. Writes nothing. */
  async plan(siteId: string, options: { orderIds?: readonly number[]; since?: string } = {}): Promise<OrdersPlanDto> {
    const settings = withSince(this.#options.settingsFor(siteId), options.since);
    return this.#forSite(siteId, async () => {
      const counter: CallCounter = { calls: 0 };
      const reader = this.#reader(await this.#options.salesforceFor(siteId), counter, new AbortController().signal);
      const pass = await this.#pass(siteId, settings, reader, reader.signal!, undefined, options.orderIds).catch((error: unknown) => {
        throw readError(error);
      });
      return this.#planDto(siteId, pass, counter.calls);
    });
  }

  /** Sends to the end (or Cancel, or a stop) and answers the run. */
  async send(siteId: string, options: SendOptions = {}): Promise<OrdersRunDto> {
    if (this.#slots.isRunning(siteId)) throw busy();
    const settings = withSince(this.#options.settingsFor(siteId), options.since);
    const elsewhere = this.journal.liveRunElsewhere(siteId, this.#isLive);
    if (elsewhere) throw busy(`another ForceSites process (pid ${elsewhere.owner_pid})`);
    return this.#slots.run(siteId, (signal) => this.#forSite(siteId, () => this.#run(siteId, settings, signal, options)));
  }

  cancel(siteId: string): boolean {
    return this.#slots.cancel(siteId, new AppError('INVALID_REQUEST', 'Cancelled.'));
  }

  async stopAll(): Promise<void> {
    await this.#slots.stopAll(new AppError('INVALID_REQUEST', 'ForceSites is quitting.'));
  }

  runs(siteId?: string, limit?: number): OrdersRunDto[] {
    return this.journal.runs(siteId, limit).map(ordersRunDto);
  }

  run(runId: string): OrdersRunDto | undefined {
    const row = this.journal.run(runId);
    return row === undefined ? undefined : ordersRunDto(row);
  }

  /**
   * WooCommerce against Salesforce: orders missing there, the ones whose latest run failed
   * (with Salesforce's error), and totals that differ (the line items' sum against the
   * Order's TotalAmount). Reads only.
   */
  async reconcile(siteId: string): Promise<OrdersReconcileDto> {
    const settings = this.#options.settingsFor(siteId);
    return this.#forSite(siteId, async () => {
      const counter: CallCounter = { calls: 0 };
      const signal = new AbortController().signal;
      const reader = this.#reader(await this.#options.salesforceFor(siteId), counter, signal);
      let orders: WooOrder[];
      let org: OrgFacts;
      try {
        orders = await this.#readOrders(siteId, { ...settings, dateMode: settings.dateMode === 'since-last-sync' ? 'all' : settings.dateMode }, signal);
        org = await readOrgFacts(reader, settings);
      } catch (error) {
        throw readError(error);
      }
      const existing = await lookupOrders(reader, org.keyField, orders.map((order) => orderKeyOf(order, settings))).catch((error: unknown) => {
        throw readError(error);
      });
      const latest = this.journal.latestOutcomes(siteId);
      const counts: Record<ReconcileState, number> = { ok: 0, missing: 0, failed: 0, 'total-differs': 0 };
      const rows: ReconcileRow[] = [];
      for (const order of orders) {
        const key = orderKeyOf(order, settings);
        const found = existing.get(key)?.[0];
        const itemsTotal = round2(order.lineItems.filter((l) => l.quantity > 0).reduce((sum, l) => sum + round2(l.quantity * unitPriceOf(l)), 0));
        const last = latest.get(order.id);
        let state: ReconcileState;
        if (found === undefined) state = last && (last.outcome === 'failed' || last.outcome === 'invalid' || last.outcome === 'locked') ? 'failed' : 'missing';
        else if (last && last.outcome === 'failed') state = 'failed';
        else if (round2(Number(found.TotalAmount ?? 0)) !== itemsTotal) state = 'total-differs';
        else state = 'ok';
        counts[state] += 1;
        if (state === 'ok') continue;
        rows.push({
          wooOrderId: order.id,
          number: order.number,
          key,
          state,
          salesforceId: found?.Id ?? null,
          wooTotal: order.total,
          itemsTotal,
          salesforceTotal: found ? Number(found.TotalAmount ?? 0) : null,
          errorCode: state === 'failed' ? (last?.error_code ?? null) : null,
          errorMessage: state === 'failed' ? (last?.error_message ?? null) : null,
        });
      }
      const limit = this.#options.rowsLimit ?? 2_000;
      return { siteId, orders: orders.length, counts, rows: rows.slice(0, limit), rowsTruncated: rows.length > limit, apiCalls: counter.calls, checkedAt: this.#nowIso() };
    });
  }

  async #run(siteId: string, settings: OrderSettings, signal: AbortSignal, options: SendOptions): Promise<OrdersRunDto> {
    const counter: CallCounter = { calls: 0 };
    const api = await this.#options.salesforceFor(siteId);
    const reader = this.#reader(api, counter, signal);
    const runId = this.#newId();
    const progress = this.#progress(siteId, runId);
    progress('recovering', 0, 0);
    let pass: Pass;
    try {
      await this.#recover(siteId, reader, settings);
      pass = await this.#pass(siteId, settings, reader, signal, progress, options.orderIds);
    } catch (error) {
      // Nothing written yet: WordPress down, credentials refused, Salesforce out of reach.
      throw readError(error);
    }
    const startedAt = this.#nowIso();
    this.journal.startRun({ id: runId, siteId, kind: options.orderIds ? 'replay' : 'send', keyField: pass.org.keyField, startedAt, total: pass.orders.length });
    this.journal.record(
      runId,
      pass.plan.orders
        .filter((order) => order.class === 'unchanged' || order.class === 'invalid' || order.class === 'locked')
        .map((order) => ({
          wooOrderId: order.wooOrderId,
          key: order.key,
          salesforceId: order.salesforceId,
          outcome: order.class as 'unchanged' | 'invalid' | 'locked',
          errorCode: order.reasonCode,
          errorMessage: order.class === 'unchanged' ? null : order.detail,
          wooTotal: order.wooTotal,
          itemsTotal: order.itemsTotal,
        })),
    );
    options.onRunStarted?.(runId);
    let state: 'completed' | 'cancelled' | 'failed' = 'completed';
    let stopped: AppError | undefined;
    try {
      await executePlan(
        {
          api,
          reader,
          journal: this.journal,
          runId,
          org: pass.org,
          retry: this.#retry(),
          concurrency: this.#options.concurrency ?? 4,
          signal,
          now: () => this.#nowIso(),
          onProgress: progress,
          ...(this.#options.beforeSend ? { beforeSend: this.#options.beforeSend } : {}),
        },
        pass.plan,
        stopError,
      );
      if (signal.aborted) state = 'cancelled';
    } catch (error) {
      if (signal.aborted && !(error instanceof OrdersStopped)) state = 'cancelled';
      else {
        state = 'failed';
        stopped = error instanceof OrdersStopped ? error.appError : toSalesforceAppError(error);
      }
    }
    const row = this.journal.finishRun(
      runId,
      state,
      this.#nowIso(),
      counter.calls,
      stopped ? { code: stopped.code, message: `${stopped.message}${stopped.hint ? ` ${stopped.hint}` : ''}` } : state === 'cancelled' ? { code: 'CANCELLED', message: 'Cancelled: the batches in flight finished; the rest was not sent.' } : undefined,
    );
    progress('done', pass.orders.length, pass.orders.length);
    const dto = ordersRunDto(row);
    this.#options.onFinished?.(dto);
    if (stopped) throw stopped;
    return dto;
  }

  /** Unanswered Order batches of dead runs: Salesforce is asked (by key) what it holds. */
  async #recover(siteId: string, reader: Reader, settings: OrderSettings): Promise<void> {
    const now = this.#nowIso();
    for (const run of this.journal.unfinishedRuns(siteId, this.#isLive)) {
      for (const batch of this.journal.openBatches(run.id)) {
        if (batch.stage !== 'orders') {
          // Accounts, Contacts, products, entries, items: the next plan finds them by their keys.
          this.journal.recoverBatch(run.id, batch.id, new Map(), now);
          continue;
        }
        const keys = JSON.parse(batch.keys) as string[];
        const found = await lookupOrders(reader, run.key_field || settings.orderKeyField || 'OrderReferenceNumber', keys);
        this.journal.recoverBatch(run.id, batch.id, new Map([...found].filter(([, orders]) => orders.length >= 1).map(([key, orders]) => [key, orders[0]!.Id])), now);
      }
      this.journal.markInterrupted(run.id, now, 'ForceSites stopped during this run; unanswered batches were checked against Salesforce.');
    }
    for (const run of this.journal.abandonedRuns(siteId, this.#isLive)) this.journal.markInterrupted(run.id, now, 'ForceSites stopped during this run.');
  }

  async #readOrders(siteId: string, settings: OrderSettings, signal: AbortSignal, progress?: (phase: OrdersPhase, done: number, total: number) => void, orderIds?: readonly number[]): Promise<WooOrder[]> {
    let after: string | undefined;
    if (!orderIds && settings.dateMode === 'since-last-sync') after = this.journal.lastCompletedStart(siteId) ?? undefined;
    if (!orderIds && settings.dateMode === 'range' && settings.dateFrom) after = new Date(Date.parse(`${settings.dateFrom}T00:00:00Z`) - 1000).toISOString();
    const wanted = orderIds ? new Set(orderIds) : undefined;
    const orders: WooOrder[] = [];
    let seen = 0;
    for await (const page of this.#options.readOrders(siteId, { statuses: settings.statuses, ...(after ? { after } : {}) }, signal)) {
      for (const order of page.items) {
        seen += 1;
        if (wanted && !wanted.has(order.id)) continue;
        if (!wanted && settings.dateMode === 'range' && settings.dateTo && order.dateCreatedGmt.slice(0, 10) > settings.dateTo) continue;
        orders.push(order);
      }
      progress?.('reading', seen, Math.max(page.total ?? 0, seen));
    }
    signal.throwIfAborted();
    return orders;
  }

  async #pass(siteId: string, settings: OrderSettings, reader: Reader, signal: AbortSignal, progress?: (phase: OrdersPhase, done: number, total: number) => void, orderIds?: readonly number[]): Promise<Pass> {
    if (settings.accountStrategy === 'default-account' && !settings.defaultAccountId) {
      throw new AppError('INVALID_REQUEST', 'The order settings put every order on one default Account, but none is chosen.', { hint: 'Enter the Account’s Salesforce id in the site’s order settings.' });
    }
    progress?.('reading', 0, 0);
    const orders = await this.#readOrders(siteId, settings, signal, progress, orderIds);
    progress?.('looking-up', 0, orders.length);
    const org = await readOrgFacts(reader, settings);
    const existing = await lookupOrders(reader, org.keyField, orders.map((order) => orderKeyOf(order, settings)));
    const emails = orders.map((order) => order.billing.email.trim().toLowerCase()).filter(Boolean);
    const contacts = await lookupContacts(reader, emails);
    let accounts = new Map<string, string>();
    if (settings.accountStrategy === 'per-customer') {
      const names = orders.filter((order) => !contacts.get(order.billing.email.trim().toLowerCase())?.AccountId).map((order) => accountNameOf(order));
      if (names.length > 0) accounts = await lookupAccounts(reader, names);
    }
    const needs = productNeeds(orders, settings);
    const products = await lookupProducts(reader, needs);
    const books = [org.standardPricebookId, org.pricebook.id, ...[...existing.values()].flatMap((found) => found.map((o) => o.Pricebook2Id ?? '')).filter(Boolean)];
    const entries = await lookupEntries(reader, books, [...new Set(products.values())], org.multiCurrency);
    progress?.('looking-up', orders.length, orders.length);
    const plan = planOrders({ orders, settings, org, state: { orders: existing, contacts, accounts, products, entries } });
    return { orders, org, plan };
  }

  #planDto(siteId: string, pass: Pass, planCalls: number): OrdersPlanDto {
    const { plan, org } = pass;
    const counts = { create: 0, update: 0, unchanged: 0, locked: 0, invalid: 0 };
    for (const order of plan.orders) counts[order.class] += 1;
    const writes = plan.orders.filter((o) => o.class === 'create' || o.class === 'update');
    const itemCreates = writes.reduce((sum, o) => sum + o.items.filter((i) => i.itemId === null).length, 0);
    const itemUpdates = writes.reduce((sum, o) => sum + o.items.filter((i) => i.itemId !== null).length, 0);
    const activations = writes.filter((o) => o.activate).length;
    const calls = (n: number): number => Math.ceil(n / COLLECTIONS_BATCH);
    const orderUpdates = writes.filter((o) => o.class === 'update' && Object.keys(o.fields).length > 0).length;
    const writeCalls =
      calls(plan.accounts.length) + calls(plan.contacts.length) + calls(plan.products.length) + calls(plan.standardEntries.length) + calls(plan.customEntries.length) + calls(counts.create) + calls(orderUpdates) + calls(itemCreates) + calls(itemUpdates) + calls(activations);
    const order: Record<OrderPlanRow['class'], number> = { invalid: 0, locked: 1, create: 2, update: 3, unchanged: 4 };
    const limit = this.#options.rowsLimit ?? 2_000;
    const rows: OrderPlanRow[] = plan.orders
      .map((o) => ({ wooOrderId: o.wooOrderId, number: o.number, key: o.key, class: o.class, salesforceId: o.salesforceId, buyerEmail: o.buyerEmail, currency: o.currency, wooTotal: o.wooTotal, itemsTotal: o.itemsTotal, items: o.itemCount, detail: o.detail }))
      .sort((a, b) => order[a.class] - order[b.class] || a.wooOrderId - b.wooOrderId);
    return {
      siteId,
      orders: plan.orders.length,
      counts,
      creates: { accounts: plan.accounts.length, contacts: plan.contacts.length, products: plan.products.length, pricebookEntries: plan.standardEntries.length + plan.customEntries.length, orderItems: itemCreates, activations },
      keyField: org.keyField,
      multiCurrency: org.multiCurrency,
      pricebook: org.pricebook,
      draftStatus: org.draftStatus,
      activatedStatus: org.activatedStatus,
      planCalls,
      writeCalls,
      rows: rows.slice(0, limit),
      rowsTruncated: rows.length > limit,
      plannedAt: this.#nowIso(),
    };
  }

  #progress(siteId: string, runId: string): (phase: OrdersPhase, done: number, total: number) => void {
    let last = 0;
    let lastPhase: OrdersPhase | undefined;
    return (phase, done, total) => {
      const now = Date.now();
      // Throttled to four a second, but a new phase and the end always go out.
      if (phase === lastPhase && done < total && now - last < 250) return;
      last = now;
      lastPhase = phase;
      this.#options.onProgress?.({ siteId, runId, phase, done, total });
    };
  }

  #reader(api: OrdersApi, counter: CallCounter, signal: AbortSignal): Reader {
    return { api, counter, retry: this.#retry(), signal };
  }

  #retry(): RetryPolicy {
    return this.#options.retry ?? DEFAULT_RETRY_POLICY;
  }

  #forSite<T>(siteId: string, work: () => Promise<T>): Promise<T> {
    return this.#options.forSite ? this.#options.forSite(siteId, work) : work();
  }

  #nowIso(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  #newId(): string {
    return this.#options.newId?.() ?? randomUUID();
  }

  readonly #isLive = (pid: number): boolean => (this.#options.isLive ?? processIsLive)(pid);
}

/** `--since DATE`: a date range from that day, in place of the settings' date choice. */
function withSince(settings: OrderSettings, since: string | undefined): OrderSettings {
  return since === undefined ? settings : { ...settings, dateMode: 'range', dateFrom: since, dateTo: null };
}

function busy(who = 'a send'): AppError {
  return new AppError('CONFLICT', `Orders of this site are already being sent (${who}).`, { hint: 'Wait for it to finish or cancel it; two different sites may send at once.' });
}

/** Ends a run early: the journal is intact, the message says what to do. */
export function stopError(error: unknown): AppError {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return new AppError('REQUEST_LIMIT_EXCEEDED', 'Salesforce refused the orders: the org has used its API requests for the last 24 hours (REQUEST_LIMIT_EXCEEDED).', {
      hint: 'The run stopped with its journal saved. Send again when the org has requests left; orders already written are not written twice.',
      cause: error,
    });
  }
  return new AppError('NEEDS_REAUTHORIZATION', `Salesforce no longer accepts this connection's authorization (${code}).`, {
    hint: 'The run stopped with its journal saved. Reauthorize the connection on the Connections page, then send again; nothing is written twice.',
    cause: error,
  });
}

function readError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (salesforceFailureKind(error) === 'stop') return stopError(error);
  return toSalesforceAppError(error);
}
