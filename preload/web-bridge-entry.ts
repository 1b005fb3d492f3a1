// Browser edition bootstrap: reads the per-run token from the page URL and exposes
// window.forcesites over the loopback WebSocket. Bundled to out/web/web-bridge.js.
import { createWebSocketApi, type SocketLike } from './web-bridge';

interface BrowserGlobals {
  location: { search: string; host: string };
  WebSocket: new (url: string) => SocketLike;
  forcesites?: unknown;
}

const page = globalThis as unknown as BrowserGlobals;
const token = new URLSearchParams(page.location.search).get('token') ?? '';
const socketUrl = `ws://${page.location.host}/ws?token=${encodeURIComponent(token)}`;
Object.defineProperty(page, 'forcesites', {
  value: createWebSocketApi(() => new page.WebSocket(socketUrl)),
  writable: false,
  configurable: false,
});
