import { useCallback, useEffect, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import type { SiteProfileDto } from '../../../../common/models';
import type { OrdersPhase, OrdersPlanDto, OrdersProgressDto, OrdersReconcileDto, OrdersRunDto } from '../../../../common/orders-models';
import { routeHref } from '../../app/routes';
import { useSetupProgress } from '../../app/use-setup-progress';
import { invoke, on, toErrorDto } from '../../bridge';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { NextStep } from '../../ui/next-step';
import { PageHeader } from '../../ui/page-header';
import { OrdersReconciliation } from './orders-reconciliation';
import { OrdersRunRecords, OrdersRuns, ordersRunSummary } from './orders-runs';
import { OrdersSettingsForm } from './orders-settings-form';

const PHASES: { readonly [P in OrdersPhase]: string } = {
  recovering: 'Checking an earlier run',
  reading: 'Reading WooCommerce orders',
  'looking-up': 'Looking up Salesforce records',
  accounts: 'Creating Accounts',
  contacts: 'Creating Contacts',
  products: 'Creating products',
  'pricebook-entries': 'Creating price book entries',
  orders: 'Writing Orders',
  'order-items': 'Writing order products',
  activating: 'Activating Orders',
  done: 'Finished',
};

const CLASSES = { create: 'New', update: 'Update', unchanged: 'Unchanged', locked: 'Activated, differs', invalid: 'Cannot send' } as const;

/**
 * Orders: pick a site, set how its WooCommerce orders are recorded, preview (nothing is
 * written), send with progress and Cancel, read each run's per-order outcomes, and reconcile
 * WooCommerce against Salesforce with a Replay button.
 */
export function OrdersPage() {
  const progress = useSetupProgress();
  const [sites, setSites] = useState<readonly SiteProfileDto[]>([]);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [plan, setPlan] = useState<OrdersPlanDto | undefined>(undefined);
  const [report, setReport] = useState<OrdersReconcileDto | undefined>(undefined);
  const [busy, setBusy] = useState<'plan' | 'send' | 'reconcile' | 'replay' | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | undefined>(undefined);
  const [live, setLive] = useState<OrdersProgressDto | undefined>(undefined);
  const [runs, setRuns] = useState<readonly OrdersRunDto[]>([]);
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);

  useEffect(() => {
    let active = true;
    void invoke('sites:list', {}).then((list) => {
      if (!active) return;
      const usable = list.filter((site) => site.connectionId !== null);
      setSites(usable);
      setSiteId((current) => current ?? usable[0]?.id ?? null);
    });
    return () => {
      active = false;
    };
  }, []);

  const loadRuns = useCallback((id: string) => {
    void invoke('orders:runs', { siteId: id, limit: 50 }).then(setRuns, (failure: unknown) => setError(toErrorDto(failure)));
  }, []);

  useEffect(() => {
    if (siteId !== null) loadRuns(siteId);
  }, [siteId, loadRuns]);

  useEffect(
    () =>
      on('orders:progress', (event) => {
        if (event.siteId !== siteId) return;
        setLive(event.phase === 'done' ? undefined : event);
        if (event.phase === 'done' && siteId !== null) loadRuns(siteId);
      }),
    [siteId, loadRuns],
  );

  const run = async <T,>(kind: NonNullable<typeof busy>, work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(kind);
    setError(undefined);
    try {
      return await work();
    } catch (failure) {
      setError(toErrorDto(failure));
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };

  const preview = (): void => {
    if (siteId === null) return;
    void run('plan', async () => setPlan(await invoke('orders:plan', { siteId })));
  };
  const send = (orderIds?: number[]): void => {
    if (siteId === null) return;
    void run(orderIds ? 'replay' : 'send', async () => {
      const { runId } = await invoke('orders:send', { siteId, ...(orderIds ? { orderIds } : {}) });
      setOpenRunId(runId);
      setPlan(undefined);
      if (orderIds) setReport(undefined);
      loadRuns(siteId);
    });
  };
  const reconcile = (): void => {
    if (siteId === null) return;
    void run('reconcile', async () => setReport(await invoke('orders:reconcile', { siteId })));
  };

  if (!progress.loading && sites.length === 0) {
    return (
      <div className="page">
        <PageHeader title="Orders">WooCommerce orders, recorded in Salesforce as Orders.</PageHeader>
        <EmptyState title="No orders yet">
          <p>
            For sites that run WooCommerce, this page copies orders to Salesforce as Orders with their products and line items, linked to the customer’s
            record, and shows which orders have been copied and which failed.
          </p>
          <NextStep progress={progress} needs="site" />
        </EmptyState>
      </div>
    );
  }

  const site = sites.find((s) => s.id === siteId);
  const openRun = runs.find((r) => r.id === openRunId);
  const idle = busy === undefined && live === undefined;
  return (
    <div className="page">
      <PageHeader title="Orders">Send a site’s WooCommerce orders to Salesforce as Orders with their products: preview first, then send, then reconcile.</PageHeader>
      <div className="sync-filters">
        <label>
          Site{' '}
          <select
            value={siteId ?? ''}
            onChange={(event) => {
              setSiteId(event.target.value);
              setPlan(undefined);
              setReport(undefined);
              setOpenRunId(null);
            }}
          >
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={preview} disabled={!idle}>
          {busy === 'plan' ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" className="button button-primary" onClick={() => send()} disabled={plan === undefined || !idle}>
          {busy === 'send' ? 'Starting…' : 'Send orders'}
        </button>
        <button type="button" className="button" onClick={reconcile} disabled={!idle}>
          {busy === 'reconcile' ? 'Reconciling…' : 'Reconcile'}
        </button>
        <button type="button" className="button-quiet" aria-expanded={showSettings} onClick={() => setShowSettings((shown) => !shown)}>
          Order settings
        </button>
      </div>
      {site !== undefined && <WoocommerceCredential site={site} />}
      {showSettings && siteId !== null && <OrdersSettingsForm key={siteId} siteId={siteId} onSaved={() => setPlan(undefined)} />}
      {plan === undefined && live === undefined && report === undefined && <p className="muted">Preview first: nothing is written until you press Send orders.</p>}
      {error !== undefined && <ErrorNotice error={error} title="The orders could not be sent." />}
      {live !== undefined && (
        <section aria-label="Progress">
          <p>
            {PHASES[live.phase]}: {live.done.toLocaleString()} of {live.total.toLocaleString()}
          </p>
          <progress max={Math.max(1, live.total)} value={live.done} aria-label={PHASES[live.phase]} />{' '}
          {live.ordersTotal !== undefined && live.ordersTotal > 0 && (
            <span className="muted">
              {live.ordersDone?.toLocaleString() ?? 0} of {live.ordersTotal.toLocaleString()} orders done{' '}
            </span>
          )}
          <button type="button" className="button" onClick={() => siteId !== null && void invoke('orders:cancel', { siteId })}>
            Cancel
          </button>
        </section>
      )}
      {plan !== undefined && (
        <section aria-label="Preview">
          <p>
            {plan.orders.toLocaleString()} orders: {plan.counts.create} new, {plan.counts.update} to update, {plan.counts.unchanged} unchanged, {plan.counts.locked} activated and different (left as they are),{' '}
            {plan.counts.invalid} cannot be sent.
          </p>
          <p>
            Created first: {plan.creates.accounts} Accounts, {plan.creates.contacts} Contacts, {plan.creates.products} products, {plan.creates.pricebookEntries} price book entries; then {plan.creates.orderItems} order
            products{plan.creates.activations > 0 ? ` and ${plan.creates.activations} activations` : ''}. About {plan.writeCalls} API calls (the preview used {plan.planCalls}).
          </p>
          <p className="muted">
            WooCommerce id kept in {plan.keyField} · price book {plan.pricebook.name} · new orders {plan.draftStatus}
            {plan.multiCurrency ? ' · multi-currency org' : ''}
          </p>
          <ul aria-label="Orders">
            {plan.rows.map((row) => (
              <li key={row.wooOrderId}>
                #{row.number} {CLASSES[row.class]} · {row.buyerEmail || 'no e-mail'} · {row.items} product{row.items === 1 ? '' : 's'}, {row.itemsTotal.toFixed(2)} {row.currency}
                {row.detail !== null ? ` — ${row.detail}` : ''}
              </li>
            ))}
          </ul>
          {plan.rowsTruncated && <p className="muted">Only the first {plan.rows.length.toLocaleString()} orders are listed.</p>}
        </section>
      )}
      {report !== undefined && <OrdersReconciliation report={report} replaying={busy === 'replay'} onReplay={(ids) => send(ids)} />}
      <h2>Runs{site !== undefined ? ` of ${site.name}` : ''}</h2>
      <OrdersRuns runs={runs} openRunId={openRunId} onOpen={setOpenRunId} />
      {openRunId !== null && (
        <>
          <h3>Orders of the run {openRun ? `(${ordersRunSummary(openRun)})` : ''}</h3>
          <OrdersRunRecords runId={openRunId} />
        </>
      )}
    </div>
  );
}

/** Which credential the orders read WooCommerce with (chosen in the site's profile), never the secret. */
function WoocommerceCredential({ site }: { readonly site: SiteProfileDto }) {
  const withKey = site.woocommerceAuth === 'consumer-key';
  return (
    <p className="muted">
      {withKey
        ? site.hasWoocommerceKey === true
          ? `WooCommerce is read with the REST API key ending in …${site.woocommerceKeyEnding ?? ''}.`
          : 'WooCommerce is to be read with a REST API key, but none is stored.'
        : `WooCommerce is read with ${site.wordpressUsername}’s application password (the user needs manage_woocommerce).`}{' '}
      <a href={routeHref('sites')}>Change it on the Sites page</a>.
    </p>
  );
}
