/**
 * The `forcesites` command in plain Node: `bin/forcesites.mjs` runs this file's build
 * (out/main/cli.js, made by `npm run build`) or, in a checkout, the source through tsx.
 */
import { runCli } from './forcesites-cli';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  env: process.env,
  platform: process.platform,
});
