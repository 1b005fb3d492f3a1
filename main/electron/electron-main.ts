/**
 * Electron lifecycle: single instance, one secure window, IPC bound to the app's handler
 * table, system browser through the allowlist, desktop notifications. Everything else is
 * main/app, which runs the same in plain Node (the browser edition and the tests).
 *
 * Hardening that must exist before any web contents does is set up at the top of this
 * module: sandbox for every renderer, the privileged app:// scheme, and the global
 * web-contents guard (docs/threat-model.md lists each with its test).
 */
import { app, BrowserWindow, dialog, net, Notification, protocol, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { promises as fs } from 'node:fs';
import { isAppError } from '../../common/errors';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsoleLogger } from '../platform/logger';
import { createApp, type AppOptions, type ForceSitesApp } from '../app/create-app';
import { runCli } from '../cli/forcesites-cli';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol';
import { cliArgumentsOf } from './command-line';
import { externalConfirmation } from './external-confirmation';
import { createSecureWindow, defaultRendererPaths } from './secure-window';
import { lockDownSession } from './session-policy';
import { forwardEvents, registerIpcHandlers } from './typed-ipc';
import { guardAllWebContents } from './web-contents-guard';

const mainDir = dirname(fileURLToPath(import.meta.url));

app.enableSandbox();
// Must happen before 'ready'; it also replaces any earlier registration, so it is the only one.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
// The allowlist exists once the app is open; until then no link may leave the app.
let isAllowedExternalUrl: (url: string) => boolean = () => false;
let openAllowedExternal: (url: string) => Promise<boolean> = async () => false;
guardAllWebContents(app, {
  isAllowedExternalUrl: (url) => isAllowedExternalUrl(url),
  // The app's openExternal applies the policy again and asks first where it says 'confirm'.
  openExternal: (url) => void openAllowedExternal(url),
  allowDevTools: !app.isPackaged,
});

// electron-store is conf with Electron's defaults; the profile store passes every option.
const electronProfileBacking: NonNullable<AppOptions['openProfileBacking']> = ({ configName, ...options }) => new ElectronStore({ ...options, name: configName });

const cliArguments = cliArgumentsOf(process.argv, app.isPackaged);
if (cliArguments !== undefined) {
  void runCommandLine(cliArguments);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

/** `ForceSites --cli sync <site> …`: the same command as `forcesites`, on the app's own data. */
async function runCommandLine(argv: readonly string[]): Promise<void> {
  const code = await runCli(
    argv,
    { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true, env: process.env, platform: process.platform },
    { dataDir: app.getPath('userData'), openProfileBacking: electronProfileBacking, appVersion: app.getVersion() },
  ).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  app.exit(code);
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSession(session.defaultSession);
  const { rendererDir } = defaultRendererPaths(mainDir);
  // Electron's fs reads inside app.asar; look it up per call so that patched version is used.
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir, (path) => fs.readFile(path)));
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
    openProfileBacking: electronProfileBacking,
    appVersion: app.getVersion(),
    logger: createConsoleLogger(app.isPackaged ? 'warn' : 'info'),
    allowLoopbackHttp: !app.isPackaged && process.env.FORCESITES_ALLOW_LOOPBACK === '1',
    openExternal: async (url) => {
      await shell.openExternal(url);
      return true;
    },
    confirmOpenExternal: async (url) => {
      const question = externalConfirmation(url);
      const parent = BrowserWindow.getFocusedWindow();
      const options = { ...question, buttons: [...question.buttons] };
      const answer = parent === null ? await dialog.showMessageBox(options) : await dialog.showMessageBox(parent, options);
      return answer.response === question.openButton;
    },
    isOnline: () => net.isOnline(),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  });
}

function showWindows(forceSites: ForceSitesApp): void {
  const { preloadPath } = defaultRendererPaths(mainDir);
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  isAllowedExternalUrl = (url) => forceSites.isAllowedExternalUrl(url);
  openAllowedExternal = (url) => forceSites.openExternal(url);
  registerIpcHandlers(forceSites.handlers, { devOrigin: devServerUrl }, (channel, error) => forceSites.logUnexpected(channel, error));

  const openWindow = () => {
    const window = createSecureWindow({ preloadPath, devServerUrl, allowDevTools: !app.isPackaged });
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
