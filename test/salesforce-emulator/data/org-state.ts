/** Everything one org's data half holds, shared by the REST handlers. */
import type { DmlContext, DmlEngine } from './dml/dml-engine';
import type { IdGenerator } from './ids';
import type { SchemaRegistry } from './schema/registry';
import type { DataRequest, OrgDataOptions } from './seam';
import type { RecordStore } from './store/record-store';
import type { QueryCursors } from './rest/query-cursors';
import type { BulkJobs } from './rest/bulk-jobs';

export interface OrgState {
  readonly options: OrgDataOptions;
  readonly registry: SchemaRegistry;
  readonly store: RecordStore;
  readonly engine: DmlEngine;
  readonly ids: IdGenerator;
  readonly cursors: QueryCursors;
  readonly jobs: BulkJobs;
  /** The user seed() writes as (CreatedById/OwnerId). */
  readonly defaultUserId: string;
}

export function dmlContext(org: OrgState, request: Pick<DataRequest, 'user'> | undefined): DmlContext {
  return { userId: request?.user.id ?? org.defaultUserId, now: org.options.now() };
}

export function urlBase(version: string): string {
  return `/services/data/v${version}`;
}
