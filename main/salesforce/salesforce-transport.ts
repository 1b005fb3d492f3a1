/**
 * Every HTTP request a jsforce Connection sends — REST, Bulk 2.0, SOAP, Metadata — goes
 * through `connection._transport.httpRequest`. ForceSites wraps that one function, so the
 * rules below hold for every kind of call, not only for `Connection.request`:
 *
 * - a deadline: jsforce's own default is 30 minutes; ours is a setting (default 30 s), and
 *   past it the call rejects with REQUEST_TIMEOUT even if the server never answers;
 * - few retries: jsforce retries 5xx and network errors five times with back-off (46 s
 *   for an org that is down). Here it retries once; the sync engine does its own retrying
 *   with jitter where retrying is safe;
 * - the API-call meter counts each request;
 * - any answer below 400 proves the access token works (the guarded refresh's loop cap).
 *
 * jsforce is pinned (3.10.16); test/unit/salesforce covers this seam so an upgrade that
 * changes it fails there.
 */
import type { Connection } from 'jsforce';
import { AppError } from '../../common/errors';

interface JsforceResponse {
  readonly statusCode: number;
}

type StreamPromiseLike<T> = Promise<T> & { stream(): unknown };

interface JsforceTransport {
  httpRequest(request: unknown, options?: Record<string, unknown>): StreamPromiseLike<JsforceResponse>;
}

export interface TransportGuards {
  /** Deadline for one request, retries included. */
  readonly timeoutMs: () => number;
  /** Told once per request sent. */
  readonly onRequest: () => void;
  /** Told when Salesforce answered below 400. */
  readonly onAccepted: () => void;
}

/** How jsforce's request layer may retry: once, quickly, for the same codes it uses. */
const RETRY = { maxRetries: 1, minTimeout: 300, timeoutFactor: 2 } as const;

export function guardTransport(connection: Connection, guards: TransportGuards): void {
  const holder = connection as unknown as { _transport: JsforceTransport };
  const inner = holder._transport;
  holder._transport = {
    httpRequest(request, options = {}) {
      guards.onRequest();
      const timeoutMs = guards.timeoutMs();
      const pending = inner.httpRequest(request, { ...options, timeout: timeoutMs, retry: { ...RETRY, ...(options['retry'] as object | undefined) } });
      let timer: ReturnType<typeof setTimeout> | undefined;
      // jsforce's own timeout covers the fetch but not a body that never finishes; this one
      // covers the whole answer.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(requestTimedOut(timeoutMs)), timeoutMs + 1_000);
        timer.unref();
      });
      const settled = Promise.race([pending, deadline]).then(
        (response) => {
          clearTimeout(timer);
          if (response !== undefined && response.statusCode < 400) guards.onAccepted();
          return response;
        },
        (error: unknown) => {
          clearTimeout(timer);
          throw isAbortTimeout(error) ? requestTimedOut(timeoutMs) : error;
        },
      );
      return Object.assign(settled, { stream: () => pending.stream() });
    },
  };
}

export function requestTimedOut(timeoutMs: number): AppError {
  return new AppError('REQUEST_TIMEOUT', `Salesforce did not answer within ${Math.round(timeoutMs / 1000)} seconds.`, {
    hint: 'Salesforce may be slow or unreachable. Check the connection and Salesforce’s status page, then try again; the deadline is a setting.',
  });
}

function isAbortTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || /aborted due to timeout/i.test(error.message));
}
