/**
 * A real WordPress for tests, benchmarks and the demo, from Debian's packages:
 * `wordpress` (6.1) served by PHP's built-in web server, and MariaDB, both private to a
 * throw-away data directory, so several instances run side by side and nothing touches a
 * system database or /etc.
 *
 *   <dataDir>/db/            MariaDB's datadir; its socket is <dataDir>/mysql.sock
 *   <dataDir>/www/           a symlink tree over /usr/share/wordpress with this instance's
 *                            own wp-config.php and wp-content/ (plugins copied in)
 *   <dataDir>/logs/          MariaDB's and PHP's logs (kept with --keep for debugging)
 *
 * MariaDB starts on an empty datadir with --skip-grant-tables and --skip-networking: no
 * system tables to install (0.2 s instead of mariadb-install-db's 2.5 s) and no accounts,
 * because the only way in is the socket inside the private, 0700 data directory.
 *
 * Every child runs under guard.sh, which stops it (and removes the data directory) when this
 * Node process dies without stopping it, even by SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedUsers, SEED_META_KEYS, type SeedUser } from './seed-users';
import { seedWoocommerce, type WoocommerceSeed } from './seed-woocommerce';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
export const WORDPRESS_CORE = '/usr/share/wordpress';
export const COMPANION_PLUGIN_DIR = join(REPO, 'wordpress-plugin', 'forcesites-companion');
const TEST_WOOCOMMERCE_PLUGIN_DIR = join(HERE, 'plugins', 'forcesites-test-woocommerce');
const ROUTER = join(HERE, 'php', 'router.php');
const INSTALLER = join(HERE, 'php', 'install.php');
const GUARD = join(HERE, 'guard.sh');

export const COMPANION_PLUGIN = 'forcesites-companion/forcesites-companion.php';
export const TEST_WOOCOMMERCE_PLUGIN = 'forcesites-test-woocommerce/forcesites-test-woocommerce.php';

export interface TestWordpressOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Seeded users besides the administrator (default 100). */
  readonly users?: number;
  /** Seed for users and orders (default 1). */
  readonly seed?: number;
  /** WooCommerce-shaped orders served by the test-only plugin; 0 (default) leaves it off. */
  readonly orders?: number;
  /** Keep the data directory after stop (for debugging). */
  readonly keep?: boolean;
  /** Where to create the data directory (default: a new directory in the OS temp dir). */
  readonly dataDir?: string;
  /** 'pretty' (default) serves /wp-json/; 'plain' only /?rest_route=, as with permalinks off. */
  readonly permalinks?: 'pretty' | 'plain';
  readonly siteName?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** PHP server workers (default 4): requests in flight at once. */
  readonly phpWorkers?: number;
}

/** The JSON line `npm run wordpress -- --json` prints. */
export interface TestWordpressDescription {
  readonly url: string;
  readonly restUrl: string;
  readonly adminUser: string;
  readonly applicationPassword: string;
  readonly users: number;
  readonly dataDir: string;
  readonly pid: number;
}

/** A seeded subscriber with its own application password: for "not allowed" cases. */
export interface TestWordpressMember {
  readonly id: number;
  readonly username: string;
  readonly applicationPassword: string;
}

export interface AddSiteOptions {
  readonly permalinks: 'pretty' | 'plain';
  /** Seeded users (default 3). */
  readonly users?: number;
  readonly siteName?: string;
  /** Activate the companion plugin (default true). */
  readonly companion?: boolean;
}

export interface TestWordpressSite {
  readonly url: string;
  /** `<url>/wp-json/` or, with plain permalinks, `<url>/?rest_route=/`. */
  readonly restUrl: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly applicationPassword: string;
  readonly permalinks: 'pretty' | 'plain';
  readonly companion: boolean;
  readonly member: TestWordpressMember | null;
}

export interface RunningTestWordpress extends TestWordpressSite {
  readonly dataDir: string;
  readonly seed: number;
  /** The seeded users, exactly as written (ids from 2; the administrator is 1). */
  readonly seededUsers: readonly SeedUser[];
  readonly woocommerce: WoocommerceSeed | null;
  readonly metaKeys: readonly string[];
  readonly wordpressVersion: string;
  /** Seconds from start to ready. */
  readonly readySeconds: number;
  describe(): TestWordpressDescription;
  /**
   * Another WordPress on the same MariaDB (its own tables, port and wp-config): e.g. one
   * with plain permalinks, to test REST discovery both ways in one run.
   */
  addSite(options: AddSiteOptions): Promise<TestWordpressSite>;
  stop(): Promise<void>;
}

