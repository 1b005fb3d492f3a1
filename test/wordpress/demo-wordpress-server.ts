/**
 * The demo WordPress data source of `npm run demo`: an in-memory stand-in that answers the
 * WordPress REST routes ForceSites reads (discovery and users), shaped as WordPress 6.x
 * answers them (see ../../../shared/reference/wordpress.md). Tests that need real WordPress
 * behaviour use a real WordPress; this one exists so a newcomer sees data with no accounts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoWordpressUser {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly registered_date: string;
  readonly meta: Record<string, unknown>;
}

export interface DemoWordpressOptions {
  readonly port?: number;
  readonly siteName?: string;
  readonly adminUsername?: string;
  /** The application password (WordPress shows it in groups of four, spaces allowed). */
  readonly applicationPassword?: string;
  readonly users?: readonly DemoWordpressUser[];
}

export interface RunningDemoWordpress {
  readonly url: string;
  readonly adminUsername: string;
  readonly applicationPassword: string;
  close(): Promise<void>;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Seán', "Máire"];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', "O'Brien", 'Ní Bhriain'];

export function demoWordpressUsers(count = 36): DemoWordpressUser[] {
  return Array.from({ length: count }, (_, index) => {
    const first = FIRST[index % FIRST.length]!;
    const last = LAST[(index * 5) % LAST.length]!;
    const username = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + (index + 1);
    return {
      id: index + 1,
      username,
      name: `${first} ${last}`,
      first_name: first,
      last_name: last,
      email: `${username}@example.org`,
      roles: [index === 0 ? 'administrator' : index % 3 === 0 ? 'customer' : 'subscriber'],
      registered_date: new Date(Date.UTC(2025, index % 12, (index % 27) + 1)).toISOString().replace('.000Z', '+00:00'),
      meta: { wpf_tags: index % 2 === 0 ? ['Newsletter'] : ['Member', 'Event 2026'] },
    };
  });
}

export async function startDemoWordpress(options: DemoWordpressOptions = {}): Promise<RunningDemoWordpress> {
  const adminUsername = options.adminUsername ?? 'admin';
  const applicationPassword = options.applicationPassword ?? 'demo abcd efgh ijkl mnop qrst';
  const users = options.users ?? demoWordpressUsers();
  const siteName = options.siteName ?? 'Demo Members Site';
  let url = '';

  const server = createServer((request, response) => {
    try {
      route(request, response);
    } catch {
      json(response, 500, { code: 'internal_server_error', message: 'Internal error', data: { status: 500 } });
    }
  });

  function route(request: IncomingMessage, response: ServerResponse): void {
    const requestUrl = new URL(request.url ?? '/', url);
    const restRoute = requestUrl.searchParams.get('rest_route') ?? (requestUrl.pathname.startsWith('/wp-json') ? requestUrl.pathname.slice('/wp-json'.length) || '/' : null);
    if (restRoute === null) return html(response, `<h1>${siteName}</h1><p>Demo WordPress for ForceSites.</p>`);
    if (restRoute === '/' || restRoute === '') {
      return json(response, 200, { name: siteName, description: 'Demo data for ForceSites', url, home: url, namespaces: ['oembed/1.0', 'wp/v2', 'wp-site-health/v1'], authentication: { 'application-passwords': { endpoints: { authorization: `${url}/wp-admin/authorize-application.php` } } } });
    }
    if (restRoute === '/wp/v2/users' && request.method === 'GET') {
      if (!authorized(request)) {
        return json(response, 401, { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } });
      }
      const perPage = clamp(Number(requestUrl.searchParams.get('per_page') ?? 10), 1, 100);
      const page = Math.max(1, Number(requestUrl.searchParams.get('page') ?? 1));
      const totalPages = Math.max(1, Math.ceil(users.length / perPage));
      if (page > totalPages && users.length > 0) {
        return json(response, 400, { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
      }
      const slice = users.slice((page - 1) * perPage, page * perPage);
      return json(response, 200, slice, { 'X-WP-Total': String(users.length), 'X-WP-TotalPages': String(totalPages) });
    }
    json(response, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  }

  function authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    // WordPress ignores the spaces it shows inside application passwords.
    return user === adminUsername && rest.join(':').replace(/\s/g, '') === applicationPassword.replace(/\s/g, '');
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    adminUsername,
    applicationPassword,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  response.end(JSON.stringify(body));
}

function html(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
  response.end(`<!doctype html><title>Demo WordPress</title>${body}`);
}
