/**
 * The live change feed benchmark, end to end through the app as the editions compose it
 * (createApp): Salesforce is the emulator (in this process, L ms added to every API request;
 * CometD long polls are not delayed), WordPress is the in-process users API with WordPress's
 * shape, written through the app's WordPress client by the sync's live pull.
 *
 *   npm run bench:changes -- [--users N] [--edits K] [--latency-ms L] [--json]
 *
 * 1. Latency: K single Contact edits, one at a time; each is timed from the moment Salesforce
 *    answered the edit until the WordPress user has the new value (target < 5 s).
 * 2. Burst: every one of the N Contacts (default 10,000) is edited through sObject Collections
 *    (200 a request), i.e. N change events; timed from the first edit until every WordPress user
 *    has its new value. `feedApiCalls` is what the feed spent (the site's meter: the `Id IN`
 *    reads and any catch-up query); `catchUps` says whether the bounded queue overflowed into a
 *    SystemModstamp catch-up; `maxPending` the most ids it held.
 * `peakRssMb` is this process's peak resident set size (emulator and WordPress included).
 * No thresholds: the numbers are read, never asserted on timings in tests.
 */
import type { ChangeFeedStatusDto } from '../common/change-feed-models';
import { startAppHarness } from '../test/integration/app/app-harness';
import { startUsersServer, type UsersServerUser } from '../test/integration/sync/support/users-server';
import { startEmulator } from '../test/salesforce-emulator/index';
import { benchArgs } from './support/bench-args';

interface Args {
  readonly users: number;
  readonly edits: number;
  readonly latencyMs: number;
  readonly json: boolean;
}

function usage(): string {
  return 'Usage: npm run bench:changes -- [--users N] [--edits K] [--latency-ms L] [--json]\n';
}

function parseArgs(argv: readonly string[]): Args {
  const args = benchArgs(argv, usage());
  return {
    users: args.number('--users', 10_000, { min: 1, max: 100_000 }),
    edits: args.number('--edits', 10, { min: 1, max: 1_000 }),
    latencyMs: args.number('--latency-ms', 50, { min: 0, max: 10_000, whole: false }),
    json: args.flag('--json'),
  };
}

async function until(read: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!read()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const emu = await startEmulator({ latencyMs: args.latencyMs });
  const users: UsersServerUser[] = Array.from({ length: args.users }, (_, i) => ({ id: i + 2, username: `m${i}`, email: `m${i}@example.org`, firstName: 'Member', lastName: `Before${i}` }));
  const wordpress = await startUsersServer(() => users);
  const harness = await startAppHarness(emu, { requestTimeoutMs: 60_000 });
  try {
    emu.handle.configureOrg(undefined, { dailyApiMax: 100_000_000 });
    const ids = emu.handle.seed(undefined, 'Contact', users.map((u, i) => ({ FirstName: 'Member', LastName: `Before${i}`, Email: u.email }))) as string[];
    const finished = await harness.signIn();
    const connectionId = finished.connection!.id;
    const site = await harness.call('sites:save', {
      name: 'Bench',
      wordpressUrl: wordpress.url,
      wordpressUsername: wordpress.username,
      wordpressPassword: wordpress.password,
      connectionId,
      objectType: 'Contact',
      tagMode: 'none',
      tagField: null,
      fieldMapping: [
        { wordpressField: 'email', salesforceField: 'Email', direction: 'both' },
        { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'pull' },
        { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'pull' },
      ],
    });
    let latest: ChangeFeedStatusDto | undefined;
    let maxPending = 0;
    harness.app.events.subscribe((channel, payload) => {
      if (channel !== 'changes:updated') return;
      latest = payload as ChangeFeedStatusDto;
      maxPending = Math.max(maxPending, latest.counts.pending);
    });
    const notes: string[] = [];
    harness.app.bus.on('activity.note', ({ message }) => notes.push(message));
    await harness.call('changes:follow', { siteId: site.id });
    await until(() => latest?.mode === 'following', 'the feed to follow', 60_000);
    const api = await harness.app.registry.open(connectionId);
    const userAt = (i: number): UsersServerUser => users.find((u) => u.email === `m${i}@example.org`)!;

    // 1. One edit at a time.
    const latencies: number[] = [];
    for (let k = 0; k < args.edits; k += 1) {
      const i = k % args.users;
      const value = `Edit${k}`;
      await api.request({ method: 'PATCH', url: `/sobjects/Contact/${ids[i]}`, body: JSON.stringify({ LastName: value }), headers: { 'content-type': 'application/json' } });
      const answered = performance.now();
      await until(() => userAt(i).lastName === value, `edit ${k} to reach WordPress`, 60_000);
      latencies.push(performance.now() - answered);
    }

    // 2. A burst: every Contact edited, 200 a Collections request, 4 in flight.
    const callsBefore = harness.app.registry.meter.siteCalls(site.id);
    const started = performance.now();
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 200) chunks.push(ids.slice(i, i + 200));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const index = next++;
        const records = chunks[index]!.map((id, j) => ({ attributes: { type: 'Contact' }, id, LastName: `Burst${index * 200 + j}` }));
        await api.request({ method: 'PATCH', url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const written = performance.now();
    await until(() => users.every((u, i) => u.lastName === `Burst${i}`), 'the burst to reach WordPress', 15 * 60_000);
    const burstMs = performance.now() - started;
    const result = {
      users: args.users,
      latencyMs: args.latencyMs,
      edit: { count: latencies.length, medianMs: Math.round(percentile(latencies, 50)), p90Ms: Math.round(percentile(latencies, 90)), maxMs: Math.round(Math.max(...latencies)) },
      burst: {
        events: ids.length,
        writeMs: Math.round(written - started),
        appliedMs: Math.round(burstMs),
        feedApiCalls: harness.app.registry.meter.siteCalls(site.id) - callsBefore,
        catchUps: notes.filter((note) => /Catching up/.test(note)).length,
        maxPending,
        mode: latest?.mode,
      },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `Edit → WordPress over CDC (${result.edit.count} edits, ${args.latencyMs} ms latency): median ${result.edit.medianMs} ms, p90 ${result.edit.p90Ms} ms, max ${result.edit.maxMs} ms\n` +
          `Burst of ${result.burst.events.toLocaleString('en-US')} change events: written in ${(result.burst.writeMs / 1000).toFixed(1)} s, all in WordPress after ${(result.burst.appliedMs / 1000).toFixed(1)} s; ` +
          `${result.burst.feedApiCalls} feed API calls, ${result.burst.catchUps} catch-ups, at most ${result.burst.maxPending} ids waiting; peak RSS ${result.peakRssMb} MB\n`,
      );
    }
  } finally {
    const step = async (what: string, work: () => Promise<void>): Promise<void> => {
      const t = performance.now();
      await work();
      if (process.env['BENCH_DEBUG']) process.stderr.write(`${what} closed in ${Math.round(performance.now() - t)} ms\n`);
    };
    await step('app', () => harness.app.close());
    await step('wordpress', () => wordpress.close());
    await step('emulator', () => emu.close());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
