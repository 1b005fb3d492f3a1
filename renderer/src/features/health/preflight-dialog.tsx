import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { PreflightResult } from '../../../../common/health-models';
import { formatTime } from '../../ui/format';
import { Timestamp } from '../../ui/timestamp';
import './health.css';

const FOCUSABLE = 'button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export interface PreflightDialogProps {
  readonly result: PreflightResult;
  readonly onContinue: () => void;
  readonly onChooseAnotherUser: () => void;
  readonly onCancel: () => void;
  /** While the sign-in starts: buttons are disabled and Escape does nothing. */
  readonly busy?: boolean;
  readonly formatDate?: (iso: string | null) => string;
}

const TITLES: Record<PreflightResult['verdict'], string> = {
  'will-disconnect': 'This sign-in will disconnect a site',
  warning: 'This user is running out of approvals',
  'unknown-user': 'Check who signs in',
  unknown: 'ForceSites could not check the approvals',
  safe: 'Ready to sign in',
};

function evictedSite(result: PreflightResult): string | null {
  const a = result.evicts?.attribution;
  if (!a) return null;
  return a.kind === 'site' && a.siteNames.length > 0 ? a.siteNames.join(', ') : 'an unknown site or app';
}

/**
 * The warning before a sign-in that would make Salesforce revoke another site's approval.
 * Focus starts on the safe way out ("Choose another user") when a site would be lost, Tab stays
 * inside, Escape cancels, and focus goes back to the button that opened it.
 */
export function PreflightDialog({ result, onContinue, onChooseAnotherUser, onCancel, busy = false, formatDate = formatTime }: PreflightDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  const continueRef = useRef<HTMLButtonElement>(null);
  const danger = result.verdict === 'will-disconnect';

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (danger || result.verdict === 'warning' ? chooseRef.current : continueRef.current)?.focus();
    return () => {
      if (opener !== null && opener.isConnected) opener.focus();
    };
    // Focus is placed once, when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (!busy) onCancel();
      return;
    }
    if (event.key !== 'Tab' || panel.current === null) return;
    const controls = Array.from(panel.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (first === undefined || last === undefined) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  const site = evictedSite(result);
  return (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className={`dialog preflight-dialog${danger ? ' dialog-danger' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog-title">
          {TITLES[result.verdict]}
        </h2>
        <div id={bodyId} className="dialog-body">
          <p className={`preflight-message preflight-message-${result.verdict}`}>
            {danger && <strong>Warning: </strong>}
            {result.message}
          </p>
          {result.evicts && site && (
            <dl className="preflight-evicts">
              <dt>Site that loses its connection</dt>
              <dd>{site}</dd>
              <dt>Authorized</dt>
              <dd>
                <Timestamp iso={result.evicts.authorizedAt} format={formatDate} />
              </dd>
              {result.used !== null && (
                <>
                  <dt>Approvals of {result.userLabel ?? 'this user'}</dt>
                  <dd>
                    {result.used} of {result.cap}
                  </dd>
                </>
              )}
            </dl>
          )}
          {result.suggestion && <p className="preflight-suggestion">{result.suggestion}</p>}
        </div>
        <div className="dialog-actions">
          <button ref={continueRef} type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} onClick={onContinue} disabled={busy}>
            {danger ? 'Continue and disconnect' : 'Continue'}
          </button>
          <button ref={chooseRef} type="button" className={`button${danger ? ' button-primary' : ''}`} onClick={onChooseAnotherUser} disabled={busy}>
            Choose another user
          </button>
          <button type="button" className="button button-quiet" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
