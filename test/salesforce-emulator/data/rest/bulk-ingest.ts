/**
 * Bulk API 2.0 ingest (`jobs/ingest`). Jobs run when polled: the first GET after
 * UploadComplete reports InProgress, the next one processes the data and reports JobComplete
 * (or Failed). A client that does not poll never sees its data land, as with Salesforce.
 */
import { coerceCsv } from '../dml/coerce';
import { MultipleMatches } from '../dml/dml-engine';
import { ApiError, DmlFailure, dmlError, type DmlError } from '../errors';
import { base62Id } from '../ids';
import { formatDateTime } from '../datetime';
import { CsvError, DELIMITERS, hasForeignLineEnding, headerCell, parseCsv, quoteCell } from '../csv';
import { dmlContext, type OrgState } from '../org-state';
import type { FieldDef, SObjectSchema } from '../schema/sobject-schema';
import type { DataRequest, DataResponse } from '../seam';
import type { IngestJob, JobOperation } from './bulk-jobs';
import { json, methodNotAllowed, noContent, requireObjectBody } from './http';
import { lockFailure, upsertKey } from './sobjects';

/** Bulk API processes rows in chunks of 200, each its own transaction (and lock attempt). */
const CHUNK = 200;
const OPERATIONS = new Set<JobOperation>(['insert', 'update', 'upsert', 'delete', 'hardDelete']);

function jobNotFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function jobInfo(job: IngestJob, detailed: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
  };
  if (job.externalIdFieldName !== undefined) info.externalIdFieldName = job.externalIdFieldName;
  info.concurrencyMode = 'Parallel';
  info.contentType = 'CSV';
  info.apiVersion = job.apiVersion;
  if (!detailed) {
    info.contentUrl = `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`;
    info.lineEnding = job.lineEnding;
    info.columnDelimiter = job.columnDelimiter;
    return info;
  }
  info.jobType = 'V2Ingest';
  info.lineEnding = job.lineEnding;
  info.columnDelimiter = job.columnDelimiter;
  info.numberRecordsProcessed = job.numberRecordsProcessed;
  info.numberRecordsFailed = job.numberRecordsFailed;
  info.retries = 0;
  info.totalProcessingTime = job.totalProcessingTime;
  info.apiActiveProcessingTime = job.totalProcessingTime;
  info.apexProcessingTime = 0;
  if (job.errorMessage !== undefined) info.errorMessage = job.errorMessage;
  return info;
}

export function handleIngest(org: OrgState, request: DataRequest, segments: readonly string[]): DataResponse {
  const { method } = request;
  if (segments.length === 0) {
    if (method === 'POST') return createJob(org, request);
    if (method === 'GET') {
      // List entries carry jobType, contentUrl and the timing counters, but no record counts.
      const records = [...org.jobs.jobs.values()].map((job) => {
        const { contentUrl, lineEnding, columnDelimiter, ...head } = jobInfo(job, false);
        return { ...head, jobType: 'V2Ingest', contentUrl, lineEnding, columnDelimiter, retries: 0, totalProcessingTime: job.totalProcessingTime, apiActiveProcessingTime: job.totalProcessingTime, apexProcessingTime: 0 };
      });
      return json(200, { done: true, records, nextRecordsUrl: null });
    }
    throw methodNotAllowed(method, ['GET', 'POST']);
  }
  const job = org.jobs.jobs.get(segments[0] as string);
  if (!job) throw jobNotFound();
  if (segments.length === 1) {
    if (method === 'GET') {
      advance(org, request, job);
      return json(200, jobInfo(job, true));
    }
    if (method === 'PATCH') return changeState(org, request, job);
    if (method === 'DELETE') {
      if (job.state === 'Open' || job.state === 'InProgress') {
        throw new ApiError(400, 'INVALIDJOBSTATE', `Deleting an ingest job in ${job.state} state is not allowed`);
      }
      org.jobs.jobs.delete(job.id);
      return noContent();
    }
    throw methodNotAllowed(method, ['GET', 'PATCH', 'DELETE']);
  }
  if (segments.length === 2) {
    const resource = segments[1];
    if (resource === 'batches') {
      if (method !== 'PUT') throw methodNotAllowed(method, ['PUT']);
      return upload(org, request, job);
    }
    if (resource === 'successfulResults' || resource === 'failedResults' || resource === 'unprocessedrecords') {
      if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
      return results(job, resource);
    }
  }
  throw jobNotFound();
}

