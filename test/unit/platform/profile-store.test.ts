import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { DEFAULT_SETTINGS } from '../../../main/platform/default-settings';
import { PROFILE_MIGRATIONS, type ProfileMigration } from '../../../main/platform/profile-migrations';
import type { ConnectionRecord, SiteRecord } from '../../../main/platform/profile-records';
import { ProfileStore } from '../../../main/platform/profile-store';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'forcesites-store-'));
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function connectionRecord(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id: 'conn-1',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://na1.salesforce.com',
    clientId: '3MVG9client',
    hasClientSecret: false,
    callbackPort: 1717,
    orgId: '00Dxx0000000001',
    userId: '005xx0000000001',
    username: 'admin@example.com',
    displayName: 'Ada Admin',
    apiVersion: '66.0',
    authorizedAt: '2026-01-01T00:00:00.000Z',
    state: { kind: 'connected' },
    ...overrides,
  };
}

function siteRecord(overrides: Partial<SiteRecord> = {}): SiteRecord {
  return {
    id: 'site-1',
    name: 'Shop',
    wordpressUrl: 'https://shop.example.com',
    wordpressUsername: 'editor',
    hasWordpressPassword: true,
    connectionId: 'conn-1',
    objectType: 'Contact',
    tagMode: 'topics',
    tagField: null,
    fieldMapping: [{ wordpressField: 'email', salesforceField: 'Email', direction: 'both' }],
    lastCheckedAt: null,
    lastSyncedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('ProfileStore', () => {
  it('starts a new profile at schema version 1 with the default settings', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(store.getSettings()).toMatchObject({ approvalCap: 5, approvalWarnAt: 4, healthIntervalHours: 6, watchedApps: ['WP Fusion (OAuth)'], callbackPorts: [1717, 1718, 1719] });
    expect(readJson(store.path)['schemaVersion']).toBe(1);
  });

  it('opens its file through the backing the edition supplies (electron-store in Electron), with the schema', () => {
    const opened: Array<{ cwd: string; configName: string; hasSchema: boolean }> = [];
    const cwd = tempDir();
    const store = new ProfileStore({
      cwd,
      openBacking: (options) => {
        opened.push({ cwd: options.cwd, configName: options.configName, hasSchema: options.schema !== undefined });
        return new Conf(options);
      },
    });
    store.updateSettings({ approvalCap: 4 });
    expect(opened).toEqual([{ cwd, configName: 'profile', hasSchema: true }]);
    expect(readJson(path.join(cwd, 'profile.json'))['settings']).toMatchObject({ approvalCap: 4 });
  });

  it('keeps the profile readable by this OS user only', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    store.updateSettings({ approvalCap: 4 });
    expect(statSync(store.path).mode & 0o077).toBe(0);
  });

  it('persists settings, connections and sites across instances', () => {
    const cwd = tempDir();
    const first = new ProfileStore({ cwd });
    first.updateSettings({ healthIntervalHours: 12 });
    first.saveConnection(connectionRecord());
    first.saveSite(siteRecord());
    const second = new ProfileStore({ cwd });
    expect(second.getSettings().healthIntervalHours).toBe(12);
    expect(second.getConnection('conn-1')?.username).toBe('admin@example.com');
    expect(second.listSites().map((s) => s.id)).toEqual(['site-1']);
    expect(second.findConnection('00Dxx0000000001', '005xx0000000001', '3MVG9client')?.id).toBe('conn-1');
  });

  it('keeps the warning threshold at or below the approval cap', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    expect(store.updateSettings({ approvalCap: 3 })).toMatchObject({ approvalCap: 3, approvalWarnAt: 3 });
  });

  it('detaches site profiles when their connection is deleted', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    store.saveConnection(connectionRecord());
    store.saveSite(siteRecord());
    expect(store.deleteConnection('conn-1')).toBe(true);
    expect(store.getSite('site-1')?.connectionId).toBeNull();
    expect(store.deleteConnection('conn-1')).toBe(false);
  });

  it('refuses to write a property the schema does not name, such as a token', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.saveConnection({ ...connectionRecord(), refreshToken: '5Aep861secret' } as unknown as ConnectionRecord)).toThrow(/schema/);
    expect(() => store.saveSite({ ...siteRecord(), wordpressPassword: 'abcd efgh' } as unknown as SiteRecord)).toThrow(/schema/);
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('treats ids as keys, not paths, so an id cannot reach into other sections', () => {
    const store = new ProfileStore({ cwd: tempDir() });
    expect(store.getConnection('__proto__')).toBeUndefined();
    expect(store.getConnection('constructor')).toBeUndefined();
  });

  describe('migrations', () => {
    it('migrates an unversioned file to version 1, keeping known settings and a backup', () => {
      const cwd = tempDir();
      const file = path.join(cwd, 'profile.json');
      writeFileSync(file, JSON.stringify({ settings: { approvalCap: 3, retired: true } }));
      const store = new ProfileStore({ cwd });
      expect(store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, approvalCap: 3 });
      expect(readJson(file)['schemaVersion']).toBe(1);
      expect(readJson(path.join(cwd, 'profile.v0.backup.json'))).toEqual({ settings: { approvalCap: 3, retired: true } });
    });

    it('runs later numbered migrations in order (the path a version 2 will take)', () => {
      const cwd = tempDir();
      const v1 = new ProfileStore({ cwd });
      v1.updateSettings({ approvalCap: 5, approvalWarnAt: 5 });
      v1.saveConnection(connectionRecord());
      const toV2: ProfileMigration = {
        from: 1,
        to: 2,
        description: 'warn one approval before the cap',
        migrate: (data) => {
          const settings = data['settings'] as { approvalCap: number; approvalWarnAt: number };
          return { ...data, settings: { ...settings, approvalWarnAt: Math.max(1, settings.approvalCap - 1) } };
        },
      };
      const v2 = new ProfileStore({ cwd, migrations: [...PROFILE_MIGRATIONS, toV2], schemaVersion: 2 });
      expect(v2.getSettings().approvalWarnAt).toBe(4);
      expect(v2.getConnection('conn-1')).toBeDefined();
      expect(readJson(v2.path)['schemaVersion']).toBe(2);
      expect(existsSync(path.join(cwd, 'profile.v1.backup.json'))).toBe(true);
    });

    it('refuses a profile written by a newer ForceSites and leaves it untouched', () => {
      const cwd = tempDir();
      const file = path.join(cwd, 'profile.json');
      const newer = JSON.stringify({ schemaVersion: 9, future: true });
      writeFileSync(file, newer);
      expect(() => new ProfileStore({ cwd })).toThrow(AppError);
      expect(readFileSync(file, 'utf8')).toBe(newer);
    });

    it('refuses a damaged file with a hint naming it, without overwriting it', () => {
      const cwd = tempDir();
      const file = path.join(cwd, 'profile.json');
      writeFileSync(file, '{"schemaVersion": 1, "settings": ');
      let error: unknown;
      try {
        new ProfileStore({ cwd });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).hint).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "settings": ');
    });
  });
});
