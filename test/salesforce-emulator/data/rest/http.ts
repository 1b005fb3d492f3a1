/** Small helpers shared by the REST handlers: JSON bodies, errors, versions. */
import { ApiError, DmlFailure, MultiApiError } from '../errors';
import type { DataRequest, DataResponse } from '../seam';

export function json(status: number, body: unknown, headers?: Record<string, string>): DataResponse {
  return { status, body, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers } };
}

export function noContent(): DataResponse {
  return { status: 204 };
}

export function errorResponse(error: unknown): DataResponse {
  if (error instanceof ApiError) return json(error.status, error.toBody());
  if (error instanceof DmlFailure) return json(400, new MultiApiError(400, error.errors).toBody());
  throw error;
}

/** The request body as JSON, or Salesforce's JSON_PARSER_ERROR. */
export function parseJsonBody(request: DataRequest): unknown {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON request body: ${detail}`);
  }
}

export function requireObjectBody(request: DataRequest): Record<string, unknown> {
  const body = parseJsonBody(request);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of sObject from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'} value or request may be missing a required field`);
  }
  return body as Record<string, unknown>;
}

export function versionNumber(request: DataRequest): number {
  return Number.parseFloat(request.version);
}

export function methodNotAllowed(method: string, allowed: readonly string[]): ApiError {
  return new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);
}

/** Path segments are percent-decoded here: the core hands over the raw path. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function header(request: DataRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
