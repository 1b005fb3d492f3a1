/**
 * `forcesites orders <site> [--since DATE] [--dry-run] [--json]`: the orders run headless,
 * through the same contract the window uses (`orders:plan`, `orders:send`, `orders:progress`,
 * `orders:run`). The CLI (main/cli/forcesites-cli.ts) hands in its contract caller, its event
 * subscription, its output and its exit-code mapping, so this feature imports neither the CLI
 * nor main/app, and the exit codes stay the sync command's: 0 ok, 1 some orders failed (or
 * could not be sent), 2 usage, 3 needs reauthorization, 4 API limit, 5 WordPress unreachable.
 */
import type { InvokeChannel, RequestOf, ResponseOf } from '../../common/contract';
import type { OrdersProgressDto } from '../../common/orders-models';

export interface OrdersCommandPorts {
  readonly call: <C extends InvokeChannel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;
  /** Subscribes to the app's renderer events; answers the unsubscribe function. */
  readonly subscribe: (listener: (channel: string, payload: unknown) => void) => () => void;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  /** The CLI's mapping of an error (or a failed run's code and message) to its exit code. */
  readonly exitCodeOf: (error: { code?: string | undefined; message?: string | undefined }) => number;
}

export interface OrdersCommandArgs {
  readonly siteId: string;
  readonly siteName: string;
  /** YYYY-MM-DD */
  readonly since?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export const ORDERS_USAGE = `  orders <site> [--since DATE] [--dry-run] [--json]
                                         send the site's WooCommerce orders to Salesforce as
                                         Orders with their products (--since YYYY-MM-DD: only
                                         orders created from that day; --dry-run: the preview)
`;

/** Checks `--since`; answers the message to print (usage error) or undefined. */
export function checkSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`))) return `--since takes a date as YYYY-MM-DD (got “${since}”).`;
  return undefined;
}

/** Runs the command; answers the exit code (errors thrown by `call` are the CLI's to map). */
export async function runOrdersCommand(ports: OrdersCommandPorts, args: OrdersCommandArgs): Promise<number> {
  const since = args.since ? { since: args.since } : {};
  if (args.dryRun) {
    const plan = await ports.call('orders:plan', { siteId: args.siteId, ...since });
    if (args.json) ports.stdout(`${JSON.stringify(plan)}\n`);
    else {
      const c = plan.counts;
      ports.stdout(`${args.siteName}: ${plan.orders} orders → ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.locked} activated and different (left as they are), ${c.invalid} cannot be sent.\n`);
      ports.stdout(`Created first: ${plan.creates.accounts} Accounts, ${plan.creates.contacts} Contacts, ${plan.creates.products} products, ${plan.creates.pricebookEntries} price book entries. API calls: about ${plan.writeCalls} to write.\n`);
      for (const row of plan.rows.filter((r) => r.class !== 'unchanged').slice(0, 20)) ports.stdout(`  #${row.number} ${row.class}${row.detail ? ` — ${row.detail}` : ''}\n`);
    }
    return 0;
  }
  const done = new Promise<void>((resolve) => {
    const stop = ports.subscribe((channel, payload) => {
      if (channel !== 'orders:progress') return;
      const progress = payload as OrdersProgressDto;
      if (progress.siteId !== args.siteId) return;
      if (args.json) ports.stdout(`${JSON.stringify({ progress })}\n`);
      else if (ports.isTTY) ports.stderr(`\r${bar(progress)}`);
      // Not a terminal: JSON lines on stderr, like the sync command; stdout keeps the summary.
      else ports.stderr(`${JSON.stringify({ progress })}\n`);
      if (progress.phase === 'done') {
        stop();
        resolve();
      }
    });
  });
  const { runId } = await ports.call('orders:send', { siteId: args.siteId, ...since });
  await done;
  const { run } = await ports.call('orders:run', { runId, limit: 1 });
  if (ports.isTTY && !args.json) ports.stderr('\n');
  if (args.json) ports.stdout(`${JSON.stringify({ run })}\n`);
  else {
    ports.stdout(
      `${args.siteName}: ${run.state} — ${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.failed} failed, ${run.invalid} cannot be sent, ${run.locked} activated and different; ${run.apiCalls} API calls.${run.message ? `\n${run.message}` : ''}\n`,
    );
    if (run.failed + run.invalid > 0) {
      const problems = await ports.call('orders:run', { runId, outcome: run.failed > 0 ? 'failed' : 'invalid', limit: 10 });
      for (const record of problems.records) ports.stdout(`  #${record.wooOrderId}: ${record.errorCode ?? ''} ${record.errorMessage ?? ''}\n`);
    }
  }
  if (run.state === 'failed') return ports.exitCodeOf({ code: run.errorCode ?? undefined, message: run.message ?? undefined });
  return run.failed + run.invalid + run.locked > 0 ? ports.exitCodeOf({ code: 'ORDERS_FAILED' }) : 0;
}

function bar(progress: OrdersProgressDto): string {
  const width = 30;
  const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const filled = Math.round(share * width);
  return `${progress.phase.padEnd(17)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.done}/${progress.total}   `;
}
