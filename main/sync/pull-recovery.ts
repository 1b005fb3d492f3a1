/**
 * Before a pull (or a live-pull session): every pull batch the journal holds as `sending`
 * left, or was about to leave, with no answer recorded. WordPress alone knows what it did, so
 * recovery asks it — a create is looked up by its e-mail — and records what it finds. It never
 * writes anything: the next pull plans from what WordPress holds, so a user the lost batch
 * created is matched by e-mail and updated or left alone, never created again.
 */
import type { PullJournal } from './pull-journal';
import type { PullBatchItem } from './pull-journal';
import type { WriteUsers } from './pull-runner';
import type { PullOutcomeRow, SyncJournal } from './sync-journal';

export interface PullRecoveryResult {
  readonly batches: number;
  /** Creates WordPress had carried out. */
  readonly found: number;
  /** Creates WordPress had not (the next pull makes them). */
  readonly missing: number;
}

export interface PullRecoveryOptions {
  readonly journal: PullJournal;
  readonly runs: SyncJournal;
  readonly siteId: string;
  readonly findByEmail: WriteUsers['findByEmail'];
  readonly isLive: (pid: number) => boolean;
  readonly now: () => string;
  readonly signal?: AbortSignal;
}

export async function recoverPull(options: PullRecoveryOptions): Promise<PullRecoveryResult> {
  const { journal, runs } = options;
  let batches = 0;
  let found = 0;
  let missing = 0;
  for (const { run, batches: open } of journal.unfinished(options.siteId, options.isLive)) {
    for (const batch of open) {
      const items = JSON.parse(batch.items) as PullBatchItem[];
      // Items answered before the stop keep their outcome.
      const answered = journal.answered(run.id, items.map((item) => item.sf));
      const outcomes: PullOutcomeRow[] = [];
      for (const item of items) {
        if (answered.has(item.sf)) continue;
        if (item.kind === 'update') {
          // An update is safe to repeat: the next pull compares again and sends what still differs.
          outcomes.push({ salesforceId: item.sf, wpUserId: item.wp, matchValue: item.email, outcome: 'failed', errorCode: 'UNCONFIRMED', errorMessage: 'ForceSites stopped before WordPress answered this update; the next pull compares again and sends what is still different.' });
          continue;
        }
        const user = await options.findByEmail(item.email, options.signal);
        if (user !== undefined) {
          found += 1;
          outcomes.push({ salesforceId: item.sf, wpUserId: user.id, matchValue: item.email, outcome: 'created', errorMessage: 'ForceSites stopped before WordPress answered; WordPress has this user (found by e-mail).' });
        } else {
          missing += 1;
          outcomes.push({ salesforceId: item.sf, wpUserId: null, matchValue: item.email, outcome: 'failed', errorCode: 'NOT_WRITTEN', errorMessage: 'ForceSites stopped before WordPress answered, and WordPress has no user with this e-mail. The next pull creates it.' });
        }
      }
      journal.finish(run.id, batch.id, outcomes, options.now(), 'recovered');
      batches += 1;
    }
    runs.markInterrupted(run.id, options.now(), 'ForceSites stopped during this pull; the users it was writing were looked up in WordPress.');
    runs.recount(run.id);
  }
  for (const run of journal.abandonedRuns(options.siteId, options.isLive)) {
    runs.markInterrupted(run.id, options.now(), 'ForceSites stopped during this pull.');
    runs.recount(run.id);
  }
  return { batches, found, missing };
}
