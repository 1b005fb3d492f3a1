/**
 * Salesforce-looking identifiers and secrets.
 *
 * Ids are 18 characters (15 plus the case-safe checksum suffix) because the app compares and
 * stores 18-character ids; a wrong suffix would hide bugs in code that converts 15 to 18.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character checksum Salesforce appends to a 15-character id. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX[bits];
  }
  return out;
}

export function to18(id15: string): string {
  return id15.length === 18 ? id15 : id15 + idSuffix(id15);
}

/** An 18-char id: 3-char key prefix, 2-char pod, zero padding and a base62 counter. */
export function makeId(prefix: string, counter: number, pod = '5g'): string {
  let n = counter;
  let digits = '';
  do {
    digits = BASE62[n % 62] + digits;
    n = Math.floor(n / 62);
  } while (n > 0);
  const body = prefix + pod + digits.padStart(15 - prefix.length - pod.length, '0');
  return to18(body.slice(0, 15));
}

/** Unguessable token text (letters, digits, `.` and `_` like Salesforce session ids). */
export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').replace(/=+$/, '');
}

/** Salesforce REST date-time: `2026-11-29T12:00:00.000+0000`. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
