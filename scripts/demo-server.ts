/**
 * The browser edition against the built-in demo org (run through `npm run demo`).
 *
 * Starts, all on 127.0.0.1: the Salesforce emulator seeded with demo users and records, a
 * demo WordPress data source, the real main-process services (createApp) and the web server
 * that serves the renderer build with the WebSocket bridge. Secrets stay in memory: the demo
 * org's tokens are worthless outside this process, and the demo must run on machines without
 * a keychain. Pass --keychain to use the OS keychain instead.
 *
 * --data-dir DIR keeps profiles, settings and the local database in DIR (so the CLI, or a
 * later demo, can use them) instead of a temporary folder deleted on exit. --salesforce URL
 * uses an emulator that is already running (`npm run emulator`) as the demo org: its
 * description comes from the control API, and nothing is seeded into it (it is somebody
 * else's org, maybe with records a test put there).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../main/platform/logger';
import { createApp } from '../main/app/create-app';
import { startWebServer } from '../main/web/web-server';
import { InMemorySecretStore } from '../test/fakes/in-memory-secret-store';
import { startEmulator } from '../test/salesforce-emulator/index';
import { demoWordpressUsers } from '../test/wordpress/demo-wordpress-server';
import { DEMO_WORDPRESS_OPTIONS, DEMO_WORDPRESS_USAGE, demoWordpressChoice, startWordpressForDemo } from '../test/wordpress/demo-wordpress-source';
import packageJson from '../package.json' with { type: 'json' };

const DEMO_PASSWORD = 'demo-password';
const USAGE = `Usage: npm run demo -- [--json] [--port N] [--keychain] [--data-dir DIR] [--salesforce URL] ${DEMO_WORDPRESS_USAGE}\n`;
/** Reading the running emulator's description: it is local, so a few seconds is plenty. */
const SALESFORCE_DESCRIBE_TIMEOUT_MS = 10_000;

