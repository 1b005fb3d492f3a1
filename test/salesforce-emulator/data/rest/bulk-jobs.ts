/** Bulk API 2.0 job state, per org: ingest jobs and query jobs share one id sequence (750…). */
import type { BulkQuerySettings, DataUser } from '../seam';
import type { Rec } from '../store/record-store';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type JobOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export interface IngestJob {
  readonly id: string;
  readonly operation: JobOperation;
  readonly object: string;
  readonly createdById: string;
  readonly createdDate: string;
  systemModstamp: string;
  state: JobState;
  readonly externalIdFieldName: string | undefined;
  readonly apiVersion: number;
  readonly lineEnding: 'LF' | 'CRLF';
  readonly columnDelimiter: string;
  data: string | undefined;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  errorMessage: string | undefined;
  /** Result CSV bodies, set when the job completes. */
  successful: string[];
  failed: string[];
  unprocessed: string[];
  header: string[];
}

/** One CSV column of a query job: its header and how to read it from a projected record. */
export interface QueryColumn {
  readonly header: string;
  /** Keys to walk in the projected record, e.g. ['Account', 'Name']. */
  readonly path: readonly string[];
  readonly type: string;
}

export interface QueryJob {
  readonly id: string;
  readonly operation: 'query' | 'queryAll';
  readonly object: string;
  readonly query: string;
  readonly createdById: string;
  /** Who created the job: the query runs with their visibility when the job is processed. */
  readonly creator: DataUser;
  readonly createdDate: string;
  systemModstamp: string;
  state: Exclude<JobState, 'Open'>;
  readonly apiVersion: number;
  /** The version string the job was created with; results must be read with the same one. */
  readonly version: string;
  readonly lineEnding: 'LF' | 'CRLF';
  readonly columnDelimiter: string;
  readonly columns: readonly QueryColumn[];
  numberRecordsProcessed: number;
  totalProcessingTime: number;
  errorMessage: string | undefined;
  /**
   * The matched rows once processed: references to immutable records, so a 100,000-row result
   * holds no copies and each results page is projected on demand.
   */
  rows: readonly Rec[];
  project: ((rec: Rec) => Record<string, unknown>) | undefined;
  /** Set by the `fail-job` setting: the SOQL error the job will fail with when processed. */
  readonly deferredError: string | undefined;
}

export const DEFAULT_BULK_QUERY_SETTINGS: BulkQuerySettings = { invalidQuery: 'reject', defaultMaxRecords: 50_000, failRate: 0 };

export class BulkJobs {
  readonly jobs = new Map<string, IngestJob>();
  readonly queryJobs = new Map<string, QueryJob>();
  counter = 0;
  querySettings: BulkQuerySettings = DEFAULT_BULK_QUERY_SETTINGS;
  /** Deterministic stream for `failRate` (mulberry32), restarted when the settings change. */
  private seed = 7;

  nextFailure(): boolean {
    const rate = this.querySettings.failRate;
    if (!(rate > 0)) return false;
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < rate;
  }

  configureQueries(patch: Partial<BulkQuerySettings>): BulkQuerySettings {
    const next = { ...this.querySettings, ...patch };
    if (next.invalidQuery !== 'reject' && next.invalidQuery !== 'fail-job') throw new RangeError("invalidQuery must be 'reject' or 'fail-job'");
    if (!Number.isInteger(next.defaultMaxRecords) || next.defaultMaxRecords < 1) throw new RangeError('defaultMaxRecords must be a positive integer');
    if (typeof next.failRate !== 'number' || !(next.failRate >= 0 && next.failRate <= 1)) throw new RangeError('failRate must be a number between 0 and 1');
    this.querySettings = next;
    this.seed = 7;
    return next;
  }

  clear(): void {
    this.jobs.clear();
    this.queryJobs.clear();
  }
}
