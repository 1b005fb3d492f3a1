import { describe, expect, it } from 'vitest';
import { BurstQueue, type ChangeEventRef } from '../../../main/change-feed/burst-queue';
import { changeEventChannel, classifyBayeuxError } from '../../../main/change-feed/cdc-subscriber';
import { soqlDateTime } from '../../../main/change-feed/site-follower';

const event = (replayId: number, ids: string[], changeType = 'UPDATE', commitMs = replayId * 1000): ChangeEventRef => ({ replayId, commitMs, changeType, recordIds: ids });

describe('BurstQueue', () => {
  it('keeps ids only once, oldest first, and counts the duplicates (at-least-once delivery)', () => {
    const queue = new BurstQueue(100);
    expect(queue.accept(event(1, ['a', 'b']))).toEqual({ queued: 2, duplicates: 0, skipped: 0 });
    expect(queue.accept(event(2, ['b', 'c']))).toEqual({ queued: 1, duplicates: 1, skipped: 0 });
    expect(queue.accept(event(1, ['a']))).toEqual({ queued: 0, duplicates: 1, skipped: 0 });
    expect(queue.take(2)?.ids).toEqual(['a', 'b']);
    expect(queue.take(200)?.ids).toEqual(['c']);
    expect(queue.take(200)).toBeUndefined();
  });

  it('stores a replay id only when every event at or below it was applied', () => {
    const queue = new BurstQueue(100);
    queue.accept(event(10, ['a']));
    queue.accept(event(11, ['b']));
    queue.accept(event(12, ['c']));
    expect(queue.safeReplayId()).toBe(9);
    const first = queue.take(1)!;
    // Taken but not applied yet: still uncovered.
    expect(queue.safeReplayId()).toBe(9);
    queue.settle(first);
    expect(queue.safeReplayId()).toBe(10);
    const rest = queue.take(200)!;
    queue.giveBack(rest);
    expect(queue.safeReplayId()).toBe(10);
    queue.settle(queue.take(200)!);
    expect(queue.safeReplayId()).toBe(12);
    expect(queue.coveredCommitMs).toBe(12_000);
  });

  it('an event naming a waiting id and another id is covered only when both are applied', () => {
    const queue = new BurstQueue(100);
    queue.accept(event(1, ['a']));
    queue.accept(event(2, ['a', 'b']));
    const batch = queue.take(1)!;
    expect(batch.ids).toEqual(['a']);
    queue.settle(batch);
    // Event 2 named b, which still waits.
    expect(queue.safeReplayId()).toBe(1);
    queue.settle(queue.take(1)!);
    expect(queue.safeReplayId()).toBe(2);
  });

  it('reports DELETE events skipped and never queues them', () => {
    const queue = new BurstQueue(100);
    expect(queue.accept(event(5, ['x', 'y'], 'DELETE'))).toEqual({ queued: 0, duplicates: 0, skipped: 2 });
    expect(queue.accept(event(6, ['z'], 'GAP_DELETE')).skipped).toBe(1);
    expect(queue.size).toBe(0);
    expect(queue.safeReplayId()).toBe(6);
  });

  it('past the cap drops the queue, says where to catch up from and stores nothing until the catch-up ends', () => {
    const queue = new BurstQueue(3);
    queue.accept(event(1, ['a'], 'UPDATE', 5_000));
    queue.accept(event(2, ['b'], 'UPDATE', 6_000));
    queue.accept(event(3, ['c'], 'UPDATE', 7_000));
    const over = queue.accept(event(4, ['d'], 'UPDATE', 8_000));
    expect(over.overflowFromMs).toBe(5_000);
    expect(queue.size).toBe(0);
    expect(queue.catchingUp).toBe(true);
    queue.accept(event(5, ['e'], 'UPDATE', 9_000));
    expect(queue.safeReplayId()).toBeUndefined();
    queue.endCatchUp(8_500);
    // Event 5 arrived during the catch-up and still waits.
    expect(queue.safeReplayId()).toBe(4);
    queue.settle(queue.take(200)!);
    expect(queue.safeReplayId()).toBe(5);
  });

  it('refuses a cap that is not a positive whole number', () => {
    expect(() => new BurstQueue(0)).toThrow(/positive whole cap/);
  });
});

describe('change feed helpers', () => {
  it('names CDC channels as Salesforce does, custom objects without the c', () => {
    expect(changeEventChannel('Contact')).toBe('/data/ContactChangeEvent');
    expect(changeEventChannel('Member__c')).toBe('/data/Member__ChangeEvent');
  });

  it('tells a missing channel from an expired replay id and a refused session', () => {
    expect(classifyBayeuxError('400::The channel you requested to subscribe to does not exist {/data/AccountChangeEvent}')).toBe('no-channel');
    expect(classifyBayeuxError('400::The replayId {12} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.')).toBe('replay-invalid');
    expect(classifyBayeuxError('401::Authentication invalid')).toBe('auth');
    expect(classifyBayeuxError('500::boom')).toBe('other');
  });

  it('writes SOQL dateTime literals in whole seconds, UTC', () => {
    expect(soqlDateTime(Date.UTC(2026, 10, 29, 12, 0, 1, 999))).toBe('2026-11-29T12:00:01Z');
  });
});
