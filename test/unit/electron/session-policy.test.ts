import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../main/electron/app-protocol';
import { GRANTED_PERMISSIONS, isPermissionGranted, lockDownSession } from '../../../main/electron/session-policy';

// Every permission name Electron 45's Session API knows.
const PERMISSIONS = [
  'ar', 'automatic-fullscreen', 'background-fetch', 'background-sync', 'captured-surface-control', 'clipboard-read',
  'clipboard-sanitized-write', 'deprecated-sync-clipboard-read', 'display-capture', 'fileSystem', 'fullscreen', 'geolocation',
  'geolocation-approximate', 'hand-tracking', 'hid', 'idle-detection', 'keyboardLock', 'local-fonts', 'local-network',
  'local-network-access', 'loopback-network', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'nfc', 'notifications',
  'openExternal', 'payment-handler', 'periodic-background-sync', 'persistent-storage', 'pointerLock', 'screen-wake-lock',
  'sensors', 'serial', 'smart-card', 'speaker-selection', 'storage-access', 'system-wake-lock', 'top-level-storage-access',
  'usb', 'vr', 'web-app-installation', 'web-printing', 'window-management', 'unknown',
] as const;

/** Records what lockDownSession installs, so the test can call it as Electron would. */
class RecordingSession {
  request?: (contents: { getURL(): string }, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
  check?: (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
  device?: (details: unknown) => boolean;
  readonly listeners = new Map<string, (...args: unknown[]) => void>();
  setPermissionRequestHandler(handler: typeof this.request) {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: typeof this.check) {
    this.check = handler;
  }
  setDevicePermissionHandler(handler: typeof this.device) {
    this.device = handler;
  }
  on(event: string, listener: (...args: unknown[]) => void) {
    this.listeners.set(event, listener);
    return this;
  }
}

function lockedSession(): RecordingSession {
  const session = new RecordingSession();
  lockDownSession(session as never);
  return session;
}

describe('session policy', () => {
  it('grants nothing today, to anyone', () => {
    expect([...GRANTED_PERMISSIONS]).toEqual([]);
    for (const permission of PERMISSIONS) {
      expect(isPermissionGranted(permission, APP_ORIGIN)).toBe(false);
      expect(isPermissionGranted(permission, 'https://evil.example')).toBe(false);
    }
  });

  it('would grant an allowlisted permission to the app origin only', () => {
    const granted = new Set(['clipboard-sanitized-write']);
    expect(isPermissionGranted('clipboard-sanitized-write', APP_ORIGIN, granted)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example', granted)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, granted)).toBe(false);
    expect(isPermissionGranted('media', APP_ORIGIN, granted)).toBe(false);
  });

  it('installs request, check and device handlers that refuse every permission', () => {
    const session = lockedSession();
    const answers: boolean[] = [];
    for (const permission of PERMISSIONS) {
      session.request!({ getURL: () => `${APP_ORIGIN}/index.html` }, permission, (granted) => answers.push(granted), { requestingUrl: `${APP_ORIGIN}/index.html` });
      expect(session.check!(null, permission, APP_ORIGIN, {}), permission).toBe(false);
      expect(session.check!(null, permission, 'not a url', {}), permission).toBe(false);
    }
    expect(answers).toHaveLength(PERMISSIONS.length);
    expect(answers.every((granted) => granted === false)).toBe(true);
    expect(session.device!({ deviceType: 'hid', origin: APP_ORIGIN, device: {} })).toBe(false);
  });

  it('cancels the HID, USB and serial pickers instead of letting Chromium choose', () => {
    const session = lockedSession();
    for (const event of ['select-hid-device', 'select-usb-device']) {
      let prevented = false;
      const chosen: unknown[] = [];
      session.listeners.get(event)!({ preventDefault: () => (prevented = true) }, { deviceList: [{ deviceId: 'd1' }] }, (...args: unknown[]) => chosen.push(args));
      expect(prevented).toBe(true);
      expect(chosen).toEqual([[]]);
    }
    let prevented = false;
    const chosen: unknown[] = [];
    session.listeners.get('select-serial-port')!({ preventDefault: () => (prevented = true) }, [{ portId: 'p1' }], {}, (id: unknown) => chosen.push(id));
    expect(prevented).toBe(true);
    expect(chosen).toEqual(['']);
  });
});
