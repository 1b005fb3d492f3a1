/** `sobjects/…`: describes, single-record CRUD and upsert by external id. */
import { MultipleMatches } from '../dml/dml-engine';
import { coerceJson } from '../dml/coerce';
import { ApiError, DmlFailure, MultiApiError, dmlError, notFound } from '../errors';
import { normalizeId } from '../ids';
import { dmlContext, urlBase, type OrgState } from '../org-state';
import type { FieldDef, SObjectSchema } from '../schema/sobject-schema';
import type { DataRequest, DataResponse } from '../seam';
import { compound } from '../soql/evaluator';
import type { Rec } from '../store/record-store';
import { visibleSchema } from './query';
import { describeLastModified, describeSObject, globalDescribe, globalEntry } from './describe';
import { header, json, methodNotAllowed, noContent, requireObjectBody, versionNumber } from './http';

export function schemaOr404(org: OrgState, name: string, request: DataRequest): SObjectSchema {
  const schema = visibleSchema(org, name, request);
  if (!schema) throw notFound();
  return schema;
}

/** The fault hook: one call per DML request, as a lock is taken per transaction. */
export function lockError(org: OrgState, id: string | (() => string)): DmlFailure | undefined {
  if (!org.options.shouldLockRow?.()) return undefined;
  return lockFailure(typeof id === 'string' ? id : id());
}

