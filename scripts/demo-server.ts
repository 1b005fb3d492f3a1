/**
 * The browser edition against the built-in demo org (run through `npm run demo`).
 *
 * Starts, all on 127.0.0.1: the Salesforce emulator seeded with demo users and records, a
 * demo WordPress data source, the real main-process services (createApp) and the web server
 * that serves the renderer build with the WebSocket bridge. Secrets stay in memory: the demo
 * org's tokens are worthless outside this process, and the demo must run on machines without
 * a keychain. Pass --keychain to use the OS keychain instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
const USAGE = `Usage: npm run demo -- [--json] [--port N] [--keychain] ${DEMO_WORDPRESS_USAGE}\n`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, port: { type: 'string' }, keychain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...DEMO_WORDPRESS_OPTIONS },
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
  const wordpress = await startWordpressForDemo(wordpressChoice, (line) => process.stderr.write(`${line}\n`));

  const dataDir = mkdtempSync(join(tmpdir(), 'forcesites-demo-'));
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
      loginUrl: emulator.loginUrl,
      clientId: emulator.clientId,
      usernames: emulator.users.map((user) => user.username),
      password: DEMO_PASSWORD,
      wordpressUrl: wordpress.url,
      wordpressUsername: wordpress.adminUsername,
      // Only a throw-away password may prefill the page; a real site's stays in this process.
      ...(wordpress.disposablePassword ? { wordpressApplicationPassword: wordpress.applicationPassword } : {}),
    },
  });
  if (wordpressChoice.kind !== 'demo') {
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
    process.stdout.write(`${JSON.stringify({ url: web.url })}\n`);
  } else {
    process.stdout.write(
      [
        'ForceSites browser edition is running against the demo org.',
        '',
        `  Open: ${web.url}`,
        '',
        `  Demo Salesforce:  ${emulator.loginUrl}  users ${emulator.users.map((u) => u.username).join(', ')}, password ${DEMO_PASSWORD}`,
        `  ${`${wordpress.label}:`.padEnd(17)} ${wordpress.url}  user ${wordpress.adminUsername}${wordpress.disposablePassword ? `, application password "${wordpress.applicationPassword}"` : ''}`,
        '',
        'Everything is in memory and forgotten when you stop (Ctrl+C).',
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
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
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
