/**
 * Which WordPress `npm run demo` shows (scripts/demo-server.ts):
 *
 *   (default)                 the in-memory demo WordPress (demo-wordpress-server.ts): fast,
 *                             needs no packages;
 *   --wordpress real          a real WordPress from Debian's packages (test-wordpress.ts),
 *                             seeded, with the companion plugin and WooCommerce-shaped orders;
 *   --wordpress-url URL --wordpress-user U --wordpress-password P
 *                             any site; checked once at start-up (main/wordpress checkSite) so
 *                             the terminal says what the site still lacks.
 */
import { checkSite } from '../../main/wordpress/check-site';
import { SITE_CHECK_STEPS } from '../../common/wordpress-models';
import { startDemoWordpress } from './demo-wordpress-server';
import { startTestWordpress } from './test-wordpress';

export const DEMO_WORDPRESS_USAGE = '[--wordpress demo|real] [--wordpress-url URL --wordpress-user U --wordpress-password P]';

export const DEMO_WORDPRESS_OPTIONS = {
  wordpress: { type: 'string' },
  'wordpress-url': { type: 'string' },
  'wordpress-user': { type: 'string' },
  'wordpress-password': { type: 'string' },
} as const;

export type DemoWordpressChoice =
  | { readonly kind: 'demo' }
  | { readonly kind: 'real' }
  | { readonly kind: 'external'; readonly url: string; readonly username: string; readonly password: string };

export interface DemoWordpressSource {
  readonly label: string;
  readonly url: string;
  readonly adminUsername: string;
  readonly applicationPassword: string;
  /**
   * The password is a throw-away of this run, fine to print and to prefill the site form
   * with. False for a site the user passed in: its password stays out of the terminal and
   * the page.
   */
  readonly disposablePassword: boolean;
  close(): Promise<void>;
}

/** Reads the flags; throws an Error whose message says what to pass instead. */
export function demoWordpressChoice(values: Readonly<Record<string, unknown>>): DemoWordpressChoice {
  const kind = values.wordpress;
  const url = values['wordpress-url'];
  const username = values['wordpress-user'];
  const password = values['wordpress-password'];
  const external = [url, username, password].some((value) => value !== undefined);
  if (kind !== undefined && kind !== 'demo' && kind !== 'real') throw new Error(`--wordpress must be "demo" or "real", not "${String(kind)}".`);
  if (external) {
    if (kind === 'real') throw new Error('Pass either --wordpress real or --wordpress-url with its user and password, not both.');
    if (typeof url !== 'string' || typeof username !== 'string' || typeof password !== 'string' || url === '' || username === '' || password === '') {
      throw new Error('--wordpress-url needs --wordpress-user and --wordpress-password (an application password from the site: Users → Profile → Application Passwords).');
    }
    return { kind: 'external', url, username, password };
  }
  return kind === 'real' ? { kind: 'real' } : { kind: 'demo' };
}

export async function startWordpressForDemo(choice: DemoWordpressChoice, log: (line: string) => void): Promise<DemoWordpressSource> {
  if (choice.kind === 'demo') {
    const demo = await startDemoWordpress();
    return { label: 'Demo WordPress', url: demo.url, adminUsername: demo.adminUsername, applicationPassword: demo.applicationPassword, disposablePassword: true, close: () => demo.close() };
  }
  if (choice.kind === 'real') {
    log('Starting a real WordPress (Debian packages; a few seconds)…');
    const real = await startTestWordpress({ users: 200, orders: 60, siteName: 'ForceSites Demo Site', log });
    return { label: 'Real WordPress', url: real.url, adminUsername: real.adminUser, applicationPassword: real.applicationPassword, disposablePassword: true, close: () => real.stop() };
  }
  const result = await checkSite({ siteUrl: choice.url, username: choice.username, password: choice.password, allowHttp: false, timeoutMs: 15_000 });
  for (const name of SITE_CHECK_STEPS) {
    const step = result[name];
    log(`  ${step.status.padEnd(7)} ${step.message}${step.hint ? `\n          → ${step.hint}` : ''}`);
  }
  if (result.reachable.status === 'failed') throw new Error(`${result.siteUrl} cannot be used: ${result.reachable.message}`);
  return { label: 'Your WordPress', url: result.siteUrl, adminUsername: choice.username, applicationPassword: choice.password, disposablePassword: false, close: async () => undefined };
}
