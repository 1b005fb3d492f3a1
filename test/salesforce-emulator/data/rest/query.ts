/** `query`, `queryAll` and `query/{locator}-{offset}`. */
import { ApiError } from '../errors';
import { normalizeId } from '../ids';
import { urlBase, type OrgState } from '../org-state';
import { checkTopicAssignmentQuery } from '../rules/topics';
import type { SObjectSchema } from '../schema/sobject-schema';
import type { DataRequest, DataResponse } from '../seam';
import { Evaluator, type QuerySource } from '../soql/evaluator';
import { parseSoql } from '../soql/parser';
import type { Rec } from '../store/record-store';
import { header, json } from './http';
import type { Cursor } from './query-cursors';

export const DEFAULT_BATCH_SIZE = 2000;

function batchSizeOf(request: DataRequest, schema: SObjectSchema): number {
  const option = header(request, 'Sforce-Query-Options');
  const match = option ? /batchSize\s*=\s*(\d+)/i.exec(option) : null;
  // Salesforce honours 200..2,000 and treats the value as a hint.
  let size = match ? Math.min(2000, Math.max(200, Number(match[1]))) : DEFAULT_BATCH_SIZE;
  const virtual = schema.virtual;
  if (virtual?.maxBatchSize) size = Math.min(size, virtual.maxBatchSize);
  return size;
}

/** A schema as this user sees it: virtual objects may be hidden (setup objects without View Setup). */
export function visibleSchema(org: OrgState, name: string, request: Pick<DataRequest, 'user'>): SObjectSchema | undefined {
  const schema = org.registry.get(name);
  if (schema?.virtual?.accessible && !schema.virtual.accessible(request.user)) return undefined;
  return schema;
}

export function querySource(org: OrgState, request: Pick<DataRequest, 'user' | 'version'>): QuerySource {
  const virtualRows = new Map<SObjectSchema, Map<string, Rec>>();
  const rowsOf = (schema: SObjectSchema): Map<string, Rec> => {
    let rows = virtualRows.get(schema);
    if (!rows) {
      rows = new Map();
      for (const row of schema.virtual?.rows(request.user) ?? []) rows.set(String(row.Id), row);
      virtualRows.set(schema, rows);
    }
    return rows;
  };
  return {
    urlBase: urlBase(request.version),
    now: () => org.options.now(),
    schema: (name) => visibleSchema(org, name, request),
    rows(schema, includeDeleted) {
      if (schema.virtual) return rowsOf(schema).values();
      const table = org.store.table(schema.name);
      if (!table) return [];
      return includeDeleted ? concat(table.live.values(), table.deleted.values()) : table.live.values();
    },
    children(schema, field, parentId) {
      const table = schema.virtual ? undefined : org.store.table(schema.name);
      if (!table || table.live.size === 0) return [];
      table.ensureIndex(field.name);
      return table
        .lookup(field, parentId)
        .map((id) => table.live.get(id))
        .filter((r): r is Rec => r !== undefined)
        .sort((a, b) => (String(a.Id) < String(b.Id) ? -1 : 1));
    },
    lookup(schema, field, values) {
      if (schema.virtual) return undefined;
      const table = org.store.table(schema.name);
      if (!table) return undefined;
      if (field.name === 'Id') return values.map((v) => table.live.get(v)).filter((r): r is Rec => r !== undefined);
      if (!table.isIndexedField(field.name)) return undefined;
      return values.flatMap((v) => table.lookup(field, v)).map((id) => table.live.get(id)).filter((r): r is Rec => r !== undefined);
    },
    byId(id, schema) {
      const canonical = normalizeId(id);
      if (!canonical) return undefined;
      if (schema.virtual) return rowsOf(schema).get(canonical) ?? rowsOf(schema).get(id);
      // Polymorphic relationships: the id's prefix names the real target.
      return org.store.get(canonical);
    },
  };
}

function* concat<T>(a: Iterable<T>, b: Iterable<T>): Iterable<T> {
  yield* a;
  yield* b;
}

export function runQuery(org: OrgState, request: DataRequest, includeDeleted: boolean): DataResponse {
  const q = request.query.get('q');
  if (q === null || q.trim() === '') throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const parsed = parseSoql(q);
  checkTopicAssignmentQuery(parsed, request.user);
  const evaluator = new Evaluator(parsed, querySource(org, request));
  const result = evaluator.run(includeDeleted);
  if (result.kind === 'count') return json(200, { totalSize: result.totalSize, done: true, records: [] });
  if (result.kind === 'aggregate') return json(200, { totalSize: result.records.length, done: true, records: result.records });

  let rows = result.rows;
  const virtual = result.schema.virtual;
  if (virtual?.maxTotalRows !== undefined && rows.length > virtual.maxTotalRows) rows = rows.slice(0, virtual.maxTotalRows);
  const batchSize = batchSizeOf(request, result.schema);
  if (rows.length <= batchSize) {
    return json(200, { totalSize: rows.length, done: true, records: rows.map((r) => result.project(r)) });
  }
  const cursor = org.cursors.open(rows, batchSize, (r) => result.project(r));
  return json(200, page(cursor, 0, request.version));
}

function page(cursor: Cursor, offset: number, version: string): Record<string, unknown> {
  const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
  const records: Record<string, unknown>[] = [];
  for (let i = offset; i < end; i++) records.push(cursor.project(cursor.rows[i] as Rec));
  const done = end >= cursor.rows.length;
  return {
    totalSize: cursor.rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `${urlBase(version)}/query/${cursor.locator}-${end}` }),
    records,
  };
}

export function queryMore(org: OrgState, request: DataRequest, locatorWithOffset: string): DataResponse {
  const dash = locatorWithOffset.lastIndexOf('-');
  const locator = dash === -1 ? locatorWithOffset : locatorWithOffset.slice(0, dash);
  const offset = dash === -1 ? 0 : Number(locatorWithOffset.slice(dash + 1));
  const cursor = org.cursors.get(locator);
  if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.rows.length) {
    throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return json(200, page(cursor, offset, request.version));
}
