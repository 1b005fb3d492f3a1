/**
 * The desktop app's own origin: `app://forcesites`, served from the built renderer folder.
 *
 * Why not `file://` (loadFile): every file page shares one origin with every other file on
 * the disk, gets privileges a web page never has, and cannot be given response headers. A
 * custom secure standard scheme is a real origin of its own, carries the CSP as a header, and
 * can serve only what is in out/renderer (Electron security checklist, item 18).
 *
 * Everything here is plain Node so the rules are tested without Electron
 * (test/unit/electron/app-protocol.test.ts); electron-main.ts registers it.
 */
import { readFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { RENDERER_CONTENT_TYPES } from '../platform/renderer-content-types';

export const APP_SCHEME = 'app';
export const APP_HOST = 'forcesites';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * A secure standard scheme: relative URLs, 'self' in the CSP and storage work as on https.
 * Deliberately not corsEnabled (other origins could then read app:// files), not bypassCSP,
 * no service workers. Same-origin module scripts need none of those.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, supportFetchAPI: true });

/** The page may run its own scripts and styles and reach no network at all: main does that. */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `npm run dev` only: Fast Refresh's inline script and Vite's HMR socket (see electron.vite.config.ts). */
export const DEV_SERVER_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src ws://localhost:* http://localhost:*; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


export type AppRequestResolution =
  | { readonly kind: 'file'; readonly path: string; readonly contentType: string }
  | { readonly kind: 'refused'; readonly status: 400 | 404 | 405; readonly reason: string };

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'extname' | 'sep'>;

/**
 * Maps an app:// request to a file inside `rootDir`, or says why not. `pathApi` lets the
 * tests check Windows paths (drive letters, backslashes) on Linux.
 */
export function resolveAppRequest(method: string, url: string, rootDir: string, pathApi: PathApi = nodePath): AppRequestResolution {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'refused', status: 405, reason: 'method not allowed' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'refused', status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { kind: 'refused', status: 404, reason: 'not this app' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'bad escape' };
  }
  // A NUL ends a path in C; a backslash is a separator on Windows. Neither is in a real asset URL.
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'refused', status: 400, reason: 'bad character' };
  const relativeRequest = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = pathApi.resolve(rootDir);
  const file = pathApi.resolve(root, relativeRequest);
  const inside = pathApi.relative(root, file);
  if (inside === '' || inside.startsWith('..') || pathApi.isAbsolute(inside)) return { kind: 'refused', status: 404, reason: 'outside the app folder' };
  const contentType = RENDERER_CONTENT_TYPES[pathApi.extname(file).toLowerCase()];
  if (contentType === undefined) return { kind: 'refused', status: 404, reason: 'not an app file type' };
  return { kind: 'file', path: file, contentType };
}

export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/** The protocol.handle handler, minus Electron: a Request-like in, a web Response out. */
export async function serveAppRequest(
  request: { readonly method: string; readonly url: string },
  rootDir: string,
  read: (path: string) => Promise<Uint8Array> = readFile,
): Promise<Response> {
  const resolved = resolveAppRequest(request.method, request.url, rootDir);
  if (resolved.kind === 'refused') {
    return new Response(resolved.status === 405 ? 'Method not allowed' : resolved.status === 400 ? 'Bad request' : 'Not found', {
      status: resolved.status,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
    });
  }
  let body: Uint8Array;
  try {
    body = await read(resolved.path);
  } catch {
    return new Response('Not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
  }
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: appResponseHeaders(resolved.contentType) });
}

/** Who may call the contract over IPC: the app page itself, in the main frame. */
export interface AppSenderFacts {
  readonly url: string | undefined;
  readonly isMainFrame: boolean;
}

export function isTrustedAppSender(sender: AppSenderFacts, policy: { readonly devOrigin?: string | undefined }): boolean {
  if (!sender.isMainFrame || sender.url === undefined) return false;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST && (url.pathname === '/' || url.pathname === '/index.html');
  if (policy.devOrigin !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) return url.origin === new URL(policy.devOrigin).origin;
  return false;
}
