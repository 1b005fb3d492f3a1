/**
 * `shell:open-external` through the composed app: a host that only a renderer-saved site URL
 * vouches for opens only after main asks the admin; customer-hosted Salesforce domains do not
 * open at all; a site URL that is not https is refused when saved.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../main/app/create-app';
import { dispatchInvoke } from '../../../main/app/dispatch';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';

async function app(confirmAnswer: boolean | undefined) {
  const opened: string[] = [];
  const asked: string[] = [];
  const forceSites = await createApp({
    edition: 'electron',
    dataDir: mkdtempSync(path.join(tmpdir(), 'forcesites-open-')),
    appVersion: '0.0.0-test',
    allowLoopbackHttp: false,
    secrets: new InMemorySecretStore(),
    scheduleHealthChecks: false,
    openExternal: async (url) => {
      opened.push(url);
      return true;
    },
    ...(confirmAnswer === undefined
      ? {}
      : {
          confirmOpenExternal: async (url: string) => {
            asked.push(url);
            return confirmAnswer;
          },
        }),
  });
  const call = (channel: string, request: unknown) => dispatchInvoke(forceSites.handlers, channel, request, { edition: 'electron' });
  return { forceSites, opened, asked, call };
}

const site = { name: 'Shop', wordpressUsername: 'admin', connectionId: null, objectType: 'Contact', tagMode: 'topics', tagField: null, fieldMapping: [] };

describe('opening URLs from the renderer', () => {
  it('asks before opening a saved site’s host, and opens nothing when the admin says no', async () => {
    const declined = await app(false);
    expect(await declined.call('sites:save', { ...site, wordpressUrl: 'https://shop.example.org' })).toMatchObject({ ok: true });
    expect(await declined.call('shell:open-external', { url: 'https://shop.example.org/wp-admin/' })).toEqual({ ok: true, value: { opened: false } });
    expect(declined.asked).toEqual(['https://shop.example.org/wp-admin/']);
    expect(declined.opened).toEqual([]);

    const accepted = await app(true);
    await accepted.call('sites:save', { ...site, wordpressUrl: 'https://shop.example.org' });
    expect(await accepted.call('shell:open-external', { url: 'https://shop.example.org/wp-admin/' })).toEqual({ ok: true, value: { opened: true } });
    expect(accepted.opened).toEqual(['https://shop.example.org/wp-admin/']);
    await Promise.all([declined.forceSites.close(), accepted.forceSites.close()]);
  });

  it('refuses Experience Cloud and other force.com hosts that are not the admin’s own', async () => {
    const { forceSites, call, opened } = await app(true);
    for (const url of ['https://anyone.my.site.com/', 'https://anything.force.com/']) {
      expect(await call('shell:open-external', { url })).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
    }
    expect(opened).toEqual([]);
    await forceSites.close();
  });

  it('refuses a site saved with a javascript:, file: or plain http address', async () => {
    const { forceSites, call } = await app(true);
    for (const wordpressUrl of ['javascript:alert(1)', 'file:///etc/passwd', 'http://shop.example.org']) {
      expect(await call('sites:save', { ...site, wordpressUrl })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(await call('sites:list', {})).toEqual({ ok: true, value: [] });
    await forceSites.close();
  });
});
