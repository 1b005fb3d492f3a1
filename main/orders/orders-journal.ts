/**
 * The orders' journal and run history in the local database (migration 2).
 *
 * Write-ahead: `beginBatch` commits a batch's keys (state `sending`) before it leaves;
 * `finishBatch` commits its outcomes and marks it `answered` in one transaction. After a
 * crash at any instant, a `sending` batch is exactly one whose fate only Salesforce knows:
 * recovery looks its keys up. Every stage is also found again by the next run's own lookups
 * (Orders by key, Contacts by e-mail, items by their WooCommerce line), so a resumed run
 * never creates a second Order for a WooCommerce order.
 */
import type { OrderOutcome, OrderRecordDto, OrdersRunDto, OrdersRunState } from '../../common/orders-models';
import type { LocalDatabase } from '../platform/local-database';

export interface OrdersRunRow {
  readonly id: string;
  readonly site_id: string;
  readonly kind: 'send' | 'replay';
  readonly state: OrdersRunState;
  readonly owner_pid: number | null;
  readonly key_field: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly locked: number;
  readonly invalid: number;
  readonly failed: number;
  readonly api_calls: number;
  readonly error_code: string | null;
  readonly message: string | null;
}

export interface OrdersBatchRow {
  readonly id: number;
  readonly run_id: string;
  readonly stage: string;
  readonly operation: string;
  readonly state: 'sending' | 'answered' | 'recovered';
  readonly keys: string;
}

export interface OrderRecordRow {
  readonly run_id: string;
  readonly wc_order_id: number;
  readonly order_key: string;
  readonly salesforce_id: string | null;
  readonly outcome: OrderOutcome;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly wc_total: string | null;
  readonly items_total: number | null;
}

export interface OrderOutcomeRow {
  readonly wooOrderId: number;
  readonly key: string;
  readonly salesforceId: string | null;
  readonly outcome: OrderOutcome;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly wooTotal?: string | null;
  readonly itemsTotal?: number | null;
}

export class OrdersJournal {
  readonly #db: LocalDatabase;
  readonly #pid: number;

  constructor(db: LocalDatabase, pid: number = process.pid) {
    this.#db = db;
    this.#pid = pid;
  }

  startRun(run: { id: string; siteId: string; kind: 'send' | 'replay'; keyField: string; startedAt: string; total: number }): void {
    this.#db.run(`INSERT INTO orders_runs (id, site_id, kind, state, owner_pid, key_field, started_at, total) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`, [run.id, run.siteId, run.kind, this.#pid, run.keyField, run.startedAt, run.total]);
  }

  record(runId: string, outcomes: readonly OrderOutcomeRow[]): void {
    if (outcomes.length === 0) return;
    this.#db.transaction(() => this.#insert(runId, outcomes));
  }

