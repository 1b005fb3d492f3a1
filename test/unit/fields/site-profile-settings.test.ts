/**
 * The mapping settings a site profile gained with issue 12 (match key, record type, empty
 * values, defaults, tag mode "none"): optional in the file, so profiles written before them
 * still open and read with their defaults; kept when the site form saves without them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteSaveSchema } from '../../../common/contract';
import { EventBus } from '../../../main/platform/event-bus';
import { ProfileStore } from '../../../main/platform/profile-store';
import { SiteService } from '../../../main/sites/site-service';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';

const base = {
  name: 'Members',
  wordpressUrl: 'https://members.example.org',
  wordpressUsername: 'admin',
  connectionId: null,
  objectType: 'Lead',
  tagMode: 'topics' as const,
  tagField: null,
  fieldMapping: [{ wordpressField: 'email', salesforceField: 'Email', direction: 'push' as const }],
};

function service(cwd = mkdtempSync(path.join(tmpdir(), 'forcesites-fields-profile-'))): { service: SiteService; store: ProfileStore; cwd: string } {
  const store = new ProfileStore({ cwd });
  return { service: new SiteService({ store, secrets: new InMemorySecretStore(), bus: new EventBus() }), store, cwd };
}

describe('site profile mapping settings', () => {
  it('a profile file written before them opens, and its site reads with the defaults', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'forcesites-fields-old-'));
    const old = {
      schemaVersion: 1,
      settings: { approvalCap: 5, approvalWarnAt: 4, healthIntervalHours: 6, watchedApps: [], callbackPorts: [1717] },
      connections: {},
      sites: {
        s1: { id: 's1', ...base, hasWordpressPassword: false, lastCheckedAt: null, lastSyncedAt: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' },
      },
    };
    writeFileSync(path.join(cwd, 'profile.json'), JSON.stringify(old));
    const { service: sites } = service(cwd);
    expect(sites.list()[0]).toMatchObject({ id: 's1', matchKey: { kind: 'email', field: 'Email' }, recordTypeId: null, sendEmptyValues: false, fieldDefaults: [] });
  });

  it('saves them, writes them to the file, and keeps them when a later save does not send them', async () => {
    const { service: sites, store } = service();
    const saved = await sites.save({
      ...base,
      tagMode: 'none',
      matchKey: { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'members-' },
      recordTypeId: '012000000000001AAA',
      sendEmptyValues: true,
      fieldDefaults: [{ salesforceField: 'Company', value: '[not provided]' }],
    });
    expect(saved).toMatchObject({ tagMode: 'none', matchKey: { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'members-' }, recordTypeId: '012000000000001AAA', sendEmptyValues: true });
    const file = JSON.parse(readFileSync(store.path, 'utf8')) as { sites: Record<string, Record<string, unknown>> };
    expect(file.sites[saved.id]).toMatchObject({ matchKey: { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'members-' }, fieldDefaults: [{ salesforceField: 'Company', value: '[not provided]' }] });

    // The site form sends only what it edits: the rest stays.
    const renamed = await sites.save({ ...base, id: saved.id, name: 'Members 2' });
    expect(renamed).toMatchObject({ name: 'Members 2', tagMode: 'topics', matchKey: { kind: 'external-id', field: 'WP_User_Id__c' }, recordTypeId: '012000000000001AAA', sendEmptyValues: true, fieldDefaults: [{ salesforceField: 'Company' }] });
    const cleared = await sites.save({ ...base, id: saved.id, recordTypeId: null, matchKey: { kind: 'email', field: 'Email' } });
    expect(cleared).toMatchObject({ recordTypeId: null, matchKey: { kind: 'email', field: 'Email' } });
  });

  it('the request schema refuses a bad match key, record type id or default, with what to fix', () => {
    const problems = (extra: Record<string, unknown>) => {
      const parsed = siteSaveSchema.safeParse({ ...base, ...extra });
      return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(problems({ matchKey: { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'a b' } })[0]).toMatch(/letters, digits/);
    expect(problems({ matchKey: { kind: 'email', field: 'Email; DROP' } }).length).toBeGreaterThan(0);
    expect(problems({ recordTypeId: '001000000000001' })[0]).toMatch(/record type id \(012…\)/);
    expect(problems({ fieldDefaults: [{ salesforceField: 'Company', value: 'x'.repeat(256) }] }).length).toBe(1);
    expect(problems({ tagMode: 'none' })).toEqual([]);
    expect(problems({ sendEmptyValues: 'yes' }).length).toBe(1);
  });
});
