/**
 * The profile store: settings, connection metadata and site profiles in one JSON file.
 *
 * Built on `conf` (which electron-store extends) with a `cwd`, so the same class runs in
 * plain Node for tests and the browser edition, and in Electron with the userData path.
 * conf writes atomically (temp file + rename) and validates every write against the JSON
 * schema in profile-records.ts, whose records allow no unknown property: no secret can land
 * in this file. Secrets are in the keychain (main/auth/token-vault.ts).
 */
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import { AppError } from '../../common/errors';
import type { ConnectionState, Settings } from '../../common/models';
import { DEFAULT_SETTINGS } from './default-settings';
import { CURRENT_SCHEMA_VERSION, migrateProfile, PROFILE_MIGRATIONS, type ProfileMigration } from './profile-migrations';
import { PROFILE_SCHEMA, type ConnectionRecord, type ProfileData, type SiteRecord } from './profile-records';

export interface ProfileStoreOptions {
  /** Directory of the profile file (Electron: app.getPath('userData')). */
  readonly cwd: string;
  /** File name without `.json`. */
  readonly configName?: string;
  /** Tests add a migration to prove the path works; the app uses the defaults. */
  readonly migrations?: readonly ProfileMigration[];
  readonly schemaVersion?: number;
  /**
   * Opens the JSON file. Plain Node uses `conf`; the Electron app passes electron-store
   * (a `conf` subclass), so both editions share this class, its schema and migrations.
   */
  readonly openBacking?: (options: ConfOptions<ProfileData> & { readonly cwd: string; readonly configName: string }) => Conf<ProfileData>;
}

type Sections = Omit<ProfileData, 'schemaVersion'>;

export class ProfileStore {
  readonly path: string;
  readonly #conf: Conf<ProfileData>;
  readonly #defaults: ProfileData;
  /**
   * The last content read or written. If the file disappears while ForceSites runs (deleted
   * by hand, a cleaner, a synced folder), the next access writes this back instead of
   * treating the profile as empty: nothing the admin saved is lost.
   */
  #last: ProfileData | undefined;

