import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTBOUND_SETTINGS_FILE, OutboundSettingsStore } from '../../../main/outbound/outbound-settings-store';

const dir = () => mkdtempSync(path.join(tmpdir(), 'forcesites-outbound-store-'));

describe('OutboundSettingsStore', () => {
  it('answers the defaults, keeps what is saved across instances (mode 0600) and forgets a site', () => {
    const dataDir = dir();
    const store = new OutboundSettingsStore(dataDir);
    expect(store.get('s1')).toEqual({ action: 'update', customEndpoint: null, fields: null });
    store.set('s1', { action: 'add', customEndpoint: 'https://e.org/?k={access_key}', fields: ['Email'] });
    const again = new OutboundSettingsStore(dataDir);
    expect(again.get('s1')).toEqual({ action: 'add', customEndpoint: 'https://e.org/?k={access_key}', fields: ['Email'] });
    expect(statSync(path.join(dataDir, OUTBOUND_SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(again.delete('s1')).toBe(true);
    expect(again.delete('s1')).toBe(false);
    expect(new OutboundSettingsStore(dataDir).get('s1').action).toBe('update');
  });

  it('reports a file it cannot understand instead of overwriting it', () => {
    const dataDir = dir();
    const file = path.join(dataDir, OUTBOUND_SETTINGS_FILE);
    writeFileSync(file, '{"format":"forcesites-outbound-settings","version":1,"sites":{"s":{"action":"delete"}}}');
    const store = new OutboundSettingsStore(dataDir);
    expect(() => store.get('s')).toThrow(/does not understand|understands/);
    expect(() => store.set('s', { action: 'update', customEndpoint: null, fields: null })).toThrow(/understands/);
    expect(readFileSync(file, 'utf8')).toContain('"delete"');
    writeFileSync(file, 'not json');
    expect(() => new OutboundSettingsStore(dataDir).get('s')).toThrow(/not valid JSON/);
  });
});
