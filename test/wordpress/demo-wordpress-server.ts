/**
 * The demo WordPress data source of `npm run demo`: an in-memory stand-in that answers the
 * WordPress REST routes ForceSites uses (discovery; users listed, read, created and updated,
 * so a pull and the live change feed work in the demo), shaped as WordPress 6.x answers them
 * (see ../../../shared/reference/wordpress.md), with WordPress's own error codes and texts
 * (wp-includes/rest-api/endpoints/class-wp-rest-users-controller.php, wp-includes/user.php).
 * Tests that need real WordPress behaviour use a real WordPress; this one exists so a
 * newcomer sees data with no accounts. It forgets every change when it stops.
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
  // Mutable copies: the demo's pull and live changes write to them.
  const users: DemoWordpressUser[] = (options.users ?? demoWordpressUsers()).map((user) => ({ ...user, roles: [...user.roles], meta: { ...user.meta } }));
  const siteName = options.siteName ?? 'Demo Members Site';
  let url = '';

  const server = createServer((request, response) => {
    route(request, response).catch(() => json(response, 500, { code: 'internal_server_error', message: 'Internal error', data: { status: 500 } }));
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
    const single = restRoute === null ? null : /^\/wp\/v2\/users\/(\d+)$/.exec(restRoute);
    const writes = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
    if ((restRoute === '/wp/v2/users' && writes) || single !== null) {
      if (!authorized(request)) {
        return json(response, 401, { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } });
      }
      const body = writes ? await readJson(request) : {};
      if (body === undefined) return json(response, 400, { code: 'rest_invalid_json', message: 'Invalid JSON body passed.', data: { status: 400 } });
      if (single === null) return createUser(response, body);
      const user = users.find((u) => u.id === Number(single[1]));
      if (user === undefined) return json(response, 404, { code: 'rest_user_invalid_id', message: 'Invalid user ID.', data: { status: 404 } });
      if (request.method === 'GET') return json(response, 200, user);
      if (!writes) return json(response, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      return updateUser(response, user, body);
    }
    json(response, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  }

  function createUser(response: ServerResponse, body: Record<string, unknown>): void {
    const username = typeof body['username'] === 'string' ? body['username'] : '';
    const email = typeof body['email'] === 'string' ? body['email'] : '';
    if (username === '' || email === '' || typeof body['password'] !== 'string') {
      const missing = ['username', 'email', 'password'].filter((key) => typeof body[key] !== 'string' || body[key] === '');
      return json(response, 400, { code: 'rest_missing_callback_param', message: `Missing parameter(s): ${missing.join(', ')}`, data: { status: 400, params: missing } });
    }
    if (!EMAIL.test(email)) return json(response, 400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): email', data: { status: 400, params: { email: 'Invalid email address.' } } });
    // wp_insert_user's errors carry no status: the REST server answers them with 500.
    if (users.some((u) => u.username.toLowerCase() === username.toLowerCase())) return json(response, 500, { code: 'existing_user_login', message: 'Sorry, that username already exists!', data: null });
    if (users.some((u) => u.email.toLowerCase() === email.toLowerCase())) return json(response, 500, { code: 'existing_user_email', message: 'Sorry, that email address is already used!', data: null });
    const user: DemoWordpressUser = {
      id: Math.max(0, ...users.map((u) => u.id)) + 1,
      username,
      name: typeof body['name'] === 'string' ? body['name'] : username,
      first_name: typeof body['first_name'] === 'string' ? body['first_name'] : '',
      last_name: typeof body['last_name'] === 'string' ? body['last_name'] : '',
      email,
      roles: Array.isArray(body['roles']) ? body['roles'].map(String) : ['subscriber'],
      registered_date: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      meta: typeof body['meta'] === 'object' && body['meta'] !== null ? { ...(body['meta'] as Record<string, unknown>) } : {},
    };
    users.push(user);
    json(response, 201, user);
  }

  function updateUser(response: ServerResponse, user: DemoWordpressUser, body: Record<string, unknown>): void {
    const email = typeof body['email'] === 'string' ? body['email'] : undefined;
    if (email !== undefined && users.some((u) => u.id !== user.id && u.email.toLowerCase() === email.toLowerCase())) {
      return json(response, 400, { code: 'rest_user_invalid_email', message: 'Invalid email address.', data: { status: 400 } });
    }
    if (email !== undefined && !EMAIL.test(email)) return json(response, 400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): email', data: { status: 400, params: { email: 'Invalid email address.' } } });
    if (typeof body['username'] === 'string' && body['username'] !== '' && body['username'] !== user.username) {
      return json(response, 400, { code: 'rest_user_invalid_argument', message: 'Username is not editable.', data: { status: 400 } });
    }
    const updated: DemoWordpressUser = {
      ...user,
      ...(typeof body['name'] === 'string' ? { name: body['name'] } : {}),
      ...(typeof body['first_name'] === 'string' ? { first_name: body['first_name'] } : {}),
      ...(typeof body['last_name'] === 'string' ? { last_name: body['last_name'] } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(Array.isArray(body['roles']) ? { roles: body['roles'].map(String) } : {}),
      meta: { ...user.meta, ...(typeof body['meta'] === 'object' && body['meta'] !== null ? (body['meta'] as Record<string, unknown>) : {}) },
    };
    users[users.indexOf(user)] = updated;
    json(response, 200, updated);
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

/** WordPress's is_email in spirit: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The request's JSON object body (at most 1 MB), or undefined when it is not one. */
async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
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
