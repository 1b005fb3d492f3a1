/**
 * Numbered migrations of the profile file.
 *
 * conf's own migrations are keyed by the app's semver and run whenever the app version
 * changes; ours are keyed by a `schemaVersion` number stored in the file, run in order, and
 * run BEFORE conf validates the file against the current schema (conf refuses a file that
 * does not match its schema, which an old file by definition may not).
 *
 * Rules: never edit a released migration; add one with `from` = the last `to`; keep each a
 * pure function of plain JSON.
 */
import { DEFAULT_SETTINGS } from './default-settings';

export type ProfileJson = Record<string, unknown>;

export interface ProfileMigration {
  readonly from: number;
  readonly to: number;
  readonly description: string;
  migrate(data: ProfileJson): ProfileJson;
}

export const PROFILE_MIGRATIONS: readonly ProfileMigration[] = [
  {
    from: 0,
    to: 1,
    description: 'Unversioned file (pre-release builds, or an empty file): add the settings, connections and sites sections.',
    migrate: (data) => {
      const settings = isObject(data['settings']) ? data['settings'] : {};
      const known = Object.fromEntries(Object.entries(settings).filter(([key]) => key in DEFAULT_SETTINGS));
      return {
        ...data,
        schemaVersion: 1,
        settings: { ...DEFAULT_SETTINGS, ...known },
        connections: isObject(data['connections']) ? data['connections'] : {},
        sites: isObject(data['sites']) ? data['sites'] : {},
      };
    },
  },
];

export const CURRENT_SCHEMA_VERSION = 1;

/** Applies every migration from the file's version up to `target`, in order. */
export function migrateProfile(
  data: ProfileJson,
  target: number,
  migrations: readonly ProfileMigration[],
): { readonly data: ProfileJson; readonly from: number; readonly applied: readonly ProfileMigration[] } {
  const from = typeof data['schemaVersion'] === 'number' ? data['schemaVersion'] : 0;
  let current = data;
  let version = from;
  const applied: ProfileMigration[] = [];
  while (version < target) {
    const step = migrations.find((migration) => migration.from === version);
    if (step === undefined) throw new Error(`No profile migration from schema version ${version}`);
    current = { ...step.migrate(current), schemaVersion: step.to };
    version = step.to;
    applied.push(step);
  }
  return { data: current, from, applied };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
