import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { ConnectionDto, SiteProfileDto } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { routeHref } from '../../app/routes';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { ObjectTypeField, TagFieldInput } from './salesforce-object-fields';
import { SiteCheckPanel } from './site-check-panel';
import { LiveChangesPanel } from '../change-feed/live-changes-panel';
import { FieldShell, TextField } from '../../ui/field';
import {
  emptyMappingRow,
  toSaveRequest,
  validateSiteForm,
  woocommerceRequest,
  type Direction,
  type MappingRow,
  type SiteFormErrors,
  type SiteFormValues,
} from './site-form-model';

export interface SiteFormProps {
  /** The profile being edited, or undefined for a new one. */
  readonly profile: SiteProfileDto | undefined;
  readonly initialValues: SiteFormValues;
  readonly sites: readonly SiteProfileDto[];
  readonly connections: readonly ConnectionDto[];
  readonly onSaved: (profile: SiteProfileDto) => void;
  readonly onCancel: () => void;
  /** Put focus on the Connection field when the form opens (the admin came to choose one). */
  readonly focusConnection?: boolean;
}

const DIRECTIONS: readonly { value: Direction; label: string }[] = [
  { value: 'push', label: 'WordPress → Salesforce' },
  { value: 'pull', label: 'Salesforce → WordPress' },
  { value: 'both', label: 'Both ways' },
];

