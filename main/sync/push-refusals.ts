/**
 * Records Salesforce refused for good (a duplicate rule, INVALID_EMAIL_ADDRESS, a required
 * field …), remembered per site and WordPress user with a hash of exactly the values sent, so
 * an unchanged re-run does not send them again: the same values would be refused the same way
 * and cost a write call every time. The journal writes a refusal in the same transaction as
 * the record's outcome (and forgets it when the user is written); the planner reads it here.
 * Transient failures are never remembered (sync-errors `isPermanentRefusal`).
 */
import { createHash } from 'node:crypto';
import type { LocalDatabase } from '../platform/local-database';
import type { SalesforceValues } from './push-planner';

export interface Refusal {
  readonly valuesHash: string;
  readonly code: string;
  readonly message: string;
  readonly refusedAt: string;
}

/** What identifies a write's values: the operation's kind, the record it targets and every field sent. */
export interface SentValues {
  readonly kind: 'create' | 'update';
  readonly key: string;
  readonly salesforceId?: string;
  readonly record: SalesforceValues;
}

/** A hash of exactly the values a write sends (field order does not matter; names as sent). */
export function sentValuesHash(item: SentValues): string {
  const fields = Object.keys(item.record)
    .sort()
    .map((name) => [name, item.record[name] ?? null]);
  return createHash('sha256')
    .update(JSON.stringify([item.kind, item.key, item.salesforceId ?? null, fields]))
    .digest('base64url');
}

/** The note a record not re-sent carries after Salesforce's own message. */
export function notResentNote(refusal: Refusal): string {
  return `not re-sent: unchanged since Salesforce refused it on ${refusal.refusedAt.slice(0, 10)}`;
}

export class PushRefusals {
  readonly #db: LocalDatabase;

  constructor(db: LocalDatabase) {
    this.#db = db;
  }

  /** Whether the site has any refusal (most have none: the planner then skips the look-ups). */
  any(siteId: string): boolean {
    return this.#db.get<{ one: number }>('SELECT 1 AS one FROM sync_refusals WHERE site_id = ? LIMIT 1', [siteId]) !== undefined;
  }

  get(siteId: string, wpUserId: number): Refusal | undefined {
    const row = this.#db.get<{ values_hash: string; error_code: string; error_message: string; refused_at: string }>(
      'SELECT values_hash, error_code, error_message, refused_at FROM sync_refusals WHERE site_id = ? AND wp_user_id = ?',
      [siteId, wpUserId],
    );
    return row === undefined ? undefined : { valuesHash: row.values_hash, code: row.error_code, message: row.error_message, refusedAt: row.refused_at };
  }

  count(siteId: string): number {
    return this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_refusals WHERE site_id = ?', [siteId])?.n ?? 0;
  }
}
