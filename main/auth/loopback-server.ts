/**
 * The one-shot HTTP listener that receives the OAuth redirect from the admin's browser.
 *
 * Modelled on Salesforce CLI's webOAuthServer: bind loopback only, refuse a busy port
 * instead of killing its owner, answer only `GET <path>`, check `state` in constant time,
 * serve one callback, time out, destroy every socket on close and never log a whole code.
 *
 * Any web page can make the admin's browser request this port (one `<img>`), and an earlier
 * sign-in's tab can come back late, so a request whose `state` is not this flow's is answered
 * 400 and ignored: only the matching state, a cancel or the timeout settle the flow.
 *
 * After a cancel the admin may still finish in the Salesforce tab. Rather than the browser's
 * "refused to connect", the listener stays for a short while (two minutes) to tell that tab
 * "This sign-in was cancelled in ForceSites", then releases the port. A new sign-in on the same
 * port takes over at once and keeps telling the old tab the same thing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../../common/errors';
import { installFixPath, isUninstalledAppError, uninstalledExplanation } from '../salesforce/uninstalled-app';
import { CALLBACK_PAGE_HEADERS, renderCallbackPage, type CallbackPage } from './callback-pages';
import { lastChars, silentLogger, type Logger } from '../platform/logger';
import { statesEqual } from './pkce';
import { systemTimers, type Timers } from '../platform/timers';

export const DEFAULT_CALLBACK_PATH = '/OauthRedirect';
export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60 * 1000;
export const DEFAULT_CANCELLED_PAGE_MS = 2 * 60 * 1000;

/** Cancelled listeners still answering their tab, by port: a new sign-in on that port takes over. */
const lingering = new Map<number, LoopbackServer>();

/** Releases every port a cancelled sign-in still holds (app quit, tests). */
export async function closeLingeringListeners(): Promise<void> {
  await Promise.all([...lingering.values()].map((server) => server.shutdown()));
}

export interface LoopbackServerOptions {
  /** 0 picks a free port (tests only: a connected app registers exact callback URLs). */
  readonly port: number;
  readonly path?: string;
  /**
   * The host written into redirect_uri; it must match the connected app's callback URL
   * exactly. Salesforce setups conventionally register `http://localhost:1717/OauthRedirect`.
   */
  readonly redirectHost?: 'localhost' | '127.0.0.1';
  readonly expectedState: string;
  readonly timeoutMs?: number;
  /** How long a cancelled flow keeps telling its browser tab so (0: close at once). */
  readonly cancelledPageMs?: number;
  readonly timers?: Timers;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
}

export interface AuthorizationCallback {
  readonly code: string;
}

type Outcome = { readonly value: AuthorizationCallback } | { readonly error: AppError };

export class LoopbackServer {
  readonly port: number;
  readonly path: string;
  readonly redirectUri: string;
  /** Settles once: the code, or an AppError (denied, timeout, cancelled, Salesforce error). */
  readonly result: Promise<AuthorizationCallback>;
  /** Resolves once the port is released. */
  readonly closed: Promise<void>;

  readonly #servers: Server[];
  readonly #sockets: Set<Socket>;
  readonly #expectedState: string;
  readonly #timers: Timers;
  readonly #log: Logger;
  readonly #signal: AbortSignal | undefined;
  readonly #cancelledPageMs: number;
  /** States of earlier flows on this port that were cancelled: their tabs get the cancelled page. */
  readonly #cancelledStates: Set<string>;
  #settled = false;
  #lingering = false;
  #strayRequests = 0;
  #closing: Promise<void> | undefined;
  #timeoutHandle: unknown;
  #lingerHandle: unknown;
  #resolve!: (value: AuthorizationCallback) => void;
  #reject!: (error: AppError) => void;
  #markClosed!: () => void;
  readonly #onAbort = (): void => this.#cancel();

