/**
 * ForceSites's client for one WordPress site: REST discovery, the companion plugin's info,
 * users (paged, several pages in flight, streamed in order), creating and updating users
 * with their meta and tags, and WooCommerce orders and products.
 *
 * - Auth: HTTP Basic with a WordPress application password, read from the caller (the
 *   keychain) when first needed; the WooCommerce routes may use a WooCommerce REST API key
 *   instead (woocommerce-auth.ts). No secret and no Authorization header is ever logged.
 * - Every request has a deadline (`timeoutMs`, default 30 s) via AbortSignal, covering the
 *   body as well as the headers; a caller's signal cancels too.
 * - Every failure is a WordpressError (an AppError) saying what to do on the site
 *   (wordpress-errors.ts).
 *
 * Imports only common/ and node:*: the app composes it with the keychain and the logger.
 */
import { randomBytes } from 'node:crypto';
import type { CompanionInfo, WooOrder, WooProduct, WordpressAccount, WordpressDiscovery, WordpressUser, WordpressUserInput } from '../../common/wordpress-models';
import { normalizeSiteUrl, routeUrl, type Query } from './site-url';
import { errorFromFetchFailure, errorFromResponse, errorFromUnreadableSuccess, WordpressError, type RequestContext } from './wordpress-errors';
import { keyEnding, woocommerceBasicAuthorization, woocommerceOAuthAuthorization, type WoocommerceKey } from './woocommerce-auth';
import { DEFAULT_TAGS_META_KEY, ShapeError, toCompanionInfo, toUserPayload, toWooOrder, toWooProduct, toWordpressAccount, toWordpressUser } from './wordpress-mapping';

/** Structural, so the app's logger fits without this folder importing it. */
export interface WordpressLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const silentLogger: WordpressLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface WordpressClientOptions {
  /** The site address as the admin entered it (`example.org`, `https://example.org/blog`). */
  readonly siteUrl: string;
  /** The WordPress login (or email) the application password belongs to. */
  readonly username: string;
  /** The application password, or a reader (the keychain) called once, when first needed. */
  readonly password: string | (() => Promise<string | null>);
  readonly fetch?: typeof fetch;
  /** Deadline of every request, headers and body (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** Pages in flight at once while paging (default 4). */
  readonly concurrency?: number;
  readonly logger?: WordpressLogger;
  /** Allow http:// for non-loopback hosts (default false: passwords travel only over https). */
  readonly allowHttp?: boolean;
  /** Items per page, 1–100 (WordPress caps per_page at 100; default 100). */
  readonly pageSize?: number;
  /**
   * A WooCommerce REST API key for the `/wc/` routes instead of the application password, or
   * a reader (the keychain) called once, when first needed: HTTP Basic over https, an OAuth
   * 1.0a signature over plain http (woocommerce-auth.ts).
   */
  readonly woocommerceKey?: WoocommerceKey | (() => Promise<WoocommerceKey | null>);
  /** Test seam for the OAuth timestamp (seconds). */
  readonly clock?: () => number;
}

export interface WordpressPage<T> {
  readonly items: readonly T[];
  /** 1-based. */
  readonly page: number;
  readonly totalPages: number;
  /** X-WP-Total when the page was read. */
  readonly total: number;
}

/** One user write of a batch (`writeUsersBatch`). */
export type UserWrite = { readonly kind: 'create'; readonly input: WordpressUserInput } | { readonly kind: 'update'; readonly id: number; readonly input: WordpressUserInput };
/** WordPress's answer to one write of a batch: the user, or its own error (a WordpressError). */
export type UserWriteAnswer = { readonly ok: true; readonly user: WordpressUser } | { readonly ok: false; readonly error: unknown };

/** Requests in one `batch/v1` call: WordPress's default `rest_get_max_batch_size`. */
export const USERS_BATCH_MAX = 25;

export interface UsersQuery {
  readonly roles?: readonly string[];
  readonly search?: string;
  readonly signal?: AbortSignal;
}

