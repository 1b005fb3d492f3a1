/**
 * Server-side query cursors behind `nextRecordsUrl`. A cursor keeps the matched rows (shared
 * references to immutable records, not copies) and projects one batch at a time, so paging
 * 100,000 rows never builds 100,000 output objects at once.
 */
import { base62Id } from '../ids';
import type { Rec } from '../store/record-store';

export interface Cursor {
  readonly locator: string;
  readonly rows: readonly Rec[];
  readonly batchSize: number;
  readonly project: (rec: Rec) => Record<string, unknown>;
  lastUsed: number;
}

/** Salesforce keeps a locator alive for 15 minutes of inactivity. */
export const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 50;

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = 0;

  constructor(private readonly now: () => number) {}

  open(rows: readonly Rec[], batchSize: number, project: Cursor['project']): Cursor {
    this.expire();
    this.counter += 1;
    const cursor: Cursor = { locator: base62Id('01g', this.counter), rows, batchSize, project, lastUsed: this.now() };
    this.cursors.set(cursor.locator, cursor);
    // Oldest first in Map order: drop the least recently opened beyond the cap.
    while (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
    return cursor;
  }

  get(locator: string): Cursor | undefined {
    this.expire();
    const cursor = this.cursors.get(locator);
    if (cursor) cursor.lastUsed = this.now();
    return cursor;
  }

  clear(): void {
    this.cursors.clear();
  }

  private expire(): void {
    const now = this.now();
    for (const [locator, cursor] of this.cursors) if (now - cursor.lastUsed > CURSOR_IDLE_MS) this.cursors.delete(locator);
  }
}
