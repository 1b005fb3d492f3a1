/**
 * `npm run wordpress -- [--port N] [--users N] [--seed S] [--orders N] [--plain] [--keep] [--json]`
 *
 * Starts a real WordPress (test-wordpress.ts) and keeps it running until Ctrl+C / SIGTERM.
 * With --json prints exactly one JSON line when ready:
 *   {"url", "restUrl", "adminUser", "applicationPassword", "users", "dataDir", "pid"}
 * (pid is this process: send it SIGTERM to stop everything). Progress and the time to
 * ready go to stderr, so stdout stays one line.
 */
import { parseArgs } from 'node:util';
import { startTestWordpress } from './test-wordpress';

const USAGE = `Usage: npm run wordpress -- [options]
  --port N     listen on 127.0.0.1:N (default: a free port)
  --users N    seeded users besides the administrator (default 100)
  --seed S     seed for users and orders (default 1)
  --orders N   WooCommerce-shaped orders from the test-only plugin (default 0: plugin off)
  --plain      plain permalinks: the REST API only at /?rest_route=/
  --keep       keep the data directory after stopping
  --json       print one JSON line when ready
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) fail(`--${name} must be a whole number from 0 to ${max}.`);
  return number;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        users: { type: 'string' },
        seed: { type: 'string' },
        orders: { type: 'string' },
        plain: { type: 'boolean' },
        keep: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return void process.stdout.write(USAGE);

  const wordpress = await startTestWordpress({
    port: wholeNumber('port', values.port as string | undefined, 0, 65_535),
    users: wholeNumber('users', values.users as string | undefined, 100, 100_000),
    seed: wholeNumber('seed', values.seed as string | undefined, 1, 2 ** 31),
    orders: wholeNumber('orders', values.orders as string | undefined, 0, 100_000),
    permalinks: values.plain ? 'plain' : 'pretty',
    keep: values.keep === true,
    log: (line) => process.stderr.write(`${line}\n`),
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void wordpress.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stopping the test WordPress failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const description = wordpress.describe();
  process.stderr.write(`Ready in ${wordpress.readySeconds} s\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(description)}\n`);
    return;
  }
  process.stdout.write(
    [
      `WordPress ${wordpress.wordpressVersion} is running.`,
      '',
      `  Site:       ${description.url}`,
      `  REST API:   ${description.restUrl}`,
      `  Admin:      ${description.url}/wp-admin/  user ${description.adminUser}, password ${wordpress.adminPassword}`,
      `  Application password (for ForceSites): ${description.applicationPassword}`,
      `  Users:      ${description.users} seeded (seed ${wordpress.seed})${wordpress.woocommerce ? `, ${wordpress.woocommerce.orders.length} WooCommerce-shaped orders` : ''}`,
      `  Data:       ${description.dataDir}${values.keep ? ' (kept after stop)' : ' (removed on stop)'}`,
      '',
      'Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`The test WordPress could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
