/**
 * The Composite resource (`POST composite`): up to 25 subrequests in one call, run in order
 * as the same user, each answered in `compositeResponse` with its own status, headers and
 * body. The whole request counts as ONE API call (the core counts it once), which is why
 * clients bundle describes and queries into it.
 *
 * Emulated: GET/POST/PATCH/DELETE subrequests to any resource the data half serves,
 * `httpHeaders` per subrequest (e.g. `If-Modified-Since` on a describe), `@{ref.path}`
 * references to earlier results in `url` and `body`, `allOrNone: false` semantics (a failed
 * subrequest does not stop independent ones; one that references a failed one answers 400
 * PROCESSING_HALTED). Not emulated: `allOrNone: true` with DML (refused with 400, see README),
 * `collateSubrequests` (accepted, ignored: results are the same, only timing differs).
 */
import { ApiError } from '../errors';
import type { OrgState } from '../org-state';
import type { DataRequest, DataResponse } from '../seam';
import { json, methodNotAllowed, parseJsonBody } from './http';

export const MAX_COMPOSITE_SUBREQUESTS = 25;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE']);
/** Headers a subrequest inherits and may not set (Salesforce answers 400 when it tries). */
const FORBIDDEN_HEADERS = new Set(['accept', 'authorization', 'content-type']);

interface Subrequest {
  readonly method: DataRequest['method'];
  readonly url: string;
  readonly referenceId: string;
  readonly body?: unknown;
  readonly httpHeaders?: Record<string, string>;
}

type Dispatch = (org: OrgState, request: DataRequest) => DataResponse;

function bad(message: string): ApiError {
  // UNCONFIRMED wording: Salesforce answers a malformed composite body with JSON_PARSER_ERROR or INVALID_INPUT.
  return new ApiError(400, 'JSON_PARSER_ERROR', message);
}

function readSubrequests(request: DataRequest): { allOrNone: boolean; subrequests: Subrequest[] } {
  const body = parseJsonBody(request) as { allOrNone?: unknown; compositeRequest?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.compositeRequest)) {
    throw bad('Cannot deserialize instance of CompositeRequest: compositeRequest must be an array');
  }
  if (body.compositeRequest.length === 0) throw bad('compositeRequest must hold at least one subrequest');
  if (body.compositeRequest.length > MAX_COMPOSITE_SUBREQUESTS) {
    // UNCONFIRMED wording.
    throw new ApiError(400, 'LIMIT_EXCEEDED', `The composite request can contain at most ${MAX_COMPOSITE_SUBREQUESTS} subrequests.`);
  }
  const seen = new Set<string>();
  const subrequests = body.compositeRequest.map((raw: unknown, index): Subrequest => {
    const item = raw as Record<string, unknown> | null;
    if (!item || typeof item !== 'object') throw bad(`compositeRequest[${index}] must be an object`);
    const method = String(item.method ?? '');
    if (!METHODS.has(method)) throw bad(`compositeRequest[${index}].method must be one of GET, POST, PATCH, DELETE`);
    if (typeof item.url !== 'string' || !item.url.startsWith('/services/data/')) throw bad(`compositeRequest[${index}].url must start with /services/data/vXX.X/`);
    if (typeof item.referenceId !== 'string' || !/^[A-Za-z0-9_]+$/.test(item.referenceId)) throw bad(`compositeRequest[${index}].referenceId must be letters, digits and _`);
    if (seen.has(item.referenceId)) throw bad(`Duplicate referenceId ${item.referenceId}`);
    seen.add(item.referenceId);
    const headers = item.httpHeaders as Record<string, unknown> | undefined;
    if (headers !== undefined && (typeof headers !== 'object' || headers === null)) throw bad(`compositeRequest[${index}].httpHeaders must be an object`);
    for (const name of Object.keys(headers ?? {})) {
      if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw new ApiError(400, 'INVALID_INPUT', `The ${name} header can't be set on a subrequest; it is inherited from the composite request.`);
    }
    return {
      method: method as DataRequest['method'],
      url: item.url,
      referenceId: item.referenceId,
      ...(item.body === undefined ? {} : { body: item.body }),
      ...(headers === undefined ? {} : { httpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) }),
    };
  });
  return { allOrNone: body.allOrNone === true, subrequests };
}

/** `@{ref.path.to[0].value}` → the value in an earlier result; undefined when it cannot be resolved. */
function resolveReference(expression: string, results: ReadonlyMap<string, { status: number; body: unknown }>): { value: unknown; failedRef?: string } | undefined {
  const [refId, ...path] = expression.split('.');
  const result = results.get(refId ?? '');
  if (!result) return undefined;
  if (result.status >= 400) return { value: undefined, failedRef: refId };
  let current: unknown = result.body;
  for (const part of path) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    current = (current as Record<string, unknown> | null)?.[match[1]!];
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) current = (current as unknown[] | null)?.[Number(index[1])];
  }
  return current === undefined ? undefined : { value: current };
}

class Halted extends Error {
  constructor(readonly referenceId: string) {
    super(referenceId);
  }
}

function substitute(text: string, results: ReadonlyMap<string, { status: number; body: unknown }>): string {
  return text.replace(/@\{([^}]+)\}/g, (whole, expression: string) => {
    const resolved = resolveReference(expression, results);
    if (resolved?.failedRef) throw new Halted(resolved.failedRef);
    if (!resolved) throw new ApiError(400, 'INVALID_REFERENCE', `Invalid reference specified. No value for ${whole} found.`);
    return String(resolved.value);
  });
}

export function handleComposite(org: OrgState, request: DataRequest, dispatch: Dispatch): DataResponse {
  if (request.method !== 'POST') throw methodNotAllowed(request.method, ['POST']);
  const { allOrNone, subrequests } = readSubrequests(request);
  if (allOrNone && subrequests.some((s) => s.method !== 'GET')) {
    throw new ApiError(400, 'INVALID_INPUT', 'The emulator does not roll back composite subrequests: send allOrNone false, or use sObject Collections with allOrNone.');
  }
  const results = new Map<string, { status: number; body: unknown }>();
  const compositeResponse = subrequests.map((sub) => {
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const url = substitute(sub.url, results);
      const bodyText = sub.body === undefined ? '' : substitute(JSON.stringify(sub.body), results);
      const match = /^\/services\/data\/v(\d+\.\d)\/?([^?]*)(?:\?(.*))?$/.exec(url);
      if (!match) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const path = match[2]!.replace(/\/+$/, '');
      if (path === 'composite' || path.startsWith('composite/')) throw new ApiError(400, 'INVALID_INPUT', 'A composite subrequest cannot be another composite request.');
      const response = dispatch(org, {
        method: sub.method,
        path,
        query: new URLSearchParams(match[3] ?? ''),
        headers: sub.httpHeaders ?? {},
        body: Buffer.from(bodyText),
        version: match[1]!,
        user: request.user,
      });
      status = response.status;
      body = response.body ?? null;
      headers = Object.fromEntries(Object.entries(response.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'));
    } catch (error) {
      if (error instanceof Halted) {
        status = 400;
        body = [{ errorCode: 'PROCESSING_HALTED', message: `Invalid reference specified. Reference ${error.referenceId} failed.` }];
      } else if (error instanceof ApiError) {
        status = error.status;
        body = error.toBody();
      } else {
        throw error;
      }
    }
    results.set(sub.referenceId, { status, body });
    return { body, httpHeaders: headers, httpStatusCode: status, referenceId: sub.referenceId };
  });
  return json(200, { compositeResponse });
}
