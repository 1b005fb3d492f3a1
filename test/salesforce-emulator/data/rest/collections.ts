/**
 * sObject Collections (`composite/sobjects`): up to 200 records per call, HTTP 200 with one
 * result per record, `statusCode` (not `errorCode`) in per-record errors, and allOrNone
 * rolling every record back when one fails.
 */
import { MultipleMatches } from '../dml/dml-engine';
import { ApiError, DmlFailure, dmlError, notFound, type DmlError } from '../errors';
import { normalizeId } from '../ids';
import { dmlContext, type OrgState } from '../org-state';
import type { SObjectSchema } from '../schema/sobject-schema';
import type { DataRequest, DataResponse } from '../seam';
import type { Rec } from '../store/record-store';
import { json, methodNotAllowed, parseJsonBody, versionNumber } from './http';
import { lockFailure, recordJson, referenceOf, schemaOr404, upsertKey } from './sobjects';

export const MAX_COLLECTION_RECORDS = 200;

const ROLLED_BACK: DmlError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

type ItemResult = Record<string, unknown>;

interface Item {
  readonly schema: SObjectSchema | undefined;
  readonly values: Record<string, unknown>;
  /** A per-record failure found before DML (missing or unknown type, duplicate key in the batch). */
  readonly early?: DmlFailure;
  readonly raw: Record<string, unknown>;
}

function tooMany(): ApiError {
  // UNCONFIRMED wording (see data/README.md).
  return new ApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`);
}

function readBody(request: DataRequest): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const body = parseJsonBody(request) as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of SObjectCollectionRequest: records must be an array');
  }
  if (body.records.length > MAX_COLLECTION_RECORDS) throw tooMany();
  return { allOrNone: body.allOrNone === true || body.allOrNone === 'true', records: body.records as Record<string, unknown>[] };
}

/** Types and bodies first: an unknown field or a bad JSON value fails the whole request, before any DML. */
function prepareItems(org: OrgState, records: readonly Record<string, unknown>[], fixed?: SObjectSchema): Item[] {
  return records.map((raw) => {
    const attributes = raw?.attributes as { type?: unknown } | undefined;
    const typeName = typeof attributes?.type === 'string' ? attributes.type : undefined;
    if (!typeName && !fixed) {
      // UNCONFIRMED wording: the SOAP API's message for a record without a concrete type.
      return { schema: undefined, values: {}, raw, early: dmlError('INVALID_TYPE', 'Must send a concrete entity type.', []) };
    }
    const schema = typeName ? org.registry.get(typeName) : fixed;
    if (!schema) return { schema: undefined, values: {}, raw, early: dmlError('INVALID_TYPE', `sObject type '${typeName}' is not supported.`, []) };
    const body = { ...raw };
    const values = org.engine.prepareJson(schema, body);
    return { schema, values, raw };
  });
}

/**
 * Runs one DML per item, each in its own savepoint; with allOrNone any failure undoes them all
 * and the records that had succeeded report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
function runItems(org: OrgState, items: readonly Item[], allOrNone: boolean, lockIds: (item: Item) => string, run: (item: Item) => ItemResult): ItemResult[] {
  const locked = org.options.shouldLockRow?.() === true;
  const all = org.store.begin();
  const results: ItemResult[] = [];
  let failed = false;
  try {
    for (const item of items) {
      const savepoint = org.store.begin();
      try {
        if (item.early) throw item.early;
        if (locked) throw lockFailure(lockIds(item));
        results.push(run(item));
      } catch (error) {
        org.store.rollbackTo(savepoint);
        failed = true;
        if (error instanceof MultipleMatches) {
          results.push(failure([{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: error.message, fields: [error.field.name] }]));
        } else if (error instanceof DmlFailure) results.push(failure(error.errors));
        else throw error;
      } finally {
        org.store.end();
      }
    }
    if (allOrNone && failed) {
      org.store.rollbackTo(all);
      return results.map((r) => (r.success === true ? failure([ROLLED_BACK], r.created === undefined ? undefined : false) : r));
    }
    return results;
  } catch (error) {
    org.store.rollbackTo(all);
    throw error;
  } finally {
    org.store.end();
  }
}

function failure(errors: readonly DmlError[], created?: boolean): ItemResult {
  const out: ItemResult = { success: false, errors: errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: [...e.fields] })) };
  if (created !== undefined) out.created = created;
  return out;
}

export function handleCollections(org: OrgState, request: DataRequest, segments: readonly string[]): DataResponse {
  const { method } = request;
  if (segments.length === 0) {
    if (method === 'POST') return create(org, request);
    if (method === 'PATCH') return update(org, request);
    if (method === 'DELETE') return remove(org, request);
    throw methodNotAllowed(method, ['PATCH', 'POST', 'DELETE']);
  }
  const schema = schemaOr404(org, segments[0] as string, request);
  if (segments.length === 1) {
    if (method === 'GET' || method === 'POST') return retrieve(org, request, schema);
    throw methodNotAllowed(method, ['GET', 'POST']);
  }
  if (segments.length === 2) {
    // Collections upsert arrived in API 46.0.
    if (versionNumber(request) < 46) throw notFound();
    if (method !== 'PATCH') throw methodNotAllowed(method, ['PATCH']);
    return upsert(org, request, schema, segments[1] as string);
  }
  throw notFound();
}

function create(org: OrgState, request: DataRequest): DataResponse {
  const { allOrNone, records } = readBody(request);
  const items = prepareItems(org, records);
  const ctx = dmlContext(org, request);
  const results = runItems(
    org,
    items,
    allOrNone,
    (item) => referenceOf(item.schema as SObjectSchema, item.values) ?? org.ids.next((item.schema as SObjectSchema).keyPrefix ?? '000'),
    (item) => {
      const rec = org.engine.insert(item.schema as SObjectSchema, item.values, ctx);
      return { id: rec.Id, success: true, errors: [] };
    },
  );
  return json(200, results);
}

function update(org: OrgState, request: DataRequest): DataResponse {
  const { allOrNone, records } = readBody(request);
  const items = prepareItems(org, records).map((item): Item => {
    if (item.early || (item.values.Id !== undefined && item.values.Id !== null)) return item;
    return { ...item, early: dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []) };
  });
  const ctx = dmlContext(org, request);
  const results = runItems(org, items, allOrNone, (item) => String(normalizeId(item.values.Id) ?? item.values.Id), (item) => {
    const rec = org.engine.update(item.schema as SObjectSchema, item.values.Id, item.values, ctx);
    return { id: rec.Id, success: true, errors: [] };
  });
  return json(200, results);
}

function upsert(org: OrgState, request: DataRequest, schema: SObjectSchema, fieldName: string): DataResponse {
  const field = upsertKey(schema, fieldName);
  const { allOrNone, records } = readBody(request);
  const table = org.engine.tableOf(schema);
  const prepared = prepareItems(org, records, schema);
  // The same key twice in one call fails both records, as Salesforce does.
  const counts = new Map<string, number>();
  const keyOf = (item: Item): string | undefined => {
    const v = item.values[field.name];
    return v === null || v === undefined || v === '' ? undefined : field.caseSensitive ? String(v) : String(v).toLowerCase();
  };
  for (const item of prepared) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const items = prepared.map((item): Item => {
    if (item.early) return item;
    if (item.schema !== schema) return { ...item, early: dmlError('INVALID_TYPE', `Record type ${item.schema?.name ?? ''} does not match ${schema.name}`, []) };
    const key = keyOf(item);
    if (key !== undefined && (counts.get(key) ?? 0) > 1) {
      return { ...item, early: dmlError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(item.values[field.name])}`, [field.name]) };
    }
    return item;
  });
  const ctx = dmlContext(org, request);
  const results = runItems(
    org,
    items,
    allOrNone,
    (item) => table.lookup(field, item.values[field.name])[0] ?? referenceOf(schema, item.values) ?? org.ids.next(schema.keyPrefix ?? '000'),
    (item) => {
      const values = { ...item.values };
      const keyValue = values[field.name];
      if (field.name !== 'Id') delete values[field.name];
      const { rec, created } = org.engine.upsert(schema, field, keyValue, values, ctx);
      return { id: rec.Id, success: true, errors: [], created };
    },
  );
  return json(200, results);
}