  /** Committed before the batch leaves; `pending`: the orders it carries, recorded as not answered yet. */
  beginBatch(runId: string, stage: string, operation: string, keys: readonly string[], now: string, pending: readonly OrderOutcomeRow[] = []): number {
    return this.#db.transaction(() => {
      this.#insert(runId, pending);
      return this.#db.run(`INSERT INTO orders_batches (run_id, stage, operation, state, size, keys, sent_at) VALUES (?, ?, ?, 'sending', ?, ?, ?)`, [runId, stage, operation, keys.length, JSON.stringify(keys), now]).lastInsertRowid;
    });
  }

  /** Recovery of an unanswered batch: what Salesforce was found to hold, by order key. */
  recoverBatch(runId: string, batchId: number, found: ReadonlyMap<string, string>, now: string): { found: number; missing: number } {
    const keys = JSON.parse(this.#db.get<{ keys: string }>('SELECT keys FROM orders_batches WHERE id = ?', [batchId])?.keys ?? '[]') as string[];
    let hits = 0;
    this.#db.transaction(() => {
      for (const key of keys) {
        const id = found.get(key);
        if (id !== undefined) hits += 1;
        this.#db.run(
          "UPDATE orders_records SET outcome = ?, salesforce_id = COALESCE(?, salesforce_id), error_code = ?, error_message = ? WHERE run_id = ? AND order_key = ? AND error_code = 'NOT_ANSWERED'",
          id !== undefined
            ? ['recovered', id, null, 'ForceSites stopped before Salesforce answered; Salesforce has this Order (found by its key). The next run adds what it lacks.', runId, key]
            : ['failed', null, 'NOT_WRITTEN', 'ForceSites stopped before Salesforce answered, and Salesforce does not have this Order. The next run sends it.', runId, key],
        );
      }
      this.#db.run("UPDATE orders_batches SET state = 'recovered', answered_at = ? WHERE id = ?", [now, batchId]);
    });
    return { found: hits, missing: keys.length - hits };
  }

  finishBatch(runId: string, batchId: number, outcomes: readonly OrderOutcomeRow[], now: string, state: 'answered' | 'recovered' = 'answered'): void {
    this.#db.transaction(() => {
      this.#insert(runId, outcomes);
      this.#db.run('UPDATE orders_batches SET state = ?, answered_at = ? WHERE id = ?', [state, now, batchId]);
    });
  }

  /** The run's order count, known only as the windows are read (orders are streamed). */
  setTotal(runId: string, total: number): void {
    this.#db.run('UPDATE orders_runs SET total = ? WHERE id = ?', [total, runId]);
  }

  finishRun(runId: string, state: Exclude<OrdersRunState, 'running'>, finishedAt: string, apiCalls: number, error?: { code: string; message: string }): OrdersRunRow {
    this.recount(runId);
    this.#db.run('UPDATE orders_runs SET state = ?, finished_at = ?, api_calls = ?, error_code = ?, message = ? WHERE id = ?', [state, finishedAt, apiCalls, error?.code ?? null, error?.message ?? null, runId]);
    return this.run(runId)!;
  }

  run(runId: string): OrdersRunRow | undefined {
    return this.#db.get<OrdersRunRow>('SELECT * FROM orders_runs WHERE id = ?', [runId]);
  }

  runs(siteId?: string, limit = 100): OrdersRunRow[] {
    return siteId === undefined
      ? this.#db.all<OrdersRunRow>('SELECT * FROM orders_runs ORDER BY started_at DESC, rowid DESC LIMIT ?', [limit])
      : this.#db.all<OrdersRunRow>('SELECT * FROM orders_runs WHERE site_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?', [siteId, limit]);
  }

  records(runId: string, options: { outcome?: OrderOutcome; offset?: number; limit?: number } = {}): { total: number; rows: OrderRecordRow[] } {
    const where = options.outcome ? 'run_id = ? AND outcome = ?' : 'run_id = ?';
    const params = options.outcome ? [runId, options.outcome] : [runId];
    const total = this.#db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM orders_records WHERE ${where}`, params)?.n ?? 0;
    const rows = this.#db.all<OrderRecordRow>(`SELECT * FROM orders_records WHERE ${where} ORDER BY wc_order_id LIMIT ? OFFSET ?`, [...params, options.limit ?? 500, options.offset ?? 0]);
    return { total, rows };
  }

  /** When the last completed run of the site started ("since last sync"). */
  lastCompletedStart(siteId: string): string | null {
    return this.#db.get<{ started_at: string }>("SELECT started_at FROM orders_runs WHERE site_id = ? AND state = 'completed' AND kind = 'send' ORDER BY started_at DESC LIMIT 1", [siteId])?.started_at ?? null;
  }

  /** Each WooCommerce order's latest outcome for the site (reconciliation). */
  latestOutcomes(siteId: string): Map<number, OrderRecordRow> {
    const rows = this.#db.all<OrderRecordRow & { started_at: string }>(
      `SELECT r.*, runs.started_at FROM orders_records r JOIN orders_runs runs ON runs.id = r.run_id WHERE runs.site_id = ? ORDER BY runs.started_at, runs.rowid`,
      [siteId],
    );
    const latest = new Map<number, OrderRecordRow>();
    for (const row of rows) latest.set(row.wc_order_id, row);
    return latest;
  }

  liveRunElsewhere(siteId: string, isLive: (pid: number) => boolean): OrdersRunRow | undefined {
    return this.#db.all<OrdersRunRow>("SELECT * FROM orders_runs WHERE site_id = ? AND state = 'running'", [siteId]).find((run) => run.owner_pid !== null && run.owner_pid !== this.#pid && isLive(run.owner_pid));
  }

  /** Runs left `running` by a process that is gone. */
  abandonedRuns(siteId: string, isLive: (pid: number) => boolean): OrdersRunRow[] {
    return this.#db.all<OrdersRunRow>("SELECT * FROM orders_runs WHERE site_id = ? AND state = 'running'", [siteId]).filter((run) => run.owner_pid === null || run.owner_pid === this.#pid || !isLive(run.owner_pid));
  }

  openBatches(runId: string): OrdersBatchRow[] {
    return this.#db.all<OrdersBatchRow>("SELECT id, run_id, stage, operation, state, keys FROM orders_batches WHERE run_id = ? AND state = 'sending' ORDER BY id", [runId]);
  }

  /** Runs of the site (not live elsewhere) with batches whose answer never came. */
  unfinishedRuns(siteId: string, isLive: (pid: number) => boolean): OrdersRunRow[] {
    return this.#db
      .all<OrdersRunRow>("SELECT * FROM orders_runs WHERE site_id = ? AND id IN (SELECT run_id FROM orders_batches WHERE state = 'sending')", [siteId])
      .filter((run) => run.state !== 'running' || run.owner_pid === null || run.owner_pid === this.#pid || !isLive(run.owner_pid));
  }

  markInterrupted(runId: string, now: string, message: string): void {
    this.recount(runId);
    this.#db.run("UPDATE orders_runs SET state = 'interrupted', finished_at = COALESCE(finished_at, ?), message = COALESCE(message, ?) WHERE id = ? AND state = 'running'", [now, message, runId]);
  }

  recount(runId: string): void {
    const counts = this.#db.all<{ outcome: OrderOutcome; n: number }>('SELECT outcome, COUNT(*) AS n FROM orders_records WHERE run_id = ? GROUP BY outcome', [runId]);
    const by = new Map(counts.map((row) => [row.outcome, row.n]));
    this.#db.run('UPDATE orders_runs SET created = ?, updated = ?, unchanged = ?, locked = ?, invalid = ?, failed = ? WHERE id = ?', [
      (by.get('created') ?? 0) + (by.get('recovered') ?? 0),
      by.get('updated') ?? 0,
      by.get('unchanged') ?? 0,
      by.get('locked') ?? 0,
      by.get('invalid') ?? 0,
      by.get('failed') ?? 0,
      runId,
    ]);
  }

  #insert(runId: string, outcomes: readonly OrderOutcomeRow[]): void {
    for (const row of outcomes) {
      this.#db.run(
        `INSERT INTO orders_records (run_id, wc_order_id, order_key, salesforce_id, outcome, error_code, error_message, wc_total, items_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, wc_order_id) DO UPDATE SET salesforce_id = COALESCE(excluded.salesforce_id, salesforce_id), outcome = excluded.outcome, error_code = excluded.error_code, error_message = excluded.error_message,
           wc_total = COALESCE(excluded.wc_total, wc_total), items_total = COALESCE(excluded.items_total, items_total)`,
        [runId, row.wooOrderId, row.key, row.salesforceId, row.outcome, row.errorCode ?? null, row.errorMessage ?? null, row.wooTotal ?? null, row.itemsTotal ?? null],
      );
    }
  }
}

export function ordersRunDto(row: OrdersRunRow): OrdersRunDto {
  return {
    id: row.id,
    siteId: row.site_id,
    state: row.state,
    kind: row.kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    total: row.total,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    locked: row.locked,
    invalid: row.invalid,
    failed: row.failed,
    apiCalls: row.api_calls,
    errorCode: row.error_code,
    message: row.message,
  };
}

export function orderRecordDto(row: OrderRecordRow): OrderRecordDto {
  return {
    wooOrderId: row.wc_order_id,
    key: row.order_key,
    salesforceId: row.salesforce_id,
    outcome: row.outcome,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    wooTotal: row.wc_total,
    itemsTotal: row.items_total,
  };
}
