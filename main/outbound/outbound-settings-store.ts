/**
 * Each site's outbound-message settings in `<dataDir>/outbound-settings.json`, beside the
 * profile file rather than in it: the profile file's schema belongs to main/platform and
 * admits no property it does not name, and these settings matter to this feature only.
 * Holds no secret — the endpoint is a template with `{access_key}`, the key is in the
 * keychain. Written atomically (temporary file, then rename) with mode 0600 like the profile
 * file. A file that cannot be read is reported, not silently replaced, so settings are never
 * lost without the admin hearing of it.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../common/errors';
import { OUTBOUND_ACTIONS, type OutboundAction } from '../../common/outbound-models';

export const OUTBOUND_SETTINGS_FILE = 'outbound-settings.json';
const FORMAT = 'forcesites-outbound-settings';
const VERSION = 1;

export interface StoredOutboundSettings {
  readonly action: OutboundAction;
  /** null = the connector's default URL for the site and action. */
  readonly customEndpoint: string | null;
  /** null = the fields the site's mapping suggests. */
  readonly fields: readonly string[] | null;
}

export const DEFAULT_OUTBOUND_SETTINGS: StoredOutboundSettings = { action: 'update', customEndpoint: null, fields: null };

export class OutboundSettingsStore {
  readonly file: string;
  #sites: Record<string, StoredOutboundSettings> | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, OUTBOUND_SETTINGS_FILE);
  }

  get(siteId: string): StoredOutboundSettings {
    return this.#load()[siteId] ?? DEFAULT_OUTBOUND_SETTINGS;
  }

  set(siteId: string, settings: StoredOutboundSettings): void {
    this.#write({ ...this.#load(), [siteId]: settings });
  }

  /** True when the site had settings. */
  delete(siteId: string): boolean {
    const sites = this.#load();
    if (!(siteId in sites)) return false;
    const { [siteId]: _removed, ...rest } = sites;
    this.#write(rest);
    return true;
  }

  #load(): Record<string, StoredOutboundSettings> {
    if (this.#sites !== undefined) return this.#sites;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#sites = {};
        return this.#sites;
      }
      throw fileError(this.file, `could not be read (${(error as NodeJS.ErrnoException).code ?? 'read failed'})`, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw fileError(this.file, 'is not valid JSON', error);
    }
    const sites = validSites(parsed);
    if (sites === undefined) throw fileError(this.file, 'is not an outbound-settings file this version of ForceSites understands');
    this.#sites = sites;
    return sites;
  }

  #write(sites: Record<string, StoredOutboundSettings>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, version: VERSION, sites }, null, 2)}\n`, { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new AppError('PROFILE_FILE_ERROR', `ForceSites could not write the outbound-message settings to ${this.file}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}.`, {
        hint: 'Check that the disk is not full and that ForceSites may write to its data folder, then save again.',
        cause: error,
      });
    }
    this.#sites = sites;
  }
}

function fileError(file: string, what: string, cause?: unknown): AppError {
  return new AppError('PROFILE_FILE_ERROR', `The outbound-message settings file ${file} ${what}.`, {
    hint: 'Move the file aside (ForceSites then starts with default endpoints; access keys stay in the keychain) or restore it from a backup.',
    cause,
  });
}

function validSites(value: unknown): Record<string, StoredOutboundSettings> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, version, sites } = value as { format?: unknown; version?: unknown; sites?: unknown };
  if (format !== FORMAT || version !== VERSION || typeof sites !== 'object' || sites === null) return undefined;
  const out: Record<string, StoredOutboundSettings> = {};
  for (const [siteId, raw] of Object.entries(sites)) {
    const entry = raw as Partial<StoredOutboundSettings>;
    if (!OUTBOUND_ACTIONS.includes(entry.action as OutboundAction)) return undefined;
    if (entry.customEndpoint !== null && typeof entry.customEndpoint !== 'string') return undefined;
    if (entry.fields !== null && !(Array.isArray(entry.fields) && entry.fields.every((field) => typeof field === 'string'))) return undefined;
    out[siteId] = { action: entry.action as OutboundAction, customEndpoint: entry.customEndpoint ?? null, fields: entry.fields ?? null };
  }
  return out;
}
