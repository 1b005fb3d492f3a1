/**
 * The one window, locked down: the renderer is untrusted.
 * contextIsolation + sandbox + no nodeIntegration; no navigation away from the app; no new
 * windows (links go to the system browser through the allowlist); no permission prompts.
 */
import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SecureWindowOptions {
  readonly preloadPath: string;
  /** electron-vite dev server URL, or undefined to load the built files. */
  readonly devServerUrl: string | undefined;
  readonly rendererIndexPath: string;
  readonly isAllowedExternalUrl: (url: string) => boolean;
}

/** Electron forbids every network destination except what main does itself. */
const ELECTRON_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** `npm run dev` only: Fast Refresh's inline script and Vite's HMR socket (see electron.vite.config.ts). */
const DEV_SERVER_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src ws://localhost:* http://localhost:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function rendererFileUrl(rendererIndexPath: string): string {
  return pathToFileURL(rendererIndexPath).toString();
}

export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'ForceSites',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });

  // The packaged page carries its own CSP meta; the header also covers the dev server.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const policy = options.devServerUrl ? DEV_SERVER_CSP : ELECTRON_CSP;
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (options.isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());

  window.once('ready-to-show', () => window.show());
  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(options.rendererIndexPath);
  return window;
}

export function defaultRendererPaths(mainDir: string): { preloadPath: string; rendererIndexPath: string } {
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererIndexPath: join(mainDir, '../renderer/index.html'),
  };
}
