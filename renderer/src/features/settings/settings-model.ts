/** The settings form: text values as typed, validation with messages, and the update patch. */
import type { RequestOf } from '../../../../common/contract';
import { CHANGE_FEED_POLL_DEFAULT_SECONDS, CHANGE_FEED_POLL_LIMITS } from '../../../../common/change-feed-models';
import { SYNC_SETTING_DEFAULTS, SYNC_SETTING_LIMITS, type Settings } from '../../../../common/models';

/** The settings this form edits; any others keep their values. */
export type EditableSettings = Pick<Settings, 'approvalCap' | 'approvalWarnAt' | 'healthIntervalHours' | 'watchedApps' | 'callbackPorts' | 'requestTimeoutSeconds'> &
  Required<Pick<Settings, 'syncConcurrency' | 'syncBulkThreshold' | 'syncApiSharePercent' | 'syncRemoveTopics' | 'syncTruncateLongValues' | 'changesPollSeconds'>>;

export interface SettingsFormValues {
  readonly approvalCap: string;
  readonly approvalWarnAt: string;
  readonly healthIntervalHours: string;
  /** One app name per line. */
  readonly watchedApps: string;
  /** Ports separated by commas or spaces. */
  readonly callbackPorts: string;
  readonly requestTimeoutSeconds: string;
  readonly syncConcurrency: string;
  /** Digits, with or without thousands separators. */
  readonly syncBulkThreshold: string;
  readonly syncApiSharePercent: string;
  readonly syncRemoveTopics: boolean;
  readonly syncTruncateLongValues: boolean;
  readonly changesPollSeconds: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsFormValues, string>>;

export function settingsToForm(settings: Settings): SettingsFormValues {
  return {
    approvalCap: String(settings.approvalCap),
    approvalWarnAt: String(settings.approvalWarnAt),
    healthIntervalHours: String(settings.healthIntervalHours),
    watchedApps: settings.watchedApps.join('\n'),
    callbackPorts: settings.callbackPorts.join(', '),
    requestTimeoutSeconds: String(settings.requestTimeoutSeconds),
    syncConcurrency: String(settings.syncConcurrency ?? SYNC_SETTING_DEFAULTS.syncConcurrency),
    syncBulkThreshold: String(settings.syncBulkThreshold ?? SYNC_SETTING_DEFAULTS.syncBulkThreshold),
    syncApiSharePercent: String(settings.syncApiSharePercent ?? SYNC_SETTING_DEFAULTS.syncApiSharePercent),
    syncRemoveTopics: settings.syncRemoveTopics ?? SYNC_SETTING_DEFAULTS.syncRemoveTopics,
    syncTruncateLongValues: settings.syncTruncateLongValues ?? SYNC_SETTING_DEFAULTS.syncTruncateLongValues,
    changesPollSeconds: String(settings.changesPollSeconds ?? CHANGE_FEED_POLL_DEFAULT_SECONDS),
  };
}

function integer(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

export function parseApps(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function parsePorts(text: string): (number | undefined)[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map(integer);
}

export function validateSettings(values: SettingsFormValues): { errors: SettingsErrors; settings: EditableSettings | undefined } {
  const errors: SettingsErrors = {};
  const cap = integer(values.approvalCap);
  if (cap === undefined || cap < 1 || cap > 50) errors.approvalCap = 'Enter a whole number from 1 to 50 (Salesforce’s help says 5).';
  const warnAt = integer(values.approvalWarnAt);
  if (warnAt === undefined || warnAt < 1 || warnAt > 50) errors.approvalWarnAt = 'Enter a whole number from 1 to 50.';
  else if (cap !== undefined && warnAt > cap) errors.approvalWarnAt = `Warn at or before the cap: ${cap} or fewer.`;

  const hoursText = values.healthIntervalHours.trim().replace(',', '.');
  const hours = /^\d+(\.\d+)?$/.test(hoursText) ? Number(hoursText) : undefined;
  if (hours === undefined || hours < 0.25 || hours > 168) errors.healthIntervalHours = 'Enter a number of hours from 0.25 (15 minutes) to 168 (a week).';

  const apps = parseApps(values.watchedApps);
  if (apps.length > 20) errors.watchedApps = 'Watch at most 20 apps.';
  else if (apps.some((app) => app.length > 255)) errors.watchedApps = 'An app name is at most 255 characters.';
  else if (new Set(apps.map((app) => app.toLowerCase())).size !== apps.length) errors.watchedApps = 'Each app is listed once; remove the duplicate.';

  const ports = parsePorts(values.callbackPorts);
  if (ports.length === 0) errors.callbackPorts = 'Enter at least one port, for example 1717.';
  else if (ports.length > 10) errors.callbackPorts = 'Use at most 10 ports.';
  else if (ports.some((port) => port === undefined || port < 1024 || port > 65535)) errors.callbackPorts = 'Ports are whole numbers from 1024 to 65535.';
  else if (new Set(ports).size !== ports.length) errors.callbackPorts = 'Each port is listed once; remove the duplicate.';

  const timeout = integer(values.requestTimeoutSeconds);
  if (timeout === undefined || timeout < 5 || timeout > 600) errors.requestTimeoutSeconds = 'Enter a whole number of seconds from 5 to 600 (30 suits most networks).';

  const { concurrency: c, bulkThreshold: b, apiSharePercent: p } = SYNC_SETTING_LIMITS;
  const concurrency = integer(values.syncConcurrency);
  if (concurrency === undefined || concurrency < c.min || concurrency > c.max) errors.syncConcurrency = `Enter a whole number from ${c.min} to ${c.max} (4 suits most orgs; more can hit Salesforce’s lock errors).`;
  const threshold = integer(values.syncBulkThreshold.replace(/[,\s]/g, ''));
  if (threshold === undefined || threshold < b.min || threshold > b.max) errors.syncBulkThreshold = `Enter a whole number of records from ${b.min.toLocaleString('en-US')} to ${b.max.toLocaleString('en-US')}.`;
  const share = integer(values.syncApiSharePercent.replace(/%\s*$/, ''));
  if (share === undefined || share < p.min || share > p.max) errors.syncApiSharePercent = `Enter a whole percentage from ${p.min} to ${p.max}.`;
  const pollSeconds = integer(values.changesPollSeconds);
  if (pollSeconds === undefined || pollSeconds < CHANGE_FEED_POLL_LIMITS.min || pollSeconds > CHANGE_FEED_POLL_LIMITS.max) {
    errors.changesPollSeconds = `Enter a whole number of seconds from ${CHANGE_FEED_POLL_LIMITS.min} to ${CHANGE_FEED_POLL_LIMITS.max.toLocaleString('en-US')} (each poll is one API call per followed site).`;
  }

  if (
    Object.keys(errors).length > 0 ||
    cap === undefined ||
    warnAt === undefined ||
    hours === undefined ||
    timeout === undefined ||
    concurrency === undefined ||
    threshold === undefined ||
    share === undefined ||
    pollSeconds === undefined
  ) {
    return { errors, settings: undefined };
  }
  return {
    errors,
    settings: {
      approvalCap: cap,
      approvalWarnAt: warnAt,
      healthIntervalHours: hours,
      watchedApps: apps,
      callbackPorts: ports as number[],
      requestTimeoutSeconds: timeout,
      syncConcurrency: concurrency,
      syncBulkThreshold: threshold,
      syncApiSharePercent: share,
      syncRemoveTopics: values.syncRemoveTopics,
      syncTruncateLongValues: values.syncTruncateLongValues,
      changesPollSeconds: pollSeconds,
    },
  };
}

/** Only what changed, so a save does not overwrite settings it did not touch. */
export function settingsPatch(current: Settings | EditableSettings, after: EditableSettings): RequestOf<'settings:update'> {
  // Settings from before the sync settings existed: compare with the defaults main applies.
  const before = { ...SYNC_SETTING_DEFAULTS, changesPollSeconds: CHANGE_FEED_POLL_DEFAULT_SECONDS, ...current };
  const patch: RequestOf<'settings:update'> = {};
  if (before.approvalCap !== after.approvalCap) patch.approvalCap = after.approvalCap;
  if (before.approvalWarnAt !== after.approvalWarnAt) patch.approvalWarnAt = after.approvalWarnAt;
  if (before.healthIntervalHours !== after.healthIntervalHours) patch.healthIntervalHours = after.healthIntervalHours;
  if (before.watchedApps.join('\n') !== after.watchedApps.join('\n')) patch.watchedApps = [...after.watchedApps];
  if (before.callbackPorts.join(',') !== after.callbackPorts.join(',')) patch.callbackPorts = [...after.callbackPorts];
  if (before.requestTimeoutSeconds !== after.requestTimeoutSeconds) patch.requestTimeoutSeconds = after.requestTimeoutSeconds;
  if (before.syncConcurrency !== after.syncConcurrency) patch.syncConcurrency = after.syncConcurrency;
  if (before.syncBulkThreshold !== after.syncBulkThreshold) patch.syncBulkThreshold = after.syncBulkThreshold;
  if (before.syncApiSharePercent !== after.syncApiSharePercent) patch.syncApiSharePercent = after.syncApiSharePercent;
  if (before.syncRemoveTopics !== after.syncRemoveTopics) patch.syncRemoveTopics = after.syncRemoveTopics;
  if (before.syncTruncateLongValues !== after.syncTruncateLongValues) patch.syncTruncateLongValues = after.syncTruncateLongValues;
  if (before.changesPollSeconds !== after.changesPollSeconds) patch.changesPollSeconds = after.changesPollSeconds;
  return patch;
}
