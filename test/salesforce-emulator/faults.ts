/**
 * Seeded fault injection. A fixed seed makes a flaky-network test repeat exactly: the same
 * request sequence meets the same failures.
 */
export interface FaultSettings {
  /** Seed of the pseudo-random stream (default 1). Setting faults restarts the stream. */
  readonly seed?: number;
  /** Added delay before every faultable request is answered. */
  readonly latencyMs?: number;
  /** Share (0..1) of faultable requests answered 500 UNKNOWN_EXCEPTION. */
  readonly error500Rate?: number;
  /** Share (0..1) answered 503 SERVER_UNAVAILABLE. */
  readonly error503Rate?: number;
  /** Share (0..1) of DML calls failing with UNABLE_TO_LOCK_ROW (via OrgDataOptions.shouldLockRow). */
  readonly lockRowRate?: number;
  /** Share (0..1) of faultable requests whose socket is destroyed without an answer. */
  readonly dropRate?: number;
}

export type FaultDecision = 'none' | 'drop' | 'error500' | 'error503';

/** mulberry32: tiny, fast and good enough for test faults. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rate(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

export class Faults {
  private settings: FaultSettings = {};
  private random = mulberry32(1);
  // A separate stream for lock-row so DML faults do not shift the request-level sequence.
  private lockRandom = mulberry32(2);

  set(settings: FaultSettings): FaultSettings {
    this.settings = { ...settings };
    const seed = Number.isFinite(settings.seed) ? Number(settings.seed) : 1;
    this.random = mulberry32(seed);
    this.lockRandom = mulberry32(seed ^ 0x5bd1e995);
    return this.current();
  }

  clear(): void {
    this.set({});
  }

  current(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs(): number {
    const ms = this.settings.latencyMs;
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
  }

  /** One decision per faultable request; draws nothing when no rate is set (no cost). */
  decide(): FaultDecision {
    const drop = rate(this.settings.dropRate);
    const e500 = rate(this.settings.error500Rate);
    const e503 = rate(this.settings.error503Rate);
    if (drop + e500 + e503 === 0) return 'none';
    const r = this.random();
    if (r < drop) return 'drop';
    if (r < drop + e500) return 'error500';
    if (r < drop + e500 + e503) return 'error503';
    return 'none';
  }

  shouldLockRow(): boolean {
    const lock = rate(this.settings.lockRowRate);
    return lock > 0 && this.lockRandom() < lock;
  }
}
