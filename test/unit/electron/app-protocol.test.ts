import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_CSP,
  APP_INDEX_URL,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  appResponseHeaders,
  isTrustedAppSender,
  resolveAppRequest,
  serveAppRequest,
} from '../../../main/electron/app-protocol';

const ROOT = '/opt/ForceSites/resources/app.asar/out/renderer';

describe('app:// path resolution', () => {
  it('serves the page and its assets from the renderer folder only', () => {
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/`, ROOT)).toEqual({ kind: 'file', path: `${ROOT}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('GET', APP_INDEX_URL, ROOT)).toMatchObject({ kind: 'file', path: `${ROOT}/index.html` });
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/assets/index-abc.js`, ROOT)).toEqual({
      kind: 'file',
      path: `${ROOT}/assets/index-abc.js`,
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/assets/index-abc.css?v=1#x`, ROOT)).toMatchObject({ kind: 'file', contentType: 'text/css; charset=utf-8' });
  });

  it('refuses every way out of the folder', () => {
    for (const path of ['/..%2f..%2fetc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2F..%2F..%2Fmain%2Findex.js', '/%2e%2e%5c%2e%2e%5csecret.js', '/..%00/index.html']) {
      const result = resolveAppRequest('GET', `${APP_ORIGIN}${path}`, ROOT);
      expect(result.kind, path).toBe('refused');
    }
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/%E0%A4%A`, ROOT)).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('refuses a Windows drive or UNC path, and backslashes, on Windows too', () => {
    const winRoot = 'C:\\Program Files\\ForceSites\\resources\\app.asar\\out\\renderer';
    for (const path of ['/C:/Windows/win.ini', '/%5C%5Cserver%5Cshare%5Cx.js', '/assets%5C..%5C..%5Cmain.js', '/..%5Cindex.html']) {
      expect(resolveAppRequest('GET', `${APP_ORIGIN}${path}`, winRoot, win32).kind, path).toBe('refused');
    }
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/assets/a.js`, winRoot, win32)).toMatchObject({ kind: 'file', path: `${winRoot}\\assets\\a.js` });
  });

  it('answers only GET and HEAD, only for its own host, only for known file types', () => {
    expect(resolveAppRequest('POST', APP_INDEX_URL, ROOT)).toMatchObject({ kind: 'refused', status: 405 });
    expect(resolveAppRequest('GET', 'app://evil/index.html', ROOT)).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveAppRequest('GET', 'https://forcesites/index.html', ROOT)).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/notes.txt`, ROOT)).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/assets/index.js.map`, ROOT)).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveAppRequest('GET', 'not a url', ROOT)).toMatchObject({ kind: 'refused', status: 400 });
    expect(resolveAppRequest('HEAD', APP_INDEX_URL, ROOT).kind).toBe('file');
  });

  it('keeps the posix and native resolvers in agreement', () => {
    expect(resolveAppRequest('GET', `${APP_ORIGIN}/assets/a.js`, ROOT, posix)).toEqual(resolveAppRequest('GET', `${APP_ORIGIN}/assets/a.js`, ROOT));
  });
});

describe('app:// responses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcesites-app-protocol-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ForceSites</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(dir, 'secret.js'), 'outside');

  it('serves files with the app CSP and hardening headers', async () => {
    const response = await serveAppRequest({ method: 'GET', url: APP_INDEX_URL }, root);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>ForceSites</title>');
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const script = await serveAppRequest({ method: 'GET', url: `${APP_ORIGIN}/assets/app.js` }, root);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for a missing file and for a way out of the folder, with the CSP too', async () => {
    const missing = await serveAppRequest({ method: 'GET', url: `${APP_ORIGIN}/assets/missing.js` }, root);
    expect(missing.status).toBe(404);
    const escape = await serveAppRequest({ method: 'GET', url: `${APP_ORIGIN}/..%2fsecret.js` }, root);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('outside');
    expect(escape.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('sends a body for GET only', async () => {
    const head = await serveAppRequest({ method: 'HEAD', url: APP_INDEX_URL }, root);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('app:// policy', () => {
  it('allows only its own scripts and no network at all', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("connect-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toContain('unsafe');
    expect(appResponseHeaders('text/html')['Content-Security-Policy']).toBe(APP_CSP);
  });

  it('registers the scheme as a secure standard scheme that other origins cannot read', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled', true);
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP', true);
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('allowServiceWorkers', true);
  });

  it('trusts IPC only from the app page in the main frame (or the dev server when not packaged)', () => {
    expect(isTrustedAppSender({ url: APP_INDEX_URL, isMainFrame: true }, {})).toBe(true);
    expect(isTrustedAppSender({ url: `${APP_ORIGIN}/`, isMainFrame: true }, {})).toBe(true);
    expect(isTrustedAppSender({ url: APP_INDEX_URL, isMainFrame: false }, {})).toBe(false);
    expect(isTrustedAppSender({ url: `${APP_ORIGIN}/assets/app.js`, isMainFrame: true }, {})).toBe(false);
    expect(isTrustedAppSender({ url: 'app://evil/index.html', isMainFrame: true }, {})).toBe(false);
    expect(isTrustedAppSender({ url: 'file:///opt/ForceSites/out/renderer/index.html', isMainFrame: true }, {})).toBe(false);
    expect(isTrustedAppSender({ url: 'https://evil.example/', isMainFrame: true }, {})).toBe(false);
    expect(isTrustedAppSender({ url: undefined, isMainFrame: true }, {})).toBe(false);
    expect(isTrustedAppSender({ url: 'http://localhost:5173/', isMainFrame: true }, { devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedAppSender({ url: 'http://localhost:5174/', isMainFrame: true }, { devOrigin: 'http://localhost:5173' })).toBe(false);
  });
});
