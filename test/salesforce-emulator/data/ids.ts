/**
 * Salesforce record ids: 15 case-sensitive characters (3-char key prefix + 12) plus a 3-char
 * case-safe suffix that encodes which of the first 15 characters are upper case, so the
 * 18-char form survives case-insensitive systems (spreadsheets, WordPress meta keys).
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** The 3-char case-safe suffix of a 15-char id. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The canonical 18-char form of a 15- or 18-char id, or undefined when the text is not an id.
 * An 18-char id whose suffix does not match its first 15 characters is refused: that only
 * happens when something upper- or lower-cased the id, which is exactly the bug to surface.
 */
export function normalizeId(text: unknown): string | undefined {
  if (typeof text !== 'string' || !ID_SHAPE.test(text)) return undefined;
  const id15 = text.slice(0, 15);
  const suffix = idChecksum(id15);
  if (text.length === 18 && text.slice(15).toUpperCase() !== suffix) return undefined;
  return id15 + suffix;
}

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * Hands out ids `<prefix><pod:2>0000<counter:6>` + suffix. The pod characters come from the org
 * id so two emulated orgs never share record ids, which lets tests catch a site writing an id
 * from one org into another.
 */
export class IdGenerator {
  private counter = 0;
  private readonly pod: string;

  constructor(orgId: string) {
    let hash = 0;
    for (const ch of orgId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    this.pod = base62(hash % (62 * 62), 2);
  }

  next(prefix: string): string {
    this.counter += 1;
    const id15 = `${prefix}${this.pod}0000${base62(this.counter, 6)}`;
    return id15 + idChecksum(id15);
  }
}

/** Custom-object key prefixes a0X, a0Y, … (real orgs hand out a0…-range prefixes in creation order). */
export function customKeyPrefix(index: number): string {
  const n = BASE62.indexOf('X') + index;
  return `a${BASE62[Math.floor(n / 62) % 62]}${BASE62[n % 62]}`;
}

/** A fixed-width base62 helper for other generated ids (query locators, job ids). */
export function base62Id(prefix: string, value: number): string {
  const id15 = `${prefix}${base62(value, 15 - prefix.length)}`;
  return id15 + idChecksum(id15);
}
