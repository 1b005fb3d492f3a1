/**
 * The field mapping editor: WordPress fields on the left, the refreshed Salesforce fields on
 * the right, each pair checked as it is chosen (the same rules main enforces on save, with
 * the reason written under the row), required fields with their defaults, the match key,
 * the record type and the empty-values switch, a preview of three real users, and keys for
 * people who map many fields: Alt+N adds a row, Ctrl+S (⌘S) saves, Alt+P previews.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import { RECOMMENDED_EXTERNAL_ID, typeLabel, wordpressFields, type Verdict } from '../../../../common/field-rules';
import type { FieldCacheDto, MappingPreviewDto, WordpressFieldsDto } from '../../../../common/fields-models';
import type { FieldMappingEntry, SiteProfileDto } from '../../../../common/models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { MappingPreviewPanel } from './mapping-preview-panel';
import {
  checkEditor,
  choosableRecordTypes,
  contextOf,
  editorFromSite,
  emptyRow,
  rowVerdict,
  toSettings,
  withProposal,
  type EditorRow,
  type EditorState,
} from './mapping-editor-model';

const DIRECTIONS: readonly { value: FieldMappingEntry['direction']; label: string }[] = [
  { value: 'push', label: 'WordPress → Salesforce' },
  { value: 'pull', label: 'Salesforce → WordPress' },
  { value: 'both', label: 'Both ways' },
];

const LEVEL_WORD: Record<Verdict['level'], string> = { ok: 'OK', note: 'Note', warning: 'Check', error: 'Cannot map' };

export interface MappingEditorProps {
  readonly site: SiteProfileDto;
  readonly cache: FieldCacheDto;
  readonly wordpress: WordpressFieldsDto | undefined;
  readonly onSaved: (site: SiteProfileDto) => void;
}

function VerdictLine({ id, verdict, showOk = false }: { readonly id: string; readonly verdict: Verdict | undefined; readonly showOk?: boolean }) {
  if (verdict === undefined || (verdict.level === 'ok' && !showOk) || verdict.message === '') return null;
  return (
    <p id={id} className={`verdict verdict-${verdict.level}`}>
      <strong>{LEVEL_WORD[verdict.level]}:</strong> {verdict.message}
    </p>
  );
}

function halfFilled(row: EditorRow): boolean {
  return (row.wordpressField === '') !== (row.salesforceField === '');
}

export function MappingEditor({ site, cache, wordpress, onSaved }: MappingEditorProps) {
  const metaKeys = useMemo(() => wordpress?.metaKeys ?? [], [wordpress]);
  const context = useMemo(() => contextOf(cache, metaKeys), [cache, metaKeys]);
  // A site with no mapping yet starts from the proposal (not saved until the admin saves).
  const [state, setState] = useState<EditorState>(() => (site.fieldMapping.length > 0 ? editorFromSite(site) : withProposal(editorFromSite(site), context).state));
  const [proposed, setProposed] = useState<number | undefined>(() => (site.fieldMapping.length > 0 ? undefined : withProposal(editorFromSite(site), context).added));
  const [touched, setTouched] = useState(false);
  const [proposedWithMeta, setProposedWithMeta] = useState(metaKeys.length);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorDto | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [preview, setPreview] = useState<MappingPreviewDto | undefined>(undefined);
  const [previewError, setPreviewError] = useState<ErrorDto | undefined>(undefined);
  const [previewedState, setPreviewedState] = useState<EditorState | undefined>(undefined);
  const [previewing, setPreviewing] = useState(false);
  /** Where focus goes after the next render: a new or following row, or the Add button. */
  const pendingFocus = useRef<number | 'add' | undefined>(undefined);
  const table = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const ids = useId();

  // WordPress's meta keys arrive after the editor opens: propose again with them, unless the
  // admin has started editing (React's "adjust state while rendering" pattern, no effect).
  if (site.fieldMapping.length === 0 && !touched && proposedWithMeta !== metaKeys.length) {
    const { state: next, added } = withProposal(editorFromSite(site), context);
    setProposedWithMeta(metaKeys.length);
    setState(next);
    setProposed(added);
  }

  useEffect(() => {
    const target = pendingFocus.current;
    if (target === undefined) return;
    pendingFocus.current = undefined;
    if (target === 'add') addButton.current?.focus();
    else table.current?.querySelector<HTMLElement>(`[data-row="${target}"] select`)?.focus();
  });

  const check = useMemo(() => checkEditor(state, context), [state, context]);
  const wpOptions = useMemo(() => {
    const fields = wordpressFields(metaKeys);
    for (const row of state.rows) if (row.wordpressField !== '' && !fields.some((field) => field.name === row.wordpressField)) fields.push({ name: row.wordpressField, label: `${row.wordpressField} (not exposed now)`, kind: 'meta', maxLength: null, notWritable: null });
    return fields;
  }, [metaKeys, state.rows]);
  const sfOptions = useMemo(() => [...cache.fields].sort((a, b) => a.label.localeCompare(b.label)), [cache.fields]);
  const sfNames = useMemo(() => new Set(cache.fields.map((field) => field.name.toLowerCase())), [cache.fields]);
  const recordTypes = choosableRecordTypes(cache.recordTypes);
  const emailFields = cache.fields.filter((field) => field.type === 'email' || field.name === state.matchKey.field);
  const externalIds = cache.fields.filter((field) => field.externalId || field.name === state.matchKey.field);
  const hasRecommended = cache.fields.some((field) => field.name === RECOMMENDED_EXTERNAL_ID);
  const half = state.rows.findIndex(halfFilled);
  const errorCount = check.errors.length + (half >= 0 ? 1 : 0);

  function change(next: (current: EditorState) => EditorState) {
    setTouched(true);
    setState(next);
    setStatus('');
  }

  function updateRow(key: number, patch: Partial<FieldMappingEntry>) {
    change((current) => ({ ...current, rows: current.rows.map((row) => (row.key === key ? { ...row, ...patch } : row)) }));
  }

  function addRow() {
    const row = emptyRow();
    change((current) => ({ ...current, rows: [...current.rows, row] }));
    pendingFocus.current = row.key;
  }

  function removeRow(key: number) {
    const index = state.rows.findIndex((row) => row.key === key);
    const next = state.rows[index + 1] ?? state.rows[index - 1];
    change((current) => ({ ...current, rows: current.rows.filter((row) => row.key !== key) }));
    pendingFocus.current = next?.key ?? 'add';
  }

  function propose() {
    const { state: next, added } = withProposal(state, context);
    change(() => next);
    setProposed(added);
  }

  async function runPreview() {
    if (half >= 0 || previewing) return;
    setPreviewing(true);
    setPreviewError(undefined);
    try {
      setPreview(await invoke('fields:preview', { siteId: site.id, settings: toSettings(state) }));
      setPreviewedState(state);
    } catch (failure) {
      setPreviewError(toErrorDto(failure));
    } finally {
      setPreviewing(false);
    }
  }

  async function save() {
    if (saving) return;
    setSaveError(undefined);
    if (half >= 0) {
      setSaveError({ code: 'INVALID_REQUEST', message: `Row ${half + 1} has only one side: choose both fields or remove the row.` });
      return;
    }
    setSaving(true);
    try {
      const saved = await invoke('fields:save-mapping', { siteId: site.id, settings: toSettings(state) });
      setStatus(`Saved the mapping of “${saved.name}”.`);
      onSaved(saved);
    } catch (failure) {
      setSaveError(toErrorDto(failure));
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const key = event.key.toLowerCase();
    if (event.altKey && !event.ctrlKey && !event.metaKey && key === 'n') {
      event.preventDefault();
      addRow();
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && key === 's') {
      event.preventDefault();
      void save();
    } else if (event.altKey && !event.ctrlKey && !event.metaKey && key === 'p') {
      event.preventDefault();
      void runPreview();
    }
  }

  return (
    <section className="panel fields-editor" aria-labelledby={`${ids}-title`} onKeyDown={onKeyDown}>
      <h2 id={`${ids}-title`} className="panel-title">
        Field mapping for {cache.objectLabel}
      </h2>
      <p className="field-hint" id={`${ids}-keys`}>
        Keys: Alt+N adds a row, Alt+P previews, Ctrl+S (⌘S) saves; Tab moves between fields and typing a letter picks in a list.
      </p>
      {proposed !== undefined && (
        <p className="notice notice-info" role="status">
          {proposed === 0
            ? 'No more fields could be matched by name and type.'
            : `ForceSites proposed ${proposed} ${proposed === 1 ? 'row' : 'rows'} from the field names and types. Check them, then save.`}
        </p>
      )}

      <fieldset className="fieldset">
        <legend>Match WordPress users to {cache.objectLabel} records by</legend>
        <div className="radio-row">
          <label className="choice">
            <input
              type="radio"
              name={`${ids}-key`}
              checked={state.matchKey.kind === 'email'}
              onChange={() => change((current) => ({ ...current, matchKey: { kind: 'email', field: emailFields.find((field) => field.name === 'Email')?.name ?? emailFields[0]?.name ?? 'Email' } }))}
            />
            Email address
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${ids}-key`}
              checked={state.matchKey.kind === 'external-id'}
              onChange={() =>
                change((current) => ({
                  ...current,
                  matchKey: { kind: 'external-id', field: cache.fields.find((field) => field.name === RECOMMENDED_EXTERNAL_ID)?.name ?? cache.fields.find((field) => field.externalId)?.name ?? RECOMMENDED_EXTERNAL_ID, prefix: null },
                }))
              }
            />
            External ID field (recommended)
          </label>
        </div>
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Match field</span>
            <select
              className="input"
              value={state.matchKey.field}
              aria-describedby={`${ids}-key-verdict`}
              onChange={(event) => change((current) => ({ ...current, matchKey: { ...current.matchKey, field: event.target.value } }))}
            >
              {(state.matchKey.kind === 'email' ? emailFields : externalIds).map((field) => (
                <option key={field.name} value={field.name}>
                  {field.label} ({field.name})
                </option>
              ))}
              {!sfNames.has(state.matchKey.field.toLowerCase()) && <option value={state.matchKey.field}>{state.matchKey.field} (not in {cache.objectType})</option>}
            </select>
          </label>
          {state.matchKey.kind === 'external-id' && (
            <label className="field">
              <span className="field-label">Prefix for this site’s user ids</span>
              <input
                className="input"
                value={state.matchKey.prefix ?? ''}
                placeholder="members-"
                spellCheck={false}
                onChange={(event) => change((current) => (current.matchKey.kind === 'external-id' ? { ...current, matchKey: { ...current.matchKey, prefix: event.target.value === '' ? null : event.target.value } } : current))}
              />
            </label>
          )}
        </div>
        <VerdictLine id={`${ids}-key-verdict`} verdict={check.matchKey} showOk />
        {(state.matchKey.kind === 'email' || !hasRecommended) && (
          <div className="notice notice-info">
            <p className="notice-title">Recommended: match on {RECOMMENDED_EXTERNAL_ID}</p>
            <p>
              {hasRecommended ? `${cache.objectType} has ${RECOMMENDED_EXTERNAL_ID}: choose “External ID field”.` : `Create ${RECOMMENDED_EXTERNAL_ID} on ${cache.objectType} in Setup → Object Manager → ${cache.objectLabel} → Fields & Relationships: Text(50), External ID and Unique. Then refresh here.`}{' '}
              Why: an upsert on an external id needs one call per 200 users instead of two (no lookup by email first), and a user who changes their email keeps their record instead of getting a duplicate. When several sites write to the same object, give each site a prefix (members-42, shop-42) so their user ids never collide.
            </p>
          </div>
        )}
      </fieldset>

      {recordTypes.length > 0 && (
        <label className="field">
          <span className="field-label">Record type for new records</span>
          <select
            className="input"
            value={state.recordTypeId ?? ''}
            aria-describedby={`${ids}-rt-verdict`}
            onChange={(event) => change((current) => ({ ...current, recordTypeId: event.target.value === '' ? null : event.target.value }))}
          >
            <option value="">The user’s default{(() => { const def = recordTypes.find((type) => type.defaultForUser); return def === undefined ? '' : ` (${def.name})`; })()}</option>
            {recordTypes.map((type) => (
              <option key={type.id} value={type.id}>
                {type.name}
              </option>
            ))}
            {state.recordTypeId !== null && !recordTypes.some((type) => type.id === state.recordTypeId) && <option value={state.recordTypeId}>A record type no longer available</option>}
          </select>
          <VerdictLine id={`${ids}-rt-verdict`} verdict={check.recordType} />
        </label>
      )}

      <div ref={table}>
        <table className="mapping-table fields-mapping-table" aria-describedby={`${ids}-keys`}>
          <caption className="visually-hidden">Mapped fields</caption>
          <thead>
            <tr>
              <th scope="col">WordPress field</th>
              <th scope="col">Salesforce field</th>
              <th scope="col">Direction</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.rows.map((row, index) => {
              const n = index + 1;
              const verdictId = `${ids}-row-${row.key}`;
              const verdict: Verdict | undefined = halfFilled(row)
                ? { level: 'warning', message: row.wordpressField === '' ? 'Choose the WordPress field.' : 'Choose the Salesforce field.' }
                : rowVerdict(check, state.rows, row.key);
              return (
                <tr key={row.key} data-row={row.key} className={verdict?.level === 'error' ? 'row-error' : undefined}>
                  <td>
                    <select className="input" aria-label={`Row ${n} WordPress field`} aria-describedby={verdictId} aria-invalid={verdict?.level === 'error' || undefined} value={row.wordpressField} onChange={(event) => updateRow(row.key, { wordpressField: event.target.value })}>
                      <option value="">Choose…</option>
                      {wpOptions.map((field) => (
                        <option key={field.name} value={field.name}>
                          {field.label}
                          {field.kind === 'meta' ? ' (meta)' : ''}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select className="input" aria-label={`Row ${n} Salesforce field`} aria-describedby={verdictId} aria-invalid={verdict?.level === 'error' || undefined} value={row.salesforceField} onChange={(event) => updateRow(row.key, { salesforceField: event.target.value })}>
                      <option value="">Choose…</option>
                      {sfOptions.map((field) => (
                        <option key={field.name} value={field.name}>
                          {field.label} ({field.name}) · {typeLabel(field)}
                          {field.requiredOnCreate ? ' · required' : ''}
                          {!field.createable && !field.updateable ? ' · read-only' : ''}
                        </option>
                      ))}
                      {row.salesforceField !== '' && !sfNames.has(row.salesforceField.toLowerCase()) && <option value={row.salesforceField}>{row.salesforceField} (not in {cache.objectType})</option>}
                    </select>
                    <VerdictLine id={verdictId} verdict={verdict} />
                  </td>
                  <td>
                    <select className="input" aria-label={`Row ${n} direction`} value={row.direction} onChange={(event) => updateRow(row.key, { direction: event.target.value as FieldMappingEntry['direction'] })}>
                      {DIRECTIONS.map((direction) => (
                        <option key={direction.value} value={direction.value}>
                          {direction.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button type="button" className="button-quiet" aria-label={`Remove row ${n}`} onClick={() => removeRow(row.key)}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {state.rows.length === 0 && <p className="field-hint">No fields mapped. Propose a mapping from the names and types, or add rows.</p>}
      </div>
      <div className="form-actions">
        <button ref={addButton} type="button" className="button" onClick={addRow}>
          Add row
        </button>
        <button type="button" className="button" onClick={propose}>
          Propose mapping
        </button>
      </div>

      <fieldset className="fieldset">
        <legend>Required by {cache.objectLabel}</legend>
        {check.required.length === 0 ? (
          <p className="field-hint">Salesforce requires no field on new {cache.objectLabel} records.</p>
        ) : (
          <ul className="fields-required">
            {check.required.map((entry) => (
              <li key={entry.field}>
                <label className="field">
                  <span className="field-label">
                    Default for {entry.field} ({entry.label})
                    {entry.mappedFrom.length > 0 ? ` · from ${entry.mappedFrom.join(', ')}` : ' · not mapped'}
                  </span>
                  <input
                    className="input"
                    value={state.defaults[entry.field] ?? ''}
                    placeholder="[not provided]"
                    aria-describedby={`${ids}-req-${entry.field}`}
                    aria-invalid={entry.verdict.level === 'error' || undefined}
                    onChange={(event) => change((current) => ({ ...current, defaults: { ...current.defaults, [entry.field]: event.target.value } }))}
                  />
                </label>
                <p id={`${ids}-req-${entry.field}`} className={`verdict verdict-${entry.verdict.level}`}>
                  <strong>{entry.verdict.level === 'ok' ? 'Filled' : LEVEL_WORD[entry.verdict.level]}:</strong> {entry.verdict.message}
                </p>
              </li>
            ))}
          </ul>
        )}
        {check.defaults
          .filter((entry) => entry.verdict.level === 'error')
          .map((entry) => (
            <p key={entry.salesforceField} className="verdict verdict-error">
              <strong>Default for {entry.salesforceField}:</strong> {entry.verdict.message}
            </p>
          ))}
      </fieldset>

      <label className="choice">
        <input type="checkbox" checked={state.sendEmptyValues} onChange={(event) => change((current) => ({ ...current, sendEmptyValues: event.target.checked }))} />
        Send empty WordPress values (they clear the Salesforce field; off: empty values are left out)
      </label>

      {saveError !== undefined && <ErrorNotice error={saveError} title="The mapping was not saved." />}
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save mapping'}
        </button>
        <button type="button" className="button" disabled={previewing || half >= 0} onClick={() => void runPreview()}>
          {previewing ? 'Reading WordPress…' : 'Preview with 3 WordPress users'}
        </button>
        <span role="status" aria-live="polite" className="form-status">
          {status !== '' ? status : errorCount > 0 ? `${errorCount} ${errorCount === 1 ? 'problem stops' : 'problems stop'} saving.` : ''}
        </span>
      </div>
      <MappingPreviewPanel preview={preview} error={previewError} stale={previewedState !== undefined && previewedState !== state} />
    </section>
  );
}
