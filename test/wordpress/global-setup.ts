/**
 * Vitest globalSetup of the `wordpress` project: ONE real WordPress per test run, shared by
 * every file in test/integration/wordpress/ through `inject('wordpress')`.
 *
 * Three sites on one MariaDB, so no test's writes can disturb another's reads:
 * - main: pretty permalinks, 1,000 seeded users, WooCommerce-shaped orders; read-only in tests;
 * - plain: plain permalinks (REST only via ?rest_route=) and no companion plugin;
 * - scratch: pretty permalinks, the companion plugin, a few users; for tests that write.
 *
 * Seeds are deterministic: tests recompute what each site holds with seedUsers() and
 * seedWoocommerce() from the seed provided here.
 */
import type { TestProject } from 'vitest/node';
import { startTestWordpress, type RunningTestWordpress, type TestWordpressSite } from './test-wordpress';

export interface ProvidedWordpressSite {
  readonly url: string;
  readonly restUrl: string;
  readonly adminUser: string;
  readonly applicationPassword: string;
  readonly member: { readonly id: number; readonly username: string; readonly applicationPassword: string } | null;
  readonly users: number;
}

export interface ProvidedWordpress {
  readonly seed: number;
  readonly orders: number;
  readonly gmtOffset: number;
  readonly metaKeys: readonly string[];
  readonly wordpressVersion: string;
  readonly main: ProvidedWordpressSite;
  readonly plain: ProvidedWordpressSite;
  readonly scratch: ProvidedWordpressSite;
}

declare module 'vitest' {
  export interface ProvidedContext {
    wordpress: ProvidedWordpress;
  }
}

export const TEST_USERS = 1000;
export const TEST_ORDERS = 240;
export const TEST_SEED = 20_260_101;

let running: RunningTestWordpress | undefined;

export async function setup(project: TestProject): Promise<void> {
  running = await startTestWordpress({ users: TEST_USERS, orders: TEST_ORDERS, seed: TEST_SEED, log: (line) => process.stderr.write(`[test WordPress] ${line}\n`) });
  const [plain, scratch] = [
    await running.addSite({ permalinks: 'plain', users: 3, companion: false, siteName: 'Plain Permalinks Site' }),
    await running.addSite({ permalinks: 'pretty', users: 5, companion: true, siteName: 'Scratch Site' }),
  ];
  const site = (value: TestWordpressSite, users: number): ProvidedWordpressSite => ({
    url: value.url,
    restUrl: value.restUrl,
    adminUser: value.adminUser,
    applicationPassword: value.applicationPassword,
    member: value.member,
    users,
  });
  project.provide('wordpress', {
    seed: TEST_SEED,
    orders: TEST_ORDERS,
    gmtOffset: -3,
    metaKeys: running.metaKeys,
    wordpressVersion: running.wordpressVersion,
    main: site(running, TEST_USERS),
    plain: site(plain, 3),
    scratch: site(scratch, 5),
  });
}

export async function teardown(): Promise<void> {
  await running?.stop();
  running = undefined;
}
