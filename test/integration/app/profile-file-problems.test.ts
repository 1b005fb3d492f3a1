/**
 * The profile file going wrong while ForceSites runs: each problem answers with the file,
 * what went wrong and what to do — never a generic INTERNAL — and `sites:save` works again
 * once the problem is fixed, without a restart. Nothing already saved is lost.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../common/contract';
import { createApp } from '../../../main/app/create-app';
import { dispatchInvoke } from '../../../main/app/dispatch';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';

const site = (name: string): RequestOf<'sites:save'> => ({
  name,
  wordpressUrl: `https://${name.toLowerCase()}.example.org`,
  wordpressUsername: 'admin',
  connectionId: null,
  objectType: 'Contact',
  tagMode: 'topics',
  tagField: null,
  fieldMapping: [],
});

async function start() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcesites-profile-'));
  const app = await createApp({ edition: 'browser', dataDir, appVersion: '0.0.0-test', allowLoopbackHttp: false, secrets: new InMemorySecretStore(), scheduleHealthChecks: false, openExternal: async () => false });
  const call = (channel: string, request: unknown) => dispatchInvoke(app.handlers, channel, request, { edition: 'browser' });
  return { app, dataDir, call, file: path.join(dataDir, 'profile.json') };
}

describe('profile file problems', () => {
  it('puts the file back when it is deleted while running, keeping every saved site', async () => {
    const { app, call, file } = await start();
    expect(await call('sites:save', site('Alpha'))).toMatchObject({ ok: true });
    rmSync(file);
    const listed = await call('sites:list', {});
    expect(listed).toMatchObject({ ok: true, value: [{ name: 'Alpha' }] });
    expect(await call('sites:save', site('Beta'))).toMatchObject({ ok: true });
    expect(existsSync(file)).toBe(true);
    expect(Object.values(JSON.parse(readFileSync(file, 'utf8')).sites).map((s) => (s as { name: string }).name).sort()).toEqual(['Alpha', 'Beta']);
    await app.close();
  });

  it('recreates a deleted data folder on the next save', async () => {
    const { app, call, dataDir } = await start();
    await call('sites:save', site('Alpha'));
    rmSync(dataDir, { recursive: true });
    expect(await call('sites:save', site('Beta'))).toMatchObject({ ok: true });
    expect((await call('sites:list', {})) as { value: unknown[] }).toMatchObject({ value: [{ name: 'Alpha' }, { name: 'Beta' }] });
    await app.close();
  });

  it('names the file and the fix when it cannot be written, and saves once the problem is gone', async () => {
    const { app, call, file } = await start();
    await call('sites:save', site('Alpha'));
    rmSync(file);
    mkdirSync(file); // something made a folder where the file belongs: every write fails
    const failed = await call('sites:save', site('Beta'));
    expect(failed).toMatchObject({ ok: false, error: { code: 'PROFILE_FILE_ERROR' } });
    if (failed.ok) throw new Error('unreachable');
    expect(failed.error.message).toContain(file);
    expect(failed.error.message).toContain('is a folder');
    expect(failed.error.hint).toMatch(/Move that folder out of the way/);
    expect(failed.error.message).not.toMatch(/Activity page/);

    rmSync(file, { recursive: true });
    expect(await call('sites:save', site('Beta'))).toMatchObject({ ok: true });
    expect((await call('sites:list', {})) as { value: unknown[] }).toMatchObject({ value: [{ name: 'Alpha' }, { name: 'Beta' }] });
    await app.close();
  });
});
