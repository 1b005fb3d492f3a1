/**
 * `npm run plugin:zip`: the zip WordPress's "Upload Plugin" takes. Read back here with an
 * independent reader (central directory → local headers → inflate), so a wrong offset, size
 * or CRC fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations.
import { PLUGIN_DIR, pluginVersion, zipPlugin } from '../../../scripts/plugin-zip.mjs';

interface Entry {
  readonly name: string;
  readonly data: Buffer;
}

function readZip(zip: Buffer): Entry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: Entry[] = [];
  for (let index = 0; index < count; index += 1) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const compressedSize = zip.readUInt32LE(local + 18);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    entries.push({ name, data });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

describe('plugin:zip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcesites-plugin-zip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs every plugin file under one forcesites-companion/ folder, byte for byte', () => {
    const out = join(dir, 'plugin.zip');
    const result = zipPlugin({ out }) as { file: string; version: string; entries: string[] };
    expect(result.version).toBe(pluginVersion());
    const entries = readZip(readFileSync(out));
    expect(entries.map((entry) => entry.name)).toEqual(result.entries);
    expect(entries.map((entry) => entry.name)).toContain('forcesites-companion/forcesites-companion.php');
    expect(entries.map((entry) => entry.name)).toContain('forcesites-companion/uninstall.php');
    for (const entry of entries) {
      expect(entry.name.startsWith('forcesites-companion/')).toBe(true);
      const source = join(PLUGIN_DIR as string, entry.name.slice('forcesites-companion/'.length));
      expect(relative(PLUGIN_DIR as string, source).startsWith('..')).toBe(false);
      expect(entry.data.equals(readFileSync(source)), entry.name).toBe(true);
    }
  });

  it('gives the same bytes when built twice', () => {
    zipPlugin({ out: join(dir, 'a.zip') });
    zipPlugin({ out: join(dir, 'b.zip') });
    expect(readFileSync(join(dir, 'a.zip')).equals(readFileSync(join(dir, 'b.zip')))).toBe(true);
  });
});
