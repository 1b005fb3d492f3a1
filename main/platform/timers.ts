/**
 * The timer port. Flows that wait (the OAuth callback, back-off) take it through their
 * constructor so tests can use a short or manual timer instead of waiting five minutes.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending sign-in must not keep a plain-Node process (tests, the browser edition) alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
