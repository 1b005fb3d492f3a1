/**
 * The push benchmark: N WordPress users to Salesforce, end to end, with L ms added to every
 * Salesforce request, against the emulator running in its own process (so its CPU and memory
 * are not ForceSites's). WordPress is a fast in-process server with WordPress's exact users
 * API shape, read by ForceSites's real WordPress client; Salesforce is reached through the
 * ConnectionRegistry (guarded, metered transport), exactly as the app does.
 *
 *   npm run bench:sync -- --users 10000 --latency-ms 100 [--match email|external-id] [--json]
 *
 * Prints one JSON line (with --json) or a human summary:
 *   {"users","latencyMs","match","apiCalls","bulkPolls","wallMs","peakRssMb","rssBeforeMb","created",
 *    "updated","unchanged","failed","naive":{"apiCalls","wallMs","sampled","extrapolated"},"rerun":{…}}
 * `peakRssMb` is the process's peak over the push, its re-run and the naive sample;
 * `rssBeforeMb` what it held just before the push (Node, tsx, the in-process WordPress).
 * `apiCalls` counts every Salesforce request the emulator saw during the push, Bulk status
 * polls included (`bulkPolls` of them). `naive` is the one-user-at-a-time strategy (look up,
 * then create: two requests per user), measured in the same run on other users: on a sample
 * of `--naive-sample` users (default 50) and extrapolated to N when N is larger, as
 * `extrapolated` says. `rerun` is the same push again: nothing changed, so no write calls.
 * No thresholds here: targets are read from the output, never asserted on timings in tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MATCH_KEY, type MatchKey } from '../common/fields-models';
import { localDatabasePath, openLocalDatabase } from '../main/platform/local-database';
import { soqlQuote } from '../main/salesforce/soql-escape';
import { SyncService } from '../main/sync/sync-service';
import { WordpressClient } from '../main/wordpress/wordpress-client';
import { BASIC_SETTINGS, registryApi } from '../test/integration/sync/support/sync-harness';
import { startUsersServer, type UsersServerUser } from '../test/integration/sync/support/users-server';
import { control, startEmulatorProcess } from './support/emulator-process';
import { benchArgs } from './support/bench-args';

interface Args {
  readonly users: number;
  readonly latencyMs: number;
  readonly match: 'email' | 'external-id';
  readonly json: boolean;
  readonly naiveSample: number;
  readonly realWordpress: boolean;
}

function usage(): string {
  return 'Usage: npm run bench:sync -- --users N [--latency-ms L] [--match email|external-id] [--naive-sample K] [--real-wordpress] [--json]\n';
}

function parseArgs(argv: readonly string[]): Args {
  const args = benchArgs(argv, usage());
  return {
    users: args.number('--users', 1_000, { min: 1, max: 1_000_000 }),
    latencyMs: args.number('--latency-ms', 100, { min: 0, max: 10_000, whole: false }),
    match: args.choice('--match', 'email', ['email', 'external-id']),
    json: args.flag('--json'),
    naiveSample: args.number('--naive-sample', 50, { min: 1 }),
    realWordpress: args.flag('--real-wordpress'),
  };
}


interface ApiCalls {
  readonly total: number;
  readonly bulkPoll: number;
  readonly collections: number;
}

function plainUser(i: number): UsersServerUser {
  return { id: i + 1, username: `member${i + 1}`, email: `member${i + 1}@example.org`, firstName: `Ann${i + 1}`, lastName: `O'Brien ${i + 1}` };
}

/**
 * N users made a page at a time as the server slices them (it reads only `length` and
 * `slice`), so this process does not hold all N: a real WordPress keeps its users in its own
 * database and process, and the peak RSS should measure ForceSites.
 */
function plainUsers(count: number): readonly UsersServerUser[] {
  const lazy = {
    length: count,
    slice: (start = 0, end = count) => Array.from({ length: Math.max(0, Math.min(end, count) - start) }, (_, i) => plainUser(start + i)),
  };
  return lazy as unknown as readonly UsersServerUser[];
}

