/**
 * Certificates for TLS tests, made with Debian's `openssl` in a temporary directory: a test
 * certificate authority and, signed by it, a certificate for localhost/127.0.0.1, one that
 * expires in two days and one for another name; plus a self-signed certificate. EC P-256
 * keys, so making them all takes a fraction of a second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  /** The test authority's certificate: trust it to make `trusted`, `expiring` and `wrongName` valid chains. */
  readonly ca: string;
  readonly trusted: KeyPair;
  readonly expiring: KeyPair;
  readonly wrongName: KeyPair;
  readonly selfSigned: KeyPair;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'forcesites-certs-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=ForceSites Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const leaf = (name: string, days: number, altNames: string): KeyPair => {
      openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${altNames.split(',')[0]!.replace(/^DNS:/, '')}`);
      writeFileSync(file(`${name}.ext`), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', String(days), '-extfile', `${name}.ext`);
      return { key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.pem`), 'utf8') };
    };
    const trusted = leaf('trusted', 90, 'DNS:localhost,IP:127.0.0.1');
    const expiring = leaf('expiring', 2, 'DNS:localhost,IP:127.0.0.1');
    const wrongName = leaf('wrong', 90, 'DNS:other.example');
    openssl('req', '-x509', ...EC, '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
    return {
      ca: readFileSync(file('ca.pem'), 'utf8'),
      trusted,
      expiring,
      wrongName,
      selfSigned: { key: readFileSync(file('self.key'), 'utf8'), cert: readFileSync(file('self.pem'), 'utf8') },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
