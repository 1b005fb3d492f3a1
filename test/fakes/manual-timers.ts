import type { Timers } from '../../main/platform/timers';

/** Timers that fire only when the test says so. */
export class ManualTimers implements Timers {
  readonly #pending = new Map<number, { callback: () => void; ms: number }>();
  #next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.#next++;
    this.#pending.set(handle, { callback, ms });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pendingDelays(): number[] {
    return [...this.#pending.values()].map((entry) => entry.ms);
  }

  /** Fires every pending timer. */
  fireAll(): void {
    const due = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of due) entry.callback();
  }
}