export interface OrdersQuery {
  /** Only orders created after this instant (ISO 8601 with a zone, compared as GMT). */
  readonly after?: string;
  readonly status?: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ProductsQuery {
  readonly status?: string;
  readonly signal?: AbortSignal;
}

interface Sent {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

interface SendOptions {
  readonly method?: 'GET' | 'POST';
  readonly query?: Query;
  readonly body?: unknown;
  readonly auth?: boolean;
  readonly action: string;
  readonly signal?: AbortSignal | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export class WordpressClient {
  readonly siteUrl: string;
  readonly #username: string;
  readonly #password: WordpressClientOptions['password'];
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #pageSize: number;
  readonly #logger: WordpressLogger;
  readonly #host: string;
  #passwordPromise: Promise<string> | undefined;
  readonly #woocommerceKey: WordpressClientOptions['woocommerceKey'];
  #woocommerceKeyPromise: Promise<WoocommerceKey> | undefined;
  readonly #clock: () => number;
  #discovery: Promise<WordpressDiscovery> | undefined;
  #tagsMetaKey = DEFAULT_TAGS_META_KEY;
  /** Whether the site batches user writes (`batch/v1`); undefined until a batch was tried. */
  #usersBatch: boolean | undefined;

  constructor(options: WordpressClientOptions) {
    this.siteUrl = normalizeSiteUrl(options.siteUrl, { allowHttp: options.allowHttp ?? false });
    this.#host = new URL(this.siteUrl).host;
    this.#username = options.username.trim();
    this.#password = options.password;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.#pageSize = Math.min(100, Math.max(1, Math.floor(options.pageSize ?? 100)));
    this.#logger = options.logger ?? silentLogger;
    this.#woocommerceKey = options.woocommerceKey;
    this.#clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Which credential the WooCommerce routes use. */
  get woocommerceCredential(): 'application-password' | 'consumer-key' {
    return this.#woocommerceKey === undefined ? 'application-password' : 'consumer-key';
  }

  // --- discovery ---------------------------------------------------------------------

  /**
   * Finds the REST API: `/wp-json/` first; with pretty permalinks off that is a 404 or a
   * web page, so then the API root WordPress advertises in its `Link` header, then
   * `/?rest_route=/`. Cached; a failure is not.
   */
  discover(signal?: AbortSignal): Promise<WordpressDiscovery> {
    this.#discovery ??= this.#discover(signal).catch((error: unknown) => {
      this.#discovery = undefined;
      throw error;
    });
    return this.#discovery;
  }

  async #discover(signal: AbortSignal | undefined): Promise<WordpressDiscovery> {
    const action = 'looking for the WordPress REST API';
    const candidates = [`${this.siteUrl}/wp-json/`];
    let firstError: WordpressError | undefined;
    for (let index = 0; index < candidates.length; index += 1) {
      const restUrl = candidates[index]!;
      try {
        const index_ = await this.#readIndex(restUrl, action, signal);
        if (index_ !== undefined) return index_;
      } catch (error) {
        if (!(error instanceof WordpressError)) throw error;
        // A site that is down, slow or has a bad certificate will not do better elsewhere.
        if (['unreachable', 'timeout', 'certificate', 'bad-credentials', 'application-passwords-unavailable'].includes(error.reason)) throw error;
        firstError ??= error;
      }
      if (index === 0) {
        const linked = await this.#linkedRestUrl(signal);
        for (const candidate of [linked, `${this.siteUrl}/?rest_route=/`]) {
          if (candidate !== undefined && !candidates.includes(candidate)) candidates.push(candidate);
        }
      }
    }
    throw (
      firstError ??
      new WordpressError('not-wordpress', `${this.#host} does not look like a WordPress site: neither /wp-json/ nor ?rest_route=/ answered as WordPress's REST API.`, {
        hint: 'Check the site address. If it is WordPress, a security plugin may have turned off the REST API; allow it for ForceSites.',
      })
    );
  }

