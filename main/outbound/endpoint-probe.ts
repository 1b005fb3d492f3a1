/**
 * The network half of the outbound-message test: resolve the endpoint's host, look at its TLS
 * certificate as Salesforce would, and POST the SOAP message, each with its own deadline.
 *
 * Plain node:dns, node:tls and node:http(s) rather than fetch: the tester must tell the
 * admin which step failed (a name that does not resolve, a self-signed certificate, a
 * certificate for another name, an answer after Salesforce has given up) and show the raw
 * exchange, and fetch hides all of that behind one "fetch failed". The POST goes to the
 * address the DNS step found, so the steps describe one and the same server.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface ProbeNetwork {
  /** Name resolution (default: the system resolver, as Salesforce's own would be). */
  readonly lookup?: Lookup;
  /** Extra certificate authorities to trust besides the system's: tests only. */
  readonly extraCa?: readonly string[];
}

export const systemLookup: Lookup = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class ProbeTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${Math.round(ms / 100) / 10} s`);
    this.name = 'ProbeTimeout';
  }
}

export type DnsOutcome =
  | { readonly ok: true; readonly addresses: readonly ResolvedAddress[]; readonly privateOnly: boolean; readonly literal: boolean; readonly ms: number }
  | { readonly ok: false; readonly code: string; readonly message: string };

export async function resolveHost(hostname: string, deadlineMs: number, network: ProbeNetwork = {}): Promise<DnsOutcome> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family !== 0) {
    const address: ResolvedAddress = { address: bare, family: family === 6 ? 6 : 4 };
    return { ok: true, addresses: [address], privateOnly: isPrivateAddress(bare), literal: true, ms: 0 };
  }
  const started = performance.now();
  try {
    const addresses = await withDeadline((network.lookup ?? systemLookup)(hostname), deadlineMs, () => new ProbeTimeout(`Looking up ${hostname}`, deadlineMs));
    if (addresses.length === 0) return { ok: false, code: 'ENOTFOUND', message: `${hostname} has no address.` };
    return { ok: true, addresses, privateOnly: addresses.every((entry) => isPrivateAddress(entry.address)), literal: false, ms: performance.now() - started };
  } catch (error) {
    const code = error instanceof ProbeTimeout ? 'TIMEOUT' : ((error as NodeJS.ErrnoException).code ?? 'ERROR');
    return { ok: false, code, message: error instanceof ProbeTimeout ? error.message : dnsMessage(hostname, code) };
  }
}

function dnsMessage(hostname: string, code: string): string {
  if (code === 'ENOTFOUND' || code === 'ENODATA') return `${hostname} does not resolve: no DNS record says where it is.`;
  if (code === 'EAI_AGAIN' || code === 'ETIMEOUT') return `The DNS lookup of ${hostname} failed for now (${code}): this computer may be offline.`;
  return `The DNS lookup of ${hostname} failed (${code}).`;
}

/** Loopback, private (RFC 1918, unique local), link-local and unspecified addresses: Salesforce's servers cannot reach them. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = address.toLowerCase();
  return lower === '::1' || lower === '::' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

export type TlsOutcome =
  | {
      readonly ok: true;
      readonly protocol: string;
      readonly subject: string;
      readonly issuer: string;
      readonly validTo: string;
      readonly daysLeft: number;
      readonly ms: number;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly subject?: string; readonly issuer?: string };

function trustedCa(network: ProbeNetwork): string[] | undefined {
  // `ca` replaces Node's bundled roots, so the system's stay and the test's are added.
  return network.extraCa === undefined || network.extraCa.length === 0 ? undefined : [...tls.rootCertificates, ...network.extraCa];
}

function describeName(value: PeerCertificate['subject'] | undefined): string {
  if (value === undefined || value === null) return '(none)';
  const name = value.CN ?? value.O;
  return Array.isArray(name) ? name.join(', ') : (name ?? '(no common name)');
}

/**
 * A TLS handshake that looks at the certificate without trusting it yet, so a bad one can be
 * described (whose, by whom, until when) before anything — the access key included — is sent.
 */
export function checkTls(hostname: string, port: number, address: ResolvedAddress, deadlineMs: number, network: ProbeNetwork = {}, now: () => Date = () => new Date()): Promise<TlsOutcome> {
  const started = performance.now();
  return new Promise<TlsOutcome>((resolve) => {
    const ca = trustedCa(network);
    const servername = isIP(hostname.replace(/^\[|\]$/g, '')) === 0 ? hostname : undefined;
    const socket = tls.connect({
      host: address.address,
      port,
      ...(servername === undefined ? {} : { servername }),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(ca === undefined ? {} : { ca }),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, code: 'TIMEOUT', message: `The TLS handshake with ${hostname} took longer than ${Math.round(deadlineMs / 1000)} s.` });
    }, deadlineMs);
    const done = (outcome: TlsOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      done({ ok: false, code, message: connectMessage(hostname, port, code, 'https') });
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const subject = describeName(cert.subject);
      const issuer = describeName(cert.issuer);
      const protocol = socket.getProtocol() ?? 'unknown';
      if (!socket.authorized) {
        const code = String(socket.authorizationError ?? 'UNTRUSTED');
        done({ ok: false, code, message: certificateMessage(code, hostname, subject, issuer, cert.valid_to), subject, issuer });
        return;
      }
      const identity = tls.checkServerIdentity(hostname.replace(/^\[|\]$/g, ''), cert);
      if (identity !== undefined) {
        done({ ok: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: `The certificate is for ${subject}, not for ${hostname}.`, subject, issuer });
        return;
      }
      if (protocol === 'TLSv1' || protocol === 'TLSv1.1') {
        done({ ok: false, code: 'OLD_TLS', message: `The server speaks ${protocol}; Salesforce connects with TLS 1.2 or later only.`, subject, issuer });
        return;
      }
      const validTo = new Date(cert.valid_to);
      const daysLeft = Math.floor((validTo.getTime() - now().getTime()) / 86_400_000);
      done({ ok: true, protocol, subject, issuer, validTo: validTo.toISOString(), daysLeft, ms: performance.now() - started });
    });
  });
}

function certificateMessage(code: string, hostname: string, subject: string, issuer: string, validTo: string | undefined): string {
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The certificate is for ${subject}, not for ${hostname}.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `The certificate of ${subject} is self-signed (issued by ${issuer}): Salesforce refuses it.`;
    case 'CERT_HAS_EXPIRED':
      return `The certificate of ${subject} expired${validTo ? ` on ${validTo}` : ''}: Salesforce refuses it.`;
    case 'CERT_NOT_YET_VALID':
      return `The certificate of ${subject} is not valid yet: Salesforce refuses it.`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `The certificate of ${subject} (issued by ${issuer}) does not chain to a trusted authority: the server may not send its intermediate certificate. Salesforce refuses it.`;
    default:
      return `The certificate of ${subject} (issued by ${issuer}) is not trusted (${code}): Salesforce refuses it.`;
  }
}

function connectMessage(hostname: string, port: number, code: string, scheme: string): string {
  if (code === 'ECONNREFUSED') return `Nothing accepts ${scheme} connections on ${hostname}:${port} (connection refused).`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `${hostname}:${port} closed the connection (${code}).`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${hostname} cannot be reached from this computer (${code}).`;
  if (code === 'ETIMEDOUT') return `${hostname}:${port} did not answer the connection (${code}).`;
  if (code.startsWith('ERR_SSL') || code.includes('SSL')) return `The TLS handshake with ${hostname}:${port} failed (${code}): is this port serving https?`;
  return `Connecting to ${hostname}:${port} failed (${code}).`;
}

