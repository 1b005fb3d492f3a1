/**
 * The local database's schema, as numbered migrations. Append only: a shipped migration is
 * never edited (files in the field are at its number already); change the schema with the
 * next number. `openLocalDatabase` runs the missing ones in order, one transaction each.
 */
export interface LocalDatabaseMigration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

export const LOCAL_DATABASE_MIGRATIONS: readonly LocalDatabaseMigration[] = [
  {
    version: 1,
    name: 'sync runs, journal and per-record outcomes',
    up: `
      CREATE TABLE sync_runs (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
        state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
        -- The process running it: a 'running' run whose process is gone was interrupted.
        owner_pid INTEGER,
        object_type TEXT NOT NULL,
        match_kind TEXT NOT NULL,
        match_field TEXT NOT NULL,
        strategy TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        total INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        invalid INTEGER NOT NULL DEFAULT 0,
        conflict INTEGER NOT NULL DEFAULT 0,
        api_calls INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        message TEXT
      );
      CREATE INDEX sync_runs_by_site ON sync_runs (site_id, started_at);
      CREATE INDEX sync_runs_by_state ON sync_runs (state);

      -- The journal: a row is written (state 'sending') before a batch leaves and updated
      -- ('answered') in the same transaction as its records' outcomes. A 'sending' row after
      -- a crash is a batch whose fate only Salesforce knows: recovery looks its keys up.
      CREATE TABLE sync_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        operation TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'answered', 'recovered')),
        size INTEGER NOT NULL,
        -- JSON: [{"wp": <WordPress user id>, "key": <match value>}] in the order sent.
        keys TEXT NOT NULL,
        bulk_job_id TEXT,
        sent_at TEXT NOT NULL,
        answered_at TEXT
      );
      CREATE INDEX sync_batches_by_run ON sync_batches (run_id, state);

      CREATE TABLE sync_records (
        run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        wp_user_id INTEGER NOT NULL,
        match_value TEXT,
        salesforce_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'failed', 'invalid', 'conflict', 'recovered')),
        error_code TEXT,
        error_message TEXT,
        -- JSON: [{"field", "old", "new"}] for creates and updates.
        changes TEXT,
        PRIMARY KEY (run_id, wp_user_id)
      ) WITHOUT ROWID;
      CREATE INDEX sync_records_by_outcome ON sync_records (run_id, outcome);
    `,
  },
  {
    version: 2,
    name: 'pull outcomes, keyed by the Salesforce record (a failed create has no WordPress user)',
    up: `
      CREATE TABLE sync_pull_records (
        run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        salesforce_id TEXT NOT NULL,
        wp_user_id INTEGER,
        match_value TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'failed', 'invalid', 'conflict')),
        error_code TEXT,
        error_message TEXT,
        changes TEXT,
        PRIMARY KEY (run_id, salesforce_id)
      ) WITHOUT ROWID;
      CREATE INDEX sync_pull_records_by_outcome ON sync_pull_records (run_id, outcome);
    `,
  },
  {
    version: 3,
    name: 'WooCommerce orders: runs, journal and per-order outcomes',
    up: `
      CREATE TABLE orders_runs (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('send', 'replay')),
        state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
        -- The process running it: a 'running' run whose process is gone was interrupted.
        owner_pid INTEGER,
        key_field TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        total INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0,
        invalid INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        api_calls INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        message TEXT
      );
      CREATE INDEX orders_runs_by_site ON orders_runs (site_id, started_at);

      -- Write-ahead journal: a row (state 'sending') is committed before a batch leaves and
      -- marked 'answered' with its outcomes in one transaction. A 'sending' batch after a crash
      -- is one only Salesforce knows the fate of: recovery looks its keys up.
      CREATE TABLE orders_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES orders_runs (id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        operation TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'answered', 'recovered')),
        size INTEGER NOT NULL,
        -- JSON: the keys sent, in order (order keys for Orders, e-mails for Contacts …).
        keys TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        answered_at TEXT
      );
      CREATE INDEX orders_batches_by_run ON orders_batches (run_id, state);

      CREATE TABLE orders_records (
        run_id TEXT NOT NULL REFERENCES orders_runs (id) ON DELETE CASCADE,
        wc_order_id INTEGER NOT NULL,
        order_key TEXT NOT NULL,
        salesforce_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'locked', 'invalid', 'failed', 'recovered')),
        error_code TEXT,
        error_message TEXT,
        wc_total TEXT,
        items_total REAL,
        PRIMARY KEY (run_id, wc_order_id)
      ) WITHOUT ROWID;
      CREATE INDEX orders_records_by_order ON orders_records (wc_order_id, run_id);
    `,
  },
  {
    version: 4,
    name: 'live change feed: per-site follow state and stored replay position',
    up: `
      -- One row per site that follows (or followed) Salesforce changes. replay_id is advanced
      -- only after the changes it covers were applied and recorded, so a crash replays.
      CREATE TABLE change_feed_sites (
        site_id TEXT PRIMARY KEY,
        following INTEGER NOT NULL DEFAULT 0,
        paused INTEGER NOT NULL DEFAULT 0,
        channel TEXT,
        replay_id INTEGER,
        last_commit TEXT,
        poll_modstamp TEXT,
        applied INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'pull journal (WordPress writes batch by batch) and the run origin (manual or live)',
    up: `
      -- 'live': a run the change feed applies records into (main/sync/live-pull.ts); it stays
      -- 'running' while the feed follows the site, so it must not count as a busy sync.
      ALTER TABLE sync_runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'live'));

      -- The pull's journal: a row is written ('sending') before a batch of WordPress writes
      -- leaves and updated ('answered') in the same transaction as its outcomes. A 'sending'
      -- row after a crash is a batch whose fate only WordPress knows: recovery looks its
      -- e-mails up in WordPress instead of creating the users again.
      CREATE TABLE sync_pull_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
        site_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'answered', 'recovered')),
        size INTEGER NOT NULL,
        -- JSON: [{"sf": <record id>, "email", "wp": <WordPress user id or null for a create>, "kind": "create" | "update"}]
        items TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        answered_at TEXT
      );
      CREATE INDEX sync_pull_batches_by_site ON sync_pull_batches (site_id, state);
    `,
  },
  {
    version: 6,
    name: 'push refusals: records Salesforce refused, so an unchanged re-run does not send them again',
    up: `
      -- One row per WordPress user Salesforce refused for good (a duplicate rule, an invalid
      -- address …; never a lock, an outage or a stop): a hash of exactly the values sent and
      -- Salesforce's own code and message. The next plan treats a user whose values hash the
      -- same as failed again without sending; new values (or "retry refused") send again.
      CREATE TABLE sync_refusals (
        site_id TEXT NOT NULL,
        wp_user_id INTEGER NOT NULL,
        values_hash TEXT NOT NULL,
        error_code TEXT NOT NULL,
        error_message TEXT NOT NULL,
        refused_at TEXT NOT NULL,
        PRIMARY KEY (site_id, wp_user_id)
      ) WITHOUT ROWID;
    `,
  },
];