  /** The REST index at `restUrl`, or undefined when the answer is JSON but not an index. */
  async #readIndex(restUrl: string, action: string, signal: AbortSignal | undefined): Promise<WordpressDiscovery | undefined> {
    let sent: Sent;
    try {
      sent = await this.#sendUrl(restUrl, '/', { action, auth: false, signal });
    } catch (error) {
      // Sites that close the REST API to anonymous visitors (a common hardening plugin)
      // answer 401/403 here; the account ForceSites signs in with may read it.
      if (error instanceof WordpressError && (error.reason === 'bad-credentials' || error.reason === 'missing-capability')) {
        sent = await this.#sendUrl(restUrl, '/', { action, auth: true, signal });
      } else {
        throw error;
      }
    }
    const index = sent.json as { name?: unknown; namespaces?: unknown; authentication?: unknown } | null;
    if (index === null || typeof index !== 'object' || !Array.isArray(index.namespaces)) return undefined;
    const namespaces = index.namespaces.filter((namespace): namespace is string => typeof namespace === 'string');
    const authentication = index.authentication !== null && typeof index.authentication === 'object' ? (index.authentication as Record<string, unknown>) : {};
    const discovery: WordpressDiscovery = {
      siteUrl: this.siteUrl,
      restUrl,
      mode: new URL(restUrl).searchParams.has('rest_route') ? 'rest_route' : 'pretty',
      siteName: typeof index.name === 'string' ? index.name : '',
      namespaces,
      companionPlugin: namespaces.includes('forcesites/v1'),
      woocommerce: namespaces.includes('wc/v3'),
      applicationPasswords: 'application-passwords' in authentication,
    };
    this.#logger.info('WordPress REST API found', { site: this.siteUrl, mode: discovery.mode, restUrl, namespaces: namespaces.length });
    return discovery;
  }

