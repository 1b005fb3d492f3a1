/**
 * The one window, locked down: the renderer is untrusted.
 * contextIsolation + sandbox + no nodeIntegration; the page comes from app://forcesites (never
 * file://); DevTools only in development. Navigation, new windows, webviews and permissions
 * are refused for every web contents by web-contents-guard.ts and session-policy.ts.
 */
import { BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { APP_CSP, APP_INDEX_URL, DEV_SERVER_CSP } from './app-protocol';

export interface SecureWindowOptions {
  readonly preloadPath: string;
  /** electron-vite dev server URL, or undefined to load the built files from app://. */
  readonly devServerUrl: string | undefined;
  /** False in packaged builds. */
  readonly allowDevTools: boolean;
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: options.allowDevTools,
      spellcheck: false,
    },
  });

  // app:// responses carry the CSP themselves; this also covers the dev server's responses.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const policy = options.devServerUrl ? DEV_SERVER_CSP : APP_CSP;
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });

  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devServerUrl ?? APP_INDEX_URL);
  return window;
}

export function defaultRendererPaths(mainDir: string): { preloadPath: string; rendererDir: string } {
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererDir: join(mainDir, '../renderer'),
  };
}
