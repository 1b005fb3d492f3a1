import { useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { Settings } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { FieldShell, TextField } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { settingsPatch, settingsToForm, validateSettings, type SettingsErrors, type SettingsFormValues } from './settings-model';

export function SettingsPage() {
  const { settings, settingsError } = useApp();
  return (
    <div className="page">
      <PageHeader title="Settings">How ForceSites counts approvals, how often it checks health, how a sync uses the org’s API requests, and where Salesforce sends the admin back after sign-in.</PageHeader>
      {settingsError !== undefined && <ErrorNotice error={settingsError} title="The settings could not be loaded." />}
      {settings === undefined ? (
        settingsError === undefined && (
          <p className="muted" role="status">
            Loading settings…
          </p>
        )
      ) : (
        <SettingsForm settings={settings} />
      )}
    </div>
  );
}

function SettingsForm({ settings }: { readonly settings: Settings }) {
  const { setSettings } = useApp();
  const [values, setValues] = useState<SettingsFormValues>(() => settingsToForm(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [serverError, setServerError] = useState<ErrorDto | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();

  function update<K extends keyof SettingsFormValues>(key: K, value: SettingsFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
    setStatus('');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const checked = validateSettings(values);
    setErrors(checked.errors);
    setServerError(undefined);
    if (checked.settings === undefined) {
      setStatus('');
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const patch = settingsPatch(settings, checked.settings);
    if (Object.keys(patch).length === 0) {
      setStatus('Nothing changed.');
      return;
    }
    setSaving(true);
    try {
      const saved = await invoke('settings:update', patch);
      setSettings(saved);
      setValues(settingsToForm(saved));
      setStatus('Settings saved.');
    } catch (failure) {
      setServerError(toErrorDto(failure));
    }
    setSaving(false);
  }

  return (
    <form ref={form} onSubmit={submit} noValidate className="form" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Settings form
      </h2>
      {serverError !== undefined && <ErrorNotice error={serverError} title="The settings were not saved." />}

      <fieldset className="fieldset">
        <legend>Approvals</legend>
        <p className="field-hint">
          Salesforce’s help says each user can hold five approvals per connected app, and a new one silently revokes the oldest; the WordPress connector’s
          guide says four. Set the number your org shows, so ForceSites warns before a site is disconnected.
        </p>
        <div className="form-grid">
          <TextField
            label="Approval cap per user per app"
            name="approvalCap"
            inputMode="numeric"
            value={values.approvalCap}
            onChange={(value) => update('approvalCap', value)}
            error={errors.approvalCap}
            required
          />
          <TextField
            label="Warn at"
            name="approvalWarnAt"
            inputMode="numeric"
            value={values.approvalWarnAt}
            onChange={(value) => update('approvalWarnAt', value)}
            error={errors.approvalWarnAt}
            hint="Warn when a user holds this many approvals of one app."
            required
          />
        </div>
        <FieldShell label="Other apps to watch" error={errors.watchedApps} hint="One app name per line, as Salesforce shows it. The approval census counts them alongside ForceSites’ own app, for example the WordPress connector you already use.">
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              name="watchedApps"
              className="input"
              rows={4}
              value={values.watchedApps}
              onChange={(event) => update('watchedApps', event.target.value)}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              spellCheck={false}
            />
          )}
        </FieldShell>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Health checks</legend>
        <TextField
          label="Check every (hours)"
          name="healthIntervalHours"
          inputMode="decimal"
          value={values.healthIntervalHours}
          onChange={(value) => update('healthIntervalHours', value)}
          error={errors.healthIntervalHours}
          hint="From 0.25 to 168 hours. Each check uses a few API requests per connection."
          required
        />
        <TextField
          label="Request deadline (seconds)"
          name="requestTimeoutSeconds"
          inputMode="numeric"
          value={values.requestTimeoutSeconds}
          onChange={(value) => update('requestTimeoutSeconds', value)}
          error={errors.requestTimeoutSeconds}
          hint="How long ForceSites waits for one answer from Salesforce or WordPress before it reports the server as slow or unreachable. From 5 to 600."
          required
        />
      </fieldset>

      <fieldset className="fieldset">
        <legend>Sync</legend>
        <div className="form-grid">
          <TextField
            label="Requests in flight"
            name="syncConcurrency"
            inputMode="numeric"
            value={values.syncConcurrency}
            onChange={(value) => update('syncConcurrency', value)}
            error={errors.syncConcurrency}
            hint="Salesforce write requests a sync keeps going at once. From 1 to 16; 4 is quick without making Salesforce lock records."
            required
          />
          <TextField
            label="Bulk API above (records)"
            name="syncBulkThreshold"
            inputMode="numeric"
            value={values.syncBulkThreshold}
            onChange={(value) => update('syncBulkThreshold', value)}
            error={errors.syncBulkThreshold}
            hint="A sync that writes more records than this uses Bulk API 2.0 (a few calls for any number, slower to start); fewer go 200 a call."
            required
          />
          <TextField
            label="Ask first above (% of remaining requests)"
            name="syncApiSharePercent"
            inputMode="numeric"
            value={values.syncApiSharePercent}
            onChange={(value) => update('syncApiSharePercent', value)}
            error={errors.syncApiSharePercent}
            hint="Before a sync that would use more than this share of the API requests the org has left today, ForceSites asks."
            required
          />
        </div>
        <label className="choice">
          <input type="checkbox" name="syncRemoveTopics" checked={values.syncRemoveTopics} onChange={(event) => update('syncRemoveTopics', event.target.checked)} />
          Remove a Topic from the Salesforce record when its tag is removed in WordPress (sites that sync tags as Topics)
        </label>
        <label className="choice">
          <input type="checkbox" name="syncTruncateLongValues" checked={values.syncTruncateLongValues} onChange={(event) => update('syncTruncateLongValues', event.target.checked)} />
          Cut text longer than its Salesforce field to fit (the preview and the run’s records say which); when off, such a record fails with STRING_TOO_LONG
        </label>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Live changes</legend>
        <div className="form-grid">
          <TextField
            label="Poll every (seconds)"
            name="changesPollSeconds"
            inputMode="numeric"
            value={values.changesPollSeconds}
            onChange={(value) => update('changesPollSeconds', value)}
            error={errors.changesPollSeconds}
            hint="For a followed site whose object is not selected for Change Data Capture in Salesforce: one query per site each time. Objects with Change Data Capture get changes within seconds and do not poll."
            required
          />
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Sign-in</legend>
        <TextField
          label="Callback ports"
          name="callbackPorts"
          inputMode="numeric"
          value={values.callbackPorts}
          onChange={(value) => update('callbackPorts', value)}
          error={errors.callbackPorts}
          hint="Separated by commas. Each needs the callback URL http://localhost:PORT/OauthRedirect in your Salesforce app; ForceSites uses another one when a port is busy."
          required
        />
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          className="button"
          disabled={saving}
          onClick={() => {
            setValues(settingsToForm(settings));
            setErrors({});
            setServerError(undefined);
            setStatus('Changes discarded.');
          }}
        >
          Discard changes
        </button>
        <span role="status" aria-live="polite" className="form-status">
          {status}
        </span>
      </div>
    </form>
  );
}
