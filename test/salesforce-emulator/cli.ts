/**
 * `npm run emulator -- [--port N] [--json]`
 *
 * With --json prints exactly one JSON line (the emulator description) once it listens, so a
 * script can read the first stdout line and go; without it, a short human summary.
 */
import { parseArgs } from 'node:util';
import { CONTROL_ROUTES, startEmulator } from './index';

function usage(): string {
  return [
    'Usage: npm run emulator -- [--port N] [--latency-ms N] [--json]',
    '  --port N        listen on 127.0.0.1:N (0 = random, default 0)',
    '  --latency-ms N  add N ms to every API response, like a network round trip (default 0)',
    '  --json          print one JSON line describing the emulator when ready',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let values: { port?: string; 'latency-ms'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, 'latency-ms': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(usage());
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer between 0 and 65535\n${usage()}`);
    process.exit(2);
  }
  const latencyMs = values['latency-ms'] === undefined ? 0 : Number(values['latency-ms']);
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
    process.stderr.write(`--latency-ms must be a number of milliseconds between 0 and 600000\n${usage()}`);
    process.exit(2);
  }
  const emulator = await startEmulator({ port, latencyMs });
  const description = emulator.describe();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(description)}\n`);
  } else {
    const lines = [
      'Salesforce emulator ready',
      `  login URL     ${description.loginUrl}   (OAuth: /services/oauth2/authorize, /token, /revoke)`,
      `  instance URL  ${description.instanceUrl}   (REST: /services/data/v66.0/...)`,
      `  org id        ${description.orgId}`,
      `  client id     ${description.clientId}   (ForceSites, PKCE required)`,
      `  redirect URIs ${description.redirectUris.join(', ')}`,
      '  users:',
      ...description.users.map((u) => `    ${u.username}  password: ${u.password}  (${u.userId})`),
      `  latency       ${emulator.handle.latencyMs} ms added to every API response (PUT ${description.controlUrl}/latency {"ms":N})`,
      `  control API   ${description.controlUrl}/   e.g. curl -X POST ${description.controlUrl}/clock -d '{"days":1}'`,
      '',
      'Control routes:',
      ...CONTROL_ROUTES.map((r) => `  ${r}`),
      '',
      'Ctrl+C to stop.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