  /** Binds the port and starts waiting; throws AUTH_PORT_BUSY when something else holds it. */
  static async listen(options: LoopbackServerOptions): Promise<LoopbackServer> {
    if (options.signal?.aborted) throw new AppError('AUTH_CANCELLED', 'Sign-in was cancelled.');
    const redirectHost = options.redirectHost ?? 'localhost';
    const cancelledStates = new Set<string>();
    const previous = options.port === 0 ? undefined : lingering.get(options.port);
    if (previous !== undefined) {
      // Our own cancelled sign-in holds the port only to answer its tab: take over from it.
      for (const state of previous.#cancelledStates) cancelledStates.add(state);
      cancelledStates.add(previous.#expectedState);
      await previous.shutdown();
    }
    const sockets = new Set<Socket>();
    const handler: { current?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    const makeServer = (): Server => {
      const server = createServer((req, res) => handler.current?.(req, res));
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      return server;
    };
    const primary = makeServer();
    await bind(primary, options.port, '127.0.0.1');
    const address = primary.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const servers = [primary];
    if (redirectHost === 'localhost') {
      // `localhost` may resolve to ::1 first. Hold [::1]:port too, so another local program
      // listening there cannot receive the redirect that carries the authorization code.
      const secondary = makeServer();
      try {
        await bind(secondary, port, '::1');
        servers.push(secondary);
      } catch (error) {
        if (error instanceof AppError) {
          await closeServers(servers, sockets);
          throw error;
        }
        // No IPv6 loopback on this machine: nothing can listen there either.
      }
    }
    const server = new LoopbackServer(options, port, servers, sockets, redirectHost, cancelledStates);
    handler.current = (req, res) => server.#handle(req, res);
    return server;
  }

  private constructor(
    options: LoopbackServerOptions,
    port: number,
    servers: Server[],
    sockets: Set<Socket>,
    redirectHost: string,
    cancelledStates: Set<string>,
  ) {
    this.port = port;
    this.path = options.path ?? DEFAULT_CALLBACK_PATH;
    this.redirectUri = `http://${redirectHost}:${port}${this.path}`;
    this.#servers = servers;
    this.#sockets = sockets;
    this.#expectedState = options.expectedState;
    this.#timers = options.timers ?? systemTimers;
    this.#log = options.log ?? silentLogger;
    this.#signal = options.signal;
    this.#cancelledPageMs = options.cancelledPageMs ?? DEFAULT_CANCELLED_PAGE_MS;
    this.#cancelledStates = cancelledStates;
    this.closed = new Promise<void>((resolve) => {
      this.#markClosed = resolve;
    });
    this.result = new Promise<AuthorizationCallback>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The owner may await `result` later; a failure before then is not "unhandled".
    this.result.catch(() => undefined);
    const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
    this.#timeoutHandle = this.#timers.setTimeout(() => {
      this.#fail(
        new AppError('AUTH_TIMEOUT', `No answer from the browser within ${Math.round(timeoutMs / 1000)} seconds.`, {
          hint: 'Start the sign-in again and finish it in the browser window that opens.',
        }),
      );
    }, timeoutMs);
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Ends the flow. If it was still waiting it is cancelled, and the listener lingers to tell
   * the browser tab so (see the file comment); otherwise the port is released. Resolves at
   * once in the first case, so a cancel never waits for the linger.
   */
  close(): Promise<void> {
    if (!this.#settled) this.#cancel();
    if (this.#lingering) return Promise.resolve();
    return this.shutdown();
  }

  /** Stops listening now and destroys every socket, lingering or not. Cancels a waiting flow. */
  shutdown(): Promise<void> {
    if (!this.#settled) this.#settleWith({ error: cancelledError() });
    if (this.#lingering) {
      this.#lingering = false;
      this.#timers.clearTimeout(this.#lingerHandle);
      if (lingering.get(this.port) === this) lingering.delete(this.port);
    }
    this.#closing ??= closeServers(this.#servers, this.#sockets).then(() => this.#markClosed());
    return this.#closing;
  }

  /** Cancel and abort: settle as cancelled, then keep the cancelled page up for a while. */
  #cancel(): void {
    if (!this.#settleWith({ error: cancelledError() })) return;
    if (this.#cancelledPageMs <= 0 || this.#closing !== undefined) {
      void this.shutdown();
      return;
    }
    this.#lingering = true;
    // Only answering a tab: this must not keep a plain-Node process (tests, the demo) alive.
    for (const server of this.#servers) server.unref();
    const replaced = lingering.get(this.port);
    lingering.set(this.port, this);
    if (replaced !== undefined && replaced !== this) void replaced.shutdown();
    this.#lingerHandle = this.#timers.setTimeout(() => void this.shutdown(), this.#cancelledPageMs);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      // A request target no browser sends (`http://[bad`): a throw here would end the process.
      this.#send(res, { status: 400, title: 'Bad request', message: 'This address is not part of the ForceSites sign-in.' });
      return;
    }
    if (url.pathname !== this.path) {
      // Browsers ask for /favicon.ico and the like: answer without touching the flow.
      this.#send(res, { status: 404, title: 'Not found', message: 'This address is not part of the ForceSites sign-in.' });
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      this.#send(res, { status: 405, title: 'Method not allowed', message: 'The sign-in callback only accepts GET.' });
      return;
    }
    const state = url.searchParams.get('state');
    if (this.#isCancelledFlow(state)) {
      this.#log.info('OAuth callback for a cancelled sign-in; its code is not used');
      this.#send(res, {
        status: 410,
        title: 'Sign-in cancelled',
        message: 'This sign-in was cancelled in ForceSites, so ForceSites was not connected. You can close this tab; to connect, start the sign-in again in ForceSites.',
      });
      return;
    }
    if (!statesEqual(this.#expectedState, state)) {
      // Not this flow's browser tab (a stray request from any web page, or a stale tab): say
      // so and keep waiting. Logged once per listener, so a page cannot flood the log.
      if (this.#strayRequests++ === 0) this.#log.warn('OAuth callback with a state that does not match this sign-in; ignored');
      this.#send(res, {
        status: 400,
        title: 'Not this sign-in',
        message: 'This browser tab belongs to a different ForceSites sign-in, so ForceSites ignored it. If you are signing in now, finish in the tab ForceSites opened last.',
      });
      return;
    }
    if (this.#settled) {
      this.#send(res, {
        status: 409,
        title: 'Sign-in already finished',
        message: 'This sign-in has already been handled. Return to ForceSites.',
      });
      return;
    }
    const query = url.searchParams;
    const oauthError = query.get('error');
    if (oauthError !== null) {
      const description = (query.get('error_description') ?? '').slice(0, 1000);
      this.#log.warn('OAuth callback reported an error', { error: oauthError.slice(0, 100) });
      const denied = oauthError === 'access_denied';
      const error = denied
        ? new AppError('AUTH_DENIED', description === '' ? 'Access was denied in Salesforce.' : `Salesforce said: ${description}`, {
            hint: 'Choose Allow on the Salesforce page, or ask your Salesforce admin whether you may use this connected app.',
          })
        : new AppError('SALESFORCE_ERROR', `Salesforce refused the sign-in (${oauthError.slice(0, 100)}${description === '' ? '' : `: ${description}`}).`, {
            hint: isUninstalledAppError(oauthError, description)
              ? `${uninstalledExplanation('The connected app')} Fix: ${installFixPath('the app')}`
              : 'Check the connected app settings in Salesforce, then try again.',
          });
      this.#finishWithPage(
        res,
        {
          status: 200,
          title: denied ? 'Access was not allowed' : 'Salesforce refused the sign-in',
          message: 'ForceSites was not connected. You can close this tab and return to ForceSites.',
          detail: description === '' ? oauthError.slice(0, 100) : description,
        },
        { error },
      );
      return;
    }
    const code = query.get('code');
    if (code === null || code === '') {
      const error = new AppError('SALESFORCE_ERROR', 'Salesforce returned to ForceSites without an authorization code.', {
        hint: 'Start the sign-in again.',
      });
      this.#finishWithPage(res, { status: 400, title: 'Sign-in incomplete', message: error.message }, { error });
      return;
    }
    this.#log.info('OAuth callback received an authorization code', { code: lastChars(code) });
    this.#finishWithPage(
      res,
      { status: 200, title: 'Signed in', message: 'You can close this tab and return to ForceSites.' },
      { value: { code } },
    );
  }

  /** Marks the flow settled at once (so a racing second request is refused), then answers. */
  #finishWithPage(res: ServerResponse, page: CallbackPage, outcome: Outcome): void {
    this.#settleWith(outcome);
    // Close only after the page has been handed to the socket, or the browser shows nothing.
    this.#send(res, page, () => void this.close());
  }

  #send(res: ServerResponse, page: CallbackPage, after?: () => void): void {
    const body = renderCallbackPage(page);
    res.writeHead(page.status, { ...CALLBACK_PAGE_HEADERS, 'content-length': Buffer.byteLength(body) });
    res.end(body, after);
  }

  /** Timeout: nobody is waiting for a page, so close at once. */
  #fail(error: AppError): void {
    if (!this.#settleWith({ error })) return;
    void this.shutdown();
  }

  /** This flow after its cancel, or an earlier cancelled flow on this port. */
  #isCancelledFlow(state: string | null): boolean {
    if (state === null) return false;
    if (this.#lingering && statesEqual(this.#expectedState, state)) return true;
    for (const cancelled of this.#cancelledStates) if (statesEqual(cancelled, state)) return true;
    return false;
  }

  #settleWith(outcome: Outcome): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#timers.clearTimeout(this.#timeoutHandle);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    if ('error' in outcome) this.#reject(outcome.error);
    else this.#resolve(outcome.value);
    return true;
  }
}

function cancelledError(): AppError {
  return new AppError('AUTH_CANCELLED', 'Sign-in was cancelled.');
}

function bind(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new AppError('AUTH_PORT_BUSY', `Port ${port} on this computer is in use by another program, so ForceSites cannot receive the sign-in.`, {
            hint: `Close the program using port ${port} (often another Salesforce tool's sign-in), or pick another callback port that your connected app lists, then try again.`,
            cause: error,
          }),
        );
      } else {
        reject(error);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: never share the port with another process through cluster handles.
    server.listen({ port, host, exclusive: true });
  });
}

async function closeServers(servers: readonly Server[], sockets: Set<Socket>): Promise<void> {
  const closed = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
      }),
  );
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(closed);
}
