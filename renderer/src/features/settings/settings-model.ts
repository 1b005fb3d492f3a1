/** The settings form: text values as typed, validation with messages, and the update patch. */
import type { RequestOf } from '../../../../common/contract';
import type { Settings } from '../../../../common/models';

/** The settings this form edits; any others keep their values. */
export type EditableSettings = Pick<Settings, 'approvalCap' | 'approvalWarnAt' | 'healthIntervalHours' | 'watchedApps' | 'callbackPorts' | 'requestTimeoutSeconds'>;

export interface SettingsFormValues {
  readonly approvalCap: string;
  readonly approvalWarnAt: string;
  readonly healthIntervalHours: string;
  /** One app name per line. */
  readonly watchedApps: string;
  /** Ports separated by commas or spaces. */
  readonly callbackPorts: string;
  readonly requestTimeoutSeconds: string;
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

  if (Object.keys(errors).length > 0 || cap === undefined || warnAt === undefined || hours === undefined || timeout === undefined) return { errors, settings: undefined };
  return {
    errors,
    settings: { approvalCap: cap, approvalWarnAt: warnAt, healthIntervalHours: hours, watchedApps: apps, callbackPorts: ports as number[], requestTimeoutSeconds: timeout },
  };
}

/** Only what changed, so a save does not overwrite settings it did not touch. */
export function settingsPatch(before: EditableSettings, after: EditableSettings): RequestOf<'settings:update'> {
  const patch: RequestOf<'settings:update'> = {};
  if (before.approvalCap !== after.approvalCap) patch.approvalCap = after.approvalCap;
  if (before.approvalWarnAt !== after.approvalWarnAt) patch.approvalWarnAt = after.approvalWarnAt;
  if (before.healthIntervalHours !== after.healthIntervalHours) patch.healthIntervalHours = after.healthIntervalHours;
  if (before.watchedApps.join('\n') !== after.watchedApps.join('\n')) patch.watchedApps = [...after.watchedApps];
  if (before.callbackPorts.join(',') !== after.callbackPorts.join(',')) patch.callbackPorts = [...after.callbackPorts];
  if (before.requestTimeoutSeconds !== after.requestTimeoutSeconds) patch.requestTimeoutSeconds = after.requestTimeoutSeconds;
  return patch;
}
