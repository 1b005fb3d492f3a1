import { useState, type ReactNode } from 'react';
import { useApp } from '../app/app-context';
import { invoke } from '../bridge';

/**
 * A link to a web page outside ForceSites. It never navigates the app window: a click asks
 * the main process to open the system browser (`shell:open-external`). When main cannot
 * (a URL outside its allowlist, or a browser edition without a desktop), the link explains
 * that and, in the browser edition, turns into a plain new-tab link the admin can click.
 */
export function ExternalLink({ href, children }: { readonly href: string; readonly children: ReactNode }) {
  // Only the browser edition may fall back to a new tab; Electron denies window.open.
  const allowNewTab = useApp().appInfo?.edition === 'browser';
  const [fallback, setFallback] = useState<'none' | 'new-tab' | 'copy'>('none');

  if (fallback === 'new-tab') {
    return (
      <span className="external-fallback">
        <a href={href} target="_blank" rel="noopener noreferrer" className="external-link">
          {children}
        </a>{' '}
        <span className="field-hint">(opens in a new tab)</span>
      </span>
    );
  }

  return (
    <span className="external-fallback">
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        className="external-link"
        onClick={(event) => {
          event.preventDefault();
          invoke('shell:open-external', { url: href }).then(
            (answer) => {
              if (!answer.opened) setFallback(allowNewTab ? 'new-tab' : 'copy');
            },
            () => setFallback(allowNewTab ? 'new-tab' : 'copy'),
          );
        }}
      >
        {children}
      </a>
      {fallback === 'copy' && (
        <span className="field-hint" role="status">
          {' '}
          ForceSites could not open your browser. Copy this address into it: <code className="wrap">{href}</code>
        </span>
      )}
    </span>
  );
}
