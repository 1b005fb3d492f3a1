/**
 * WooCommerce orders → Salesforce Orders: plan (the dry run), send (journaled), replay,
 * reconcile. One run per site at a time in this process, and none while another live process
 * runs one for the site; before a run, batches an earlier run left unanswered are recovered
 * by looking their keys up.
 *
 * Streamed like the users sync: orders are read page by page and planned and written a window
 * (`windowSize`, default 1,000 orders) at a time, so memory does not grow with the shop's
 * history. What the windows of one run share is small and bounded by the catalogue, not the
 * orders: the org's facts, and the products and price book entries already found or created
 * (so known products cost their lookups once per run, not once per window).
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
import { accountNameOf, entryKey, isToken, orderKeyOf, planOrders, productNeeds, round2, unitPriceOf, type ExistingEntry, type OrdersPlan, type OrgFacts } from './order-planner';
import { OrdersJournal, ordersRunDto } from './orders-journal';
import { processIsLive, SiteRunSlots } from '../platform/site-run-slots';

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
  /** Orders planned and written together (default 1,000; a multiple of 200 keeps Collections full). */
  readonly windowSize?: number;
}

export const DEFAULT_ORDERS_WINDOW = 1_000;

export interface SendOptions {
  /** Replay: only these WooCommerce orders (the reconciliation view's button). */
  readonly orderIds?: readonly number[];
  /** Only orders created on or after this day (YYYY-MM-DD), whatever the settings say (the CLI's --since). */
  readonly since?: string;
  readonly onRunStarted?: (runId: string) => void;
}

/**
 * What the windows of one pass share. Bounded by the catalogue (products × price books ×
 * currencies), never by the number of orders.
 */
interface PassState {
  readonly settings: OrderSettings;
  readonly org: OrgFacts;
  /** Product ref (`sku:…`, `id:…`, `name:…`) → Product2 Id, found or created in this pass. */
  readonly products: Map<string, string>;
  /** Refs already asked for: a ref not found is asked again only after a window created it. */
  readonly productsAsked: Set<string>;
  /** entryKey(book, product, currency) → entry, found or created in this pass. */
  readonly entries: Map<string, ExistingEntry>;
  /** `book|product` pairs already asked for (every currency at once). */
  readonly entriesAsked: Set<string>;
}

type Progress = (phase: OrdersPhase, done: number, total: number) => void;

/** Accumulates a dry run's answer over windows: counts, de-duplicated creates, rows capped per class. */
class PlanSummary {
  readonly counts = { create: 0, update: 0, unchanged: 0, locked: 0, invalid: 0 };
  readonly #creates = { accounts: new Set<string>(), contacts: new Set<string>(), products: new Set<string>(), entries: new Set<string>() };
  readonly #rows: Record<OrderPlanRow['class'], OrderPlanRow[]> = { invalid: [], locked: [], create: [], update: [], unchanged: [] };
  #rowsSeen = 0;
  orders = 0;
  itemCreates = 0;
  activations = 0;
  writeCalls = 0;

  constructor(readonly rowsLimit: number) {}

