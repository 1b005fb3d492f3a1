/**
 * `forcesites`: the app's services without a window, on the same profiles, local database
 * and keychain. A third edition beside main/electron and main/web: it composes main/app and
 * speaks the same contract through `dispatchInvoke`. It runs in plain Node
 * (`cli-entry.ts`, built to out/main/cli.js) and inside the packaged desktop app
 * (`ForceSites --cli …`, main/electron/electron-main.ts), which has no Node runtime of its own
 * once its fuses are flipped.
 *
 *   forcesites sites [--json]
 *   forcesites health [--json]
 *   forcesites refresh-fields <site>
 *   forcesites sync <site> [--dry-run] [--yes] [--retry-failed] [--json]
 *   forcesites orders <site> [--since DATE] [--dry-run] [--json]
 *   any command: --data-dir DIR (default: the desktop app's data folder)
 *
 * Exit codes: 0 ok, 1 some records failed (or another failure), 2 usage, 3 needs
 * reauthorization, 4 API limit (or the run needs --yes), 5 WordPress unreachable or refusing.
 * Progress: a bar on stderr when it is a terminal, JSON lines on stderr when it is not; with
 * --json every line on stdout is JSON (progress included).
 * Sign-in stays in the app (it needs a browser): the CLI says so.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import type { InvokeChannel, RequestOf, ResponseOf } from '../../common/contract';
import type { PullFilter, SyncProgressDto } from '../../common/sync-models';
import { createApp, type AppOptions } from '../app/create-app';
import { dispatchInvoke } from '../app/dispatch';
import { checkSince, ORDERS_USAGE, runOrdersCommand } from '../orders/orders-command';

export const EXIT = { ok: 0, failed: 1, usage: 2, reauthorize: 3, apiLimit: 4, wordpress: 5 } as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
}

export const USAGE = `Usage: forcesites <command> [options]

Commands:
  sites [--json]                         the site profiles
  health [--json]                        run every health check now
  refresh-fields <site>                  "Refresh Available Topics & Fields" for a site
  sync <site> [--dry-run] [--yes] [--retry-failed] [--json]
                                         push the site's WordPress users to Salesforce
                                         (--dry-run: the preview only; --yes: run even when
                                         it needs more than the allowed share of the org's
                                         remaining API requests; --retry-failed: send again
                                         records Salesforce refused, even if unchanged)
  sync <site> --pull [--role R] [--topic T | --picklist V] [--dry-run] [--json]
                                         import Salesforce records as WordPress users (role R,
                                         default subscriber; all records, or those with a
                                         Topic or picklist value) and update existing ones
${ORDERS_USAGE}Options:
  --data-dir DIR                         use another data folder
<site> is a site's name or id. Exit codes: 0 ok, 1 some records failed, 2 usage,
3 needs reauthorization, 4 API limit, 5 WordPress unreachable.
`;

/** The desktop app's data folder (Electron's userData for productName ForceSites). */
export function defaultDataDir(io: Pick<CliIo, 'env' | 'platform'>): string {
  if (io.platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'ForceSites');
  if (io.platform === 'win32') return path.join(io.env['APPDATA'] ?? path.join(homedir(), 'AppData', 'Roaming'), 'ForceSites');
  return path.join(io.env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config'), 'ForceSites');
}

interface Parsed {
  readonly values: ReadonlyMap<string, string>;
  readonly command: string | undefined;
  readonly positional: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly dataDir: string | undefined;
}

const KNOWN_FLAGS = new Set(['--json', '--dry-run', '--yes', '--retry-failed', '--pull', '--help', '-h']);
/** Options that take a value (the pull's). */
const VALUE_OPTIONS = new Set(['--role', '--topic', '--picklist', '--since']);

function parse(argv: readonly string[]): Parsed | string {
  const positional: string[] = [];
  const flags = new Set<string>();
  let dataDir: string | undefined;
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUE_OPTIONS.has(arg)) {
      const value = argv[++i];
      if (value === undefined || value === '') return `${arg} needs a value.`;
      values.set(arg, value);
    } else if (arg === '--data-dir') {
      dataDir = argv[++i];
      if (dataDir === undefined || dataDir === '') return '--data-dir needs a folder.';
    } else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
    else if (arg.startsWith('-')) {
      if (!KNOWN_FLAGS.has(arg)) return `Unknown option ${arg}.`;
      flags.add(arg);
    } else positional.push(arg);
  }
  return { command: positional[0], positional: positional.slice(1), flags, dataDir, values };
}

