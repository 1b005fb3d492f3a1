/**
 * Bulk API 2.0 query jobs (`jobs/query`), on the SOQL engine the REST `query` resource uses.
 *
 * Like ingest jobs, a query job runs when polled: the first `GET jobs/query/{id}` reports
 * InProgress, the next one runs the query and reports JobComplete (or Failed). Results are
 * served as CSV pages of `maxRecords` rows with `Sforce-Locator` (the string `null` on the last
 * page) and `Sforce-NumberOfRecords`, projected page by page from the matched rows.
 *
 * A query Salesforce's SOQL parser or binder rejects is refused at creation with the REST
 * query error (400), which is what client libraries handle; the `fail-job` setting makes such
 * a job end Failed instead (see BulkQuerySettings and data/README.md, UNCONFIRMED).
 */
import { formatDateTime } from '../datetime';
import { ApiError } from '../errors';
import { base62Id } from '../ids';
import { DELIMITERS, quoteCell } from '../csv';
import type { OrgState } from '../org-state';
import { checkTopicAssignmentQuery } from '../rules/topics';
import type { DataRequest, DataResponse } from '../seam';
import type { SoqlQuery } from '../soql/ast';
import { Evaluator } from '../soql/evaluator';
import { parseSoql } from '../soql/parser';
import type { QueryColumn, QueryJob } from './bulk-jobs';
import { json, methodNotAllowed, noContent, requireObjectBody } from './http';
import { querySource } from './query';

const COMPOUND_TYPES = new Set(['address', 'location']);

function jobNotFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** Create and abort answer the short form; GET one job adds the counters (documented shapes). */
function jobInfo(job: QueryJob, detailed: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
  };
  if (detailed) info.jobType = 'V2Query';
  info.lineEnding = job.lineEnding;
  info.columnDelimiter = job.columnDelimiter;
  if (!detailed) return info;
  info.numberRecordsProcessed = job.numberRecordsProcessed;
  info.retries = 0;
  info.totalProcessingTime = job.totalProcessingTime;
  // UNCONFIRMED: the documented GET shape has no errorMessage; client libraries read one on Failed.
  if (job.errorMessage !== undefined) info.errorMessage = job.errorMessage;
  info.isPkChunkingSupported = true;
  return info;
}

export function handleQueryJobs(org: OrgState, request: DataRequest, segments: readonly string[]): DataResponse {
  const { method } = request;
  if (segments.length === 0) {
    if (method === 'POST') return createJob(org, request);
    if (method === 'GET') return listJobs(org, request);
    throw methodNotAllowed(method, ['GET', 'POST']);
  }
  const job = org.jobs.queryJobs.get(segments[0] as string);
  if (!job) throw jobNotFound();
  if (segments.length === 1) {
    if (method === 'GET') {
      advance(org, job);
      return json(200, jobInfo(job, true));
    }
    if (method === 'PATCH') return abort(org, request, job);
    if (method === 'DELETE') {
      if (job.state === 'InProgress') {
        // UNCONFIRMED wording; the documented rule is that only UploadComplete, JobComplete, Aborted and Failed jobs can be deleted.
        throw new ApiError(400, 'INVALIDJOBSTATE', `Deleting a query job in ${job.state} state is not allowed`);
      }
      org.jobs.queryJobs.delete(job.id);
      return noContent();
    }
    throw methodNotAllowed(method, ['GET', 'PATCH', 'DELETE']);
  }
  if (segments.length === 2 && segments[1] === 'results') {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
    return results(org, request, job);
  }
  throw jobNotFound();
}

/** An error Salesforce answers for SOQL the Bulk API cannot run (wording partly UNCONFIRMED). */
function unsupported(message: string): ApiError {
  return new ApiError(400, 'API_ERROR', message);
}

