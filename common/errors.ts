/**
 * Errors that cross the process boundary.
 *
 * Electron passes only `message` across `invoke`, so every handler answers
 * `{ok:false, error:{code, message, hint}}` instead of throwing. Domain code throws
 * `AppError` with a stable code; the hint tells the admin what to do next.
 */

export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'NOT_FOUND',
  'CONFLICT',
  'KEYCHAIN_UNAVAILABLE',
  'AUTH_CANCELLED',
  'AUTH_DENIED',
  'AUTH_TIMEOUT',
  'AUTH_STATE_MISMATCH',
  'AUTH_PORT_BUSY',
  'INVALID_LOGIN_HOST',
  'NEEDS_REAUTHORIZATION',
  'SALESFORCE_ERROR',
  'REQUEST_LIMIT_EXCEEDED',
  'NETWORK_ERROR',
  'REQUEST_TIMEOUT',
  'PROFILE_FILE_ERROR',
  'PERMISSION_MISSING',
  'URL_NOT_ALLOWED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialisable form of an error, as the renderer sees it. */
export interface ErrorDto {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }

  toDto(): ErrorDto {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Anything unexpected becomes INTERNAL with a generic message: stack traces and raw
 * library messages may carry URLs with tokens, so they stay in main's log, not the UI.
 */
export function toErrorDto(error: unknown): ErrorDto {
  if (isAppError(error)) return error.toDto();
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside ForceSites.',
    hint: 'Try again. If it keeps happening, the Activity page lists what ForceSites did.',
  };
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorDto };
