import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

  it('keeps every native module the app loads outside the asar (asarUnpack)', () => {
    const unpack = [...yaml.matchAll(/^ {2}- "(\*\*\/node_modules\/[^"]+)"$/gm)].map((match) => match[1]!);
    // Production packages (package-lock: not dev) that ship a compiled .node binary here.
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const native = Object.entries(lock.packages)
      .filter(([where, entry]) => where.startsWith('node_modules/') && entry.dev !== true && existsSync(where))
      .filter(([where]) => readdirSync(where).some((file) => file.endsWith('.node')))
      .map(([where]) => where);
    expect(native).toEqual(expect.arrayContaining(['node_modules/@libsql/linux-x64-gnu', 'node_modules/@napi-rs/keyring-linux-x64-gnu']));
    for (const where of native) {
      const binary = path.posix.join(where, readdirSync(where).find((file) => file.endsWith('.node'))!);
      expect(unpack.some((glob) => path.matchesGlob(binary, glob)), `${binary} is not matched by asarUnpack`).toBe(true);
    }
  });

  it('builds with an Electron major that upstream still supports (the latest three)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const major = Number(/(\d+)/.exec(pkg.devDependencies['electron'] ?? '')?.[1]);
    // 45 was the newest stable major on 2026-12-01, so 43–45 were supported; raise this with each upgrade.
    expect(major).toBeGreaterThanOrEqual(43);
  });
});