/** Bulk API 2.0 refuses aggregates, GROUP BY, OFFSET, child subqueries and compound fields. */
function checkBulkSupported(parsed: SoqlQuery, evaluator: Evaluator): QueryColumn[] {
  if (parsed.select.some((s) => s.kind === 'subquery')) throw unsupported('Aggregate Relationships not supported in Bulk Query');
  if (parsed.groupBy.length > 0 || parsed.select.some((s) => s.kind === 'aggregate')) throw unsupported('Aggregate queries are not supported in Bulk Query');
  if (parsed.offset !== undefined) throw unsupported('OFFSET is not supported in Bulk Query');
  return parsed.select.map((item) => {
    if (item.kind !== 'field') throw unsupported('Aggregate queries are not supported in Bulk Query');
    const bound = evaluator.bind(item.ref);
    if (COMPOUND_TYPES.has(bound.field.type)) throw unsupported('Selecting compound data not supported in Bulk Query');
    const path = [...bound.hops.map((h) => String(h.field.relationshipName)), bound.field.name];
    return { header: path.join('.'), path, type: bound.field.type };
  });
}

function createJob(org: OrgState, request: DataRequest): DataResponse {
  const body = requireObjectBody(request);
  const operation = body.operation;
  // UNCONFIRMED wordings for the request checks below (Bulk API 2.0 answers API_ERROR for bad bodies).
  if (operation !== 'query' && operation !== 'queryAll') throw new ApiError(400, 'API_ERROR', `Invalid operation: ${String(operation)}. Query jobs accept query or queryAll`);
  if (typeof body.query !== 'string' || body.query.trim() === '') throw new ApiError(400, 'API_ERROR', 'A query string has to be specified');
  const contentType = body.contentType ?? 'CSV';
  if (contentType !== 'CSV') throw new ApiError(400, 'API_ERROR', `Invalid content type: ${String(contentType)}. Only CSV is supported`);
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw new ApiError(400, 'API_ERROR', `Invalid line ending: ${String(lineEnding)}. Use LF or CRLF`);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) {
    throw new ApiError(400, 'API_ERROR', `Invalid column delimiter: ${String(columnDelimiter)}. Use one of ${Object.keys(DELIMITERS).join(', ')}`);
  }

  let object = '';
  let columns: QueryColumn[] = [];
  let deferredError: string | undefined;
  try {
    const parsed = parseSoql(body.query);
    object = parsed.from.name;
    checkTopicAssignmentQuery(parsed, request.user);
    const evaluator = new Evaluator(parsed, querySource(org, request));
    object = evaluator.from.name;
    columns = checkBulkSupported(parsed, evaluator);
    // Binds WHERE and ORDER BY against no rows, so every field error surfaces now.
    evaluator.run(operation === 'queryAll', []);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (org.jobs.querySettings.invalidQuery === 'reject' || error.errorCode === 'API_ERROR') throw error;
    deferredError = `InvalidBatch : Failed to process query: ${error.errorCode}: ${error.message.replace(/\s+/g, ' ').trim()}`;
  }

  org.jobs.counter += 1;
  const stamp = formatDateTime(org.options.now());
  const job: QueryJob = {
    id: base62Id('750', org.jobs.counter),
    operation,
    object,
    query: body.query,
    createdById: request.user.id,
    creator: request.user,
    createdDate: stamp,
    systemModstamp: stamp,
    state: 'UploadComplete',
    apiVersion: Number.parseFloat(request.version),
    version: request.version,
    lineEnding,
    columnDelimiter,
    columns,
    numberRecordsProcessed: 0,
    totalProcessingTime: 0,
    errorMessage: undefined,
    rows: [],
    project: undefined,
    deferredError,
  };
  org.jobs.queryJobs.set(job.id, job);
  return json(200, jobInfo(job, false));
}

function listJobs(org: OrgState, request: DataRequest): DataResponse {
  const jobType = request.query.get('jobType');
  // Only Bulk API 2.0 query jobs exist here; Classic (Bulk API 1.0) jobs are not emulated.
  const records = jobType !== null && jobType !== 'V2Query' ? [] : [...org.jobs.queryJobs.values()].map((job) => {
    const { id, operation, object, createdById, createdDate, systemModstamp, state, concurrencyMode, contentType, apiVersion, jobType: type, lineEnding, columnDelimiter } = jobInfo(job, true);
    return { id, operation, object, createdById, createdDate, systemModstamp, state, concurrencyMode, contentType, apiVersion, jobType: type, lineEnding, columnDelimiter };
  });
  return json(200, { done: true, records, nextRecordsUrl: null });
}

