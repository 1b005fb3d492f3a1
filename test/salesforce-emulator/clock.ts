/**
 * The emulator's simulated clock. Every expiry (sessions, codes, refresh-token policies,
 * approvals, the daily API quota) reads this clock and never Date.now(), so a test can jump
 * thirty days ahead in one call instead of waiting.
 */
export interface SimulatedClock {
  /** Milliseconds since the epoch, simulated. */
  now(): number;
  /** Moves simulated time forward (never backward: expiries must stay monotonic). */
  advance(ms: number): number;
}

/**
 * Real time plus an offset by default, so timestamps look current and still move between
 * calls; pass `frozenAt` for tests that want exact values.
 */
export function createSimulatedClock(options: { frozenAt?: number } = {}): SimulatedClock {
  let offset = 0;
  const base = options.frozenAt;
  const now = (): number => (base === undefined ? Date.now() : base) + offset;
  return {
    now,
    advance(ms: number): number {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward by a finite number of ms');
      offset += ms;
      return now();
    },
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Salesforce policies count months; we take 30 days (UNCONFIRMED, documented in README). */
export const MONTH_MS = 30 * DAY_MS;