  constructor(options: ProfileStoreOptions) {
    const configName = options.configName ?? 'profile';
    const target = options.schemaVersion ?? CURRENT_SCHEMA_VERSION;
    this.path = path.resolve(options.cwd, `${configName}.json`);
    migrateFileInPlace(this.path, target, options.migrations ?? PROFILE_MIGRATIONS);
    try {
      const openBacking = options.openBacking ?? ((confOptions) => new Conf<ProfileData>(confOptions));
      this.#conf = openBacking({
        cwd: options.cwd,
        configName,
        // Object keys are record ids; dots in a key must never be read as a path.
        accessPropertiesByDotNotation: false,
        // The profile names users and orgs: readable by this OS user only.
        configFileMode: 0o600,
        schema: PROFILE_SCHEMA as never,
        rootSchema: { additionalProperties: false },
        defaults: { schemaVersion: target, settings: DEFAULT_SETTINGS, connections: {}, sites: {} },
      });
    } catch (error) {
      throw unreadable(this.path, error);
    }
    this.#defaults = { schemaVersion: target, settings: DEFAULT_SETTINGS, connections: {}, sites: {} };
    this.#last = this.#read();
  }

  // ---- settings ----

  getSettings(): Settings {
    return { ...DEFAULT_SETTINGS, ...this.#read().settings };
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const merged = { ...this.getSettings(), ...patch };
    // A warning threshold above the cap would never fire; keep it at the cap at most.
    const settings: Settings = { ...merged, approvalWarnAt: Math.min(merged.approvalWarnAt, merged.approvalCap) };
    this.#write({ settings });
    return settings;
  }

  // ---- connections ----

  listConnections(): readonly ConnectionRecord[] {
    return Object.values(this.#read().connections).sort((a, b) => a.authorizedAt.localeCompare(b.authorizedAt));
  }

  getConnection(id: string): ConnectionRecord | undefined {
    const { connections } = this.#read();
    return Object.hasOwn(connections, id) ? connections[id] : undefined;
  }

  /** The one connection for this org + connected app + user, if any (approvals are per user per app). */
  findConnection(orgId: string, userId: string, clientId: string): ConnectionRecord | undefined {
    return this.listConnections().find((c) => c.orgId === orgId && c.userId === userId && c.clientId === clientId);
  }

  saveConnection(record: ConnectionRecord): ConnectionRecord {
    const { connections } = this.#read();
    this.#write({ connections: { ...connections, [record.id]: record } });
    return record;
  }

  setConnectionState(id: string, state: ConnectionState): ConnectionRecord | undefined {
    const current = this.getConnection(id);
    if (current === undefined) return undefined;
    return this.saveConnection({ ...current, state });
  }

  /** Removes the connection and detaches the sites that used it, in one write. */
  deleteConnection(id: string): boolean {
    const { connections, sites } = this.#read();
    if (!Object.hasOwn(connections, id)) return false;
    const { [id]: removed, ...rest } = connections;
    const now = new Date().toISOString();
    const detached = Object.fromEntries(
      Object.entries(sites).map(([siteId, site]) => [
        siteId,
        site.connectionId === id ? { ...site, connectionId: null, detachedFromConnection: removed?.username ?? 'a removed connection', updatedAt: now } : site,
      ]),
    );
    this.#write({ connections: rest, sites: detached });
    return true;
  }

  // ---- sites ----

  listSites(): readonly SiteRecord[] {
    return Object.values(this.#read().sites).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  }

  getSite(id: string): SiteRecord | undefined {
    const { sites } = this.#read();
    return Object.hasOwn(sites, id) ? sites[id] : undefined;
  }

  saveSite(record: SiteRecord): SiteRecord {
    const { sites } = this.#read();
    this.#write({ sites: { ...sites, [record.id]: record } });
    return record;
  }

  /** For the health and sync services: timestamps only. */
  touchSite(id: string, patch: { readonly lastCheckedAt?: string; readonly lastSyncedAt?: string }): SiteRecord | undefined {
    const current = this.getSite(id);
    if (current === undefined) return undefined;
    return this.saveSite({ ...current, ...patch });
  }

  deleteSite(id: string): boolean {
    const { sites } = this.#read();
    if (!Object.hasOwn(sites, id)) return false;
    const { [id]: _removed, ...rest } = sites;
    this.#write({ sites: rest });
    return true;
  }

  // ---- internals ----

  #read(): ProfileData {
    if (this.#last !== undefined && !existsSync(this.path)) {
      // The file vanished under us: put back what we had rather than start empty.
      this.#store(this.#last);
      return this.#last;
    }
    let data: Partial<ProfileData>;
    try {
      data = this.#conf.store;
    } catch (error) {
      throw unreadable(this.path, error);
    }
    const complete = { ...this.#defaults, ...data };
    this.#last = complete;
    return complete;
  }

  #write(patch: Partial<Sections>): void {
    this.#store({ ...this.#read(), ...patch });
  }

  /** One `store` assignment = one validated, atomic write of the whole file. */
  #store(data: ProfileData): void {
    try {
      this.#conf.store = data;
    } catch (error) {
      // A schema violation is a bug (or a secret about to be written): keep conf's own error.
      throw typeof (error as { code?: unknown } | null)?.code === 'string' ? unwritable(this.path, error) : error;
    }
    this.#last = data;
  }
}

/**
 * Brings an existing file up to `target` before conf (and its schema check) sees it. The
 * previous file is kept as `<name>.v<N>.backup.json` so a bad migration loses nothing.
 */
function migrateFileInPlace(file: string, target: number, migrations: readonly ProfileMigration[]): void {
  if (!existsSync(file)) return;
  let data: Record<string, unknown>;
  try {
    const text = readFileSync(file, 'utf8');
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    data = parsed as Record<string, unknown>;
  } catch (error) {
    throw unreadable(file, error);
  }
  const version = typeof data['schemaVersion'] === 'number' ? data['schemaVersion'] : 0;
  if (version > target) {
    throw new AppError('INTERNAL', `The ForceSites profile was written by a newer version of ForceSites (schema ${version}).`, {
      hint: `Update ForceSites, or move ${file} aside to start with an empty profile.`,
    });
  }
  if (version === target) return;
  const migrated = migrateProfile(data, target, migrations);
  copyFileSync(file, file.replace(/\.json$/, `.v${version}.backup.json`));
  const temp = `${file}.${process.pid}.migrating`;
  writeFileSync(temp, JSON.stringify(migrated.data, undefined, '\t'), { mode: 0o600 });
  renameSync(temp, file);
}

/** Says which file, what went wrong, and what to do; nothing was written. */
function unwritable(file: string, cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const folder = path.dirname(file);
  const [what, fix] =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ['the disk is full', 'Free some space on that disk, then save again.']
      : code === 'EACCES' || code === 'EPERM'
        ? [`the folder ${folder} is not writable for your user`, `Give your user write access to ${folder} (or move the file back where ForceSites can write it), then save again.`]
        : code === 'EROFS'
          ? ['the disk is read-only', `Make ${folder} writable (remount the disk, or check the sync tool that owns it), then save again.`]
          : code === 'EISDIR'
            ? [`${file} is a folder, not a file`, `Move that folder out of the way, then save again; ForceSites recreates the file.`]
            : code === 'ENOENT' || code === 'ENOTDIR'
              ? [`the folder ${folder} no longer exists and could not be recreated`, `Recreate ${folder} (or check the drive it is on is connected), then save again.`]
              : ['the file could not be written', `Check that ${folder} exists and is writable, then save again.`];
  return new AppError('PROFILE_FILE_ERROR', `ForceSites could not save its profile file ${file}: ${what}. Nothing was changed.`, { hint: fix, cause });
}

function unreadable(file: string, cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('PROFILE_FILE_ERROR', `ForceSites could not read its profile file ${file}: your user may not read it.`, {
      hint: `Give your user read and write access to ${file}, then try again.`,
      cause,
    });
  }
  if (code === 'EISDIR') {
    return new AppError('PROFILE_FILE_ERROR', `ForceSites could not read its profile file ${file}: it is a folder, not a file.`, {
      hint: 'Move that folder out of the way, then try again; ForceSites recreates the file.',
      cause,
    });
  }
  return new AppError('PROFILE_FILE_ERROR', `ForceSites could not read its profile file ${file}: it is damaged (not the JSON ForceSites writes).`, {
    hint: `Restore ${file} from a backup, or move it aside to start with an empty profile.`,
    cause,
  });
}
