/**
 * One long run per site at a time (a sync, an orders send): the run's AbortController, a way
 * to cancel it, and a way to stop every run when the app quits and wait for the work in
 * flight. Each feature decides what "busy" means to the admin; this only keeps the slots.
 */
export class SiteRunSlots {
  readonly #active = new Map<string, { readonly controller: AbortController; readonly done: Promise<unknown> }>();

  isRunning(siteId: string): boolean {
    return this.#active.has(siteId);
  }

  /**
   * Runs `work` in the site's slot. `work` is started synchronously, so a caller that checked
   * `isRunning` just before cannot race another start.
   */
  async run<T>(siteId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const done = work(controller.signal);
    this.#active.set(siteId, { controller, done: done.catch(() => undefined) });
    try {
      return await done;
    } finally {
      this.#active.delete(siteId);
    }
  }

  /** Aborts the site's run with `reason`; answers whether one was going. */
  cancel(siteId: string, reason: Error): boolean {
    const active = this.#active.get(siteId);
    active?.controller.abort(reason);
    return active !== undefined;
  }

  /** Aborts every run and waits until each has stopped. */
  async stopAll(reason: Error): Promise<void> {
    const active = [...this.#active.values()];
    for (const run of active) run.controller.abort(reason);
    await Promise.all(active.map((run) => run.done));
  }
}

/**
 * Whether another process (the app, the command line) is still alive: a run in the local
 * database marked 'running' by a process that is gone was interrupted, not busy. EPERM means
 * the process exists but belongs to someone else: alive.
 */
export function processIsLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
