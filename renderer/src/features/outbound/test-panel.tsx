import { useId, useState, type FormEvent } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OutboundRecordChoice, OutboundSettingsDto, OutboundStepStatus, OutboundTestCase, OutboundTestResult } from '../../../../common/outbound-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';
import { FieldShell, TextField } from '../../ui/field';
import { CopyButton } from './copy-button';

const CASES: readonly { readonly value: OutboundTestCase; readonly label: string; readonly hint: string }[] = [
  { value: 'single', label: 'One notification', hint: 'One message with one record.' },
  { value: 'multi', label: 'Several notifications in one message', hint: 'Salesforce batches up to 100 notifications in one message.' },
  { value: 'duplicate', label: 'Duplicate delivery', hint: 'The same message twice: Salesforce delivers at least once.' },
  { value: 'out-of-order', label: 'Out of order', hint: 'Two notifications for the same records, the later one first: Salesforce does not keep order.' },
];

const STATUS: Readonly<Record<OutboundStepStatus, string>> = { pass: 'Pass', warning: 'Check', fail: 'Fail', skipped: 'Not run' };
const VERDICT: Readonly<Record<OutboundTestResult['verdict'], string>> = { pass: 'Passed', warning: 'Passed with warnings', fail: 'Failed' };

/** The test menu, "Send test message", and its verdict: each step, and each raw exchange to copy. */
export function TestPanel({ settings }: { readonly settings: OutboundSettingsDto }) {
  const headingId = useId();
  const [testCase, setTestCase] = useState<OutboundTestCase>('single');
  const [source, setSource] = useState<'records' | 'sample'>(settings.canReadRecords ? 'records' : 'sample');
  const [search, setSearch] = useState('');
  const [choices, setChoices] = useState<readonly OutboundRecordChoice[] | undefined>(undefined);
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [sample, setSample] = useState<Readonly<Record<string, string>>>({});
  const [count, setCount] = useState('3');
  const [busy, setBusy] = useState<'finding' | 'sending' | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [result, setResult] = useState<OutboundTestResult | undefined>(undefined);

  const find = async () => {
    setBusy('finding');
    setError(undefined);
    try {
      const list = await invoke('outbound:records', { siteId: settings.siteId, ...(search.trim() === '' ? {} : { search: search.trim() }) });
      setChoices(list.records);
      setPicked((current) => current.filter((id) => list.records.some((record) => record.id === id)));
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    if (source === 'records' && picked.length === 0) {
      setError({ code: 'INVALID_REQUEST', message: 'Pick at least one record to send.', hint: 'Find records, then tick the ones to send.' });
      return;
    }
    setBusy('sending');
    try {
      const values = Object.fromEntries(Object.entries(sample).filter(([, value]) => value.trim() !== ''));
      const sent = await invoke('outbound:test', {
        siteId: settings.siteId,
        testCase,
        source:
          source === 'records'
            ? { kind: 'records', recordIds: [...picked] }
            : { kind: 'sample', values, ...(testCase === 'multi' ? { count: Math.min(100, Math.max(2, Number.parseInt(count, 10) || 2)) } : {}) },
      });
      setResult(sent);
    } catch (failure) {
      setError(toErrorDto(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = (id: string, on: boolean) => setPicked((current) => (on ? [...current, id].slice(0, 100) : current.filter((value) => value !== id)));

  return (
    <section className="outbound-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Send test message</h2>
      <form onSubmit={(event) => void send(event)} noValidate>
        <FieldShell label="Test" hint={CASES.find((option) => option.value === testCase)?.hint}>
          {({ id, describedBy }) => (
            <select id={id} className="input" value={testCase} aria-describedby={describedBy} onChange={(event) => setTestCase(event.target.value as OutboundTestCase)}>
              {CASES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </FieldShell>

        <fieldset className="fieldset fieldset-inner">
          <legend>What to send</legend>
          <label className="choice">
            <input type="radio" name="source" checked={source === 'records'} disabled={!settings.canReadRecords} onChange={() => setSource('records')} /> Real {settings.objectType} records from Salesforce
          </label>
          {!settings.canReadRecords && <p className="field-hint">The site has no Salesforce connection: choose one on the Sites page to send real records.</p>}
          <label className="choice">
            <input type="radio" name="source" checked={source === 'sample'} onChange={() => setSource('sample')} /> A sample {settings.objectType} with values I type
          </label>
        </fieldset>

        {source === 'records' ? (
          <div className="outbound-records">
            <div className="outbound-search">
              <TextField label={`Find ${settings.objectType} records`} name="search" value={search} onChange={setSearch} placeholder="Name or email" />
              <button type="button" className="button" onClick={() => void find()} disabled={busy !== undefined}>
                {busy === 'finding' ? 'Finding…' : 'Find'}
              </button>
            </div>
            {choices !== undefined &&
              (choices.length === 0 ? (
                <p className="muted">No records match.</p>
              ) : (
                <ul className="outbound-choices" aria-label="Records to send">
                  {choices.map((record) => (
                    <li key={record.id}>
                      <label className="choice">
                        <input type="checkbox" checked={picked.includes(record.id)} onChange={(event) => toggle(record.id, event.target.checked)} /> {record.name}
                        {record.email !== null && <span className="cell-sub"> {record.email}</span>}
                      </label>
                    </li>
                  ))}
                </ul>
              ))}
          </div>
        ) : (
          <div className="outbound-sample">
            {settings.fields.map((field) => (
              <TextField key={field} label={field} name={`sample-${field}`} value={sample[field] ?? ''} onChange={(value) => setSample((current) => ({ ...current, [field]: value }))} />
            ))}
            {testCase === 'multi' && (
              <TextField
                label="Notifications in the message"
                name="count"
                type="number"
                inputMode="numeric"
                value={count}
                onChange={setCount}
                hint="The first carries your values; the others carry made-up addresses (…@example.invalid) that no user has."
              />
            )}
            <p className="field-hint">
              A connector that reloads the contact from Salesforce (WP Fusion does) ignores sample values: send a real record to test what members will see.
            </p>
          </div>
        )}

        {error !== undefined && <ErrorNotice error={error} title="The test message was not sent." />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy !== undefined}>
            {busy === 'sending' ? 'Sending… (up to a minute)' : 'Send test message'}
          </button>
        </div>
      </form>

      {result !== undefined && <TestResult result={result} />}
    </section>
  );
}

function TestResult({ result }: { readonly result: OutboundTestResult }) {
  return (
    <div className="outbound-result" role="status">
      <p className={`outbound-verdict outbound-verdict-${result.verdict}`}>
        <strong>{VERDICT[result.verdict]}.</strong> {result.summary}
      </p>
      <p className="muted">
        {result.notifications} notification{result.notifications === 1 ? '' : 's'} to <code>{result.endpointUrlMasked}</code>
      </p>
      <ol className="outbound-steps">
        {result.steps.map((step, index) => (
          <li key={`${step.id}-${step.delivery ?? 0}-${index}`} className={`outbound-step outbound-step-${step.status}`}>
            <span className={`health-badge outbound-badge-${step.status}`}>{STATUS[step.status]}</span> <strong>{step.label}</strong>
            <p>{step.message}</p>
            {step.hint !== undefined && <p className="notice-hint">{step.hint}</p>}
          </li>
        ))}
      </ol>
      {result.exchanges.map((exchange, index) => {
        const text = `${exchange.request}\n\n${exchange.response ?? '(no answer)'}`;
        return (
          <details key={index} className="outbound-exchange">
            <summary>
              Raw exchange: {exchange.label}
              {exchange.durationMs !== null && ` (${exchange.durationMs} ms)`}
            </summary>
            <CopyButton text={text} label={`Copy the raw exchange: ${exchange.label}`} />
            <pre>{text}</pre>
          </details>
        );
      })}
    </div>
  );
}
