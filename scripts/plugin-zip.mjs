// `npm run plugin:zip [-- --out FILE]`: packs wordpress-plugin/forcesites-companion/ into a zip
// that WordPress's Plugins → Add New → Upload Plugin accepts (one top-level folder named after
// the plugin). Default output: dist/forcesites-companion-<version>.zip, version read from the
// plugin header.
//
// The zip is written here with node:zlib (deflate + crc32) rather than a zip package or the
// `zip` command: no dependency, and the same bytes for the same files on every machine
// (sorted entries, fixed timestamps), so a release can be checked against its source.
import { Buffer } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PLUGIN_DIR = join(ROOT, 'wordpress-plugin', 'forcesites-companion');
const PLUGIN_SLUG = 'forcesites-companion';
// 2025-01-01 00:00 in MS-DOS date/time format: fixed, so rebuilding changes no bytes.
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;

/** The plugin version from its main file's header ("Version: 0.1.0"). */
export function pluginVersion(dir = PLUGIN_DIR) {
  const header = readFileSync(join(dir, `${PLUGIN_SLUG}.php`), 'utf8');
  const match = /^\s*\*\s*Version:\s*(\S+)/m.exec(header);
  if (!match) throw new Error(`No "Version:" line in ${PLUGIN_SLUG}.php`);
  return match[1];
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []))
    .sort();
}

/** Builds the zip in memory: [{name, data}] → Buffer. */
export function buildZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const useDeflate = compressed.length < data.length;
    const body = useDeflate ? compressed : data;
    const crc = crc32(data);
    const common = (header, at) => {
      header.writeUInt16LE(20, at); // version needed: 2.0
      header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
      header.writeUInt16LE(useDeflate ? 8 : 0, at + 4);
      header.writeUInt16LE(DOS_TIME, at + 6);
      header.writeUInt16LE(DOS_DATE, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(nameBytes.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    local.writeUInt16LE(0, 28); // extra length
    locals.push(local, nameBytes, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
    common(central, 6);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Zips the plugin folder; returns {file, version, entries}. */
export function zipPlugin({ dir = PLUGIN_DIR, out } = {}) {
  const version = pluginVersion(dir);
  const file = resolve(out ?? join(ROOT, 'dist', `${PLUGIN_SLUG}-${version}.zip`));
  const entries = listFiles(dir).map((path) => ({ name: `${PLUGIN_SLUG}/${relative(dir, path).split('\\').join('/')}`, data: readFileSync(path) }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, buildZip(entries));
  return { file, version, entries: entries.map((entry) => entry.name) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      process.stdout.write('Usage: npm run plugin:zip [-- --out FILE]\n');
    } else {
      const { file, version, entries } = zipPlugin({ out: values.out });
      process.stdout.write(`ForceSites Companion ${version}: ${entries.length} files → ${file} (${statSync(file).size} bytes)\nUpload it in WordPress under Plugins → Add New → Upload Plugin.\n`);
    }
  } catch (error) {
    process.stderr.write(`plugin:zip failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
