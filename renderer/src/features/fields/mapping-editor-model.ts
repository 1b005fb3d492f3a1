/**
 * The mapping editor's state and its conversion to the `MappingSettings` main saves and
 * previews. Pure functions: the rules themselves live in common/field-rules.ts and are
 * shared with main, so what the editor marks red is exactly what main refuses.
 */
import { checkMapping, proposeMapping, type MappingCheck, type MappingContext } from '../../../../common/field-rules';
import type { FieldCacheDto, RecordTypeDto } from '../../../../common/fields-models';
import type { RequestOf } from '../../../../common/contract';
import type { FieldMappingEntry, MatchKey, SiteProfileDto } from '../../../../common/models';

export interface EditorRow extends FieldMappingEntry {
  /** Stable React key and focus target; never sent. */
  readonly key: number;
}

export interface EditorState {
  readonly rows: readonly EditorRow[];
  readonly defaults: Readonly<Record<string, string>>;
  readonly matchKey: MatchKey;
  readonly recordTypeId: string | null;
  readonly sendEmptyValues: boolean;
}

let lastKey = 0;
export function rowKey(): number {
  lastKey += 1;
  return lastKey;
}

export function emptyRow(): EditorRow {
  return { key: rowKey(), wordpressField: '', salesforceField: '', direction: 'push' };
}

export function editorFromSite(site: SiteProfileDto): EditorState {
  return {
    rows: site.fieldMapping.map((row) => ({ ...row, key: rowKey() })),
    defaults: Object.fromEntries((site.fieldDefaults ?? []).map((entry) => [entry.salesforceField, entry.value])),
    matchKey: site.matchKey ?? { kind: 'email', field: 'Email' },
    recordTypeId: site.recordTypeId ?? null,
    sendEmptyValues: site.sendEmptyValues ?? false,
  };
}

function isBlank(row: FieldMappingEntry): boolean {
  return row.wordpressField === '' && row.salesforceField === '';
}

/** What main saves: blank rows dropped, empty defaults dropped. */
export function toSettings(state: EditorState): RequestOf<'fields:save-mapping'>['settings'] {
  return {
    fieldMapping: state.rows.filter((row) => !isBlank(row)).map(({ wordpressField, salesforceField, direction }) => ({ wordpressField, salesforceField, direction })),
    fieldDefaults: Object.entries(state.defaults)
      .filter(([, value]) => value.trim() !== '')
      .map(([salesforceField, value]) => ({ salesforceField, value })),
    matchKey: state.matchKey.kind === 'email' ? { kind: 'email', field: state.matchKey.field } : { kind: 'external-id', field: state.matchKey.field, prefix: state.matchKey.prefix },
    recordTypeId: state.recordTypeId,
    sendEmptyValues: state.sendEmptyValues,
  };
}

export function contextOf(cache: FieldCacheDto, metaKeys: readonly string[]): MappingContext {
  return { objectType: cache.objectType, fields: cache.fields, metaKeys, recordTypes: cache.recordTypes };
}

/** Checks like main does; a half-filled row is reported as such rather than as an unknown field. */
export function checkEditor(state: EditorState, context: MappingContext): MappingCheck {
  return checkMapping(toSettings(state), context);
}

/** Adds the proposed rows and defaults to what is there; returns how many rows were added. */
export function withProposal(state: EditorState, context: MappingContext): { state: EditorState; added: number } {
  const settings = toSettings(state);
  const proposal = proposeMapping(settings, context);
  const added = proposal.fieldMapping.slice(settings.fieldMapping.length).map((row) => ({ ...row, key: rowKey() }));
  const defaults = { ...state.defaults };
  for (const entry of proposal.fieldDefaults) if ((defaults[entry.salesforceField] ?? '').trim() === '') defaults[entry.salesforceField] = entry.value;
  return { state: { ...state, rows: [...state.rows.filter((row) => !isBlank(row)), ...added], defaults }, added: added.length };
}

/** Record types worth a choice: active and available, and more than one of them. */
export function choosableRecordTypes(recordTypes: readonly RecordTypeDto[]): RecordTypeDto[] {
  const usable = recordTypes.filter((type) => type.active && type.available);
  return usable.length > 1 ? usable : [];
}

/** The row indices of a check that point at a problem, for "n rows need attention". */
export function rowsWithErrors(check: MappingCheck, rows: readonly EditorRow[]): number {
  let index = -1;
  let count = 0;
  for (const row of rows) {
    if (isBlank(row)) continue;
    index += 1;
    if (check.rows[index]?.verdict.level === 'error') count += 1;
  }
  return count;
}

/** The check of one editor row (blank rows are skipped by toSettings, so indices shift). */
export function rowVerdict(check: MappingCheck, rows: readonly EditorRow[], key: number): MappingCheck['rows'][number]['verdict'] | undefined {
  let index = -1;
  for (const row of rows) {
    if (isBlank(row)) {
      if (row.key === key) return undefined;
      continue;
    }
    index += 1;
    if (row.key === key) return check.rows[index]?.verdict;
  }
  return undefined;
}
