import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ConnectionDto, LoginHostKind } from '../../../../common/models';
import { useApp } from '../../app/app-context';
import { FieldShell, TextField } from '../../ui/field';
import type { SignInRequest } from './auth-flow';
import { LOGIN_HOST_KINDS, validateLoginHost } from './login-host';

interface Values {
  readonly loginHostKind: LoginHostKind;
  readonly loginHost: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** '' until settings are known. */
  readonly callbackPort: string;
  readonly chooseAnotherUser: boolean;
  /** Optional: who the admin will sign in as, so the approvals can be checked first. */
  readonly expectedUsername: string;
}

export interface AddConnectionFormProps {
  readonly connections: readonly ConnectionDto[];
  readonly busy: boolean;
  readonly onSubmit: (request: SignInRequest) => void;
  readonly onCancel: () => void;
  /**
   * Changes when the admin chose another user in the preflight dialog: the username field is
   * focused and selected so they can type that user.
   */
  readonly askForAnotherUsername?: number;
}

export function AddConnectionForm({ connections, busy, onSubmit, onCancel, askForAnotherUsername = 0 }: AddConnectionFormProps) {
  const { appInfo, settings } = useApp();
  const demo = appInfo?.demoOrg;
  const headingId = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>(() => ({
    loginHostKind: demo === undefined ? 'production' : 'custom',
    loginHost: demo?.loginUrl ?? '',
    clientId: demo?.clientId ?? '',
    clientSecret: '',
    callbackPort: '',
    // A second connection is usually for another Salesforce user: let the admin pick one.
    chooseAnotherUser: connections.length > 0,
    expectedUsername: '',
  }));
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});

  useEffect(() => {
    if (askForAnotherUsername === 0) return;
    const input = form.current?.querySelector<HTMLInputElement>('input[name="expectedUsername"]');
    input?.focus();
    input?.select();
  }, [askForAnotherUsername]);

  const ports = settings?.callbackPorts ?? [];
  const port = values.callbackPort !== '' ? values.callbackPort : String(ports[0] ?? '');
  const needsHost = values.loginHostKind === 'mydomain' || values.loginHostKind === 'custom';
  const sameApp = connections.filter((connection) => values.clientId.trim() !== '' && connection.clientId === values.clientId.trim());

  function update<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    const hostError = validateLoginHost(values.loginHostKind, values.loginHost);
    if (hostError !== undefined) found.loginHost = hostError;
    const clientId = values.clientId.trim();
    if (clientId === '') found.clientId = 'Paste the consumer key from your External Client App (Settings → OAuth Settings → Consumer Key and Secret).';
    else if (clientId.length > 255) found.clientId = 'A consumer key is at most 255 characters.';
    if (values.clientSecret.length > 255) found.clientSecret = 'A consumer secret is at most 255 characters.';
    const expectedUsername = values.expectedUsername.trim();
    const usernameError = validateUsername(expectedUsername);
    if (usernameError !== undefined) found.expectedUsername = usernameError;
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const portNumber = Number(port);
    onSubmit({
      loginHostKind: values.loginHostKind,
      ...(needsHost ? { loginHost: values.loginHost.trim() } : {}),
      clientId,
      ...(values.clientSecret === '' ? {} : { clientSecret: values.clientSecret }),
      ...(port !== '' && Number.isInteger(portNumber) ? { callbackPort: portNumber } : {}),
      chooseAnotherUser: values.chooseAnotherUser,
      ...(expectedUsername === '' ? {} : { expectedUsername }),
    });
  }

  const kindHint = LOGIN_HOST_KINDS.find((kind) => kind.value === values.loginHostKind)?.hint;

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel-title">
        Add a connection
      </h2>
      {demo !== undefined && (
        <div className="notice notice-info">
          <p className="notice-title">Demo org</p>
          <p>
            The form is filled in for the built-in demo org. When its sign-in page opens, use one of these users:{' '}
            {demo.usernames.map((username, index) => (
              <span key={username}>
                {index > 0 && ', '}
                <code>{username}</code>
              </span>
            ))}{' '}
            with the password <code>{demo.password}</code>. It only works against the local demo org.
          </p>
        </div>
      )}
      <form ref={form} onSubmit={submit} noValidate className="form">
        <div className="form-grid">
          <FieldShell label="Login host" hint={kindHint}>
            {({ id, describedBy }) => (
              <select id={id} name="loginHostKind" className="input" value={values.loginHostKind} aria-describedby={describedBy} onChange={(event) => update('loginHostKind', event.target.value as LoginHostKind)}>
                {LOGIN_HOST_KINDS.map((kind) => (
                  <option key={kind.value} value={kind.value}>
                    {kind.label}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          {needsHost && (
            <TextField
              label={values.loginHostKind === 'mydomain' ? 'My Domain address' : 'Login URL'}
              name="loginHost"
              value={values.loginHost}
              onChange={(value) => update('loginHost', value)}
              error={errors.loginHost}
              placeholder={values.loginHostKind === 'mydomain' ? 'acme.my.salesforce.com' : 'https://login.example.com'}
              required
            />
          )}
          <TextField
            label="Consumer key"
            name="clientId"
            value={values.clientId}
            onChange={(value) => update('clientId', value)}
            error={errors.clientId}
            hint={
              sameApp.length > 0
                ? `You already have a connection for this app as ${sameApp.map((connection) => connection.username).join(', ')}. Sites can share it; add another only to sign in as a different user, because each new approval for the same user counts toward Salesforce's limit.`
                : 'From your External Client App or connected app.'
            }
            required
          />
          <TextField
            label="Consumer secret (optional)"
            name="clientSecret"
            type="password"
            autoComplete="new-password"
            value={values.clientSecret}
            onChange={(value) => update('clientSecret', value)}
            error={errors.clientSecret}
            hint="Only for apps that require a secret for the web server flow. Kept in the keychain."
          />
          <FieldShell label="Callback port" hint={ports.length === 0 ? 'Loading the ports from Settings…' : `Salesforce returns to http://localhost:${port}/OauthRedirect. Change the list under Settings.`}>
            {({ id, describedBy }) => (
              <select id={id} name="callbackPort" className="input" value={port} aria-describedby={describedBy} onChange={(event) => update('callbackPort', event.target.value)} disabled={ports.length === 0}>
                {ports.map((value) => (
                  <option key={value} value={String(value)}>
                    {value}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
        </div>
        <fieldset className="fieldset">
          <legend>Who signs in</legend>
          <TextField
            label="Salesforce username you will sign in as (optional)"
            name="expectedUsername"
            autoComplete="username"
            className="field-medium"
            value={values.expectedUsername}
            onChange={(value) => update('expectedUsername', value)}
            error={errors.expectedUsername}
            placeholder="integration@acme.org"
            hint="ForceSites then checks this user’s approvals before the login page opens and warns if signing in would make Salesforce revoke one. The login page starts with this username."
          />
          <label className="choice">
            <input type="checkbox" name="chooseAnotherUser" checked={values.chooseAnotherUser} onChange={(event) => update('chooseAnotherUser', event.target.checked)} />
            Choose another user (show Salesforce’s login form instead of reusing the user already signed in to your browser)
          </label>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Authorize in browser
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** Salesforce usernames have the form of an email address (they need not receive mail). */
function validateUsername(username: string): string | undefined {
  if (username === '') return undefined;
  if (username.length > 255) return 'A Salesforce username is at most 255 characters.';
  if (!/^[^\s@]+@[^\s@]+$/.test(username)) return 'A Salesforce username looks like an email address, such as integration@acme.org. Leave the field empty if you do not know it yet.';
  return undefined;
}
