import { useId, useState, type FormEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OutboundAction, OutboundSettingsDto } from '../../../../common/outbound-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { FieldShell, TextField } from '../../ui/field';

const ACTIONS: readonly { readonly value: OutboundAction; readonly label: string }[] = [
  { value: 'update', label: 'update — apply the contact’s fields and tags to the WordPress user' },
  { value: 'update_tags', label: 'update_tags — apply only the tags' },
  { value: 'add', label: 'add — import the contact as a new WordPress user' },
];

/** Salesforce API names, separated by commas, spaces or new lines. */
export function parseFields(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((field) => field.trim()).filter((field) => field !== '' && field !== 'Id'))];
}

/**
 * The endpoint: which action, the connector's default URL or the admin's own, the access key
 * (write-only: main keeps it in the keychain and shows it masked), and the fields the
 * Outbound Message sends.
 */
export function EndpointForm({ settings, onSaved }: { readonly settings: OutboundSettingsDto; readonly onSaved: (settings: OutboundSettingsDto) => void }) {
  const headingId = useId();
  const [action, setAction] = useState<OutboundAction>(settings.action);
  const [custom, setCustom] = useState(settings.customEndpoint !== null);
  const [customEndpoint, setCustomEndpoint] = useState(settings.customEndpoint ?? '');
  const [accessKey, setAccessKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const [fields, setFields] = useState(settings.fields.join(', '));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [endpointError, setEndpointError] = useState<string | undefined>(undefined);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus('');
    setError(undefined);
    if (custom && customEndpoint.trim() === '') {
      setEndpointError('Enter the URL the connector listens on, or choose the connector’s default.');
      return;
    }
    setEndpointError(undefined);
    setSaving(true);
    try {
      const parsed = parseFields(fields);
      const suggested = settings.suggestedFields.join(',');
      const saved = await invoke('outbound:save', {
        siteId: settings.siteId,
        action,
        customEndpoint: custom ? customEndpoint.trim() : null,
        // Unchanged suggestions stay "suggested", so they follow later mapping changes.
        fields: parsed.join(',') === suggested && settings.fields.join(',') === suggested ? null : parsed,
        ...(accessKey.trim() !== '' ? { accessKey: accessKey.trim() } : {}),
        ...(clearKey ? { clearAccessKey: true } : {}),
      });
      // The key went to the keychain; it is not kept in this window.
      setAccessKey('');
      setClearKey(false);
      setCustomEndpoint(saved.customEndpoint ?? '');
      onSaved(saved);
      setStatus('Saved.');
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="outbound-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Endpoint</h2>
      <form onSubmit={(event) => void save(event)} noValidate>
        <FieldShell label="Action (wpf_action)">
          {({ id }) => (
            <select id={id} className="input" value={action} onChange={(event) => setAction(event.target.value as OutboundAction)}>
              {ACTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </FieldShell>
        <fieldset className="fieldset fieldset-inner">
          <legend>Endpoint URL</legend>
          <label className="choice">
            <input type="radio" name="endpoint-kind" checked={!custom} onChange={() => setCustom(false)} /> The connector’s default for this site
          </label>
          <label className="choice">
            <input type="radio" name="endpoint-kind" checked={custom} onChange={() => setCustom(true)} /> My own URL
          </label>
          {custom && (
            <TextField
              label="Custom endpoint URL"
              name="customEndpoint"
              type="url"
              value={customEndpoint}
              onChange={setCustomEndpoint}
              error={endpointError}
              placeholder="https://example.org/?wpf_action=update&access_key={access_key}"
              hint="Write {access_key} where the key goes. A key pasted in the URL is moved to the keychain when you save."
            />
          )}
          <p className="outbound-url">
            Messages go to <code>{settings.endpointUrlMasked}</code>
          </p>
        </fieldset>
        <TextField
          label="Access key"
          name="accessKey"
          type="password"
          autoComplete="new-password"
          value={accessKey}
          onChange={setAccessKey}
          placeholder={settings.hasAccessKey ? 'Saved in the keychain — type to replace it' : ''}
          hint="The access key from the WordPress connector’s settings. ForceSites keeps it in the system keychain and never shows it again."
        />
        {settings.hasAccessKey && (
          <label className="choice">
            <input type="checkbox" checked={clearKey} onChange={(event) => setClearKey(event.target.checked)} /> Remove the saved access key
          </label>
        )}
        <TextField
          label="Fields the message sends"
          name="fields"
          value={fields}
          onChange={setFields}
          hint={
            <>
              Salesforce API names; Id is always sent. This site’s mapping needs: {settings.suggestedFields.join(', ') || 'no field yet'}.{' '}
              <button type="button" className="button-quiet" onClick={() => setFields(settings.suggestedFields.join(', '))}>
                Use these
              </button>
            </>
          }
        />
        {error !== undefined && <ErrorNotice error={error} title="The endpoint was not saved." />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save endpoint'}
          </button>
          <span role="status" aria-live="polite" className="page-status">
            {status}
          </span>
        </div>
      </form>
    </section>
  );
}