  /** The API root from the `Link: <…>; rel="https://api.w.org/"` header of the home page. */
  async #linkedRestUrl(signal: AbortSignal | undefined): Promise<string | undefined> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await this.#fetch(`${this.siteUrl}/`, {
        method: 'HEAD',
        redirect: 'follow',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: { 'User-Agent': USER_AGENT },
      });
      const link = response.headers.get('link') ?? '';
      const match = /<([^>]+)>\s*;\s*rel="https:\/\/api\.w\.org\/"/.exec(link);
      if (!match) return undefined;
      const url = new URL(match[1]!, this.siteUrl);
      // Only the site's own origin: the password must not follow a link elsewhere.
      return url.origin === new URL(this.siteUrl).origin ? url.toString() : undefined;
    } catch {
      return undefined;
    }
  }

  // --- account and plugin -------------------------------------------------------------

  /** The account ForceSites signs in as, with the capabilities it needs. */
  async currentAccount(signal?: AbortSignal): Promise<WordpressAccount> {
    const sent = await this.#send('/wp/v2/users/me', { query: { context: 'edit' }, action: `signing in as ${this.#username}`, signal });
    return this.#shape(() => toWordpressAccount(sent.json), 'signing in');
  }

  /** GET /forcesites/v1/info; a site without the companion plugin fails with reason plugin-missing. */
  async companionInfo(signal?: AbortSignal): Promise<CompanionInfo> {
    const sent = await this.#send('/forcesites/v1/info', { action: "reading the ForceSites Companion plugin's information", signal });
    const info = this.#shape(() => toCompanionInfo(sent.json), "reading the ForceSites Companion plugin's information");
    this.#tagsMetaKey = info.tagsMetaKey;
    return info;
  }

  // --- users ---------------------------------------------------------------------------

  /**
   * Every user, oldest id first, a page at a time (pageSize, default 100). Up to
   * `concurrency` pages are fetched at once; pages are yielded in order. A user that shifts
   * onto a later page while paging (someone was added meanwhile) is yielded once.
   */
  users(query: UsersQuery = {}): AsyncGenerator<WordpressPage<WordpressUser>> {
    const tagsKey = this.#tagsMetaKey;
    return this.#paged(
      '/wp/v2/users',
      { context: 'edit', orderby: 'id', order: 'asc', roles: query.roles?.length ? query.roles.join(',') : undefined, search: query.search },
      (raw) => toWordpressUser(raw, tagsKey),
      'listing users',
      query.signal,
    );
  }

  async getUser(id: number, signal?: AbortSignal): Promise<WordpressUser> {
    const sent = await this.#send(`/wp/v2/users/${checkId(id)}`, { query: { context: 'edit' }, action: `reading user ${id}`, signal });
    return this.#shape(() => toWordpressUser(sent.json, this.#tagsMetaKey), `reading user ${id}`);
  }

  /** Creates a user; WordPress requires username, email and a password (random when omitted). */
  async createUser(input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser> {
    if (!input.username || !input.email) {
      throw new WordpressError('invalid-request', 'A new WordPress user needs a username and an email address.', { hint: 'Map a Salesforce field to the WordPress username and email.' });
    }
    // Members sign in with their own password reset; nobody ever sees this one.
    const body = toUserPayload({ ...input, password: input.password ?? randomBytes(24).toString('base64url') }, this.#tagsMetaKey);
    const sent = await this.#send('/wp/v2/users', { method: 'POST', query: { context: 'edit' }, body, action: `creating user ${input.username}`, signal });
    return this.#shape(() => toWordpressUser(sent.json, this.#tagsMetaKey), `creating user ${input.username}`);
  }

  /** Changes the given fields (tags replace the whole list; meta keys given are set). */
  async updateUser(id: number, input: WordpressUserInput, signal?: AbortSignal): Promise<WordpressUser> {
    const { password: _ignored, ...rest } = input;
    const sent = await this.#send(`/wp/v2/users/${checkId(id)}`, { method: 'POST', query: { context: 'edit' }, body: toUserPayload(rest, this.#tagsMetaKey), action: `updating user ${id}`, signal });
    return this.#shape(() => toWordpressUser(sent.json, this.#tagsMetaKey), `updating user ${id}`);
  }

  /**
   * The user with this e-mail (compared without case), or undefined. WordPress's `search`
   * matches any address containing the text, so the answer is narrowed to the exact one.
   */
  async findUserByEmail(email: string, signal?: AbortSignal): Promise<WordpressUser | undefined> {
    const wanted = email.trim().toLowerCase();
    if (wanted === '') return undefined;
    for await (const page of this.users({ search: wanted, ...(signal ? { signal } : {}) })) {
      const found = page.items.find((user) => user.email.toLowerCase() === wanted);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * Up to 25 user creates and updates in one request through WordPress 5.6+'s `batch/v1`,
   * answered in order, each with the user or WordPress's own error for it. Undefined when the
   * site cannot batch them — no `batch/v1` (404), or the users routes do not allow batching
   * (stock WordPress does not; a plugin may) — and then nothing was written: send each on its
   * own. The answer is remembered for this client.
   *
   * Sent with `require-all-validate` first, so a site that refuses to batch users refuses the
   * whole call before anything runs; writes whose parameters WordPress rejects get their
   * error, and the rest go again in a `normal` batch.
   */
  async writeUsersBatch(writes: readonly UserWrite[], signal?: AbortSignal): Promise<UserWriteAnswer[] | undefined> {
    if (writes.length === 0) return [];
    if (writes.length > USERS_BATCH_MAX) throw new WordpressError('invalid-request', `WordPress takes at most ${USERS_BATCH_MAX} requests in one batch; this had ${writes.length}.`, { hint: `Split the writes into groups of ${USERS_BATCH_MAX}.` });
    // No cheaper probe: the REST index lists /batch/v1 among its routes, not its namespaces,
    // and whether the users routes allow batching shows only in a batch's answer.
    if (this.#usersBatch === false) return undefined;
    const requests = writes.map((write) => {
      if (write.kind === 'create') {
        if (!write.input.username || !write.input.email) throw new WordpressError('invalid-request', 'A new WordPress user needs a username and an email address.', { hint: 'Map a Salesforce field to the WordPress username and email.' });
        // Members sign in with their own password reset; nobody ever sees this one.
        return { method: 'POST', path: '/wp/v2/users?context=edit', body: toUserPayload({ ...write.input, password: write.input.password ?? randomBytes(24).toString('base64url') }, this.#tagsMetaKey) };
      }
      const { password: _ignored, ...rest } = write.input;
      return { method: 'POST', path: `/wp/v2/users/${checkId(write.id)}?context=edit`, body: toUserPayload(rest, this.#tagsMetaKey) };
    });
    const answers: (UserWriteAnswer | undefined)[] = writes.map(() => undefined);
    let pending = requests.map((_, index) => index);
    for (const validation of ['require-all-validate', 'normal'] as const) {
      if (pending.length === 0) break;
      const action = `writing ${pending.length} users in one batch`;
      let sent: Sent;
      try {
        sent = await this.#send('/batch/v1', { method: 'POST', body: { validation, requests: pending.map((index) => requests[index]) }, action, signal });
      } catch (error) {
        // 404: WordPress before 5.6 (or a plugin removed the route), no batch/v1 at all. 400:
        // the batch itself refused before anything ran (a site whose rest_get_max_batch_size
        // is below 25). Either way nothing was written: one request per user from now on.
        if (error instanceof WordpressError && (error.status === 404 || error.status === 400) && validation === 'require-all-validate') {
          this.#usersBatch = false;
          this.#logger.info('WordPress does not take this batch of user writes; sending them one at a time', { site: this.siteUrl, status: error.status });
          return undefined;
        }
        throw error;
      }
      const body = sent.json as { failed?: unknown; responses?: unknown } | null;
      const responses = body !== null && typeof body === 'object' && Array.isArray(body.responses) ? (body.responses as unknown[]) : undefined;
      if (responses === undefined || responses.length !== pending.length) throw this.#shapeError(new ShapeError('responses'), action);
      const failedValidation = body!.failed === 'validation';
      if (failedValidation && responses.some((response) => batchCode(response) === 'rest_batch_not_allowed')) {
        this.#usersBatch = false;
        this.#logger.info('WordPress does not batch user writes; sending them one at a time', { site: this.siteUrl });
        return undefined;
      }
      this.#usersBatch = true;
      const next: number[] = [];
      responses.forEach((response, position) => {
        const index = pending[position]!;
        // A write that validated, in a batch another write failed: not run, goes again.
        if (failedValidation && (response === null || batchStatus(response) < 400)) next.push(index);
        else answers[index] = this.#batchAnswer(response, writes[index]!, action);
      });
      pending = failedValidation ? next : [];
    }
    return answers.map((answer) => answer ?? { ok: false, error: new WordpressError('invalid-response', `${this.#host} did not answer one write of a batch.`, { hint: 'Try again; the sync looks the user up first.' }) });
  }

  #batchAnswer(response: unknown, write: UserWrite, action: string): UserWriteAnswer {
    const status = batchStatus(response);
    const body = (response as { body?: unknown } | null)?.body;
    if (status >= 200 && status < 300) {
      try {
        return { ok: true, user: this.#shape(() => toWordpressUser(body, this.#tagsMetaKey), action) };
      } catch (error) {
        return { ok: false, error };
      }
    }
    const route = write.kind === 'create' ? '/wp/v2/users' : `/wp/v2/users/${write.id}`;
    const context: RequestContext = { host: this.#host, route, action: write.kind === 'create' ? `creating user ${write.input.username ?? ''}` : `updating user ${write.id}`, username: this.#username, timeoutMs: this.#timeoutMs };
    return { ok: false, error: errorFromResponse({ status, contentType: 'application/json', body: JSON.stringify(body ?? null) }, context) };
  }

  setTags(id: number, tags: readonly string[], signal?: AbortSignal): Promise<WordpressUser> {
    return this.updateUser(id, { tags }, signal);
  }

  setMeta(id: number, meta: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<WordpressUser> {
    return this.updateUser(id, { meta }, signal);
  }

  // --- WooCommerce -----------------------------------------------------------------------

  /** Orders, lowest id first; `after` compares creation dates as GMT. */
  orders(query: OrdersQuery = {}): AsyncGenerator<WordpressPage<WooOrder>> {
    return this.#paged(
      '/wc/v3/orders',
      { orderby: 'id', order: 'asc', after: query.after, dates_are_gmt: query.after === undefined ? undefined : true, status: query.status?.length ? query.status : undefined },
      toWooOrder,
      'listing WooCommerce orders',
      query.signal,
    );
  }

  products(query: ProductsQuery = {}): AsyncGenerator<WordpressPage<WooProduct>> {
    return this.#paged('/wc/v3/products', { orderby: 'id', order: 'asc', status: query.status }, toWooProduct, 'listing WooCommerce products', query.signal);
  }

  async getOrder(id: number, signal?: AbortSignal): Promise<WooOrder> {
    const sent = await this.#send(`/wc/v3/orders/${checkId(id)}`, { action: `reading order ${id}`, signal });
    return this.#shape(() => toWooOrder(sent.json), `reading order ${id}`);
  }

  async getProduct(id: number, signal?: AbortSignal): Promise<WooProduct> {
    const sent = await this.#send(`/wc/v3/products/${checkId(id)}`, { action: `reading product ${id}`, signal });
    return this.#shape(() => toWooProduct(sent.json), `reading product ${id}`);
  }

  /** A GET of any REST route, authenticated, with the same deadlines and errors. */
  async getJson(route: string, query: Query = {}, signal?: AbortSignal): Promise<unknown> {
    return (await this.#send(route, { query, action: `reading ${route}`, signal })).json;
  }

  // --- plumbing --------------------------------------------------------------------------

  async *#paged<T extends { id: number }>(route: string, query: Query, map: (raw: unknown) => T, action: string, signal: AbortSignal | undefined): AsyncGenerator<WordpressPage<T>> {
    const fetchPage = async (page: number, pageSignal: AbortSignal | undefined) => {
      const sent = await this.#send(route, { query: { ...query, per_page: this.#pageSize, page }, action: `${action} (page ${page})`, signal: pageSignal });
      if (!Array.isArray(sent.json)) throw this.#shapeError(new ShapeError(`${route} page ${page}`), action);
      const items = this.#shape(() => (sent.json as unknown[]).map(map), action);
      return { items, total: headerInt(sent.headers, 'x-wp-total'), totalPages: headerInt(sent.headers, 'x-wp-totalpages') };
    };

    let lastId = -Infinity;
    let skipped = 0;
    const fresh = (items: readonly T[]): T[] =>
      items.filter((item) => {
        if (item.id <= lastId) {
          skipped += 1;
          return false;
        }
        lastId = item.id;
        return true;
      });

    const first = await fetchPage(1, signal);
    // Without X-WP-TotalPages (a proxy may strip it), read on until a short page.
    const knownPages = first.totalPages;
    let total = first.total ?? first.items.length;
    yield { items: fresh(first.items), page: 1, totalPages: knownPages ?? 1, total };
    if (knownPages === undefined) {
      for (let page = 2, previous = first.items.length; previous === this.#pageSize; page += 1) {
        const next = await fetchPage(page, signal);
        previous = next.items.length;
        if (previous > 0) yield { items: fresh(next.items), page, totalPages: page, total: next.total ?? total };
      }
      return;
    }

    const controller = new AbortController();
    const pageSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const inFlight: { page: number; result: Promise<Awaited<ReturnType<typeof fetchPage>>> }[] = [];
    let nextPage = 2;
    try {
      while (nextPage <= knownPages || inFlight.length > 0) {
        while (inFlight.length < this.#concurrency && nextPage <= knownPages) {
          const result = fetchPage(nextPage, pageSignal);
          // Awaited in order below; this keeps a rejection from counting as unhandled meanwhile.
          result.catch(() => undefined);
          inFlight.push({ page: nextPage, result });
          nextPage += 1;
        }
        const { page, result } = inFlight.shift()!;
        let next: Awaited<ReturnType<typeof fetchPage>>;
        try {
          next = await result;
        } catch (error) {
          // Users deleted while paging shrink the last page away: WordPress then refuses it.
          if (error instanceof WordpressError && error.status === 400 && /invalid_page_number/.test(error.wpCode ?? '')) {
            this.#logger.info('WordPress has fewer pages than when paging began', { site: this.siteUrl, route, page });
            break;
          }
          throw error;
        }
        total = next.total ?? total;
        yield { items: fresh(next.items), page, totalPages: knownPages, total };
      }
    } finally {
      controller.abort();
      await Promise.allSettled(inFlight.map((entry) => entry.result));
    }
    if (skipped > 0) this.#logger.info('Skipped items seen twice while paging (the site changed meanwhile)', { site: this.siteUrl, route, skipped });
  }

  #send(route: string, options: SendOptions): Promise<Sent> {
    return this.discover(options.signal).then((discovery) => this.#sendUrl(routeUrl(discovery.restUrl, route, options.query), route, options));
  }

  async #sendUrl(url: string, route: string, options: SendOptions): Promise<Sent> {
    const method = options.method ?? 'GET';
    const withKey = this.#woocommerceKey !== undefined && /^\/wc\//.test(route) && (options.auth ?? true);
    const key = withKey ? await this.#readWoocommerceKey() : undefined;
    const context: RequestContext = {
      host: this.#host,
      route,
      action: options.action,
      username: this.#username,
      timeoutMs: this.#timeoutMs,
      ...(key ? { woocommerceKeyEnding: keyEnding(key.consumerKey) } : {}),
    };
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT };
    if (key) {
      // https: the key as Basic credentials; plain http (loopback only): WooCommerce insists on a signature.
      headers.Authorization = new URL(url).protocol === 'https:' ? woocommerceBasicAuthorization(key) : woocommerceOAuthAuthorization({ method, url, siteUrl: this.siteUrl, key, timestamp: this.#clock() });
    } else if (options.auth ?? true) {
      headers.Authorization = `Basic ${Buffer.from(`${this.#username}:${await this.#readPassword()}`, 'utf8').toString('base64')}`;
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';

    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const started = performance.now();
    let status = 0;
    let body: string;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        signal,
        // A redirected POST would turn into a GET; writes must reach the URL they were sent to.
        redirect: method === 'GET' ? 'follow' : 'manual',
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      const failure = errorFromFetchFailure(error, context, timeout.aborted);
      this.#logger.warn('WordPress request failed', { site: this.siteUrl, method, route, reason: failure.reason, ms: elapsed(started) });
      throw failure;
    }
    this.#logger.debug('WordPress request', { site: this.siteUrl, method, route, status, ms: elapsed(started) });

    if (status >= 300 && status < 400) {
      const location = response.headers.get('location') ?? '';
      throw new WordpressError('invalid-response', `${this.#host} redirected a change (${options.action}) to ${safeOrigin(location, url)}.`, {
        status,
        hint: 'Update the site address in ForceSites to the address the site redirects to (for example https:// or www.).',
      });
    }
    const failed = { status, contentType: response.headers.get('content-type') ?? '', body };
    if (status < 200 || status >= 300) {
      const error = errorFromResponse(failed, context);
      if (error.reason === 'bad-credentials') {
        // Read the keychain again next time.
        if (key) this.#woocommerceKeyPromise = undefined;
        else this.#passwordPromise = undefined;
      }
      this.#logger.warn('WordPress refused a request', { site: this.siteUrl, method, route, status, reason: error.reason, wpCode: error.wpCode });
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(body) as unknown;
    } catch {
      const error = errorFromUnreadableSuccess(failed, context);
      this.#logger.warn('WordPress sent an unreadable answer', { site: this.siteUrl, method, route, status, reason: error.reason });
      throw error;
    }
    return { status, headers: response.headers, json };
  }

  #readPassword(): Promise<string> {
    this.#passwordPromise ??= (async () => {
      const password = typeof this.#password === 'string' ? this.#password : await this.#password();
      if (password === null || password.trim() === '') {
        this.#passwordPromise = undefined;
        throw new WordpressError('no-credentials', `No application password is stored for ${this.#host}.`, {
          hint: 'Edit the site and paste an application password (WordPress: Users → Profile → Application Passwords).',
        });
      }
      return password;
    })();
    return this.#passwordPromise;
  }

  #readWoocommerceKey(): Promise<WoocommerceKey> {
    this.#woocommerceKeyPromise ??= (async () => {
      const source = this.#woocommerceKey;
      const key = typeof source === 'function' ? await source() : (source ?? null);
      if (key === null || key.consumerKey.trim() === '' || key.consumerSecret.trim() === '') {
        this.#woocommerceKeyPromise = undefined;
        throw new WordpressError('no-credentials', `No WooCommerce REST API key is stored for ${this.#host}.`, {
          hint: 'Edit the site and paste the consumer key and secret (WooCommerce → Settings → Advanced → REST API → Add key, Read access), or let the orders use the application password.',
        });
      }
      return { consumerKey: key.consumerKey.trim(), consumerSecret: key.consumerSecret.trim() };
    })();
    return this.#woocommerceKeyPromise;
  }

  #shape<T>(read: () => T, action: string): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof ShapeError) throw this.#shapeError(error, action);
      throw error;
    }
  }

  #shapeError(error: ShapeError, action: string): WordpressError {
    this.#logger.warn('WordPress answer had an unexpected shape', { site: this.siteUrl, action, path: error.path });
    return new WordpressError('invalid-response', `${this.#host} answered ${action} in a shape ForceSites does not know (at ${error.path}).`, {
      hint: 'A plugin may be changing the REST API’s answers, or the site runs a WordPress or WooCommerce version ForceSites does not support yet.',
      cause: error,
    });
  }
}

const USER_AGENT = 'ForceSites (WordPress REST client)';

function headerInt(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function batchStatus(response: unknown): number {
  const status = (response as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 0;
}

function batchCode(response: unknown): string | undefined {
  const code = ((response as { body?: unknown } | null)?.body as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function checkId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new WordpressError('invalid-request', `“${String(id)}” is not a WordPress id.`, { hint: 'Ids are positive whole numbers.' });
  return id;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function safeOrigin(location: string, base: string): string {
  try {
    const url = new URL(location, base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'another address';
  }
}
