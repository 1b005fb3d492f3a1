import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The `key: value` lines of one top-level block of electron-builder.yml (flat blocks only). */
function block(yaml: string, name: string): Record<string, string> {
  const lines = yaml.split('\n');
  const start = lines.findIndex((line) => line === `${name}:`);
  if (start === -1) return {};
  const entries: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+([A-Za-z]+):\s*(\S+)\s*$/.exec(line);
    if (match === null) break;
    entries[match[1]!] = match[2]!;
  }
  return entries;
}

describe('electron-builder.yml', () => {
  const yaml = readFileSync('electron-builder.yml', 'utf8');

  it('flips the Electron fuses that close the run-as-node, NODE_OPTIONS and --inspect doors', () => {
    expect(block(yaml, 'electronFuses')).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('packs the app into an asar and ships no source maps', () => {
    expect(yaml).toMatch(/^asar: true$/m);
    expect(yaml).toContain('"!**/*.map"');
  });

  it('builds with an Electron major that upstream still supports (the latest three)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const major = Number(/(\d+)/.exec(pkg.devDependencies['electron'] ?? '')?.[1]);
    // 45 was the newest stable major on 2026-12-01, so 43–45 were supported; raise this with each upgrade.
    expect(major).toBeGreaterThanOrEqual(43);
  });
});
