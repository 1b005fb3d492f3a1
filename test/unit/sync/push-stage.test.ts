/**
 * The push stage on a real local database: windows in WordPress's order, duplicate keys across
 * windows, records found by key, the executor's view (operations, items, find), the preview's
 * order, and two stages on one connection never mixing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDatabasePath, openLocalDatabase } from '../../../main/platform/local-database';
import type { WriteItem } from '../../../main/sync/push-executor';
import type { MappedUser } from '../../../main/sync/push-planner';
import { PushStage } from '../../../main/sync/push-stage';

function database() {
  return openLocalDatabase(localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-stage-'))));
}

const lower = (key: string): string => key.toLowerCase();

function mapped(id: number, email = `user${id}@example.org`): MappedUser {
  return { ok: true, wpUserId: id, key: email, values: { Email: email, LastName: `Last${id}` }, tags: [] };
}

describe('PushStage', () => {
  it('gives users back a window at a time in WordPress’s order and finds keys several users share in any window', () => {
    const db = database();
    const stage = PushStage.open(db);
    const users = Array.from({ length: 1_203 }, (_, i) => mapped(i + 1));
    users[1_199] = mapped(1_200, 'USER3@example.org');
    users.push({ ok: false, wpUserId: 9_999, key: null, reason: 'no e-mail' });
    stage.addUsers(users.slice(0, 700), lower);
    stage.addUsers(users.slice(700), lower);
    const windows = [...stage.userWindows(500)];
    expect(windows.map((w) => w.length)).toEqual([500, 500, 204]);
    expect(windows.flat().map((u) => u.wpUserId)).toEqual(users.map((u) => u.wpUserId));
    expect([...stage.duplicateKeys()]).toEqual(['user3@example.org']);
    expect(stage.distinctKeyCount()).toBe(1_202);
    expect([...stage.keyWindows(1_000)].map((w) => w.length)).toEqual([1_000, 202]);
  });

  it('answers the records found for a window’s keys, several for a key when Salesforce has several', () => {
    const stage = PushStage.open(database());
    stage.addExisting([
      ['a@example.org', [{ Id: '003A', Email: 'a@example.org' }]],
      ['b@example.org', [{ Id: '003B1' }, { Id: '003B2' }]],
    ]);
    stage.addExisting([['a@example.org', [{ Id: '003A', Email: 'a@example.org' }]]]);
    const found = stage.existingFor(['a@example.org', 'b@example.org', 'c@example.org']);
    expect(found.get('a@example.org')).toEqual([{ Id: '003A', Email: 'a@example.org' }]);
    expect(found.get('b@example.org')?.map((r) => r.Id).sort()).toEqual(['003B1', '003B2']);
    expect(found.has('c@example.org')).toBe(false);
  });

  it('is the executor’s write source: items per operation in order, found by key or Id; the preview in its order', () => {
    const stage = PushStage.open(database());
    const create = (id: number): WriteItem => ({ kind: 'create', wpUserId: id, key: `u${id}@example.org`, record: { LastName: `L${id}` }, changes: [] });
    const update = (id: number): WriteItem => ({ kind: 'update', wpUserId: id, key: `u${id}@example.org`, salesforceId: `003${id}`, record: { LastName: `L${id}` }, changes: [{ field: 'LastName', old: 'x', new: `L${id}` }] });
    const topicsOnly: WriteItem = { kind: 'update', wpUserId: 7, key: 'u7@example.org', salesforceId: '0037', record: {}, changes: [], topics: { wpUserId: 7, add: ['VIP'], remove: [], oldNames: [], newNames: ['VIP'] } };
    stage.addPlanned([
      { write: update(5), normKey: 'u5@example.org' },
      { write: create(2), normKey: 'u2@example.org' },
      { settled: { kind: 'unchanged', wpUserId: 1, key: 'u1@example.org', salesforceId: '0031' }, normKey: 'u1@example.org' },
      { settled: { kind: 'conflict', wpUserId: 9, key: 'u9@example.org', salesforceIds: [], reason: 'two' }, normKey: 'u9@example.org' },
      { write: create(3), normKey: 'u3@example.org' },
      { write: topicsOnly, normKey: 'u7@example.org' },
    ]);
    expect(stage.counts()).toMatchObject({ create: 2, update: 2, unchanged: 1, conflict: 1 });
    // A Topics-only update sends no fields.
    expect(stage.sendCounts()).toEqual({ create: 2, update: 1 });
    expect([...stage.items('create')].map((i) => i.wpUserId)).toEqual([2, 3]);
    expect([...stage.items('update')].map((i) => i.wpUserId)).toEqual([5]);
    expect([...stage.items('upsert')].map((i) => i.wpUserId)).toEqual([5, 2, 3]);
    expect(stage.find('create', 'u3@example.org')?.wpUserId).toBe(3);
    expect(stage.find('create', 'u5@example.org')).toBeUndefined();
    expect(stage.find('update', '0035')?.wpUserId).toBe(5);
    expect(stage.find('update', '0037')).toBeUndefined();
    expect([...stage.topicWrites()].flat().map((i) => i.wpUserId)).toEqual([7]);
    expect(stage.previewRows(10).map((r) => r.kind)).toEqual(['conflict', 'create', 'create', 'update', 'update', 'unchanged']);
  });

  it('keeps two stages on one connection apart, and forgets a stage’s rows when closed', () => {
    const db = database();
    const one = PushStage.open(db);
    const two = PushStage.open(db);
    one.addUsers([mapped(1)], lower);
    two.addUsers([mapped(2), mapped(3)], lower);
    expect([...one.userWindows()].flat().map((u) => u.wpUserId)).toEqual([1]);
    one.close();
    expect([...one.userWindows()]).toEqual([]);
    expect([...two.userWindows()].flat().map((u) => u.wpUserId)).toEqual([2, 3]);
    // On disk, not in memory: this libsql build's default would keep them in memory.
    expect(db.get<{ temp_store: number }>('PRAGMA temp_store')).toMatchObject({ temp_store: 1 });
  });
});