function abort(org: OrgState, request: DataRequest, job: QueryJob): DataResponse {
  const body = requireObjectBody(request);
  if (body.state !== 'Aborted') throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(body.state)}. A query job can only be set to Aborted`);
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
    // UNCONFIRMED wording.
    throw new ApiError(400, 'INVALIDJOBSTATE', `Job ${job.id} is already ${job.state} and cannot be aborted`);
  }
  job.state = 'Aborted';
  job.systemModstamp = formatDateTime(org.options.now());
  return json(200, jobInfo(job, false));
}

/** The poll-driven state machine: UploadComplete → InProgress → JobComplete | Failed. */
function advance(org: OrgState, job: QueryJob): void {
  if (job.state === 'UploadComplete') {
    job.state = 'InProgress';
    job.systemModstamp = formatDateTime(org.options.now());
    return;
  }
  if (job.state !== 'InProgress') return;
  const started = Date.now();
  const failure = job.deferredError ?? (org.jobs.nextFailure() ? 'InvalidBatch : Failed to process query: QUERY_TIMEOUT: Your query request was running for too long.' : undefined);
  if (failure !== undefined) {
    job.state = 'Failed';
    job.errorMessage = failure;
  } else {
    run(org, job);
    job.state = 'JobComplete';
  }
  job.totalProcessingTime = Date.now() - started;
  job.systemModstamp = formatDateTime(org.options.now());
}

/** Runs the query as its creator, now: the rows a job returns are those live when it is processed. */
function run(org: OrgState, job: QueryJob): void {
  const evaluator = new Evaluator(parseSoql(job.query), querySource(org, { user: job.creator, version: job.version }));
  const result = evaluator.run(job.operation === 'queryAll');
  if (result.kind !== 'rows') throw new Error('bulk query jobs only run row queries');
  const virtual = result.schema.virtual;
  job.rows = virtual?.maxTotalRows !== undefined ? result.rows.slice(0, virtual.maxTotalRows) : result.rows;
  job.project = result.project;
  job.numberRecordsProcessed = job.rows.length;
}

/** Locators are opaque to clients; Salesforce's look like base64 text (`MTAwMDA`), so do ours. */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(locator)) return undefined;
  const text = Buffer.from(locator, 'base64').toString('utf8');
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return type === 'datetime' ? value.replace(/\+0000$/, 'Z') : value;
  return String(value);
}

function valueAt(projected: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = projected;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function results(org: OrgState, request: DataRequest, job: QueryJob): DataResponse {
  if (request.version !== job.version) {
    // Documented: results must be read with the job's API version, else 409. Wording UNCONFIRMED.
    throw new ApiError(409, 'API_ERROR', `Query job ${job.id} was created in API version ${job.version}; request its results with the same version`);
  }
  if (job.state !== 'JobComplete') {
    // UNCONFIRMED wording.
    throw new ApiError(400, 'INVALIDJOBSTATE', `Results are not available: job ${job.id} is ${job.state}, not JobComplete`);
  }
  const maxParam = request.query.get('maxRecords');
  let max = org.jobs.querySettings.defaultMaxRecords;
  if (maxParam !== null) {
    max = Number(maxParam);
    if (!Number.isInteger(max) || max < 1) throw new ApiError(400, 'API_ERROR', `Invalid maxRecords: ${maxParam}. Use a positive integer`);
  }
  const locatorParam = request.query.get('locator');
  let offset = 0;
  if (locatorParam !== null && locatorParam !== '') {
    const decoded = decodeLocator(locatorParam);
    // UNCONFIRMED wording.
    if (decoded === undefined || decoded > job.rows.length) throw new ApiError(400, 'API_ERROR', `Invalid locator: ${locatorParam}. Use the value of the previous answer's Sforce-Locator header`);
    offset = decoded;
  }
  const end = Math.min(job.rows.length, offset + max);
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const lines: string[] = [job.columns.map((c) => quoteCell(c.header)).join(delimiter)];
  const project = job.project;
  for (let i = offset; i < end && project; i++) {
    const projected = project(job.rows[i]!);
    lines.push(job.columns.map((c) => quoteCell(cell(valueAt(projected, c.path), c.type))).join(delimiter));
  }
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv',
      'Sforce-Locator': end < job.rows.length ? encodeLocator(end) : 'null',
      'Sforce-NumberOfRecords': String(end - offset),
    },
    body: lines.join(eol) + eol,
  };
}
