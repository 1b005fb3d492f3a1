/**
 * A fast, in-process WordPress users API with WordPress's exact response shape
 * (`/wp-json/`, `/wp-json/wp/v2/users?context=edit&per_page=&page=&orderby=id&order=asc`,
 * `X-WP-Total` / `X-WP-TotalPages`, HTTP Basic with an application password), so the sync's
 * tests and benchmark measure ForceSites rather than PHP. The real WordPress tests live in
 * test/integration/wordpress/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UsersServerUser {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly description?: string;
  readonly roles?: readonly string[];
  readonly tags?: readonly string[];
}

export interface RunningUsersServer {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Page requests served. */
  readonly pages: () => number;
  /** Make every request fail with this status (503: the site is down; 401: credentials refused). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

function wordpressJson(user: UsersServerUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: `${user.firstName} ${user.lastName}`,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    url: '',
    description: user.description ?? '',
    link: `http://example.test/author/${user.username}/`,
    locale: 'en_US',
    nickname: user.username,
    slug: user.username,
    roles: user.roles ?? ['subscriber'],
    registered_date: '2024-01-02T03:04:05+00:00',
    capabilities: { read: true, level_0: true, subscriber: true },
    extra_capabilities: { subscriber: true },
    avatar_urls: {},
    meta: user.tags === undefined ? [] : { forcesites_tags: user.tags },
    _links: {},
  };
}

/**
 * `users` is read on every request; when the test passes a mutable array, `POST` creates and
 * updates it the way WordPress does (unique e-mail and login, 201 with the user).
 */
export async function startUsersServer(users: () => readonly UsersServerUser[]): Promise<RunningUsersServer> {
  const username = 'admin';
  const password = 'abcd EFGH ijkl MNOP qrst UVWX';
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let pages = 0;
  let failure: number | null = null;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (failure !== null) {
      send(failure, failure === 401 ? { code: 'incorrect_password', message: 'The provided password is an invalid application password.', data: { status: 401 } } : { code: 'internal_server_error', message: 'There has been a critical error on this website.', data: { status: failure } });
      return;
    }
    if (url.pathname === '/wp-json/' || url.pathname === '/wp-json') {
      send(200, { name: 'Sync bench', description: '', url: 'http://example.test', home: 'http://example.test', namespaces: ['oembed/1.0', 'wp/v2'], authentication: { 'application-passwords': { endpoints: { authorization: 'http://example.test/wp-admin/authorize-application.php' } } }, routes: {} });
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/wp-json/wp/v2/users')) {
      if (req.headers.authorization !== expected) {
        send(401, { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } });
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const all = users() as UsersServerUser[];
        const input = JSON.parse(body || '{}') as Record<string, unknown>;
        const meta = (input['meta'] ?? {}) as Record<string, unknown>;
        const id = Number(url.pathname.split('/').at(-1));
        const taken = (field: 'email' | 'username', value: unknown, except?: number) => all.some((u) => u.id !== except && u[field].toLowerCase() === String(value).toLowerCase());
        if (Number.isInteger(id) && id > 0) {
          const index = all.findIndex((u) => u.id === id);
          if (index === -1) return send(404, { code: 'rest_user_invalid_id', message: 'Invalid user ID.', data: { status: 404 } });
          if (input['email'] !== undefined && taken('email', input['email'], id)) return send(400, { code: 'rest_user_invalid_email', message: 'Invalid email address.', data: { status: 400 } });
          const before = all[index]!;
          all[index] = {
            ...before,
            ...(typeof input['first_name'] === 'string' ? { firstName: input['first_name'] } : {}),
            ...(typeof input['last_name'] === 'string' ? { lastName: input['last_name'] } : {}),
            ...(typeof input['description'] === 'string' ? { description: input['description'] } : {}),
            ...(Array.isArray(meta['forcesites_tags']) ? { tags: meta['forcesites_tags'] as string[] } : {}),
          };
          return send(200, wordpressJson(all[index]!));
        }
        if (taken('email', input['email'])) return send(400, { code: 'existing_user_email', message: 'Sorry, that email address is already used!', data: { status: 400 } });
        if (taken('username', input['username'])) return send(400, { code: 'existing_user_login', message: 'Sorry, that username already exists!', data: { status: 400 } });
        const created: UsersServerUser = {
          id: Math.max(0, ...all.map((u) => u.id)) + 1,
          username: String(input['username']),
          email: String(input['email']),
          firstName: typeof input['first_name'] === 'string' ? input['first_name'] : '',
          lastName: typeof input['last_name'] === 'string' ? input['last_name'] : '',
          description: typeof input['description'] === 'string' ? input['description'] : '',
          roles: Array.isArray(input['roles']) ? (input['roles'] as string[]) : ['subscriber'],
          ...(Array.isArray(meta['forcesites_tags']) ? { tags: meta['forcesites_tags'] as string[] } : {}),
        };
        all.push(created);
        send(201, wordpressJson(created));
      });
      return;
    }
    if (url.pathname === '/wp-json/wp/v2/users') {
      if (req.headers.authorization !== expected) {
        send(401, { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } });
        return;
      }
      pages += 1;
      const all = users();
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 10)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const totalPages = Math.max(1, Math.ceil(all.length / perPage));
      if (page > totalPages && all.length > 0) {
        send(400, { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
        return;
      }
      send(200, all.slice((page - 1) * perPage, page * perPage).map(wordpressJson), { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(totalPages) });
      return;
    }
    send(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    pages: () => pages,
    failWith: (status) => {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
