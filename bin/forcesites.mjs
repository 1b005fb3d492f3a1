#!/usr/bin/env node
// `forcesites` from a checkout: runs the TypeScript CLI through tsx (a dev dependency).
// The packaged app will ship a compiled build of main/cli instead.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../scripts/forcesites-cli.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  env: process.env,
  platform: process.platform,
});
