/**
 * The browser edition's per-run token arrives in the page URL (`/?token=…`, printed by
 * `npm run demo`). Left there it would sit in the tab's history, in screenshots and in any
 * URL the admin copies, so the bridge takes it out of the address bar as soon as it has read
 * it (history.replaceState: no new history entry keeps the old URL).
 *
 * A reload must keep working without the token in the URL, so it is kept in this tab's
 * sessionStorage: per tab, per origin, gone when the tab closes; the page's CSP allows only
 * its own scripts to read it.
 */

/** The slice of `window` this needs (keeps DOM types out of preload/). */
export interface TokenPage {
  readonly location: { readonly href: string };
  readonly history: { readonly state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  readonly sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

export const TOKEN_STORAGE_KEY = 'forcesites.page-token';

/** The token for the WebSocket: from the URL (then removed from it), else from this tab's storage; '' when none. */
export function takePageToken(page: TokenPage): string {
  const url = new URL(page.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl === null) return readStored(page);
  store(page, fromUrl);
  url.searchParams.delete('token');
  page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromUrl;
}

// Storage can be switched off or throw (privacy settings); the page then works until reloaded.
function readStored(page: TokenPage): string {
  try {
    return page.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

function store(page: TokenPage, token: string): void {
  try {
    page.sessionStorage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // See readStored.
  }
}
