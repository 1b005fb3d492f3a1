/**
 * What a feature that writes many records should do with a failed Salesforce call: stop the
 * run (authorization lost, the org's API requests used up — repeating would only burn what is
 * left), retry it (5xx, deadlines, dropped connections, a locked row), or settle the records
 * it carried as failed with Salesforce's own words. One reading for every batch writer.
 */
import { errorCodeOf, isAuthorizationLost, isUnreachable } from './salesforce-errors';

export type SalesforceFailureKind = 'stop' | 'retry' | 'records';

export function salesforceFailureKind(error: unknown): SalesforceFailureKind {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED' || isAuthorizationLost(error)) return 'stop';
  if (code === 'UNABLE_TO_LOCK_ROW' || code === 'SERVER_UNAVAILABLE' || code === 'UNKNOWN_EXCEPTION' || code === 'ERROR_HTTP_500' || code === 'ERROR_HTTP_503' || isUnreachable(error)) return 'retry';
  if (error instanceof Error && /ECONNRESET|socket hang up|fetch failed|other side closed|terminated/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`)) return 'retry';
  return 'records';
}