export interface PostRequest {
  readonly url: URL;
  readonly address: ResolvedAddress;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** How long to wait for the whole answer. */
  readonly deadlineMs: number;
}

export type PostOutcome =
  | {
      readonly ok: true;
      readonly status: number;
      readonly statusText: string;
      readonly headers: IncomingHttpHeaders;
      readonly rawHeaders: readonly string[];
      readonly httpVersion: string;
      readonly body: string;
      /** True when the body was longer than what was kept. */
      readonly truncated: boolean;
      readonly ms: number;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly ms: number };

/** The most of an answer body read; SOAP acknowledgements are a few hundred bytes. */
const MAX_BODY = 1024 * 1024;

export function postSoap(request: PostRequest, network: ProbeNetwork = {}): Promise<PostOutcome> {
  const { url, address } = request;
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const ca = trustedCa(network);
  const started = performance.now();
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const options: https.RequestOptions = {
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      agent: false,
      // The address the DNS step found: the steps describe one server.
      lookup: ((_host: string, opts: { all?: boolean }, callback: (error: Error | null, address: unknown, family?: number) => void) => {
        if (opts.all) callback(null, [{ address: address.address, family: address.family }]);
        else callback(null, address.address, address.family);
      }) as unknown as https.RequestOptions['lookup'],
      ...(secure ? { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY) {
          truncated = true;
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          httpVersion: res.httpVersion,
          body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'),
          truncated,
          ms: performance.now() - started,
        }),
      );
      res.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'ERROR', message: `The answer broke off (${error.code ?? error.message}).`, ms: performance.now() - started }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, code: 'TIMEOUT', message: `No complete answer within ${Math.round(request.deadlineMs / 1000)} s.`, ms: performance.now() - started });
    }, request.deadlineMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      finish({ ok: false, code, message: connectMessage(url.hostname, port, code, secure ? 'https' : 'http'), ms: performance.now() - started });
    });
    req.end(request.body);
  });
}