function remove(org: OrgState, request: DataRequest): DataResponse {
  const ids = (request.query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length > MAX_COLLECTION_RECORDS) throw tooMany();
  const allOrNone = request.query.get('allOrNone') === 'true';
  const ctx = dmlContext(org, request);
  const items: Item[] = ids.map((id) => ({ schema: undefined, values: { Id: id }, raw: {} }));
  const results = runItems(org, items, allOrNone, (item) => String(item.values.Id), (item) => {
    const rec = org.engine.delete(item.values.Id, ctx);
    return { id: rec.Id, success: true, errors: [] };
  });
  return json(200, results);
}

function retrieve(org: OrgState, request: DataRequest, schema: SObjectSchema): DataResponse {
  let ids: string[];
  let fieldNames: string[];
  if (request.method === 'POST') {
    const body = parseJsonBody(request) as { ids?: unknown; fields?: unknown } | undefined;
    ids = Array.isArray(body?.ids) ? body.ids.map(String) : [];
    fieldNames = Array.isArray(body?.fields) ? body.fields.map(String) : [];
  } else {
    ids = (request.query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    fieldNames = (request.query.get('fields') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (fieldNames.length === 0) throw new ApiError(400, 'MALFORMED_QUERY', 'fields parameter is required');
  if (ids.length > (request.method === 'POST' ? 2000 : 800)) throw tooMany();
  const fields = fieldNames.map((name) => {
    const field = schema.field(name);
    if (!field) throw new ApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    return field;
  });
  const table = org.engine.tableOf(schema);
  const out = ids.map((raw) => {
    const id = normalizeId(raw);
    if (!id) throw new ApiError(400, 'MALFORMED_ID', `malformed id ${raw}`);
    const rec: Rec | undefined = table.live.get(id);
    return rec ? recordJson(schema, rec, request.version, fields) : null;
  });
  return json(200, out);
}