/** Runs one command; answers the exit code. `appOptions` lets tests pass an in-memory keychain. */
export async function runCli(argv: readonly string[], io: CliIo, appOptions: Partial<AppOptions> = {}): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === 'string') {
    io.stderr(`${parsed}\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.flags.has('--help') || parsed.flags.has('-h') || parsed.command === undefined) {
    (parsed.command === undefined && !parsed.flags.has('--help') && !parsed.flags.has('-h') ? io.stderr : io.stdout)(USAGE);
    return parsed.command === undefined && !parsed.flags.has('--help') && !parsed.flags.has('-h') ? EXIT.usage : EXIT.ok;
  }
  const commands = ['sites', 'health', 'refresh-fields', 'sync', 'orders', 'sign-in'];
  if (!commands.includes(parsed.command)) {
    io.stderr(`Unknown command “${parsed.command}”.\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.command === 'sign-in') {
    io.stderr('Sign-in needs a browser: open the ForceSites app, go to Connections and add or reauthorize the connection there. The CLI uses it afterwards.\n');
    return EXIT.usage;
  }
  if ((parsed.command === 'refresh-fields' || parsed.command === 'sync' || parsed.command === 'orders') && parsed.positional.length !== 1) {
    io.stderr(`${parsed.command} needs exactly one site (its name or id).\n${USAGE}`);
    return EXIT.usage;
  }
  const sinceProblem = checkSince(parsed.values.get('--since'));
  if (sinceProblem !== undefined) {
    io.stderr(`${sinceProblem}\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.has('--topic') && parsed.values.has('--picklist')) {
    io.stderr(`Choose --topic or --picklist, not both.\n${USAGE}`);
    return EXIT.usage;
  }
  const json = parsed.flags.has('--json');
  const app = await createApp({
    edition: 'browser',
    dataDir: parsed.dataDir ?? defaultDataDir(io),
    appVersion: 'cli',
    allowLoopbackHttp: true,
    scheduleHealthChecks: false,
    resumeChangeFeeds: false,
    openExternal: () => Promise.resolve(false),
    ...appOptions,
  });
  const call = async <C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await dispatchInvoke(app.handlers, channel, request, { edition: 'browser' });
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code, hint: result.error.hint });
    return result.value as ResponseOf<C>;
  };
  try {
    switch (parsed.command) {
      case 'sites': {
        const sites = await call('sites:list', {});
        if (json) io.stdout(`${JSON.stringify(sites)}\n`);
        else if (sites.length === 0) io.stdout('No site profiles yet: add one in the ForceSites app.\n');
        else for (const site of sites) io.stdout(`${site.name}  (${site.id})  ${site.wordpressUrl} → ${site.objectType}${site.connectionId === null ? '  [no connection]' : ''}\n`);
        return EXIT.ok;
      }
      case 'health': {
        const report = await call('health:check', {});
        if (json) io.stdout(`${JSON.stringify(report)}\n`);
        else {
          io.stdout(`Health: ${report.status}${report.lastError ? ` (${report.lastError})` : ''}\n`);
          for (const card of report.cards) io.stdout(`  ${card.siteName}: ${card.severity} — ${card.headline}${card.problems.length > 0 ? `\n    ${card.problems.join('\n    ')}` : ''}\n`);
        }
        return report.cards.some((card) => card.connectionState.kind === 'needs-reauthorization') ? EXIT.reauthorize : EXIT.ok;
      }
      case 'refresh-fields': {
        const site = await findSite(call, parsed.positional[0]!);
        const state = await call('fields:refresh', { siteId: site.id });
        if (json) io.stdout(`${JSON.stringify(state)}\n`);
        else io.stdout(`${site.name}: ${state.cache?.fields.length ?? 0} fields of ${state.cache?.objectType ?? site.objectType} refreshed.\n`);
        return EXIT.ok;
      }
      case 'orders': {
        const site = await findSite(call, parsed.positional[0]!);
        const since = parsed.values.get('--since');
        return await runOrdersCommand(
          { call, subscribe: (listener) => app.events.subscribe(listener), stdout: io.stdout, stderr: io.stderr, isTTY: io.isTTY, exitCodeOf },
          { siteId: site.id, siteName: site.name, ...(since === undefined ? {} : { since }), dryRun: parsed.flags.has('--dry-run'), json },
        );
      }
      default:
        return await sync(app, call, io, parsed, json);
    }
  } catch (error) {
    const e = error as { message?: string; code?: string; hint?: string };
    if (json) io.stdout(`${JSON.stringify({ error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error), ...(e.hint ? { hint: e.hint } : {}) } })}\n`);
    else io.stderr(`${e.message ?? String(error)}${e.hint ? `\n${e.hint}` : ''}\n`);
    return exitCodeOf(e);
  } finally {
    await app.close();
  }
}

type Call = <C extends InvokeChannel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

async function findSite(call: Call, nameOrId: string) {
  const sites = await call('sites:list', {});
  const found = sites.find((site) => site.id === nameOrId) ?? sites.filter((site) => site.name.toLowerCase() === nameOrId.toLowerCase());
  const site = Array.isArray(found) ? (found.length === 1 ? found[0] : undefined) : found;
  if (site === undefined) {
    throw Object.assign(new Error(Array.isArray(found) && found.length > 1 ? `Several sites are named “${nameOrId}”: use its id.` : `No site named “${nameOrId}”.`), {
      code: 'NOT_FOUND',
      hint: `Sites: ${sites.map((s) => `${s.name} (${s.id})`).join(', ') || 'none'}.`,
    });
  }
  return site;
}

async function sync(app: Awaited<ReturnType<typeof createApp>>, call: Call, io: CliIo, parsed: Parsed, json: boolean): Promise<number> {
  const site = await findSite(call, parsed.positional[0]!);
  const topic = parsed.values.get('--topic');
  const picklist = parsed.values.get('--picklist');
  const filter: PullFilter = topic !== undefined ? { kind: 'topic', name: topic } : picklist !== undefined ? { kind: 'picklist', value: picklist } : { kind: 'all' };
  const direction: { direction?: 'pull'; pull?: { role: string; filter: PullFilter }; retryRefused?: boolean } = parsed.flags.has('--pull')
    ? { direction: 'pull', pull: { role: parsed.values.get('--role') ?? 'subscriber', filter } }
    : parsed.flags.has('--retry-failed')
      ? { retryRefused: true }
      : {};
  if (parsed.flags.has('--dry-run')) {
    const plan = await call('sync:plan', { siteId: site.id, ...direction });
    if (json) io.stdout(`${JSON.stringify(plan)}\n`);
    else {
      const c = plan.counts;
      io.stdout(
        `${site.name}: ${plan.users} ${plan.direction === 'pull' ? 'records' : 'users'} → ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.invalid} invalid, ${c.conflict} conflicts` +
          `${plan.notResent ? `, ${plan.notResent} refused before and not re-sent (--retry-failed sends them)` : ''}.\n`,
      );
      io.stdout(`API calls: about ${plan.estimate.writeCalls} to write (${plan.strategy}); the org has ${plan.estimate.remainingDaily ?? 'an unknown number of'} requests left today.\n`);
      for (const row of plan.rows.filter((r) => r.class !== 'unchanged').slice(0, 20)) {
        io.stdout(`  ${row.wpUserId === null ? 'new' : `#${row.wpUserId}`} ${row.key ?? ''}: ${row.notResent ? 'not re-sent' : row.class}${row.reason ? ` — ${row.reason}` : ''}${row.changes.length > 0 ? ` (${row.changes.map((ch) => `${ch.field}: ${ch.old ?? '∅'} → ${ch.new ?? '∅'}`).join(', ')})` : ''}\n`);
      }
    }
    return EXIT.ok;
  }
  const done = new Promise<void>((resolve) => {
    const stop = app.events.subscribe((channel, payload) => {
      if (channel !== 'sync:progress') return;
      const progress = payload as SyncProgressDto;
      if (progress.siteId !== site.id) return;
      if (json) io.stdout(`${JSON.stringify({ progress })}\n`);
      else if (io.isTTY) io.stderr(`\r${bar(progress)}`);
      // Not a terminal (a log file, a scheduler): progress as JSON lines a machine can read,
      // on stderr so stdout keeps the summary.
      else io.stderr(`${JSON.stringify({ progress })}\n`);
      if (progress.phase === 'done') {
        stop();
        resolve();
      }
    });
  });
  const { runId } = await call('sync:start', { siteId: site.id, confirmed: parsed.flags.has('--yes'), ...direction });
  await done;
  const { run } = await call('sync:run', { runId, limit: 1 });
  if (io.isTTY && !json) io.stderr('\n');
  if (json) io.stdout(`${JSON.stringify({ run })}\n`);
  else io.stdout(`${site.name}: ${run.state} — ${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed, ${run.invalid} invalid, ${run.conflict} conflicts; ${run.apiCalls} API calls.${run.message ? `\n${run.message}` : ''}\n`);
  if (run.state === 'failed') return exitCodeOf({ code: run.errorCode ?? undefined, message: run.message ?? undefined });
  return run.failed + run.invalid + run.conflict > 0 ? EXIT.failed : EXIT.ok;
}

function bar(progress: SyncProgressDto): string {
  const width = 30;
  const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const filled = Math.round(share * width);
  return `${progress.phase.padEnd(11)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.done}/${progress.total}${progress.etaSeconds !== null ? `  ETA ${progress.etaSeconds}s` : ''}   `;
}

/** Errors cross the contract as {code, message, hint}: the message tells Salesforce's network errors from WordPress's. */
export function exitCodeOf(error: { code?: string | undefined; message?: string | undefined }): number {
  const message = error.message ?? '';
  if (error.code === 'NEEDS_REAUTHORIZATION') return EXIT.reauthorize;
  if (error.code === 'REQUEST_LIMIT_EXCEEDED') return EXIT.apiLimit;
  // The run would use more than the allowed share of the org's remaining requests (--yes runs it).
  if (error.code === 'CONFLICT' && /API calls/.test(message)) return EXIT.apiLimit;
  if ((error.code === 'NETWORK_ERROR' || error.code === 'REQUEST_TIMEOUT') && /Salesforce/.test(message)) return EXIT.failed;
  if (error.code === 'NETWORK_ERROR' || error.code === 'AUTH_DENIED' || error.code === 'REQUEST_TIMEOUT') return EXIT.wordpress;
  if (error.code === 'INVALID_REQUEST' || error.code === 'NOT_FOUND') return EXIT.usage;
  return EXIT.failed;
}
