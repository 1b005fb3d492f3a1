/**
 * One emulator per test file, reset before each test: the set-up every emulator-backed
 * suite shares. The returned object forwards to the running emulator, so tests read
 * `emu.handle.advanceClock(…)` as if they held it directly.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from './index';

export function useEmulator(options: StartEmulatorOptions = {}, { resetEachTest = true } = {}): RunningEmulator {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await startEmulator(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  if (resetEachTest) {
    beforeEach(() => {
      running?.handle.reset();
    });
  }
  return new Proxy({} as RunningEmulator, {
    get(_target, key) {
      if (!running) throw new Error('useEmulator(): the emulator starts in beforeAll; use it inside tests and hooks.');
      const value: unknown = Reflect.get(running, key);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}
