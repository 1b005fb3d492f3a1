// Browser edition bootstrap: reads the per-run token (and takes it out of the address bar),
// then exposes window.forcesites over the loopback WebSocket. Bundled to out/web/web-bridge.js.
import { takePageToken, type TokenPage } from './page-token';
import { createWebSocketApi, type SocketLike } from './web-bridge';

interface BrowserGlobals extends TokenPage {
  location: { href: string; host: string };
  WebSocket: new (url: string) => SocketLike;
  forcesites?: unknown;
}

const page = globalThis as unknown as BrowserGlobals;
const token = takePageToken(page);
const socketUrl = `ws://${page.location.host}/ws?token=${encodeURIComponent(token)}`;
Object.defineProperty(page, 'forcesites', {
  value: createWebSocketApi(() => new page.WebSocket(socketUrl)),
  writable: false,
  configurable: false,
});
