/**
 * An https front for a plain-http test site, as a host's TLS terminator would be: the test
 * WordPress then has an https address with whatever certificate a test needs (trusted by a
 * test authority, or self-signed). Requests go to the site with its own Host header, so
 * WordPress sees the address it was installed under.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './test-certificates';

export interface TlsProxy {
  readonly url: string;
  /** Requests that reached the site through the proxy. */
  readonly forwarded: number;
  close(): Promise<void>;
}

export async function startTlsProxy(target: string, certificate: KeyPair): Promise<TlsProxy> {
  const origin = new URL(target);
  let forwarded = 0;
  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    forwarded += 1;
    const upstream = http.request(
      { hostname: origin.hostname, port: origin.port, path: req.url, method: req.method, headers: { ...req.headers, host: origin.host }, timeout: 120_000 },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
