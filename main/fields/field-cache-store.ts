/**
 * The refreshed fields of each site profile, one JSON file per site in
 * `<dataDir>/field-cache/<siteId>.json` — beside the profile file, never inside it: a
 * describe is large, changes with every refresh, and is Salesforce's data, not the admin's
 * settings. Written atomically (temporary file, then rename) with mode 0600 like the profile
 * file. A file that cannot be read (hand-edited, half-written by a crash on another
 * filesystem, another version) is treated as "not loaded yet" and logged: the next refresh
 * rewrites it; nothing else depends on it.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../common/errors';
import type { FieldCacheDto } from '../../common/fields-models';
import { silentLogger, type Logger } from '../platform/logger';

export const FIELD_CACHE_FORMAT = 'forcesites-field-cache';
export const FIELD_CACHE_VERSION = 1;

/** What one file holds: the cache the page shows, and how to ask Salesforce "changed since?". */
export interface StoredFieldCache {
  readonly cache: FieldCacheDto;
  /** The describe's `Last-Modified` as Salesforce sent it; null when it sent none (then no If-Modified-Since). */
  readonly describeLastModified: string | null;
  /** The API version the describe was read with: a different version may describe differently. */
  readonly apiVersion: string;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export class FieldCacheStore {
  readonly directory: string;
  readonly #log: Logger;

  constructor(dataDir: string, log: Logger = silentLogger) {
    this.directory = path.join(dataDir, 'field-cache');
    this.#log = log;
  }

  fileOf(siteId: string): string {
    // Site ids are ours (UUIDs), but a file name must never come from anything path-like.
    if (!SAFE_ID.test(siteId)) throw new AppError('INVALID_REQUEST', 'That is not a site id.');
    return path.join(this.directory, `${siteId}.json`);
  }

  load(siteId: string): StoredFieldCache | null {
    const file = this.fileOf(siteId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#log.warn('could not read a field cache; it will be refreshed', { siteId, code: (error as NodeJS.ErrnoException).code });
      return null;
    }
    try {
      const parsed = JSON.parse(text) as { format?: unknown; version?: unknown; stored?: StoredFieldCache };
      if (parsed.format !== FIELD_CACHE_FORMAT || parsed.version !== FIELD_CACHE_VERSION || parsed.stored?.cache?.siteId !== siteId || !Array.isArray(parsed.stored.cache.fields)) {
        this.#log.warn('ignoring a field cache of another format; it will be refreshed', { siteId });
        return null;
      }
      return parsed.stored;
    } catch {
      this.#log.warn('ignoring a field cache that is not JSON; it will be refreshed', { siteId });
      return null;
    }
  }

  save(stored: StoredFieldCache): void {
    const file = this.fileOf(stored.cache.siteId);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, `${JSON.stringify({ format: FIELD_CACHE_FORMAT, version: FIELD_CACHE_VERSION, stored })}\n`, { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, file);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was written where nothing can be written.
      }
      throw new AppError('PROFILE_FILE_ERROR', `ForceSites could not write the field list to ${file}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}.`, {
        hint: 'Check that the disk is not full and that ForceSites may write to its data folder, then refresh again.',
        cause: error,
      });
    }
  }

  delete(siteId: string): void {
    rmSync(this.fileOf(siteId), { force: true });
  }
}