  add(plan: OrdersPlan): void {
    const calls = (n: number): number => Math.ceil(n / COLLECTIONS_BATCH);
    const counts = { create: 0, update: 0, unchanged: 0, locked: 0, invalid: 0 };
    for (const order of plan.orders) counts[order.class] += 1;
    const writes = plan.orders.filter((o) => o.class === 'create' || o.class === 'update');
    const itemCreates = writes.reduce((sum, o) => sum + o.items.filter((i) => i.itemId === null).length, 0);
    const itemUpdates = writes.reduce((sum, o) => sum + o.items.filter((i) => i.itemId !== null).length, 0);
    const activations = writes.filter((o) => o.activate).length;
    const orderUpdates = writes.filter((o) => o.class === 'update' && Object.keys(o.fields).length > 0).length;
    // What a windowed run sends: each window's stages in their own Collections calls.
    this.writeCalls +=
      calls(plan.accounts.length) + calls(plan.contacts.length) + calls(plan.products.length) + calls(plan.standardEntries.length) + calls(plan.customEntries.length) + calls(counts.create) + calls(orderUpdates) + calls(itemCreates) + calls(itemUpdates) + calls(activations);
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) this.counts[key] += counts[key];
    // A dry run writes nothing, so a later window plans the same new buyer or product again: count it once.
    for (const record of plan.accounts) this.#creates.accounts.add(record.key);
    for (const record of plan.contacts) this.#creates.contacts.add(record.key);
    for (const record of plan.products) this.#creates.products.add(record.key);
    for (const record of [...plan.standardEntries, ...plan.customEntries]) this.#creates.entries.add(record.key);
    this.orders += plan.orders.length;
    this.itemCreates += itemCreates;
    this.activations += activations;
    // Windows come in WooCommerce id order, so each class's rows stay sorted by id as they are appended.
    for (const o of plan.orders) {
      this.#rowsSeen += 1;
      const rows = this.#rows[o.class];
      if (rows.length < this.rowsLimit) rows.push({ wooOrderId: o.wooOrderId, number: o.number, key: o.key, class: o.class, salesforceId: o.salesforceId, buyerEmail: o.buyerEmail, currency: o.currency, wooTotal: o.wooTotal, itemsTotal: o.itemsTotal, items: o.itemCount, detail: o.detail });
    }
  }

  get creates(): OrdersPlanDto['creates'] {
    return { accounts: this.#creates.accounts.size, contacts: this.#creates.contacts.size, products: this.#creates.products.size, pricebookEntries: this.#creates.entries.size, orderItems: this.itemCreates, activations: this.activations };
  }

  rows(): { rows: OrderPlanRow[]; truncated: boolean } {
    const all = (['invalid', 'locked', 'create', 'update', 'unchanged'] as const).flatMap((name) => this.#rows[name]);
    return { rows: all.slice(0, this.rowsLimit), truncated: this.#rowsSeen > this.rowsLimit };
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
      const summary = new PlanSummary(this.#options.rowsLimit ?? 2_000);
      let pass: PassState;
      try {
        pass = await this.#startPass(settings, reader);
        for await (const orders of this.#windows(siteId, settings, reader.signal!, undefined, options.orderIds)) summary.add(await this.#planWindow(pass, reader, orders));
      } catch (error) {
        throw readError(error);
      }
      const { org } = pass;
      const { rows, truncated } = summary.rows();
      return {
        siteId,
        orders: summary.orders,
        counts: summary.counts,
        creates: summary.creates,
        keyField: org.keyField,
        multiCurrency: org.multiCurrency,
        pricebook: org.pricebook,
        draftStatus: org.draftStatus,
        activatedStatus: org.activatedStatus,
        planCalls: counter.calls,
        writeCalls: summary.writeCalls,
        rows,
        rowsTruncated: truncated,
        plannedAt: this.#nowIso(),
      };
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
      const latest = this.journal.latestOutcomes(siteId);
      const counts: Record<ReconcileState, number> = { ok: 0, missing: 0, failed: 0, 'total-differs': 0 };
      const rows: ReconcileRow[] = [];
      const limit = this.#options.rowsLimit ?? 2_000;
      let seen = 0;
      let truncated = false;
      try {
        const org = await readOrgFacts(reader, settings);
        // A window at a time: the WooCommerce orders and their Salesforce Orders, then the rows that differ.
        for await (const orders of this.#windows(siteId, { ...settings, dateMode: settings.dateMode === 'since-last-sync' ? 'all' : settings.dateMode }, signal)) {
          seen += orders.length;
          const existing = await lookupOrders(reader, org.keyField, orders.map((order) => orderKeyOf(order, settings)));
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
            if (rows.length >= limit) {
              truncated = true;
              continue;
            }
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
        }
      } catch (error) {
        throw readError(error);
      }
      return { siteId, orders: seen, counts, rows, rowsTruncated: truncated, apiCalls: counter.calls, checkedAt: this.#nowIso() };
    });
  }

  async #run(siteId: string, settings: OrderSettings, signal: AbortSignal, options: SendOptions): Promise<OrdersRunDto> {
    const counter: CallCounter = { calls: 0 };
    const api = await this.#options.salesforceFor(siteId);
    const reader = this.#reader(api, counter, signal);
    const runId = this.#newId();
    // The whole run's count beside each phase's (which restarts with every window).
    const overall = { done: 0, total: 0 };
    const report = this.#progress(siteId, runId, overall);
    const progress: Progress = (phase, done, total) => {
      if (phase === 'reading') overall.total = Math.max(overall.total, total);
      report(phase, done, total);
    };
    progress('recovering', 0, 0);
    let pass: PassState;
    try {
      await this.#recover(siteId, reader, settings);
      pass = await this.#startPass(settings, reader);
    } catch (error) {
      // Nothing written yet: credentials refused, Salesforce out of reach, bad settings.
      throw readError(error);
    }
    const windows = this.#windows(siteId, settings, signal, progress, options.orderIds);
    let first: IteratorResult<WooOrder[]>;
    try {
      first = await windows.next();
    } catch (error) {
      // Nothing written yet either: WordPress down or refusing the credentials.
      throw readError(error);
    }
    this.journal.startRun({ id: runId, siteId, kind: options.orderIds ? 'replay' : 'send', keyField: pass.org.keyField, startedAt: this.#nowIso(), total: first.done ? 0 : first.value.length });
    options.onRunStarted?.(runId);
    let state: 'completed' | 'cancelled' | 'failed' = 'completed';
    let stopped: AppError | undefined;
    let total = 0;
    try {
      for (let next = first; !next.done; next = await windows.next()) {
        const orders = next.value;
        total += orders.length;
        this.journal.setTotal(runId, total);
        const plan = await this.#planWindow(pass, reader, orders, progress);
        this.journal.record(
          runId,
          plan.orders
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
        const ids = await executePlan(
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
          plan,
          stopError,
        );
        learnCreated(pass, plan, ids);
        overall.done += orders.length;
        if (signal.aborted) break;
      }
      if (signal.aborted) state = 'cancelled';
    } catch (error) {
      if (signal.aborted && !(error instanceof OrdersStopped)) state = 'cancelled';
      else {
        state = 'failed';
        // A later page WooCommerce would not give, or Salesforce stopping the run: the windows
        // already written stay written and journaled; the message says what to do.
        stopped = error instanceof OrdersStopped ? error.appError : readError(error);
      }
    } finally {
      await windows.return(undefined).catch(() => undefined);
    }
    const row = this.journal.finishRun(
      runId,
      state,
      this.#nowIso(),
      counter.calls,
      stopped ? { code: stopped.code, message: `${stopped.message}${stopped.hint ? ` ${stopped.hint}` : ''}` } : state === 'cancelled' ? { code: 'CANCELLED', message: 'Cancelled: the batches in flight finished; the rest was not sent.' } : undefined,
    );
    progress('done', total, total);
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

  /**
   * The site's orders a window at a time: pages are read until `windowSize` orders are in hand,
   * then that window is handed over (and planned, and written) before more pages are read.
   */
  async *#windows(siteId: string, settings: OrderSettings, signal: AbortSignal, progress?: Progress, orderIds?: readonly number[]): AsyncGenerator<WooOrder[]> {
    let after: string | undefined;
    if (!orderIds && settings.dateMode === 'since-last-sync') after = this.journal.lastCompletedStart(siteId) ?? undefined;
    if (!orderIds && settings.dateMode === 'range' && settings.dateFrom) after = new Date(Date.parse(`${settings.dateFrom}T00:00:00Z`) - 1000).toISOString();
    const wanted = orderIds ? new Set(orderIds) : undefined;
    const size = Math.max(1, this.#options.windowSize ?? DEFAULT_ORDERS_WINDOW);
    let window: WooOrder[] = [];
    let seen = 0;
    progress?.('reading', 0, 0);
    for await (const page of this.#options.readOrders(siteId, { statuses: settings.statuses, ...(after ? { after } : {}) }, signal)) {
      for (const order of page.items) {
        seen += 1;
        if (wanted && !wanted.has(order.id)) continue;
        if (!wanted && settings.dateMode === 'range' && settings.dateTo && order.dateCreatedGmt.slice(0, 10) > settings.dateTo) continue;
        window.push(order);
      }
      progress?.('reading', seen, Math.max(page.total ?? 0, seen));
      if (window.length >= size) {
        signal.throwIfAborted();
        yield window;
        window = [];
      }
    }
    signal.throwIfAborted();
    if (window.length > 0) yield window;
  }

  /** The org's facts, read once per pass: Order describe, price books (and the currency). */
  async #startPass(settings: OrderSettings, reader: Reader): Promise<PassState> {
    if (settings.accountStrategy === 'default-account' && !settings.defaultAccountId) {
      throw new AppError('INVALID_REQUEST', 'The order settings put every order on one default Account, but none is chosen.', { hint: 'Enter the Account’s Salesforce id in the site’s order settings.' });
    }
    const org = await readOrgFacts(reader, settings);
    return { settings, org, products: new Map(), productsAsked: new Set(), entries: new Map(), entriesAsked: new Set() };
  }

  /**
   * One window's plan: what Salesforce holds for these orders (Orders by key, buyers by e-mail,
   * Accounts by name) and, once per pass, the products and entries not asked for yet.
   */
  async #planWindow(pass: PassState, reader: Reader, orders: readonly WooOrder[], progress?: Progress): Promise<OrdersPlan> {
    const { settings, org } = pass;
    progress?.('looking-up', 0, orders.length);
    const existing = await lookupOrders(reader, org.keyField, orders.map((order) => orderKeyOf(order, settings)));
    const emails = orders.map((order) => order.billing.email.trim().toLowerCase()).filter(Boolean);
    const contacts = await lookupContacts(reader, emails);
    let accounts = new Map<string, string>();
    if (settings.accountStrategy === 'per-customer') {
      const names = orders.filter((order) => !contacts.get(order.billing.email.trim().toLowerCase())?.AccountId).map((order) => accountNameOf(order));
      if (names.length > 0) accounts = await lookupAccounts(reader, names);
    }
    const needs = productNeeds(orders, settings);
    const unasked = needs.filter((need) => !pass.productsAsked.has(need.ref));
    if (unasked.length > 0) {
      for (const [ref, id] of await lookupProducts(reader, unasked)) pass.products.set(ref, id);
      for (const need of unasked) pass.productsAsked.add(need.ref);
    }
    const products = new Map(needs.flatMap((need) => (pass.products.has(need.ref) ? [[need.ref, pass.products.get(need.ref)!] as const] : [])));
    const books = [...new Set([org.standardPricebookId, org.pricebook.id, ...[...existing.values()].flatMap((found) => found.map((o) => o.Pricebook2Id ?? '')).filter(Boolean)])];
    const productIds = [...new Set(products.values())];
    const missing = books.flatMap((book) => productIds.filter((product) => !pass.entriesAsked.has(`${book}|${product}`)).map((product) => [book, product] as const));
    if (missing.length > 0) {
      const askBooks = [...new Set(missing.map(([book]) => book))];
      const askProducts = [...new Set(missing.map(([, product]) => product))];
      for (const [key, entry] of await lookupEntries(reader, askBooks, askProducts, org.multiCurrency)) pass.entries.set(key, entry);
      for (const book of askBooks) for (const product of askProducts) pass.entriesAsked.add(`${book}|${product}`);
    }
    progress?.('looking-up', orders.length, orders.length);
    return planOrders({ orders, settings, org, state: { orders: existing, contacts, accounts, products, entries: pass.entries } });
  }

  #progress(siteId: string, runId: string, overall?: { readonly done: number; readonly total: number }): Progress {
    let last = 0;
    let lastPhase: OrdersPhase | undefined;
    return (phase, done, total) => {
      const now = Date.now();
      // Throttled to four a second, but a new phase and the end always go out.
      if (phase === lastPhase && done < total && now - last < 250) return;
      last = now;
      lastPhase = phase;
      this.#options.onProgress?.({ siteId, runId, phase, done, total, ...(overall ? { ordersDone: overall.done, ordersTotal: Math.max(overall.total, overall.done) } : {}) });
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

/**
 * What a written window created, for the next windows of the run: new products by their ref,
 * new price book entries by their key with the product's real id (a window that created a
 * product named it by token).
 */
function learnCreated(pass: PassState, plan: OrdersPlan, ids: ReadonlyMap<string, string>): void {
  for (const product of plan.products) {
    const id = ids.get(product.token);
    if (id !== undefined) pass.products.set(product.key, id);
  }
  for (const entry of [...plan.standardEntries, ...plan.customEntries]) {
    const id = ids.get(entry.token);
    if (id === undefined) continue;
    const [book, productRef, currency] = entry.key.split('|') as [string, string, string];
    const product = isToken(productRef) ? ids.get(productRef) : productRef;
    if (product === undefined) continue;
    pass.entries.set(entryKey(book, product, currency || null), { Id: id, IsActive: true });
    pass.entriesAsked.add(`${book}|${product}`);
  }
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
