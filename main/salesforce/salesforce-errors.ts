/**
 * The one place that reads Salesforce failures: what jsforce, fetch or a REST body threw →
 * a stable error code (`errorCodeOf`), a message safe for the UI (`errorMessageOf`), a few
 * questions features ask (`isAuthorizationLost`, `isPermissionError`, `isNotAvailable`), and
 * `toSalesforceAppError`: an AppError with the Salesforce errorCode kept in the message
 * (admins search for it), a hint that says what to do, and the original error as `cause`.
 */
import { AppError, isAppError, type ErrorCode } from '../../common/errors';

/** One entry of a REST error array: `[{"message":"…","errorCode":"…","fields":[…]}]`. */
export interface SalesforceRestError {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

/** The user lacks a permission (or the org a feature) this call needs. */
const PERMISSION_CODES = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'FUNCTIONALITY_NOT_ENABLED',
  'FORBIDDEN',
  'ERROR_HTTP_403',
  'INVALID_TYPE',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps what jsforce (or fetch) threw. AppErrors pass through unchanged. */
export function toSalesforceAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const networkCode = findNetworkCode(error);
  if (networkCode !== undefined) {
    return new AppError('NETWORK_ERROR', `Could not reach Salesforce (${networkCode}).`, {
      hint: 'Check the internet connection, then try again.',
      cause: error,
    });
  }
  const details = restErrorsOf(error);
  if (details.length > 0) return fromRestErrors(details, error);
  return new AppError('SALESFORCE_ERROR', 'Salesforce answered with an unexpected error.', {
    hint: 'Try again. The Activity page has the details.',
    cause: error,
  });
}

/** Maps a REST error array (or single object) from a response body. */
export function fromRestErrors(errors: readonly SalesforceRestError[], cause?: unknown): AppError {
  const first = errors[0];
  if (first === undefined) return new AppError('SALESFORCE_ERROR', 'Salesforce reported an error without details.', { cause });
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.errorCode}: ${e.message}${e.fields && e.fields.length > 0 ? ` [${e.fields.join(', ')}]` : ''}`)
    .join('; ');
  const more = errors.length > 3 ? ` (+${errors.length - 3} more)` : '';
  const { code, hint } = classify(first.errorCode);
  return new AppError(code, `${summary}${more}`, { hint, cause });
}

/** Parses a REST error response body (array or object); empty when it is not one. */
export function parseRestErrorBody(body: unknown): SalesforceRestError[] {
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    const errorCode = record['errorCode'];
    const message = record['message'];
    if (typeof errorCode !== 'string' || typeof message !== 'string') return [];
    const fields = Array.isArray(record['fields']) ? record['fields'].filter((f): f is string => typeof f === 'string') : undefined;
    return [{ errorCode, message, ...(fields === undefined ? {} : { fields }) }];
  });
}

/** Runs a Salesforce call and maps whatever it throws. */
export async function withSalesforceErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSalesforceAppError(error);
  }
}

function classify(errorCode: string): { code: ErrorCode; hint: string } {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    return { code: 'REQUEST_LIMIT_EXCEEDED', hint: 'The org has used its API requests for the last 24 hours. Wait, or ask Salesforce for a higher limit.' };
  }
  // INVALID_TYPE also means "no such object", so it is not reported as a missing permission here.
  if (PERMISSION_CODES.has(errorCode) && errorCode !== 'INVALID_TYPE') {
    return { code: 'PERMISSION_MISSING', hint: 'The Salesforce user lacks a permission this needs (API Enabled, object or field access). Ask your Salesforce admin.' };
  }
  if (errorCode === 'INVALID_SESSION_ID') {
    return { code: 'NEEDS_REAUTHORIZATION', hint: 'Reauthorize this connection: sign in to Salesforce again.' };
  }
  return { code: 'SALESFORCE_ERROR', hint: 'Check the message from Salesforce; the Activity page has the details.' };
}

/** jsforce's HttpApiError: name = errorCode, `errorCode`, and `data` with the body (or the array for several). */
function restErrorsOf(error: unknown): SalesforceRestError[] {
  if (typeof error !== 'object' || error === null) return [];
  const record = error as { errorCode?: unknown; message?: unknown; data?: unknown };
  const fromData = parseRestErrorBody(record.data);
  if (fromData.length > 0) return fromData;
  if (typeof record.errorCode === 'string' && typeof record.message === 'string') {
    return [{ errorCode: record.errorCode, message: record.message }];
  }
  return [];
}

function findNetworkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The stable Salesforce error code of a failed call, e.g. `NOT_FOUND`, `INVALID_TYPE`. */
export function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { errorCode?: unknown; code?: unknown; name?: unknown; data?: unknown };
    if (typeof e.errorCode === 'string' && e.errorCode !== '') return e.errorCode;
    // ForceSites' own AppError (NEEDS_REAUTHORIZATION, KEYCHAIN_UNAVAILABLE …).
    if (typeof e.code === 'string' && /^[A-Z_0-9]+$/.test(e.code)) return e.code;
    if (e.data && typeof e.data === 'object') {
      const d = e.data as { errorCode?: unknown; error?: unknown };
      if (typeof d.errorCode === 'string') return d.errorCode;
      if (typeof d.error === 'string') return d.error;
    }
    if (typeof e.name === 'string' && /^[A-Z_0-9]+$/.test(e.name)) return e.name;
  }
  return 'UNKNOWN';
}

/** A message safe for the UI: Salesforce's own message, never a URL that might carry a token. */
export function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300);
}

/** Salesforce answers these when an object or resource is not there for this user or version. */
export function isNotAvailable(error: unknown): boolean {
  const code = errorCodeOf(error);
  return ['NOT_FOUND', 'ERROR_HTTP_404', 'ERROR_HTTP_400'].includes(code) || (PERMISSION_CODES.has(code) && code !== 'INSUFFICIENT_ACCESS_OR_READONLY' && code !== 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY' && code !== 'API_CURRENTLY_DISABLED');
}

export function isPermissionError(error: unknown): boolean {
  return PERMISSION_CODES.has(errorCodeOf(error)) && errorCodeOf(error) !== 'FUNCTIONALITY_NOT_ENABLED';
}

/** The session or the refresh token is gone: the connection, not the check, has the problem. */
export function isAuthorizationLost(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code === 'NEEDS_REAUTHORIZATION' || code === 'KEYCHAIN_UNAVAILABLE' || code === 'INVALID_SESSION_ID' || code === 'invalid_grant') return true;
  // jsforce's own refresh delegate rewraps token-endpoint errors as a plain Error with this text.
  const message = error instanceof Error ? error.message : '';
  return /Unable to refresh session|expired access\/refresh token|invalid_grant/i.test(message);
}

/**
 * Salesforce did not answer usefully: the network failed, the deadline passed, or the server
 * answered 5xx (often an HTML maintenance page). Nothing was learned about the org, so a
 * caller must not report "ok" on the strength of this call.
 */
export function isUnreachable(error: unknown): boolean {
  if (findNetworkCode(error) !== undefined) return true;
  const code = errorCodeOf(error);
  if (code === 'NETWORK_ERROR' || code === 'REQUEST_TIMEOUT' || code === 'SERVER_UNAVAILABLE' || /^ERROR_HTTP_5\d\d$/.test(code)) return true;
  if (error instanceof Error && /^(FetchError|AbortError)$/.test(error.name)) return true;
  // jsforce reports a non-JSON body (an HTML error page) with the status in the message.
  const message = error instanceof Error ? error.message : '';
  return /HTTP response contains html content|<html|status code 5\d\d/i.test(message);
}
