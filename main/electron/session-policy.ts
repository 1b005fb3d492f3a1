/**
 * What the window's session may do beyond showing the app: nothing. ForceSites needs no
 * camera, microphone, location, notifications from the page (main shows them), clipboard,
 * USB/HID/serial devices or fullscreen, so every permission request and every permission
 * check is refused, for every origin, and no device is ever granted.
 *
 * Imports only Electron's types, so test/unit/electron/session-policy.test.ts runs it in Node
 * against a recording session.
 */
import type { Session } from 'electron';
import { APP_ORIGIN } from './app-protocol';

/**
 * Permissions the app page could be granted. Empty on purpose: adding one here is the only way
 * to allow it, and then only for the app's own origin.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

export function isPermissionGranted(permission: string, requestingOrigin: string | undefined, granted: ReadonlySet<string> = GRANTED_PERMISSIONS): boolean {
  return granted.has(permission) && requestingOrigin === APP_ORIGIN;
}

type LockableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'>;

function originOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Installs the refusals on a session (the default one, which the window uses). */
export function lockDownSession(session: LockableSession): void {
  // Asynchronous requests (getUserMedia, Notification.requestPermission, …).
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, originOf(details.requestingUrl) ?? originOf(contents.getURL())));
  });
  // Synchronous checks (navigator.permissions.query, clipboard and device APIs): without a
  // handler Chromium answers some of them "granted".
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, originOf(requestingOrigin)));
  // WebHID, WebUSB, Web Serial: no device is ever handed to the page.
  session.setDevicePermissionHandler(() => false);
  // Device pickers: cancel rather than let Chromium pick the first device.
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}
