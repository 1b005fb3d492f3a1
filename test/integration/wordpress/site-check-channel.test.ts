/**
 * `sites:check` through the composed app against a real WordPress: the typed application
 * password, or a saved site's password from the keychain; the answer never carries it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../main/app/create-app';
import { dispatchInvoke } from '../../../main/app/dispatch';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { wordpress } from './wordpress-support';

async function start() {
  const app = await createApp({
    edition: 'browser',
    dataDir: mkdtempSync(path.join(tmpdir(), 'forcesites-check-')),
    appVersion: '0.0.0-test',
    allowLoopbackHttp: true,
    secrets: new InMemorySecretStore(),
    scheduleHealthChecks: false,
    openExternal: async () => false,
  });
  const call = (channel: string, request: unknown) => dispatchInvoke(app.handlers, channel, request, { edition: 'browser' });
  return { app, call };
}

describe('sites:check', () => {
  it('checks a site being added with the password just typed', async () => {
    const { app, call } = await start();
    const answer = await call('sites:check', { wordpressUrl: wordpress.main.url, wordpressUsername: wordpress.main.adminUser, wordpressPassword: wordpress.main.applicationPassword });
    expect(answer).toMatchObject({ ok: true, value: { ready: true, companion: { installed: true } } });
    expect(JSON.stringify(answer)).not.toContain(wordpress.main.applicationPassword);
    await app.close();
  });

  it('checks a saved site with the password from the keychain, and says what is wrong with a bad one', async () => {
    const { app, call } = await start();
    const saved = await call('sites:save', {
      name: 'Main',
      wordpressUrl: wordpress.main.url,
      wordpressUsername: wordpress.main.adminUser,
      wordpressPassword: wordpress.main.applicationPassword,
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const siteId = (saved.value as { id: string }).id;
    expect(await call('sites:check', { siteId, wordpressUrl: wordpress.main.url, wordpressUsername: wordpress.main.adminUser })).toMatchObject({ ok: true, value: { ready: true } });
    const wrong = await call('sites:check', { siteId, wordpressUrl: wordpress.main.url, wordpressUsername: wordpress.main.adminUser, wordpressPassword: 'abcd efgh ijkl mnop qrst uvwx' });
    expect(wrong).toMatchObject({ ok: true, value: { ready: false, credentials: { status: 'failed' } } });
    await app.close();
  });

  it('requires the meta keys a saved mapping uses, and only those', async () => {
    const { app, call } = await start();
    const saved = await call('sites:save', {
      name: 'Mapped',
      wordpressUrl: wordpress.main.url,
      wordpressUsername: wordpress.main.adminUser,
      wordpressPassword: wordpress.main.applicationPassword,
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [
        { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
        { wordpressField: 'meta:not_exposed_here', salesforceField: 'Title', direction: 'push' },
      ],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const answer = await call('sites:check', { siteId: (saved.value as { id: string }).id, wordpressUrl: wordpress.main.url, wordpressUsername: wordpress.main.adminUser });
    expect(answer).toMatchObject({ ok: true, value: { ready: false, metaKeys: { missing: ['not_exposed_here'] } } });
    await app.close();
  });

  it('asks for a password when none is typed or saved', async () => {
    const { app, call } = await start();
    expect(await call('sites:check', { wordpressUrl: wordpress.main.url, wordpressUsername: 'admin' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await app.close();
  });
});
