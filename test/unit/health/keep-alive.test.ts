import { describe, expect, it } from 'vitest';
import { DAY_MS, IDLE_LIMIT_MS, KeepAliveScheduler, keepAliveInterval, keepAliveWindow, nextKeepAliveAt } from '../../../main/health/keep-alive';
import { ManualTime } from './manual-time';

describe('keep-alive timing', () => {
  it('refreshes at a third of a short window', () => {
    expect(keepAliveInterval(6 * 3_600_000)).toBe(2 * 3_600_000);
  });

  it('refreshes at least daily for long windows such as the 30-day idle limit', () => {
    expect(keepAliveInterval(30 * DAY_MS)).toBe(DAY_MS);
  });

  it('never refreshes more than once a minute', () => {
    expect(keepAliveInterval(60_000)).toBe(60_000);
  });

  it('counts from the last use, never into the past', () => {
    expect(nextKeepAliveAt(1_000, 3 * DAY_MS, 2_000)).toBe(1_000 + DAY_MS);
    expect(nextKeepAliveAt(0, 3 * DAY_MS, 5 * DAY_MS)).toBe(5 * DAY_MS);
  });

  it('takes the tighter of the inactivity policy and the idle limit', () => {
    expect(keepAliveWindow({ kind: 'expires-if-unused', amount: 7, unit: 'days', periodMs: 7 * DAY_MS })).toBe(7 * DAY_MS);
    expect(keepAliveWindow({ kind: 'expires-if-unused', amount: 2, unit: 'months', periodMs: 60 * DAY_MS })).toBe(IDLE_LIMIT_MS);
    expect(keepAliveWindow({ kind: 'valid-until-revoked' })).toBe(IDLE_LIMIT_MS);
    expect(keepAliveWindow({ kind: 'expires-immediately' })).toBeNull();
    expect(keepAliveWindow({ kind: 'valid-until-revoked' }, null)).toBeNull();
  });
});

describe('KeepAliveScheduler', () => {
  it('refreshes inside the window and reports when it runs next', async () => {
    const time = new ManualTime();
    const refreshed: number[] = [];
    const scheduler = new KeepAliveScheduler({ now: () => time.now, timers: time, refresh: async () => void refreshed.push(time.now) });
    const start = time.now;
    const plan = scheduler.schedule({ connectionId: 'c1', windowMs: 6 * 3_600_000, reason: 'policy', lastUsedAt: start });
    expect(plan.nextRunAt).toBe(new Date(start + 2 * 3_600_000).toISOString());
    await time.advance(7 * 3_600_000);
    expect(refreshed).toEqual([start + 2 * 3_600_000, start + 4 * 3_600_000, start + 6 * 3_600_000]);
    expect(scheduler.plan('c1')!.nextRunAt).toBe(new Date(start + 8 * 3_600_000).toISOString());
    scheduler.stop();
    expect(time.pending).toBe(0);
  });

  it('postpones the refresh when the sync used the token', async () => {
    const time = new ManualTime();
    let refreshes = 0;
    const scheduler = new KeepAliveScheduler({ now: () => time.now, timers: time, refresh: async () => void refreshes++ });
    scheduler.schedule({ connectionId: 'c1', windowMs: 3 * DAY_MS, reason: 'policy', lastUsedAt: time.now });
    await time.advance(DAY_MS - 1000);
    scheduler.noteUse('c1');
    await time.advance(2000);
    expect(refreshes).toBe(0);
    await time.advance(DAY_MS);
    expect(refreshes).toBe(1);
  });

  it('retries within the hour after a failed refresh and says so', async () => {
    const time = new ManualTime();
    const results: boolean[] = [];
    let fail = true;
    const scheduler = new KeepAliveScheduler({
      now: () => time.now,
      timers: time,
      refresh: async () => {
        if (fail) throw new Error('network');
      },
      onResult: (r) => results.push(r.ok),
    });
    scheduler.schedule({ connectionId: 'c1', windowMs: 30 * DAY_MS, reason: 'idle limit', lastUsedAt: time.now });
    await time.advance(DAY_MS);
    expect(results).toEqual([false]);
    fail = false;
    await time.advance(3_600_000);
    expect(results).toEqual([false, true]);
  });

  it('refreshes at once when nobody knows when the token was last used', async () => {
    const time = new ManualTime();
    let refreshes = 0;
    const scheduler = new KeepAliveScheduler({ now: () => time.now, timers: time, refresh: async () => void refreshes++ });
    const plan = scheduler.schedule({ connectionId: 'c1', windowMs: 3 * DAY_MS, reason: 'policy' });
    expect(plan.nextRunAt).toBe(new Date(time.now).toISOString());
    await time.advance(1);
    expect(refreshes).toBe(1);
    scheduler.stop();
  });

  it('is not postponed by being scheduled again at every health check', async () => {
    const time = new ManualTime();
    let refreshes = 0;
    const scheduler = new KeepAliveScheduler({ now: () => time.now, timers: time, refresh: async () => void refreshes++ });
    scheduler.schedule({ connectionId: 'c1', windowMs: 3 * DAY_MS, reason: 'policy', lastUsedAt: time.now });
    for (let i = 0; i < 4; i++) {
      await time.advance(6 * 3_600_000);
      scheduler.schedule({ connectionId: 'c1', windowMs: 3 * DAY_MS, reason: 'policy' });
    }
    expect(refreshes).toBe(1);
    scheduler.stop();
  });

  it('stops refreshing a connection that was unscheduled', async () => {
    const time = new ManualTime();
    let refreshes = 0;
    const scheduler = new KeepAliveScheduler({ now: () => time.now, timers: time, refresh: async () => void refreshes++ });
    scheduler.schedule({ connectionId: 'c1', windowMs: 3 * DAY_MS, reason: 'policy' });
    scheduler.unschedule('c1');
    await time.advance(5 * DAY_MS);
    expect(refreshes).toBe(0);
    expect(scheduler.plan('c1')).toBeNull();
  });
});
