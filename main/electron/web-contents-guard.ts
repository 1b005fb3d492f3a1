/**
 * One guard for every web contents Electron ever creates (the window, DevTools, anything a
 * future change adds), installed on `web-contents-created` before the first window exists:
 *
 * - no navigation away from the app (will-navigate, will-frame-navigate, will-redirect);
 * - no new windows: window.open and target=_blank are refused, and an allowlisted https URL
 *   goes to the system browser instead;
 * - no <webview>;
 * - no DevTools in packaged builds.
 *
 * Imports only Electron's types, so test/unit/electron/web-contents-guard.test.ts runs it in
 * Node against recording fakes.
 */
import type { WebContents } from 'electron';

export interface WebContentsGuardOptions {
  /** Late-bound: the allowlist exists only once the app is open; until then nothing is allowed. */
  readonly isAllowedExternalUrl: (url: string) => boolean;
  readonly openExternal: (url: string) => void;
  readonly allowDevTools: boolean;
}

type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on' | 'closeDevTools'>;

interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

export function guardAllWebContents(app: AppLike, options: WebContentsGuardOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, options));
}

export function guardWebContents(contents: GuardedContents, options: WebContentsGuardOptions): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttps(url) && options.isAllowedExternalUrl(url)) options.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (!options.allowDevTools) contents.on('devtools-opened', () => contents.closeDevTools());
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
