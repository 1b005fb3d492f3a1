/** Bulk API 2.0 ingest job state, per org. */

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

export class BulkJobs {
  readonly jobs = new Map<string, IngestJob>();
  counter = 0;

  clear(): void {
    this.jobs.clear();
  }
}
