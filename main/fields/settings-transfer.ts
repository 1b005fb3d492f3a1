/**
 * A site profile's settings as a JSON file an admin can keep, send to a colleague or load
 * into another ForceSites: what the site writes where, never a secret. No application
 * password, no token, no connection id (it names a keychain entry on this machine only). An
 * imported file is checked key by key: anything it should not hold — a password someone
 * pasted in — is refused, not silently dropped, so the admin knows the file was edited.
 */
import { z } from 'zod';
import { siteSaveSchema } from '../../common/contract';
import { AppError } from '../../common/errors';
import { DEFAULT_MATCH_KEY } from '../../common/fields-models';
import type { SiteProfileInput } from '../../common/contract';
import type { SiteProfileDto } from '../../common/models';

export const SETTINGS_FILE_FORMAT = 'forcesites-site-settings';
export const SETTINGS_FILE_VERSION = 1;

/** The settings a file carries; everything else about a site stays on this machine. */
const exportedSite = siteSaveSchema.pick({
  name: true,
  wordpressUrl: true,
  wordpressUsername: true,
  objectType: true,
  tagMode: true,
  tagField: true,
  fieldMapping: true,
  matchKey: true,
  recordTypeId: true,
  sendEmptyValues: true,
  fieldDefaults: true,
});

export type ExportedSite = z.infer<typeof exportedSite>;

const fileSchema = z
  .object({
    format: z.literal(SETTINGS_FILE_FORMAT),
    version: z.number().int(),
    exportedAt: z.string().max(40),
    site: z.unknown(),
  })
  .strict();

export function exportSettings(site: SiteProfileDto, now: Date): { fileName: string; json: string } {
  const exported: ExportedSite = {
    name: site.name,
    wordpressUrl: site.wordpressUrl,
    wordpressUsername: site.wordpressUsername,
    objectType: site.objectType,
    tagMode: site.tagMode,
    tagField: site.tagField,
    fieldMapping: site.fieldMapping.map((entry) => ({ wordpressField: entry.wordpressField, salesforceField: entry.salesforceField, direction: entry.direction })),
    matchKey: site.matchKey ?? DEFAULT_MATCH_KEY,
    recordTypeId: site.recordTypeId ?? null,
    sendEmptyValues: site.sendEmptyValues ?? false,
    fieldDefaults: (site.fieldDefaults ?? []).map((entry) => ({ salesforceField: entry.salesforceField, value: entry.value })),
  };
  const slug = site.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'site';
  return {
    fileName: `forcesites-${slug}-settings.json`,
    json: `${JSON.stringify({ format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, exportedAt: now.toISOString(), site: exported }, null, 2)}\n`,
  };
}

const FIX = 'Choose a file ForceSites exported (Fields page → Export settings), unchanged.';

function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return `${where === '' ? 'the file' : where} has ${issue.keys.join(', ')}, which ForceSites never exports`;
      return `${where === '' ? 'the file' : where}: ${issue.message}`;
    })
    .join('; ');
}

/** Reads a settings file; every problem is an AppError that says what is wrong with it. */
export function readSettingsFile(text: string): ExportedSite {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_REQUEST', `This file is not JSON (${error instanceof Error ? error.message : 'unreadable'}).`, { hint: FIX });
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== SETTINGS_FILE_FORMAT) {
    throw new AppError('INVALID_REQUEST', 'This is not a ForceSites site settings file.', { hint: FIX });
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) throw new AppError('INVALID_REQUEST', `This settings file is damaged: ${problems(file.error)}.`, { hint: FIX });
  if (file.data.version > SETTINGS_FILE_VERSION) {
    throw new AppError('INVALID_REQUEST', `This settings file was made by a newer ForceSites (format version ${file.data.version}).`, { hint: 'Update ForceSites, then import it again.' });
  }
  const site = exportedSite.strict().safeParse(file.data.site);
  if (!site.success) throw new AppError('INVALID_REQUEST', `This settings file cannot be imported: ${problems(site.error)}.`, { hint: FIX });
  return site.data;
}

/** A new profile from the file: no connection (choose one here) and no password (type it here). */
export function newSiteFromFile(site: ExportedSite, takenNames: readonly string[]): SiteProfileInput {
  const taken = new Set(takenNames.map((name) => name.trim().toLowerCase()));
  let name = site.name;
  for (let n = 1; taken.has(name.toLowerCase()); n += 1) name = `${site.name} (imported${n === 1 ? '' : ` ${n}`})`.slice(0, 120);
  return { ...site, name, connectionId: null };
}

/** An existing profile with the file's settings; its name, site, account and connection stay. */
export function siteWithFileSettings(current: SiteProfileDto, site: ExportedSite): SiteProfileInput {
  return {
    id: current.id,
    name: current.name,
    wordpressUrl: current.wordpressUrl,
    wordpressUsername: current.wordpressUsername,
    connectionId: current.connectionId,
    objectType: site.objectType,
    tagMode: site.tagMode,
    tagField: site.tagField,
    fieldMapping: site.fieldMapping,
    ...(site.matchKey === undefined ? {} : { matchKey: site.matchKey }),
    ...(site.recordTypeId === undefined ? {} : { recordTypeId: site.recordTypeId }),
    ...(site.sendEmptyValues === undefined ? {} : { sendEmptyValues: site.sendEmptyValues }),
    ...(site.fieldDefaults === undefined ? {} : { fieldDefaults: site.fieldDefaults }),
  };
}