const ADMIN_USER = 'admin';

export async function startTestWordpress(options: TestWordpressOptions = {}): Promise<RunningTestWordpress> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  checkPackages();
  const seed = options.seed ?? 1;
  const userCount = options.users ?? 100;
  const orderCount = options.orders ?? 0;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'forcesites-wp-'));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  mkdirSync(join(dataDir, 'logs'), { recursive: true });

  const children: Guarded[] = [];
  const sites: SiteProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Web servers first, then the database they use.
    await Promise.all(sites.map((site) => site.process.stop()));
    await Promise.all(children.map((child) => child.stop()));
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const socket = join(dataDir, 'mysql.sock');
    const mariadb = await startMariadb(dataDir, socket, options.keep === true);
    children.push(mariadb);
    log(`MariaDB ready (${seconds(started)} s)`);

    const seededUsers = seedUsers({ count: userCount, seed });
    const woocommerce = orderCount > 0 ? seedWoocommerce({ orders: orderCount, seed, customers: seededUsers }) : null;
    const siteName = options.siteName ?? 'ForceSites Test Site';
    const main = await startSite({
      dataDir,
      name: 'main',
      socket,
      port: options.port ?? 0,
      tablePrefix: 'wp_',
      permalinks: options.permalinks ?? 'pretty',
      siteName,
      users: seededUsers,
      woocommerce,
      companion: true,
      phpWorkers: options.phpWorkers ?? 4,
      log,
    });
    sites.push(main);
    const readySeconds = Number(seconds(started));
    log(`WordPress ${main.wordpressVersion} ready at ${main.site.url} with ${userCount} users${woocommerce ? ` and ${woocommerce.orders.length} orders` : ''} in ${readySeconds} s`);

    return {
      ...main.site,
      dataDir,
      seed,
      seededUsers,
      woocommerce,
      metaKeys: [...SEED_META_KEYS],
      wordpressVersion: main.wordpressVersion,
      readySeconds,
      describe: () => ({
        url: main.site.url,
        restUrl: main.site.restUrl,
        adminUser: main.site.adminUser,
        applicationPassword: main.site.applicationPassword,
        users: userCount,
        dataDir,
        pid: process.pid,
      }),
      addSite: async (extra) => {
        const site = await startSite({
          dataDir,
          name: `site${sites.length + 1}`,
          socket,
          port: 0,
          tablePrefix: `s${sites.length + 1}_`,
          permalinks: extra.permalinks,
          siteName: extra.siteName ?? `ForceSites Test Site ${sites.length + 1}`,
          users: seedUsers({ count: extra.users ?? 3, seed }),
          woocommerce: null,
          companion: extra.companion ?? true,
          phpWorkers: 2,
          log,
        });
        sites.push(site);
        return site.site;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function checkPackages(): void {
  const missing = [
    [join(WORDPRESS_CORE, 'wp-load.php'), 'wordpress'],
    ['/usr/bin/php', 'php-cli'],
    ['/usr/sbin/mariadbd', 'mariadb-server'],
  ].filter(([path]) => !existsSync(path!));
  if (missing.length > 0) {
    throw new Error(`The test WordPress needs Debian's ${missing.map(([, name]) => name).join(', ')}: apt-get install wordpress php-cli php-mysql mariadb-server (or run .ci/run).`);
  }
}

interface Guarded {
  readonly pid: number;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs a command under guard.sh with its output in a log file. */
function guarded(command: string, args: readonly string[], logFile: string, options: { env?: NodeJS.ProcessEnv; removeOnOrphan?: string } = {}): Guarded {
  const out = openSync(logFile, 'a');
  const guardArgs = [...(options.removeOnOrphan ? ['--remove-on-orphan', options.removeOnOrphan] : []), '--', command, ...args];
  let child: ChildProcess;
  try {
    // Own process group: Ctrl+C in a terminal reaches only Node, which stops things in order.
    child = spawn(GUARD, guardArgs, { stdio: ['pipe', out, out], detached: true, env: options.env ?? process.env });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<number | null>((resolvePromise) => {
    child.once('exit', (code) => resolvePromise(code));
    child.once('error', () => resolvePromise(null));
  });
  // Node keeps the pipe open until stop(); the guard only ever reads end-of-file from it.
  child.stdin?.on('error', () => undefined);
  return {
    pid: child.pid ?? -1,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        // The whole group: the guard, its watcher and the command with any workers it forked.
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.destroy();
    },
  };
}

async function startMariadb(dataDir: string, socket: string, keep: boolean): Promise<Guarded> {
  const datadir = join(dataDir, 'db');
  mkdirSync(datadir, { recursive: true });
  const errorLog = join(dataDir, 'logs', 'mariadb.log');
  const args = [
    '--no-defaults',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    `--datadir=${datadir}`,
    `--socket=${socket}`,
    `--pid-file=${join(dataDir, 'mariadb.pid')}`,
    `--log-error=${errorLog}`,
    '--skip-networking',
    '--skip-grant-tables',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=16M',
    // A throw-away database: durability is not worth the fsyncs.
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    `--init-file=${writeInitFile(dataDir)}`,
  ];
  const child = guarded('/usr/sbin/mariadbd', args, join(dataDir, 'logs', 'mariadb.out'), keep ? {} : { removeOnOrphan: dataDir });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
    if (text.includes('ready for connections')) return child;
    const exited = await Promise.race([child.exited.then(() => true), delay(50).then(() => false)]);
    if (exited || Date.now() > deadline) {
      await child.stop();
      throw new Error(`MariaDB did not start${exited ? '' : ' within 30 s'}. Its log (${errorLog}):\n${text.split('\n').slice(-15).join('\n')}`);
    }
  }
}

function writeInitFile(dataDir: string): string {
  const file = join(dataDir, 'init.sql');
  writeFileSync(file, 'CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n');
  return file;
}

interface SiteSpec {
  readonly dataDir: string;
  readonly name: string;
  readonly socket: string;
  readonly port: number;
  readonly tablePrefix: string;
  readonly permalinks: 'pretty' | 'plain';
  readonly siteName: string;
  readonly users: readonly SeedUser[];
  readonly woocommerce: WoocommerceSeed | null;
  readonly companion: boolean;
  readonly phpWorkers: number;
  readonly log: (line: string) => void;
}

interface SiteProcess {
  readonly site: TestWordpressSite;
  readonly process: Guarded;
  readonly wordpressVersion: string;
}

/** The site's time zone: a fixed offset, so local and GMT dates differ (as in WooCommerce's docs). */
export const TEST_GMT_OFFSET = -3;

async function startSite(spec: SiteSpec): Promise<SiteProcess> {
  const siteDir = join(spec.dataDir, spec.name);
  const www = join(siteDir, 'www');
  for (let attempt = 1; ; attempt += 1) {
    const port = spec.port === 0 ? await freePort() : spec.port;
    const url = `http://127.0.0.1:${port}`;
    buildTree(www, { url, socket: spec.socket, tablePrefix: spec.tablePrefix });
    // The server starts while WordPress installs: it only has to be up by the end.
    const server = guarded('/usr/bin/php', ['-d', 'opcache.enable_cli=1', '-d', 'display_errors=0', '-d', `error_log=${join(siteDir, 'php-errors.log')}`, '-S', `127.0.0.1:${port}`, '-t', www, ROUTER], join(spec.dataDir, 'logs', `${spec.name}-php-server.log`), {
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: String(spec.phpWorkers) },
    });
    const listening = await waitForHttp(url, server);
    if (!listening) {
      await server.stop();
      if (spec.port === 0 && attempt < 3) continue; // Someone took the free port in between.
      throw new Error(`PHP's web server could not listen on 127.0.0.1:${port}. Its log: ${join(spec.dataDir, 'logs', `${spec.name}-php-server.log`)}`);
    }
    try {
      const adminPassword = randomBytes(12).toString('base64url');
      const member = spec.users.find((user) => user.roles.length === 1 && user.roles[0] === 'subscriber');
      const installed = await install(www, siteDir, {
        url,
        title: spec.siteName,
        adminUser: ADMIN_USER,
        adminEmail: 'admin@example.org',
        adminPassword,
        permalinkStructure: spec.permalinks === 'pretty' ? '/%postname%/' : '',
        gmtOffset: TEST_GMT_OFFSET,
        plugins: [...(spec.companion ? [COMPANION_PLUGIN] : []), ...(spec.woocommerce ? [TEST_WOOCOMMERCE_PLUGIN] : [])],
        metaKeys: [...SEED_META_KEYS],
        users: spec.users,
        memberId: member?.id ?? 0,
        ...(spec.woocommerce ? { woocommerce: spec.woocommerce } : {}),
      });
      spec.log(`${spec.name}: installed in ${installed.seconds} s`);
      return {
        process: server,
        wordpressVersion: installed.wordpressVersion,
        site: {
          url,
          restUrl: spec.permalinks === 'pretty' ? `${url}/wp-json/` : `${url}/?rest_route=/`,
          adminUser: ADMIN_USER,
          adminPassword,
          applicationPassword: installed.applicationPassword,
          permalinks: spec.permalinks,
          companion: spec.companion,
          member: member && installed.memberApplicationPassword ? { id: member.id, username: member.username, applicationPassword: installed.memberApplicationPassword } : null,
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
}

/** <www>: symlinks to every entry of Debian's WordPress except wp-config.php and wp-content. */
function buildTree(www: string, config: { url: string; socket: string; tablePrefix: string }): void {
  if (!existsSync(www)) {
    mkdirSync(www, { recursive: true });
    for (const entry of readdirSync(WORDPRESS_CORE)) {
      if (entry === 'wp-config.php' || entry === 'wp-content') continue;
      symlinkSync(join(WORDPRESS_CORE, entry), join(www, entry));
    }
    const content = join(www, 'wp-content');
    mkdirSync(join(content, 'uploads'), { recursive: true });
    mkdirSync(join(content, 'mu-plugins'), { recursive: true });
    symlinkSync(join(WORDPRESS_CORE, 'wp-content', 'themes'), join(content, 'themes'));
    // Copies, not symlinks: WordPress resolves a plugin's __FILE__ through symlinks and would
    // then not recognise the activation hooks of a plugin it found through one.
    cpSync(COMPANION_PLUGIN_DIR, join(content, 'plugins', 'forcesites-companion'), { recursive: true });
    cpSync(TEST_WOOCOMMERCE_PLUGIN_DIR, join(content, 'plugins', 'forcesites-test-woocommerce'), { recursive: true });
    cpSync(join(HERE, 'php', 'test-mu-plugin.php'), join(content, 'mu-plugins', 'forcesites-test.php'));
    cpSync(join(HERE, 'php', 'test-outbound-endpoint.php'), join(content, 'mu-plugins', 'forcesites-test-outbound.php'));
  }
  writeFileSync(join(www, 'wp-config.php'), wpConfig(www, config));
}

function wpConfig(www: string, config: { url: string; socket: string; tablePrefix: string }): string {
  const php = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((name) => `define('${name}', ${php(randomBytes(32).toString('base64'))});`)
    .join('\n');
  return `<?php
// Written by test/wordpress/test-wordpress.ts for one throw-away test instance.
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', ${php(`localhost:${config.socket}`)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${salts}
$table_prefix = ${php(config.tablePrefix)};
define('WP_HOME', ${php(config.url)});
define('WP_SITEURL', ${php(config.url)});
define('WP_CONTENT_DIR', ${php(join(www, 'wp-content'))});
define('WP_CONTENT_URL', ${php(`${config.url}/wp-content`)});
// Application passwords over plain http need a local environment.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
// No internet here: never wait on wordpress.org.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) define('ABSPATH', ${php(`${www}/`)});
require_once ABSPATH . 'wp-settings.php';
`;
}

interface InstallSpec {
  readonly url: string;
  readonly title: string;
  readonly adminUser: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly permalinkStructure: string;
  readonly gmtOffset: number;
  readonly plugins: readonly string[];
  readonly metaKeys: readonly string[];
  readonly users: readonly SeedUser[];
  /** A seeded user who also gets an application password (0: none). */
  readonly memberId: number;
  readonly woocommerce?: WoocommerceSeed;
}

interface Installed {
  readonly applicationPassword: string;
  readonly memberApplicationPassword: string | null;
  readonly wordpressVersion: string;
  readonly seconds: number;
}

async function install(www: string, siteDir: string, spec: InstallSpec): Promise<Installed> {
  const specFile = join(siteDir, 'install.json');
  writeFileSync(specFile, JSON.stringify(spec), { mode: 0o600 });
  const { code, stdout, stderr } = await run('/usr/bin/php', ['-d', 'display_errors=stderr', '-d', 'memory_limit=1G', INSTALLER, www, specFile], 120_000);
  rmSync(specFile, { force: true });
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`Installing WordPress failed (exit ${code}): ${stderr.trim() || stdout.trim() || 'no output'}`);
  }
  return JSON.parse(line) as Installed;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

async function waitForHttp(url: string, server: Guarded): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      // Any answer will do (WordPress is not installed yet): the port is ours and serving.
      await fetch(`${url}/wp-includes/images/blank.gif`, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      await delay(50);
    }
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