/** The test WordPress with `count` seeded users (the admin is one more), closed with the benchmark. */
async function realWordpress(count: number): Promise<{ url: string; username: string; password: string; close(): Promise<void> }> {
  const { startTestWordpress } = await import('../test/wordpress/test-wordpress');
  const site = await startTestWordpress({ users: count, log: (line) => process.stderr.write(`${line}\n`) });
  return { url: site.url, username: site.adminUser, password: site.applicationPassword, close: () => site.stop() };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const emulator = await startEmulatorProcess();
  try {
    const orgId = emulator.description.orgId;
    await control(emulator, 'PATCH', `/orgs/${orgId}`, { dailyApiMax: 100_000_000 });
    if (args.match === 'external-id') {
      await control(emulator, 'POST', `/orgs/${orgId}/fields/Contact`, { name: 'WP_User_Id__c', label: 'WP User Id', type: 'string', length: 40, externalId: true, unique: true });
    }
    const { api } = await registryApi(emulator.description, 30_000);
    // The in-process server answers WordPress's exact users shape, so the figures measure
    // ForceSites; --real-wordpress reads a real one (Debian's WordPress with awkward seeded users).
    // Made once (the server's users function runs for every page it serves), each page on demand.
    const users = plainUsers(args.users);
    const wordpress = args.realWordpress ? await realWordpress(args.users) : await startUsersServer(() => users);
    const client = new WordpressClient({ siteUrl: wordpress.url, username: wordpress.username, password: wordpress.password, allowHttp: true, concurrency: 4 });
    const matchKey: MatchKey = args.match === 'email' ? DEFAULT_MATCH_KEY : { kind: 'external-id', field: 'WP_User_Id__c', prefix: 'bench-' };
    const service = new SyncService({
      db: openLocalDatabase(localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-bench-')))),
      readUsers: async function* (_siteId, signal) {
        for await (const page of client.users({ signal })) yield { items: page.items, total: page.total };
      },
      settingsFor: () => ({ ...BASIC_SETTINGS, matchKey }),
      salesforceFor: () => Promise.resolve(api),
    });

    await control(emulator, 'PUT', '/latency', { ms: args.latencyMs });
    await control(emulator, 'DELETE', '/api-calls');
    // What the process holds before the push (the in-process WordPress and its N users among it).
    const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const started = performance.now();
    const run = await service.start('bench', { confirmed: true });
    const wallMs = Math.round(performance.now() - started);
    const calls = await control<ApiCalls>(emulator, 'GET', '/api-calls');

    // The same push again: nothing changed, so nothing may be written.
    await control(emulator, 'DELETE', '/api-calls');
    await control(emulator, 'DELETE', '/requests');
    const rerun = await service.start('bench', { confirmed: true });
    const rerunCalls = await control<ApiCalls>(emulator, 'GET', '/api-calls');
    const log = await control<{ entries: { path: string; kind: string }[] }>(emulator, 'GET', '/requests?limit=100000');
    const rerunWrites = log.entries.filter((entry) => entry.kind === 'composite' || entry.path.includes('/jobs/ingest')).length;

    // Naive: one user at a time, look up then create, on users of its own.
    const sample = Math.min(args.users, args.naiveSample);
    await control(emulator, 'DELETE', '/api-calls');
    const naiveStarted = performance.now();
    for (let i = 1; i <= sample; i++) {
      const email = `naive${i}@example.org`;
      const found = await api.request<{ records: { Id: string }[] }>(`/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email = ${soqlQuote(email)}`)}`);
      const record = { Email: email, FirstName: `Ann${i}`, LastName: `O'Brien ${i}` };
      if (found.records.length === 0) await api.request({ method: 'POST', url: '/sobjects/Contact', body: JSON.stringify(record), headers: { 'content-type': 'application/json' } });
      else await api.request({ method: 'PATCH', url: `/sobjects/Contact/${found.records[0]!.Id}`, body: JSON.stringify(record), headers: { 'content-type': 'application/json' } });
    }
    const naiveMs = performance.now() - naiveStarted;
    const naiveCalls = (await control<ApiCalls>(emulator, 'GET', '/api-calls')).total;
    const scale = args.users / sample;
    await wordpress.close();

    const result = {
      users: args.users,
      wordpress: args.realWordpress ? 'real' : 'in-process',
      latencyMs: args.latencyMs,
      match: args.match,
      apiCalls: calls.total,
      bulkPolls: calls.bulkPoll,
      wallMs,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeMb,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      failed: run.failed,
      strategy: run.strategy,
      naive: { apiCalls: Math.round(naiveCalls * scale), wallMs: Math.round(naiveMs * scale), sampled: sample, extrapolated: sample < args.users },
      rerun: { apiCalls: rerunCalls.total, writeCalls: rerunWrites, unchanged: rerun.unchanged },
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `${args.users} users, ${args.latencyMs} ms latency, match ${args.match} (${run.strategy}): ${wallMs} ms, ${calls.total} API calls (${calls.bulkPoll} Bulk polls), peak RSS ${result.peakRssMb} MB; ` +
          `created ${run.created}, failed ${run.failed}. Naive: ${result.naive.apiCalls} calls, ${result.naive.wallMs} ms${result.naive.extrapolated ? ` (from ${sample} users, extrapolated)` : ''}. ` +
          `Re-run: ${rerunCalls.total} calls, ${rerunWrites} writes.\n`,
      );
    }
  } finally {
    emulator.stop();
  }
}

await main();