/** The demo org: one this process started (and seeded), or a running emulator's. */
interface DemoSalesforce {
  readonly loginUrl: string;
  readonly clientId: string;
  readonly users: readonly { readonly username: string; readonly password: string }[];
  /** Whose password the page prefills (the demo org has one password for everybody). */
  readonly password: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      port: { type: 'string' },
      keychain: { type: 'boolean' },
      'data-dir': { type: 'string' },
      salesforce: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...DEMO_WORDPRESS_OPTIONS,
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a whole number from 0 to 65535.\n${USAGE}`);
    process.exit(2);
  }
  let wordpressChoice: ReturnType<typeof demoWordpressChoice>;
  try {
    wordpressChoice = demoWordpressChoice(values);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }

  let salesforceUrl: URL | undefined;
  if (values.salesforce !== undefined) {
    try {
      salesforceUrl = new URL(values.salesforce);
      if (salesforceUrl.protocol !== 'http:' && salesforceUrl.protocol !== 'https:') throw new Error('not http');
    } catch {
      process.stderr.write(`--salesforce must be the URL of a running emulator (the login URL "npm run emulator" prints, e.g. http://localhost:4000), not "${values.salesforce}".\n${USAGE}`);
      process.exit(2);
    }
  }
  if (values['data-dir'] !== undefined && values['data-dir'].trim() === '') {
    process.stderr.write(`--data-dir needs a folder.\n${USAGE}`);
    process.exit(2);
  }

  const salesforce = salesforceUrl ? await runningEmulator(salesforceUrl) : await ownEmulator();
  const wordpress = await startWordpressForDemo(wordpressChoice, (line) => process.stderr.write(`${line}\n`));

  const keepData = values['data-dir'] !== undefined;
  const dataDir = keepData ? resolve(values['data-dir']!) : mkdtempSync(join(tmpdir(), 'forcesites-demo-'));
  if (keepData) mkdirSync(dataDir, { recursive: true });
  const logger = createConsoleLogger('warn');
  const app = await createApp({
    edition: 'browser',
    dataDir,
    appVersion: packageJson.version,
    allowLoopbackHttp: true,
    logger,
    // A browser tab cannot open the system browser; the page shows the link instead.
    openExternal: async () => false,
    ...(values.keychain ? {} : { secrets: new InMemorySecretStore() }),
    demoOrg: {
      loginUrl: salesforce.loginUrl,
      clientId: salesforce.clientId,
      // The page prefills one password, so it offers the users who have it.
      usernames: salesforce.users.filter((user) => user.password === salesforce.password).map((user) => user.username),
      password: salesforce.password,
      wordpressUrl: wordpress.url,
      wordpressUsername: wordpress.adminUsername,
      // Only a throw-away password may prefill the page; a real site's stays in this process.
      ...(wordpress.disposablePassword ? { wordpressApplicationPassword: wordpress.applicationPassword } : {}),
    },
  });
  // With a kept data folder the site may be there from an earlier demo: add it once.
  if (wordpressChoice.kind !== 'demo' && !app.sites.service.list().some((site) => site.wordpressUrl === wordpress.url)) {
    // A real site (the test WordPress or the admin's own) is added as a site profile, its
    // application password straight into this run's secret store; a connection is chosen later.
    await app.sites.service.save({
      name: wordpress.label,
      wordpressUrl: wordpress.url,
      wordpressUsername: wordpress.adminUsername,
      wordpressPassword: wordpress.applicationPassword,
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    });
  }
  const web = await startWebServer({
    port,
    log: logger,
    staticDir: resolve('out/renderer'),
    webBridgeFile: resolve('out/web/web-bridge.js'),
    handlers: app.handlers,
    events: app.events,
    onUnexpectedError: (channel, error) => app.logUnexpected(channel, error),
  });

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: web.url, dataDir: keepData ? dataDir : null, salesforce: salesforce.loginUrl })}\n`);
  } else {
    process.stdout.write(
      [
        'ForceSites browser edition is running against the demo org.',
        '',
        `  Open: ${web.url}`,
        '',
        `  Demo Salesforce:  ${salesforce.loginUrl}  ${salesforce.users.map((u) => `${u.username} (password ${u.password})`).join(', ')}`,
        `  ${`${wordpress.label}:`.padEnd(17)} ${wordpress.url}  user ${wordpress.adminUsername}${wordpress.disposablePassword ? `, application password "${wordpress.applicationPassword}"` : ''}`,
        '',
        keepData
          ? `Profiles, settings and the local database are kept in ${dataDir}; secrets ${values.keychain ? 'are in the OS keychain' : 'are in memory and forgotten when you stop (Ctrl+C); pass --keychain to keep them'}.`
          : 'Everything is in memory and forgotten when you stop (Ctrl+C).',
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await web.close();
    await app.close();
    await wordpress.close();
    await salesforce.close();
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Starts the demo's own emulator with the demo users and seeds it. */
async function ownEmulator(): Promise<DemoSalesforce> {
  const emulator = await startEmulator({
    org: {
      name: 'ForceSites Demo Org',
      users: [
        { username: 'admin@demo.forcesites', password: DEMO_PASSWORD, firstName: 'Avery', lastName: 'Admin', permissions: ['CustomizeApplication', 'ViewSetup', 'ViewAllData', 'ModifyAllData', 'ApiEnabled'], profileName: 'System Administrator' },
        { username: 'sites@demo.forcesites', password: DEMO_PASSWORD, firstName: 'Sam', lastName: 'Sites', permissions: ['ApiEnabled'], profileName: 'Minimum Access - API Only Integrations' },
      ],
    },
  });
  seedDemoOrg(emulator.handle);
  return { loginUrl: emulator.loginUrl, clientId: emulator.clientId, users: emulator.users, password: DEMO_PASSWORD, close: () => emulator.close() };
}

/**
 * A running emulator's default org, from `GET /__emulator/` (the description
 * `npm run emulator -- --json` prints). Any URL of the emulator works: only its origin is used.
 * Not closed on exit: it belongs to whoever started it.
 */
async function runningEmulator(url: URL): Promise<DemoSalesforce> {
  const controlUrl = `${url.origin}/__emulator/`;
  let body: unknown;
  try {
    const response = await fetch(controlUrl, { signal: AbortSignal.timeout(SALESFORCE_DESCRIBE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new Error(
      `no Salesforce emulator answered at ${controlUrl} (${error instanceof Error ? error.message : String(error)}). Start one with "npm run emulator -- --port N" and pass its login URL to --salesforce.`,
    );
  }
  const description = body as { loginUrl?: unknown; clientId?: unknown; users?: unknown };
  const users = Array.isArray(description.users)
    ? description.users.filter((user): user is { username: string; password: string } => typeof user?.username === 'string' && typeof user?.password === 'string')
    : [];
  if (typeof description.loginUrl !== 'string' || typeof description.clientId !== 'string' || description.clientId === '' || users.length === 0) {
    throw new Error(`${controlUrl} did not describe an emulator org (login URL, client id and users); is --salesforce the URL of "npm run emulator"?`);
  }
  return { loginUrl: description.loginUrl, clientId: description.clientId, users, password: users[0]!.password, close: async () => undefined };
}

/** Records that make the demo org look lived-in: custom sync fields and some contacts. */
function seedDemoOrg(org: Awaited<ReturnType<typeof startEmulator>>['handle']): void {
  org.addCustomField(undefined, 'Contact', { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 50, externalId: true, unique: true });
  org.addCustomField(undefined, 'Contact', {
    name: 'WP_Tags__c',
    label: 'WP Tags',
    type: 'multipicklist',
    picklistValues: ['Newsletter', 'Member', 'Event 2026', 'Customer'],
    restrictedPicklist: false,
  });
  const [accountId] = org.seed(undefined, 'Account', [{ Name: 'Demo Members Association' }]);
  org.seed(
    undefined,
    'Contact',
    demoWordpressUsers(12).map((user) => ({
      FirstName: user.first_name,
      LastName: user.last_name,
      Email: user.email,
      AccountId: accountId,
      WP_User_Id__c: String(user.id),
    })),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