function createJob(org: OrgState, request: DataRequest): DataResponse {
  const body = requireObjectBody(request);
  const operation = body.operation as JobOperation;
  if (!OPERATIONS.has(operation)) throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid job operation: ${String(body.operation)}`);
  const schema = typeof body.object === 'string' ? org.registry.get(body.object) : undefined;
  // UNCONFIRMED wording.
  if (!schema) throw new ApiError(400, 'INVALIDENTITY', `InvalidEntity : sObject type '${String(body.object)}' is not supported.`);
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    if (typeof body.externalIdFieldName !== 'string' || body.externalIdFieldName === '') {
      throw new ApiError(400, 'INVALIDJOB', `InvalidJob : External ID was blank for ${schema.name}. An External ID must be specified for upsert.`);
    }
    try {
      externalIdFieldName = upsertKey(schema, body.externalIdFieldName).name;
    } catch {
      throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Field name provided, ${body.externalIdFieldName} does not match an External ID, Salesforce Id, or indexed field for ${schema.name}`);
    }
  }
  const contentType = body.contentType ?? 'CSV';
  if (contentType !== 'CSV') throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid content type: ${String(contentType)}`);
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid line ending: ${String(lineEnding)}`);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) {
    throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid column delimiter: ${String(columnDelimiter)}`);
  }
  org.jobs.counter += 1;
  const stamp = formatDateTime(org.options.now());
  const job: IngestJob = {
    id: base62Id('750', org.jobs.counter),
    operation,
    object: schema.name,
    createdById: request.user.id,
    createdDate: stamp,
    systemModstamp: stamp,
    state: 'Open',
    externalIdFieldName,
    apiVersion: Number.parseFloat(request.version),
    lineEnding,
    columnDelimiter,
    data: undefined,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    totalProcessingTime: 0,
    errorMessage: undefined,
    successful: [],
    failed: [],
    unprocessed: [],
    header: [],
  };
  org.jobs.jobs.set(job.id, job);
  return json(200, jobInfo(job, false));
}

function upload(org: OrgState, request: DataRequest, job: IngestJob): DataResponse {
  if (job.state !== 'Open') throw new ApiError(409, 'INVALIDJOBSTATE', `Job ${job.id} is not in Open state; data can only be uploaded to an open job`);
  if (job.data !== undefined) {
    throw new ApiError(
      400,
      'BULK_API_ERROR',
      `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
    );
  }
  job.data = request.body.toString('utf8');
  job.systemModstamp = formatDateTime(org.options.now());
  return { status: 201 };
}

