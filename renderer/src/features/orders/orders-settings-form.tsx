import { useEffect, useId, useState, type ReactNode } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { OrderAccountStrategy, OrderSettings } from '../../../../common/orders-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';

const STRATEGIES: readonly { readonly value: OrderAccountStrategy; readonly label: string }[] = [
  { value: 'per-customer', label: 'One Account per customer (named from the billing company or person)' },
  { value: 'contact-account', label: 'The buyer Contact’s Account (new buyers: the default Account)' },
  { value: 'default-account', label: 'One default Account for every order' },
];

/** A site's order settings: which orders, how they are recorded, where they go. Saved on the site profile. */
export function OrdersSettingsForm({ siteId, onSaved }: { readonly siteId: string; readonly onSaved: (settings: OrderSettings) => void }) {
  const [settings, setSettings] = useState<OrderSettings | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    let active = true;
    invoke('orders:settings', { siteId }).then(
      (answer) => active && setSettings(answer),
      (failure: unknown) => active && setError(toErrorDto(failure)),
    );
    return () => {
      active = false;
    };
  }, [siteId]);
  if (settings === undefined) return error ? <ErrorNotice error={error} /> : <p className="muted">Loading the order settings…</p>;

  const change = (patch: Partial<OrderSettings>): void => {
    setSaved(false);
    setSettings({ ...settings, ...patch });
  };
  const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());
  const save = async (): Promise<void> => {
    setError(undefined);
    try {
      const answer = await invoke('orders:save-settings', { siteId, settings: { ...settings, productMappings: [...settings.productMappings], statuses: [...settings.statuses] } });
      setSettings(answer);
      setSaved(true);
      onSaved(answer);
    } catch (failure) {
      setError(toErrorDto(failure));
    }
  };

  return (
    <form
      aria-label="Order settings"
      className="form fieldset"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="form-grid">
        <Labelled label="WooCommerce statuses to send" hint="Separated by commas.">
          {(id) => <input id={id} className="input" value={settings.statuses.join(', ')} onChange={(e) => change({ statuses: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) })} />}
        </Labelled>
        <Labelled label="Orders">
          {(id) => (
            <select id={id} className="input" value={settings.dateMode} onChange={(e) => change({ dateMode: e.target.value as OrderSettings['dateMode'] })}>
              <option value="all">All of them</option>
              <option value="since-last-sync">Created since the last completed send</option>
              <option value="range">Created in a date range</option>
            </select>
          )}
        </Labelled>
        {settings.dateMode === 'range' && (
          <>
            <Labelled label="From">{(id) => <input id={id} className="input" type="date" value={settings.dateFrom ?? ''} onChange={(e) => change({ dateFrom: text(e.target.value) })} />}</Labelled>
            <Labelled label="To">{(id) => <input id={id} className="input" type="date" value={settings.dateTo ?? ''} onChange={(e) => change({ dateTo: text(e.target.value) })} />}</Labelled>
          </>
        )}
        <Labelled label="Account">
          {(id) => (
            <select id={id} className="input" value={settings.accountStrategy} onChange={(e) => change({ accountStrategy: e.target.value as OrderAccountStrategy })}>
              {STRATEGIES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Default Account id">
          {(id) => <input id={id} className="input" value={settings.defaultAccountId ?? ''} onChange={(e) => change({ defaultAccountId: text(e.target.value) })} placeholder="001…" />}
        </Labelled>
        <Labelled label="Price book id" hint="Empty: the standard price book.">
          {(id) => <input id={id} className="input" value={settings.pricebookId ?? ''} onChange={(e) => change({ pricebookId: text(e.target.value) })} placeholder="the standard price book" />}
        </Labelled>
        <Labelled label="Org currency (single-currency orgs)" hint="Empty: read from Salesforce.">
          {(id) => <input id={id} className="input" value={settings.orgCurrency ?? ''} onChange={(e) => change({ orgCurrency: text(e.target.value.toUpperCase()) })} placeholder="USD" maxLength={3} />}
        </Labelled>
        <Labelled label="Order id prefix" hint="Several shops in one org: a prefix each.">
          {(id) => <input id={id} className="input" value={settings.orderKeyPrefix} onChange={(e) => change({ orderKeyPrefix: e.target.value.trim() })} placeholder="none" />}
        </Labelled>
      </div>
      <label className="choice">
        <input type="checkbox" checked={settings.activate} onChange={(e) => change({ activate: e.target.checked })} /> Activate each order once its products are in
      </label>
      <label className="choice">
        <input type="checkbox" checked={settings.createMissingProducts} onChange={(e) => change({ createMissingProducts: e.target.checked })} /> Create a product (with its standard price) when none has the SKU or name
      </label>
      <div className="form-actions">
        <button type="submit" className="button">
          Save order settings
        </button>
        {saved && (
          <span role="status" className="form-status">
            Saved.
          </span>
        )}
      </div>
      {error !== undefined && <ErrorNotice error={error} title="The order settings were not saved." />}
    </form>
  );
}

/** A label and its control tied by id, with a visible hint under it. */
function Labelled({ label, hint, children }: { readonly label: string; readonly hint?: string; readonly children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(id)}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
