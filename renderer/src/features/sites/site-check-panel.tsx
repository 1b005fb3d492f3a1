import { useId, useState } from 'react';
import type { ErrorDto } from '../../../../common/errors';
import { SITE_CHECK_STEPS, type SiteCheckResult, type SiteCheckStatus, type SiteCheckStepName } from '../../../../common/wordpress-models';
import { invoke, toErrorDto } from '../../bridge';
import { ErrorNotice } from '../../ui/error-notice';

const STEP_LABELS: Readonly<Record<SiteCheckStepName, string>> = {
  reachable: 'Site reachable',
  credentials: 'Application password accepted',
  capability: 'Can list and edit users',
  companion: 'ForceSites Companion plugin',
  metaKeys: 'User fields exposed',
  woocommerce: 'WooCommerce',
};

const STATUS_LABELS: Readonly<Record<SiteCheckStatus, string>> = {
  ok: 'OK',
  warning: 'Check',
  failed: 'Failed',
  skipped: 'Not checked',
};

export interface SiteCheckRequest {
  readonly siteId?: string;
  readonly wordpressUrl: string;
  readonly wordpressUsername: string;
  readonly wordpressPassword?: string;
  readonly woocommerceAuth?: 'application-password' | 'consumer-key';
  readonly woocommerceKey?: { readonly consumerKey: string; readonly consumerSecret: string };
}

/**
 * "Check site" in the site form: asks main whether the WordPress site as typed (or saved) is
 * ready, and lists each step with what was found and what to do on the site.
 */
export function SiteCheckPanel({ request, canCheck }: { readonly request: () => SiteCheckRequest; readonly canCheck: boolean }) {
  const headingId = useId();
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<SiteCheckResult | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);

  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      setResult(await invoke('sites:check', request()));
    } catch (failure) {
      setResult(null);
      setError(toErrorDto(failure));
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="site-check" aria-labelledby={headingId}>
      <div className="site-check-bar">
        <h3 id={headingId} className="site-check-title">
          Site check
        </h3>
        <button type="button" className="button" onClick={() => void check()} disabled={checking || !canCheck} aria-describedby={canCheck ? undefined : `${headingId}-why`}>
          {checking ? 'Checking…' : result === null ? 'Check site' : 'Check again'}
        </button>
      </div>
      {!canCheck && (
        <p id={`${headingId}-why`} className="muted">
          Enter the site address, username and application password first.
        </p>
      )}
      {error !== null && <ErrorNotice error={error} title="The site could not be checked" />}
      {result !== null && (
        <div role="status">
          <p className={result.ready ? 'site-check-summary site-check-ready' : 'site-check-summary site-check-not-ready'}>
            {result.ready ? `${result.siteUrl} is ready for ForceSites.` : `${result.siteUrl} is not ready yet: fix the failed steps below on the site.`}
          </p>
          <ol className="site-check-steps">
            {SITE_CHECK_STEPS.map((name) => {
              const step = result[name];
              return (
                <li key={name} className={`site-check-step site-check-${step.status}`}>
                  <span className={`health-badge site-check-badge-${step.status}`}>{STATUS_LABELS[step.status]}</span> <strong>{STEP_LABELS[name]}</strong>
                  {name === 'companion' && result.companion.version !== null && <> (version {result.companion.version})</>}
                  <p className="site-check-message">{step.message}</p>
                  {step.hint !== undefined && step.hint !== '' && <p className="notice-hint">{step.hint}</p>}
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </section>
  );
}
