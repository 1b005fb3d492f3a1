import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processIsLive, SiteRunSlots } from '../../../main/platform/site-run-slots';

describe('SiteRunSlots', () => {
  it('holds a site while its work runs, frees it after, and cancels with the reason given', async () => {
    const slots = new SiteRunSlots();
    let seen: AbortSignal | undefined;
    const running = slots.run('site-1', (signal) => {
      seen = signal;
      return new Promise<string>((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    });
    // Started synchronously: a caller checking just after run() sees the slot taken.
    expect(slots.isRunning('site-1')).toBe(true);
    expect(slots.isRunning('site-2')).toBe(false);
    expect(slots.cancel('site-2', new Error('no'))).toBe(false);
    expect(slots.cancel('site-1', new Error('Cancelled by the admin.'))).toBe(true);
    await expect(running).rejects.toThrow('Cancelled by the admin.');
    expect(seen?.aborted).toBe(true);
    expect(slots.isRunning('site-1')).toBe(false);
    expect(await slots.run('site-1', async () => 'again')).toBe('again');
  });

  it('stopAll aborts every run and waits until each has stopped', async () => {
    const slots = new SiteRunSlots();
    const finished: string[] = [];
    const work = (site: string) => (signal: AbortSignal) =>
      new Promise<void>((resolve) =>
        signal.addEventListener('abort', () =>
          setTimeout(() => {
            finished.push(site);
            resolve();
          }, 20),
        ),
      );
    const runs = [slots.run('a', work('a')), slots.run('b', work('b'))];
    await slots.stopAll(new Error('quitting'));
    expect(finished.sort()).toEqual(['a', 'b']);
    await Promise.all(runs);
  });
});

describe('processIsLive', () => {
  it('is true for this process and false for one that has exited', () => {
    expect(processIsLive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(processIsLive(child.pid!)).toBe(false);
  });
});