function changeState(org: OrgState, request: DataRequest, job: IngestJob): DataResponse {
  const body = requireObjectBody(request);
  const wanted = body.state;
  if (wanted === 'UploadComplete') {
    if (job.state !== 'Open') throw new ApiError(400, 'INVALIDJOBSTATE', `Job ${job.id} is not in Open state`);
    job.state = 'UploadComplete';
  } else if (wanted === 'Aborted') {
    if (job.state !== 'Open' && job.state !== 'UploadComplete' && job.state !== 'InProgress') {
      throw new ApiError(400, 'INVALIDJOBSTATE', `Job ${job.id} is already ${job.state}`);
    }
    job.state = 'Aborted';
    job.unprocessed = job.data ? dataRowsAsCsv(job) : [];
  } else {
    throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(wanted)}`);
  }
  job.systemModstamp = formatDateTime(org.options.now());
  return json(200, jobInfo(job, false));
}

function dataRowsAsCsv(job: IngestJob): string[] {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  try {
    const rows = parseCsv(job.data ?? '', delimiter);
    job.header = rows[0] ?? [];
    return rows.slice(1).map((r) => r.map(quoteCell).join(delimiter));
  } catch {
    return [];
  }
}

/** The poll-driven state machine: UploadComplete → InProgress → JobComplete | Failed. */
function advance(org: OrgState, request: DataRequest, job: IngestJob): void {
  if (job.state === 'UploadComplete') {
    job.state = 'InProgress';
    job.systemModstamp = formatDateTime(org.options.now());
    return;
  }
  if (job.state !== 'InProgress') return;
  const started = Date.now();
  try {
    process(org, request, job);
    job.state = 'JobComplete';
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    job.state = 'Failed';
    job.errorMessage = error.message;
  }
  job.totalProcessingTime = Date.now() - started;
  job.systemModstamp = formatDateTime(org.options.now());
}

class JobFailure extends Error {}

function process(org: OrgState, request: DataRequest, job: IngestJob): void {
  const schema = org.registry.get(job.object) as SObjectSchema;
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const data = job.data ?? '';
  if (data.trim() === '') throw new JobFailure('InvalidBatch : Records not processed: no data was uploaded');
  if (hasForeignLineEnding(data, job.lineEnding)) {
    throw new JobFailure(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`);
  }
  let rows: string[][];
  try {
    rows = parseCsv(data, delimiter);
  } catch (error) {
    throw new JobFailure(`ClientInputError : ${error instanceof CsvError ? error.message : String(error)}`);
  }
  const header = rows[0] ?? [];
  job.header = header;
  const fields: FieldDef[] = header.map((name) => {
    const field = schema.field(name.trim());
    if (!field) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
    return field;
  });
  const isDelete = job.operation === 'delete' || job.operation === 'hardDelete';
  if (isDelete && (fields.length !== 1 || fields[0]?.name !== 'Id')) throw new JobFailure("InvalidBatch : The 'delete' batch must contain only ids");
  const keyField = job.externalIdFieldName ? schema.field(job.externalIdFieldName) : undefined;
  if (job.operation === 'upsert' && (!keyField || !fields.includes(keyField))) {
    throw new JobFailure(`InvalidBatch : Field name not found : ${job.externalIdFieldName ?? ''}`);
  }
  if (job.operation === 'update' && !fields.some((f) => f.name === 'Id')) throw new JobFailure('InvalidBatch : Field name not found : Id');

  const ctx = dmlContext(org, request);
  const quotedHeader = header.map((h) => headerCell(h, delimiter)).join(delimiter);
  const successful: string[] = [];
  const failed: string[] = [];
  const dataRows = rows.slice(1);
  for (let start = 0; start < dataRows.length; start += CHUNK) {
    const chunk = dataRows.slice(start, start + CHUNK);
    const locked = org.options.shouldLockRow?.() === true;
    // The chunk is one transaction (each row still its own savepoint), so its writes commit —
    // and appear in change events — together, as Salesforce's 200-record chunks do.
    org.store.begin();
    try {
      for (const cells of chunk) {
        const original = cells.map(quoteCell).join(delimiter);
        const idCell = fields.findIndex((f) => f.name === 'Id');
        const givenId = idCell >= 0 ? cells[idCell] ?? '' : '';
        const savepoint = org.store.begin();
        try {
          if (cells.length !== fields.length) {
            throw dmlError('INVALID_FIELD', `Number of fields in the row (${cells.length}) does not match the header (${fields.length})`, []);
          }
          const values: Record<string, unknown> = {};
          fields.forEach((field, i) => {
            const result = coerceCsv(field, cells[i] ?? '');
            if (!result.ok) throw dmlError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${cells[i] ?? ''}`, [field.name]);
            if (result.value !== undefined) values[field.name] = result.value;
          });
          if (locked) throw lockFailure(givenId || (org.engine.tableOf(schema).lookup(keyField ?? (schema.field('Id') as FieldDef), values[keyField?.name ?? 'Id'])[0] ?? schema.keyPrefix ?? ''));
          let id: string;
          let created = false;
          if (job.operation === 'insert') {
            id = String(org.engine.insert(schema, values, ctx).Id);
            created = true;
          } else if (job.operation === 'update') {
            id = String(org.engine.update(schema, values.Id, values, ctx).Id);
          } else if (job.operation === 'upsert') {
            const key = keyField as FieldDef;
            const keyValue = values[key.name];
            if (key.name !== 'Id') delete values[key.name];
            const result = org.engine.upsert(schema, key, keyValue, values, ctx);
            id = String(result.rec.Id);
            created = result.created;
          } else {
            id = String(org.engine.delete(values.Id, ctx, schema).Id);
          }
          successful.push([quoteCell(id), quoteCell(String(created)), original].join(delimiter));
        } catch (error) {
          org.store.rollbackTo(savepoint);
          let errors: readonly DmlError[];
          if (error instanceof MultipleMatches) errors = [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: error.message, fields: [error.field.name] }];
          else if (error instanceof DmlFailure) errors = error.errors;
          else throw error;
          failed.push([quoteCell(job.operation === 'insert' ? '' : givenId), quoteCell(errors.map(formatBulkError).join(' ')), original].join(delimiter));
        } finally {
          org.store.end();
        }
      }
    } finally {
      org.store.end();
    }
  }
  job.successful = [`"sf__Id","sf__Created",${quotedHeader}`, ...successful];
  job.failed = [`"sf__Id","sf__Error",${quotedHeader}`, ...failed];
  job.unprocessed = [quotedHeader];
  job.numberRecordsProcessed = dataRows.length;
  job.numberRecordsFailed = failed.length;
}

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --` */
export function formatBulkError(error: DmlError): string {
  return `${error.statusCode}:${error.message}:${error.fields.join(',')} --`;
}

function results(job: IngestJob, resource: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): DataResponse {
  const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  let lines: string[];
  if (resource === 'unprocessedrecords') {
    const header = job.header.map((h) => headerCell(h, delimiter)).join(delimiter);
    lines = job.state === 'Aborted' || job.state === 'Failed' || job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress'
      ? [header, ...(job.state === 'Aborted' ? job.unprocessed : job.data ? dataRowsAsCsv(job) : [])]
      : job.unprocessed;
  } else {
    if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
      // UNCONFIRMED wording.
      throw new ApiError(400, 'INVALIDJOBSTATE', `Results are not available until the job is complete; job ${job.id} is ${job.state}`);
    }
    lines = resource === 'successfulResults' ? job.successful : job.failed;
    if (lines.length === 0) lines = [resource === 'successfulResults' ? '"sf__Id","sf__Created"' : '"sf__Id","sf__Error"'];
  }
  return { status: 200, headers: { 'content-type': 'text/csv' }, body: lines.join(eol) + eol };
}

