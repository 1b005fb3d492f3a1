// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { takePageToken, TOKEN_STORAGE_KEY } from '../../../preload/page-token';

const TOKEN = 'per-run-token-0123456789abcdef';

/** jsdom's window, typed by hand: the core project compiles without the DOM library. */
interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  clear(): void;
}
const window = globalThis as unknown as {
  location: { href: string; search: string; hash: string; pathname: string };
  history: { length: number; state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: Storage;
};
declare const DOMException: new (message: string, name: string) => Error;

beforeEach(() => {
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('page token (browser edition)', () => {
  it('reads the token, then removes it from the address bar and the history entry', () => {
    window.history.replaceState(null, '', `/?token=${TOKEN}#/health`);
    const lengthBefore = window.history.length;
    expect(takePageToken(window)).toBe(TOKEN);
    expect(window.location.href).not.toContain(TOKEN);
    expect(window.location.search).toBe('');
    // The route survives, and no extra history entry holds the old URL.
    expect(window.location.hash).toBe('#/health');
    expect(window.history.length).toBe(lengthBefore);
  });

  it('keeps other query parameters', () => {
    window.history.replaceState(null, '', `/index.html?lang=de&token=${TOKEN}&x=1`);
    takePageToken(window);
    expect(window.location.pathname + window.location.search).toBe('/index.html?lang=de&x=1');
  });

  it('finds the token again after a reload, when the address bar no longer has it', () => {
    window.history.replaceState(null, '', `/?token=${TOKEN}`);
    takePageToken(window);
    // A reload: same tab, same sessionStorage, the cleaned URL.
    expect(window.location.search).toBe('');
    expect(takePageToken(window)).toBe(TOKEN);
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe(TOKEN);
  });

  it('prefers a token in the URL over an older one from this tab (the demo was restarted)', () => {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, 'old-token');
    window.history.replaceState(null, '', `/?token=${TOKEN}`);
    expect(takePageToken(window)).toBe(TOKEN);
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe(TOKEN);
  });

  it('still works when storage is blocked, and answers "" when there is no token at all', () => {
    const blocked = {
      location: window.location,
      history: window.history,
      get sessionStorage(): Storage {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    window.history.replaceState(null, '', `/?token=${TOKEN}`);
    expect(takePageToken(blocked)).toBe(TOKEN);
    expect(window.location.search).toBe('');
    expect(takePageToken(blocked)).toBe('');
  });
});
