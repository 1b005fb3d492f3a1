/**
 * Who may call the contract over Electron IPC.
 *
 * Electron glue passes the sending frame's URL and whether it is the main frame; only the
 * app's own top-level page may call. Kept free of Electron so it is tested in plain Node.
 */
export interface SenderFacts {
  readonly url: string | undefined;
  readonly isMainFrame: boolean;
}

export interface SenderPolicy {
  /** file:// path of the packaged renderer's index.html. */
  readonly appFileUrl?: string;
  /** Dev server origin (electron-vite dev), e.g. http://localhost:5173. */
  readonly devOrigin?: string;
}

export function isTrustedSender(sender: SenderFacts, policy: SenderPolicy): boolean {
  if (!sender.isMainFrame || !sender.url) return false;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  if (url.protocol === 'file:' && policy.appFileUrl) {
    const expected = new URL(policy.appFileUrl);
    return url.pathname === expected.pathname;
  }
  if (policy.devOrigin && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return url.origin === new URL(policy.devOrigin).origin;
  }
  return false;
}