export function lockFailure(id: string): DmlFailure {
  return dmlError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`, []);
}

export function recordJson(schema: SObjectSchema, rec: Rec, version: string, fields?: readonly FieldDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: schema.name, url: `${urlBase(version)}/sobjects/${schema.name}/${String(rec.Id)}` } };
  for (const field of fields ?? schema.fields) {
    out[field.name] = field.type === 'address' ? compound(rec, schema, field) : rec[field.name] ?? null;
  }
  return out;
}

function selectedFields(schema: SObjectSchema, request: DataRequest): FieldDef[] | undefined {
  const list = request.query.get('fields');
  if (!list) return undefined;
  return list.split(',').map((name) => {
    const field = schema.field(name.trim());
    if (!field) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name.trim()}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return field;
  });
}

export function handleSObjects(org: OrgState, request: DataRequest, segments: readonly string[]): DataResponse {
  const { method } = request;
  if (segments.length === 0) {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return json(200, globalDescribe(org, request.version, request.user));
  }
  const schema = schemaOr404(org, segments[0] as string, request);
  if (segments.length === 1) {
    if (method === 'GET' || method === 'HEAD') return json(200, { objectDescribe: globalEntry(org, schema, request.version), recentItems: [] });
    if (method === 'POST') return create(org, request, schema);
    throw methodNotAllowed(method, ['GET', 'HEAD', 'POST']);
  }
  if (segments.length === 2 && segments[1] === 'describe') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, ['GET', 'HEAD']);
    const body = describeSObject(org, schema, request.version);
    const lastModified = describeLastModified(org, schema);
    // sObject Describe honours If-Modified-Since: 304 with no body when nothing changed since.
    const since = Date.parse(header(request, 'If-Modified-Since') ?? '');
    if (Number.isFinite(since) && lastModified <= since) return { status: 304, headers: { 'Last-Modified': new Date(lastModified).toUTCString() } };
    return json(200, body, { 'Last-Modified': new Date(lastModified).toUTCString() });
  }
  // API 37.0+: POST to sobjects/{Name}/Id creates, treating Id as an external id with a null value.
  if (segments.length === 2 && segments[1] === 'Id' && request.method === 'POST' && versionNumber(request) >= 37) return create(org, request, schema);
  if (segments.length === 2) return byId(org, request, schema, segments[1] as string);
  if (segments.length === 3) return byExternalId(org, request, schema, segments[1] as string, segments[2] as string);
  throw notFound();
}

function create(org: OrgState, request: DataRequest, schema: SObjectSchema): DataResponse {
  const values = org.engine.prepareJson(schema, requireObjectBody(request));
  const ctx = dmlContext(org, request);
  try {
    const lock = lockError(org, () => referenceOf(schema, values) ?? org.ids.next(schema.keyPrefix ?? '000'));
    if (lock) throw lock;
    const rec = org.store.atomically(() => org.engine.insert(schema, values, ctx));
    return json(201, { id: rec.Id, success: true, errors: [] });
  } catch (error) {
    if (error instanceof DmlFailure) throw new MultiApiError(400, error.errors);
    throw error;
  }
}

/** A parent id to name in a lock error for an insert (the row Salesforce would lock). */
export function referenceOf(schema: SObjectSchema, values: Record<string, unknown>): string | undefined {
  for (const field of schema.fields) {
    if (field.type === 'reference' && field.name !== 'OwnerId' && typeof values[field.name] === 'string') return normalizeId(values[field.name]);
  }
  return undefined;
}

function byId(org: OrgState, request: DataRequest, schema: SObjectSchema, rawId: string): DataResponse {
  const id = normalizeId(rawId);
  // Salesforce reads a non-id here as an external id value of a field it cannot find.
  if (!id) throw notFound(`Provided external ID field does not exist or is not accessible: ${rawId}`);
  const table = org.store.tableForId(id);
  const owned = table?.schema === schema;
  const rec = owned ? table.live.get(id) : undefined;
  const deleted = owned && table.deleted.has(id);
  const ctx = dmlContext(org, request);
  switch (request.method) {
    case 'GET':
    case 'HEAD': {
      if (!rec) throw notFound();
      return json(200, recordJson(schema, rec, request.version, selectedFields(schema, request)));
    }
    case 'PATCH': {
      if (!rec) throw deleted ? new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []) : notFound();
      const values = org.engine.prepareJson(schema, requireObjectBody(request));
      runDml(org, id, () => org.engine.update(schema, id, values, ctx));
      return noContent();
    }
    case 'DELETE': {
      if (!rec) throw deleted ? new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []) : notFound();
      runDml(org, id, () => org.engine.delete(id, ctx, schema));
      return noContent();
    }
    default:
      throw methodNotAllowed(request.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  }
}

function runDml<T>(org: OrgState, id: string, fn: () => T): T {
  try {
    const lock = lockError(org, id);
    if (lock) throw lock;
    return org.store.atomically(fn);
  } catch (error) {
    if (error instanceof DmlFailure) throw new MultiApiError(400, error.errors);
    throw error;
  }
}

/** Fields Salesforce accepts as upsert keys: Id, external ids and idLookup fields. */
export function upsertKey(schema: SObjectSchema, name: string): FieldDef {
  const field = schema.field(name);
  if (!field || !(field.externalId || field.idLookup)) throw notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
  return field;
}

function byExternalId(org: OrgState, request: DataRequest, schema: SObjectSchema, fieldName: string, rawValue: string): DataResponse {
  const field = upsertKey(schema, fieldName);
  const coerced = coerceJson(field, rawValue);
  const keyValue = coerced.ok ? coerced.value : rawValue;
  const table = org.engine.tableOf(schema);
  const ctx = dmlContext(org, request);
  if (request.method === 'GET' || request.method === 'DELETE') {
    const matches = field.name === 'Id' ? [normalizeId(rawValue)].filter((id): id is string => id !== undefined && table.live.has(id)) : table.lookup(field, keyValue);
    if (matches.length > 1) return multipleChoices(schema, matches, request.version);
    const id = matches[0];
    if (!id) throw notFound();
    if (request.method === 'DELETE') {
      runDml(org, id, () => org.engine.delete(id, ctx, schema));
      return noContent();
    }
    return json(200, recordJson(schema, table.live.get(id) as Rec, request.version, selectedFields(schema, request)));
  }
  if (request.method !== 'PATCH') throw methodNotAllowed(request.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  const values = org.engine.prepareJson(schema, requireObjectBody(request));
  if (field.name in values && values[field.name] !== keyValue) {
    // UNCONFIRMED wording; Salesforce rejects a body that contradicts the URL's key.
    throw new ApiError(400, 'INVALID_FIELD', `The ${field.name} value in the request body doesn't match the value in the URL: ${rawValue}`);
  }
  delete values[field.name];
  try {
    const existing = field.name === 'Id' ? undefined : table.lookup(field, keyValue)[0];
    const lock = lockError(org, () => existing ?? referenceOf(schema, values) ?? org.ids.next(schema.keyPrefix ?? '000'));
    if (lock) throw lock;
    const { rec, created } = org.store.atomically(() => org.engine.upsert(schema, field, keyValue, values, ctx));
    // API 46.0 added `created` and a 200 body for updates; older versions answer 204.
    const modern = versionNumber(request) >= 46;
    if (created) return json(201, modern ? { id: rec.Id, success: true, errors: [], created: true } : { id: rec.Id, success: true, errors: [] });
    return modern ? json(200, { id: rec.Id, success: true, errors: [], created: false }) : noContent();
  } catch (error) {
    if (error instanceof MultipleMatches) return multipleChoices(schema, error.ids, request.version);
    if (error instanceof DmlFailure) throw new MultiApiError(400, error.errors);
    throw error;
  }
}

function multipleChoices(schema: SObjectSchema, ids: readonly string[], version: string): DataResponse {
  return json(300, ids.map((id) => `${urlBase(version)}/sobjects/${schema.name}/${id}`));
}
