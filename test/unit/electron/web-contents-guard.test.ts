import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardAllWebContents, type WebContentsGuardOptions } from '../../../main/electron/web-contents-guard';

class FakeContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string };
  devToolsClosed = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  closeDevTools() {
    this.devToolsClosed++;
  }
  /** Emits like Electron: returns whether a listener called preventDefault. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

function guarded(options: Partial<WebContentsGuardOptions> = {}) {
  const app = new EventEmitter();
  const opened: string[] = [];
  guardAllWebContents(app as never, {
    isAllowedExternalUrl: (url) => url.startsWith('https://login.salesforce.com/'),
    openExternal: (url) => opened.push(url),
    allowDevTools: false,
    ...options,
  });
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return { contents, opened };
}

describe('global web-contents guard', () => {
  it('is installed for every web contents Electron creates', () => {
    const app = new EventEmitter();
    guardAllWebContents(app as never, { isAllowedExternalUrl: () => false, openExternal: () => undefined, allowDevTools: false });
    const first = new FakeContents();
    const second = new FakeContents();
    app.emit('web-contents-created', {}, first);
    app.emit('web-contents-created', {}, second);
    expect(first.openHandler).toBeDefined();
    expect(second.attempt('will-navigate', 'https://evil.example/')).toBe(true);
  });

  it('refuses navigation, frame navigation, redirects and webviews', () => {
    const { contents } = guarded();
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-frame-navigate')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(true);
  });

  it('never opens a window; an allowlisted https link goes to the system browser instead', () => {
    const { contents, opened } = guarded();
    for (const url of ['https://login.salesforce.com/help', 'https://evil.example/', 'javascript:alert(1)', 'file:///etc/passwd', 'http://login.salesforce.com/x']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://login.salesforce.com/help']);
  });

  it('closes DevTools in packaged builds and leaves them in development', () => {
    const packaged = guarded({ allowDevTools: false }).contents;
    packaged.emit('devtools-opened');
    expect(packaged.devToolsClosed).toBe(1);
    const development = guarded({ allowDevTools: true }).contents;
    development.emit('devtools-opened');
    expect(development.devToolsClosed).toBe(0);
  });
});
