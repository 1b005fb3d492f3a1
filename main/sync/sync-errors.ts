/**
 * How the sync reads a failed Salesforce call: stop the run (authorization lost, API limit
 * reached — retrying would only burn what is left), retry it (5xx, timeouts, dropped
 * connections), or fail the batch's records with Salesforce's own words.
 */
import { AppError } from '../../common/errors';
import { errorCodeOf, errorMessageOf, isAuthorizationLost, isUnreachable } from '../salesforce/salesforce-errors';

export type FailureKind = 'stop' | 'retry' | 'records';

export function failureKind(error: unknown): FailureKind {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED' || isAuthorizationLost(error)) return 'stop';
  if (code === 'UNABLE_TO_LOCK_ROW' || isUnreachable(error) || code === 'UNKNOWN_EXCEPTION' || code === 'ERROR_HTTP_500') return 'retry';
  if (error instanceof Error && /ECONNRESET|socket hang up|fetch failed|other side closed/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`)) return 'retry';
  return 'records';
}

/** The error that ends a run early, with what to do; the journal stays as it is. */
export function stopError(error: unknown): AppError {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return new AppError('REQUEST_LIMIT_EXCEEDED', 'Salesforce refused the sync: the org has used its API requests for the last 24 hours (REQUEST_LIMIT_EXCEEDED).', {
      hint: 'The run stopped with its journal saved. Start the sync again when the org has requests left (Health shows API usage); records already written are not written twice.',
      cause: error,
    });
  }
  return new AppError('NEEDS_REAUTHORIZATION', `Salesforce no longer accepts this connection's authorization (${code}).`, {
    hint: 'The run stopped with its journal saved. Reauthorize the connection on the Connections page, then start the sync again; it resumes without writing anything twice.',
    cause: error,
  });
}

export { errorCodeOf, errorMessageOf };

/**
 * Codes that say nothing about the record itself: a lock, an outage, a rolled-back batch, a
 * stop, or ForceSites' own "not processed / not written". A record failed with one of these is
 * sent again next time; any other per-record code is Salesforce refusing those values.
 */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'UNKNOWN_EXCEPTION',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'REQUEST_LIMIT_EXCEEDED',
  'INVALID_SESSION_ID',
  'SERVER_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  'REQUEST_TIMEOUT',
  'NOT_PROCESSED',
  'NOT_WRITTEN',
  'UNKNOWN',
]);

/** A per-record failure Salesforce will give again for the same values (so it is remembered, not re-sent). */
export function isPermanentRefusal(code: string): boolean {
  return code !== '' && !TRANSIENT_CODES.has(code) && !/^ERROR_HTTP_/.test(code);
}
