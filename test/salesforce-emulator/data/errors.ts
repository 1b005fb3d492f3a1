/**
 * The two error shapes of the REST API:
 * - request-level errors, sent as `[{message, errorCode, fields?}]` with a 4xx status;
 * - per-record DML errors, which are `{statusCode, message, fields}` inside sObject Collections
 *   results and `{message, errorCode, fields}` when a single-record call fails.
 */

export interface DmlError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** A request-level failure: the handler turns it into `[{message, errorCode}]`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    /** Only DML validation errors carry `fields`; query and routing errors do not. */
    readonly fields?: readonly string[],
  ) {
    super(message);
  }

  toBody(): Record<string, unknown>[] {
    const body: Record<string, unknown> = { message: this.message, errorCode: this.errorCode };
    if (this.fields) body.fields = [...this.fields];
    return [body];
  }
}

/** One record failed validation or a rule; the DML layer reports it per record. */
export class DmlFailure extends Error {
  constructor(readonly errors: readonly DmlError[]) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
  }
}

export function dmlError(statusCode: string, message: string, fields: readonly string[] = []): DmlFailure {
  return new DmlFailure([{ statusCode, message, fields }]);
}

export function notFound(message = 'The requested resource does not exist'): ApiError {
  return new ApiError(404, 'NOT_FOUND', message);
}

/** REST answers every error of a failed record in one array. */
export class MultiApiError extends ApiError {
  constructor(status: number, readonly errors: readonly DmlError[]) {
    super(status, errors[0]?.statusCode ?? 'UNKNOWN_EXCEPTION', errors[0]?.message ?? '', errors[0]?.fields ?? []);
  }

  override toBody(): Record<string, unknown>[] {
    return this.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: [...e.fields] }));
  }
}
