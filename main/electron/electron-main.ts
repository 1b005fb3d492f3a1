/**
 * Electron lifecycle: single instance, one secure window, IPC bound to the app's handler
 * table, system browser through the allowlist, desktop notifications. Everything else is
 * main/app, which runs the same in plain Node (the browser edition and the tests).
 */
import { app, dialog, net, Notification, shell } from 'electron';
import ElectronStore from 'electron-store';
import { isAppError } from '../../common/errors';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsoleLogger } from '../platform/logger';
import { createApp, type ForceSitesApp } from '../app/create-app';
import { createSecureWindow, defaultRendererPaths, rendererFileUrl } from './secure-window';
import { forwardEvents, registerIpcHandlers } from './typed-ipc';

const mainDir = dirname(fileURLToPath(import.meta.url));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  let forceSites: ForceSitesApp;
  try {
    forceSites = await openApp();
  } catch (error) {
    // A damaged profile file or a newer ForceSites' file: say which and how to recover,
    // instead of a window that silently never appears.
    const detail = isAppError(error) ? `${error.message}\n\n${error.hint ?? ''}` : 'An unexpected error stopped ForceSites from starting.';
    dialog.showErrorBox('ForceSites cannot start', detail);
    app.quit();
    return;
  }
  showWindows(forceSites);
}

function openApp(): Promise<ForceSitesApp> {
  return createApp({
    edition: 'electron',
    dataDir: app.getPath('userData'),
    // electron-store is conf with Electron's defaults; the profile store passes every option.
    openProfileBacking: ({ configName, ...options }) => new ElectronStore({ ...options, name: configName }),
    appVersion: app.getVersion(),
    logger: createConsoleLogger(app.isPackaged ? 'warn' : 'info'),
    allowLoopbackHttp: !app.isPackaged && process.env.FORCESITES_ALLOW_LOOPBACK === '1',
    openExternal: async (url) => {
      await shell.openExternal(url);
      return true;
    },
    isOnline: () => net.isOnline(),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  });
}

function showWindows(forceSites: ForceSitesApp): void {
  const { preloadPath, rendererIndexPath } = defaultRendererPaths(mainDir);
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  registerIpcHandlers(forceSites.handlers, { appFileUrl: rendererFileUrl(rendererIndexPath), devOrigin: devServerUrl }, (channel, error) =>
    forceSites.logUnexpected(channel, error),
  );

  const openWindow = () => {
    const window = createSecureWindow({ preloadPath, rendererIndexPath, devServerUrl, isAllowedExternalUrl: forceSites.isAllowedExternalUrl });
    const stopForwarding = forwardEvents(forceSites.events, window.webContents);
    window.on('closed', stopForwarding);
    return window;
  };
  let window = openWindow();

  app.on('second-instance', () => {
    if (window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (window.isDestroyed()) window = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void forceSites.close();
  });
}
