/**
 * The feed's per-site memory in the local database (migration 4, `change_feed_sites`): whether
 * the site follows (so following restarts on launch), whether it is paused, the stored replay
 * id (written only after the changes it covers were applied and recorded), the newest applied
 * commit time and the polling position.
 */
import type { LocalDatabase } from '../platform/local-database';

export interface ChangeFeedRow {
  readonly siteId: string;
  readonly following: boolean;
  readonly paused: boolean;
  readonly channel: string | null;
  readonly replayId: number | null;
  /** ISO 8601, Salesforce's clock. */
  readonly lastCommit: string | null;
  /** ISO 8601: polling reads records with SystemModstamp at or after this. */
  readonly pollModstamp: string | null;
  readonly applied: number;
  readonly skipped: number;
  readonly failed: number;
}

interface RawRow {
  site_id: string;
  following: number;
  paused: number;
  channel: string | null;
  replay_id: number | null;
  last_commit: string | null;
  poll_modstamp: string | null;
  applied: number;
  skipped: number;
  failed: number;
}

function fromRaw(raw: RawRow): ChangeFeedRow {
  return {
    siteId: raw.site_id,
    following: raw.following === 1,
    paused: raw.paused === 1,
    channel: raw.channel,
    replayId: raw.replay_id === null ? null : Number(raw.replay_id),
    lastCommit: raw.last_commit,
    pollModstamp: raw.poll_modstamp,
    applied: Number(raw.applied),
    skipped: Number(raw.skipped),
    failed: Number(raw.failed),
  };
}

export type ChangeFeedPatch = Partial<Omit<ChangeFeedRow, 'siteId'>>;

const COLUMNS: Readonly<Record<keyof ChangeFeedPatch, string>> = {
  following: 'following',
  paused: 'paused',
  channel: 'channel',
  replayId: 'replay_id',
  lastCommit: 'last_commit',
  pollModstamp: 'poll_modstamp',
  applied: 'applied',
  skipped: 'skipped',
  failed: 'failed',
};

export class ChangeFeedStore {
  readonly #db: LocalDatabase;
  readonly #now: () => Date;

  constructor(db: LocalDatabase, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  get(siteId: string): ChangeFeedRow | undefined {
    const raw = this.#db.get<RawRow>('SELECT * FROM change_feed_sites WHERE site_id = ?', [siteId]);
    return raw === undefined ? undefined : fromRaw(raw);
  }

  /** Sites that follow (paused ones included): started again on launch. */
  following(): ChangeFeedRow[] {
    return this.#db.all<RawRow>('SELECT * FROM change_feed_sites WHERE following = 1 ORDER BY site_id').map(fromRaw);
  }

  /** Writes the given columns (one statement: on disk before it returns). */
  update(siteId: string, patch: ChangeFeedPatch): void {
    const keys = (Object.keys(patch) as (keyof ChangeFeedPatch)[]).filter((key) => patch[key] !== undefined);
    const values = keys.map((key) => {
      const value = patch[key];
      return typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | number | null);
    });
    const now = this.#now().toISOString();
    this.#db.transaction(() => {
      this.#db.run('INSERT INTO change_feed_sites (site_id, updated_at) VALUES (?, ?) ON CONFLICT (site_id) DO NOTHING', [siteId, now]);
      if (keys.length === 0) return;
      this.#db.run(`UPDATE change_feed_sites SET ${keys.map((key) => `${COLUMNS[key]} = ?`).join(', ')}, updated_at = ? WHERE site_id = ?`, [...values, now, siteId]);
    });
  }

  forget(siteId: string): void {
    this.#db.run('DELETE FROM change_feed_sites WHERE site_id = ?', [siteId]);
  }
}
