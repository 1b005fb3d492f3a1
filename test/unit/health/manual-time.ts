import type { Timers } from '../../../main/platform/timers';

/** A manual clock and timer queue: `advance` fires what falls due, in order. */
export class ManualTime implements Timers {
  now = Date.parse('2026-11-01T00:00:00Z');
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.now = due.at;
      due.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.now = end;
  }
  get pending(): number {
    return this.queue.length;
  }
}

