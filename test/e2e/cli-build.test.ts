/**
 * The `forcesites` command as it ships: `npm run build` compiles main/cli to out/main/cli.js,
 * which must run in plain Node without tsx or the TypeScript sources (bin/forcesites.mjs uses
 * it outside a checkout). Runs inside scripts/test.mjs's private keychain.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BUILT_CLI = path.resolve('out/main/cli.js');

describe('the compiled forcesites command', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcesites-cli-build-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exists after npm run build', () => {
    expect(existsSync(BUILT_CLI), 'run `npm run build` before the e2e tests').toBe(true);
  });

  it('prints its usage and exits 0 for --help', async () => {
    const { stdout } = await run(process.execPath, [BUILT_CLI, '--help'], { timeout: 30_000 });
    expect(stdout).toContain('Usage: forcesites <command>');
  });

  it('lists the sites of a data folder as JSON (none yet) and creates nothing it should not', async () => {
    const { stdout } = await run(process.execPath, [BUILT_CLI, 'sites', '--json', '--data-dir', dataDir], { timeout: 30_000 });
    expect(JSON.parse(stdout.trim())).toEqual([]);
  });

  it('answers a usage error with exit code 2', async () => {
    const failure = await run(process.execPath, [BUILT_CLI, 'sync'], { timeout: 30_000 }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('sync needs exactly one site');
  });
});

/**
 * The desktop app's main process is the same kind of ES module bundle: a package imported by a
 * path Node's ESM resolver cannot find (`jsforce/lib/http-api` without `.js`) works under tsx
 * and vitest but crashes the built app at start. Resolve every bare import of out/main the way
 * Node (and Electron's ESM loader) will.
 */
describe('the built main process', () => {
  it('imports only packages and paths Node can resolve as ES modules', async () => {
    const script = `
      import { existsSync, readdirSync, readFileSync } from 'node:fs';
      import path from 'node:path';
      import { fileURLToPath, pathToFileURL } from 'node:url';
      const files = readdirSync('out/main', { recursive: true }).filter((f) => String(f).endsWith('.js')).map((f) => path.join('out/main', String(f)));
      const problems = [];
      let checked = 0;
      for (const file of files) {
        const source = readFileSync(file, 'utf8');
        const patterns = [/^\\s*(?:import|export)\\b[^;'"]*?\\bfrom\\s*["']([^"']+)["']/gm, /^\\s*import\\s*["']([^"']+)["']/gm, /\\bimport\\(\\s*["']([^"']+)["']\\s*\\)/g];
        for (const [, spec] of patterns.flatMap((pattern) => [...source.matchAll(pattern)])) {
          if (spec.startsWith('.') || spec.startsWith('node:') || spec === 'electron') continue;
          checked++;
          // Node 20's import.meta.resolve does not check that the file exists; the loader does.
          try {
            const url = import.meta.resolve(spec, pathToFileURL(path.resolve(file)).href);
            if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) problems.push(file + ': ' + spec + ' — no such file ' + fileURLToPath(url));
          } catch (error) { problems.push(file + ': ' + spec + ' — ' + error.code); }
        }
      }
      console.log(JSON.stringify({ files: files.length, checked, problems }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    const result = JSON.parse(stdout.trim()) as { files: number; checked: number; problems: string[] };
    expect(result.files).toBeGreaterThanOrEqual(2);
    expect(result.checked).toBeGreaterThan(5);
    expect(result.problems).toEqual([]);
  });
});
