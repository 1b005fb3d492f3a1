#!/usr/bin/env node
// `forcesites`: in a checkout (tsx installed as a dev dependency) the TypeScript source runs
// directly, so the command never lags behind an edit; anywhere else the compiled build from
// `npm run build` (out/main/cli.js). The packaged desktop app runs it as `ForceSites --cli …`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = new URL('../main/cli/cli-entry.ts', import.meta.url);
const built = new URL('../out/main/cli.js', import.meta.url);

function hasTsx() {
  try {
    require.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

if (existsSync(source) && hasTsx()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('forcesites: the command is not built yet. Run `npm run build` first (or `npm install` in a checkout for the TypeScript source).\n');
  process.exitCode = 1;
}
