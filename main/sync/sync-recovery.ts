/**
 * After a crash (or a run stopped for authorization or the API limit): every batch the
 * journal holds as `sending` was sent, or about to be, with no answer recorded. Salesforce
 * alone knows whether it was committed, so recovery asks it — by looking the batch's keys
 * up — and records what it finds. It never re-sends anything: the next run plans from what
 * Salesforce holds, so a committed create becomes "unchanged" or an update, not a duplicate.
 *
 * A Bulk job outlives the process that started it: recovery first closes a job still open
 * (abort) or waits for one Salesforce is processing, then looks its keys up.
 */
import type { MatchKey } from '../../common/fields-models';
import { lookupKeys, type LookupApi } from './key-lookup';
import { normalizeKey } from './push-planner';
import type { Counters } from './push-executor';
import { backoffDelay, sleep, DEFAULT_RETRY } from './retry';
import type { BatchKey, OutcomeRow, SyncJournal } from './sync-journal';

export interface RecoveryResult {
  readonly runs: number;
  readonly batches: number;
  readonly found: number;
  readonly missing: number;
}

export interface RecoveryOptions {
  readonly api: LookupApi;
  readonly journal: SyncJournal;
  readonly siteId: string;
  readonly objectType: string;
  readonly isLive: (pid: number) => boolean;
  readonly now: () => string;
  readonly counters: Counters;
  /** How long to wait for a Bulk job Salesforce is still processing (default 10 minutes). */
  readonly bulkWaitMs?: number;
}

export async function recoverUnfinished(options: RecoveryOptions): Promise<RecoveryResult> {
  const { journal, api, counters } = options;
  let batches = 0;
  let found = 0;
  let missing = 0;
  const unfinished = journal.unfinished(options.siteId, options.isLive);
  for (const { run, batches: open } of unfinished) {
    const matchKey: MatchKey = run.match_kind === 'external-id' ? { kind: 'external-id', field: run.match_field, prefix: null } : { kind: 'email', field: run.match_field };
    for (const batch of open) {
      if (batch.bulk_job_id !== null) await settleBulkJob(api, batch.bulk_job_id, counters, options.bulkWaitMs ?? 10 * 60_000);
      const keys = JSON.parse(batch.keys) as BatchKey[];
      const existing = keys.length === 0 ? new Map() : await lookupKeys(api, { objectType: run.object_type, matchKey, fields: ['Id', run.match_field] }, keys.map((k) => k.key), { counters });
      const outcomes: OutcomeRow[] = keys.map(({ wp, key }) => {
        const records = existing.get(normalizeKey(matchKey, key)) ?? [];
        if (records.length >= 1) {
          found += 1;
          return { wpUserId: wp, matchValue: key, salesforceId: records.length === 1 ? records[0]!.Id : null, outcome: 'recovered', errorMessage: 'ForceSites stopped before Salesforce answered; Salesforce has this record (found by its key).' };
        }
        missing += 1;
        return { wpUserId: wp, matchValue: key, salesforceId: null, outcome: 'failed', errorCode: 'NOT_WRITTEN', errorMessage: 'ForceSites stopped before Salesforce answered, and Salesforce does not have this record. The next sync writes it.' };
      });
      journal.finishBatch(run.id, batch.id, outcomes, options.now(), 'recovered');
      batches += 1;
    }
    journal.recount(run.id);
    journal.markInterrupted(run.id, options.now(), 'ForceSites stopped during this run; unanswered batches were checked against Salesforce.');
  }
  // Runs killed before they sent anything have no batch to recover, only a state to fix.
  for (const run of journal.abandonedRuns(options.siteId, options.isLive)) {
    journal.recount(run.id);
    journal.markInterrupted(run.id, options.now(), 'ForceSites stopped during this run before it wrote anything.');
  }
  return { runs: unfinished.length, batches, found, missing };
}

async function settleBulkJob(api: LookupApi, jobId: string, counters: Counters, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    counters.calls += 1;
    counters.polls += 1;
    const info = await api.request<{ state?: string }>(`/jobs/ingest/${jobId}`);
    const state = info.state ?? '';
    if (['JobComplete', 'Failed', 'Aborted'].includes(state)) return;
    if (state === 'Open') {
      // Never closed: Salesforce has not started it. Abort so it can never run later.
      counters.calls += 1;
      await api.request({ method: 'PATCH', url: `/jobs/ingest/${jobId}`, body: JSON.stringify({ state: 'Aborted' }), headers: { 'content-type': 'application/json' } });
      return;
    }
    if (Date.now() > deadline) throw new Error(`The Bulk API job ${jobId} from the interrupted run is still ${state}; start the sync again once it has finished.`);
    await sleep(backoffDelay({ ...DEFAULT_RETRY, baseDelayMs: 250, maxDelayMs: 2_000 }, attempt));
  }
}
