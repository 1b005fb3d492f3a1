/**
 * What the pull (pull-service.ts, live-pull.ts) needs from SyncService — its options and the
 * pieces it shares with the push (the run slot, the run history, progress, error wording) —
 * and the pull's view of a site's settings. Its own file so the pull's files import no
 * sync-service.ts and not each other in a circle.
 */
import type { AppError } from '../../common/errors';
import type { PullOptionsDto, SyncPhase, SyncRunDto } from '../../common/sync-models';
import type { LocalDatabase } from '../platform/local-database';
import type { SiteRunSlots } from '../platform/site-run-slots';
import type { LookupApi } from './key-lookup';
import type { PullTarget, WriteUsers } from './pull-runner';
import type { PushSettings } from './push-planner';
import type { RunRow, SyncJournal } from './sync-journal';
import type { ReadUsers } from './sync-ports';

export type PullProgressFn = (phase: SyncPhase, done: number, total: number, force?: boolean) => void;

/** What the pull needs from SyncService (its options, and the pieces it shares with the push). */
export interface PullHost {
  readonly db: LocalDatabase;
  /** This process (the journal's owner of running runs). */
  readonly pid: number;
  readonly isLive: (pid: number) => boolean;
  readonly journal: SyncJournal;
  readonly slots: SiteRunSlots;
  readonly readUsers: ReadUsers;
  readonly settingsFor: (siteId: string) => PushSettings;
  readonly salesforceFor: (siteId: string) => Promise<LookupApi>;
  readonly writeUsers?: ((siteId: string) => WriteUsers) | undefined;
  readonly concurrency: () => number;
  readonly apiShare: () => number;
  readonly rowsLimit: number;
  readonly onFinished?: ((run: SyncRunDto) => void) | undefined;
  /** Counts every Salesforce call inside for the site (the registry's meter). */
  readonly forSite: <T>(siteId: string, work: () => Promise<T>) => Promise<T>;
  /** The Salesforce API with retried reads. */
  readonly reads: (api: LookupApi) => LookupApi;
  readonly progress: (siteId: string, runId: string) => PullProgressFn;
  readonly nowIso: () => string;
  readonly newId: () => string;
  readonly runDto: (row: RunRow) => SyncRunDto;
  /** A failure before anything was written, as the admin should read it. */
  readonly readError: (error: unknown) => AppError;
  readonly asAppError: (error: unknown) => AppError;
  /** The error for "this site is already syncing"; `who` names another process's run. */
  readonly busy: (who?: string) => AppError;
  /** Test seam: after a batch is journaled as sending, before its writes leave. */
  readonly beforeSend?: ((batchId: number) => void | Promise<void>) | undefined;
}

export function pullTarget(settings: PushSettings, options: Pick<PullOptionsDto, 'role'>): PullTarget {
  const tagField = settings.tagField === null ? undefined : settings.fields?.find((field) => field.name.toLowerCase() === settings.tagField!.toLowerCase());
  return {
    objectType: settings.objectType,
    fieldMapping: settings.fieldMapping,
    emailField: settings.matchKey.kind === 'email' ? settings.matchKey.field : 'Email',
    role: options.role,
    pullTags: settings.tagMode !== 'none',
    tagMode: settings.tagMode,
    tagField: settings.tagField,
    tagFieldSingle: tagField?.type === 'picklist',
  };
}