export function SiteForm({ profile, initialValues, sites, connections, onSaved, onCancel, focusConnection = false }: SiteFormProps) {
  const [values, setValues] = useState<SiteFormValues>(initialValues);
  const [errors, setErrors] = useState<SiteFormErrors>({});
  const [serverError, setServerError] = useState<ErrorDto | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const editing = profile !== undefined;
  const demo = useApp().appInfo?.demoOrg;

  useEffect(() => {
    // Each opening mounts a new form, so this runs once, when it opens.
    if (focusConnection) form.current?.querySelector<HTMLElement>('[name="connectionId"]')?.focus();
  }, [focusConnection]);

  function update<K extends keyof SiteFormValues>(key: K, value: SiteFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function updateRow(index: number, patch: Partial<Omit<MappingRow, 'key'>>) {
    setValues((current) => ({
      ...current,
      fieldMapping: current.fieldMapping.map((row, at) => (at === index ? { ...row, ...patch } : row)),
    }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const found = validateSiteForm(values, { editingId: profile?.id, existing: sites, hasWoocommerceKey: profile?.hasWoocommerceKey === true });
    setErrors(found);
    setServerError(undefined);
    if (Object.keys(found).length > 0) {
      // Let React paint the messages, then put the admin on the first field to fix.
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    try {
      const saved = await invoke('sites:save', toSaveRequest(values, profile?.id));
      onSaved(saved);
    } catch (failure) {
      // Keep every typed value: the admin fixes what the hint says and saves again.
      setServerError(toErrorDto(failure));
      setSaving(false);
    }
  }

  const errorCount = Object.keys(errors).length;
  const chosen = connections.find((connection) => connection.id === values.connectionId);
  const sharing = chosen === undefined ? 0 : chosen.siteIds.filter((id) => id !== profile?.id).length;

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel-title">
        {editing ? `Edit “${profile.name}”` : 'Add a site'}
      </h2>
      <form ref={form} onSubmit={submit} noValidate className="form">
        {errorCount > 0 && (
          <div className="notice notice-error" role="alert">
            <p className="notice-message">
              {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`} before this site can be saved.
            </p>
          </div>
        )}
        {serverError !== undefined && <ErrorNotice error={serverError} title="ForceSites could not save this site." />}

        {!editing && demo?.wordpressUsername !== undefined && demo.wordpressApplicationPassword !== undefined && (
          <div className="notice notice-info">
            <p className="notice-title">Demo WordPress</p>
            <p>
              The WordPress fields are filled in for the built-in demo site at <code className="wrap">{demo.wordpressUrl}</code>: user{' '}
              <code>{demo.wordpressUsername}</code> with the application password <code>{demo.wordpressApplicationPassword}</code>. It only works against
              the local demo WordPress.
            </p>
          </div>
        )}

        <fieldset className="fieldset">
          <legend>WordPress</legend>
          <div className="form-grid">
            <TextField label="Site name" name="name" value={values.name} onChange={(value) => update('name', value)} error={errors.name} required />
            <TextField
              label="WordPress URL"
              name="wordpressUrl"
              type="url"
              inputMode="url"
              value={values.wordpressUrl}
              onChange={(value) => update('wordpressUrl', value)}
              error={errors.wordpressUrl}
              placeholder="https://members.example.org"
              hint={insecureNote(values.wordpressUrl)}
              required
            />
            <TextField
              label="WordPress username"
              name="wordpressUsername"
              value={values.wordpressUsername}
              onChange={(value) => update('wordpressUsername', value)}
              error={errors.wordpressUsername}
              autoComplete="off"
              required
            />
            <TextField
              label="Application password"
              name="wordpressPassword"
              type="password"
              autoComplete="new-password"
              value={values.wordpressPassword}
              onChange={(value) => update('wordpressPassword', value)}
              error={errors.wordpressPassword}
              placeholder={profile?.hasWordpressPassword === true ? 'Leave blank to keep the stored password' : ''}
              hint={
                profile?.hasWordpressPassword === true
                  ? 'An application password is stored in the keychain. Type a new one only to replace it.'
                  : 'Create one in WordPress under Users → Profile → Application Passwords. ForceSites keeps it in the system keychain; syncing needs it.'
              }
            />
          </div>
          <SiteCheckPanel
            canCheck={values.wordpressUrl.trim() !== '' && values.wordpressUsername.trim() !== '' && (values.wordpressPassword !== '' || profile?.hasWordpressPassword === true)}
            request={() => ({
              ...(profile === undefined ? {} : { siteId: profile.id }),
              wordpressUrl: values.wordpressUrl.trim(),
              wordpressUsername: values.wordpressUsername.trim(),
              ...(values.wordpressPassword === '' ? {} : { wordpressPassword: values.wordpressPassword }),
              ...woocommerceRequest(values),
            })}
          />
          <fieldset className="fieldset fieldset-inner">
            <legend>WooCommerce orders read with</legend>
            <label className="choice">
              <input type="radio" name="woocommerceAuth" checked={values.woocommerceAuth === 'application-password'} onChange={() => update('woocommerceAuth', 'application-password')} /> The application
              password above (its user needs the manage_woocommerce capability: an administrator or shop manager)
            </label>
            <label className="choice">
              <input type="radio" name="woocommerceAuth" checked={values.woocommerceAuth === 'consumer-key'} onChange={() => update('woocommerceAuth', 'consumer-key')} /> A WooCommerce REST API key
            </label>
            {values.woocommerceAuth === 'consumer-key' && (
              <div className="form-grid">
                <TextField
                  label="Consumer key"
                  name="woocommerceConsumerKey"
                  type="password"
                  autoComplete="off"
                  value={values.woocommerceConsumerKey}
                  onChange={(value) => update('woocommerceConsumerKey', value)}
                  error={errors.woocommerceConsumerKey}
                  placeholder={profile?.hasWoocommerceKey === true ? 'Leave blank to keep the stored key' : 'ck_…'}
                  hint={
                    profile?.hasWoocommerceKey === true
                      ? `A key ending in …${profile.woocommerceKeyEnding ?? ''} is stored in the keychain. Paste a new key and secret only to replace it.`
                      : 'In WordPress: WooCommerce → Settings → Advanced → REST API → Add key, with Read access. ForceSites keeps it only in the system keychain.'
                  }
                />
                <TextField
                  label="Consumer secret"
                  name="woocommerceConsumerSecret"
                  type="password"
                  autoComplete="new-password"
                  value={values.woocommerceConsumerSecret}
                  onChange={(value) => update('woocommerceConsumerSecret', value)}
                  error={errors.woocommerceConsumerSecret}
                  placeholder={profile?.hasWoocommerceKey === true ? 'Leave blank to keep the stored secret' : 'cs_…'}
                  hint="WooCommerce shows the secret once, when the key is made. Over https it is sent as the key’s password; to a site on this computer over http, requests are signed instead."
                />
              </div>
            )}
          </fieldset>
        </fieldset>

        <fieldset className="fieldset">
          <legend>Salesforce</legend>
          <div className="form-grid">
            <FieldShell
              label="Connection"
              error={errors.connectionId}
              hint={
                connections.length === 0 ? (
                  <>
                    No connection yet. <a href={routeHref('connections')}>Add a connection</a> first, or save now and choose one later.
                  </>
                ) : chosen === undefined ? (
                  profile?.detachedFromConnection !== undefined && values.connectionId === '' ? (
                    `Disconnected from ${profile.detachedFromConnection}. Choose another connection; sites that use the same connection share its one Salesforce approval.`
                  ) : (
                    'Sites that use the same connection share its one Salesforce approval.'
                  )
                ) : sharing > 0 ? (
                  `Shares the approval of ${chosen.username} with ${sharing} other ${sharing === 1 ? 'site' : 'sites'}: no new approval is used.`
                ) : (
                  `Uses the approval of ${chosen.username}.`
                )
              }
            >
              {({ id, describedBy }) => (
                <select id={id} name="connectionId" className="input" value={values.connectionId} aria-describedby={describedBy} onChange={(event) => update('connectionId', event.target.value)}>
                  <option value="">No connection yet</option>
                  {connections.map((connection) => (
                    <option key={connection.id} value={connection.id}>
                      {connection.username} · {hostOf(connection.instanceUrl)}
                      {connection.state.kind === 'connected' ? '' : ' (needs attention)'}
                    </option>
                  ))}
                </select>
              )}
            </FieldShell>

            <ObjectTypeField connectionId={values.connectionId} value={values.objectKind} savedObjectType={profile?.objectType} onChange={(value) => update('objectKind', value)} />
            {values.objectKind === 'custom' && (
              <TextField
                label="Custom object API name"
                name="customObject"
                value={values.customObject}
                onChange={(value) => update('customObject', value)}
                error={errors.customObject}
                placeholder="Member__c"
                required
              />
            )}
          </div>

          <fieldset className="fieldset fieldset-inner">
            <legend>Tags</legend>
            <div className="radio-row">
              <label className="choice">
                <input type="radio" name="tagMode" value="topics" checked={values.tagMode === 'topics'} onChange={() => update('tagMode', 'topics')} />
                Salesforce Topics
              </label>
              <label className="choice">
                <input type="radio" name="tagMode" value="picklist" checked={values.tagMode === 'picklist'} onChange={() => update('tagMode', 'picklist')} />
                A multi-select picklist field
              </label>
              <label className="choice">
                <input type="radio" name="tagMode" value="none" checked={values.tagMode === 'none'} onChange={() => update('tagMode', 'none')} />
                No tags
              </label>
            </div>
            {values.tagMode === 'picklist' && (
              <TagFieldInput
                siteId={profile?.id}
                objectType={values.objectKind === 'custom' ? values.customObject.trim() : values.objectKind}
                value={values.tagField}
                onChange={(value) => update('tagField', value)}
                error={errors.tagField}
              />
            )}
          </fieldset>
        </fieldset>

        <fieldset className="fieldset">
          <legend>Field mapping</legend>
          {values.fieldMapping.length === 0 ? (
            <p className="field-hint">No fields mapped yet. Add a row for each WordPress field that should reach Salesforce, or come back from Salesforce.</p>
          ) : (
            <table className="mapping-table">
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
                {values.fieldMapping.map((row, index) => {
                  const wpError = errors[`fieldMapping.${index}.wordpressField`];
                  const sfError = errors[`fieldMapping.${index}.salesforceField`];
                  return (
                    <tr key={row.key}>
                      <td>
                        <input
                          className="input"
                          aria-label={`Row ${index + 1} WordPress field`}
                          value={row.wordpressField}
                          placeholder="user_email"
                          aria-invalid={wpError !== undefined || undefined}
                          onChange={(event) => updateRow(index, { wordpressField: event.target.value })}
                          spellCheck={false}
                        />
                        {wpError !== undefined && <p className="field-error">{wpError}</p>}
                      </td>
                      <td>
                        <input
                          className="input"
                          aria-label={`Row ${index + 1} Salesforce field`}
                          value={row.salesforceField}
                          placeholder="Email"
                          aria-invalid={sfError !== undefined || undefined}
                          onChange={(event) => updateRow(index, { salesforceField: event.target.value })}
                          spellCheck={false}
                        />
                        {sfError !== undefined && <p className="field-error">{sfError}</p>}
                      </td>
                      <td>
                        <select
                          className="input"
                          aria-label={`Row ${index + 1} direction`}
                          value={row.direction}
                          onChange={(event) => updateRow(index, { direction: event.target.value as Direction })}
                        >
                          {DIRECTIONS.map((direction) => (
                            <option key={direction.value} value={direction.value}>
                              {direction.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button-quiet"
                          aria-label={`Remove row ${index + 1}`}
                          onClick={() => setValues((current) => ({ ...current, fieldMapping: current.fieldMapping.filter((_, at) => at !== index) }))}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {errors.fieldMapping !== undefined && <p className="field-error">{errors.fieldMapping}</p>}
          <button type="button" className="button" onClick={() => setValues((current) => ({ ...current, fieldMapping: [...current.fieldMapping, emptyMappingRow()] }))}>
            Add field mapping row
          </button>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Save site'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <span role="status" aria-live="polite" className="form-status">
            {saving ? 'Saving the site profile…' : ''}
          </span>
        </div>
      </form>
      {editing && <LiveChangesPanel siteId={profile.id} />}
    </section>
  );
}

function insecureNote(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]';
    if (parsed.protocol === 'http:' && !local) {
      return 'WordPress only accepts application passwords over https:// (except on local test sites).';
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
