/**
 * PKCE (RFC 7636) and `state` helpers for the OAuth web server flow.
 *
 * A desktop app cannot keep a client secret, so the code verifier is what proves that the
 * process redeeming the authorization code is the one that started the flow.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PkcePair {
  /** 43–128 characters of base64url; stays in main memory for one flow. */
  readonly verifier: string;
  /** base64url(SHA-256(verifier)), sent on the authorize URL. */
  readonly challenge: string;
  readonly method: 'S256';
}

const MIN_VERIFIER_BYTES = 32; // 43 base64url characters, the RFC minimum
const MAX_VERIFIER_BYTES = 96; // 128 base64url characters, the RFC maximum

export function createPkcePair(byteLength = MIN_VERIFIER_BYTES): PkcePair {
  if (!Number.isInteger(byteLength) || byteLength < MIN_VERIFIER_BYTES || byteLength > MAX_VERIFIER_BYTES) {
    throw new RangeError(`PKCE verifier needs ${MIN_VERIFIER_BYTES}–${MAX_VERIFIER_BYTES} random bytes, got ${byteLength}`);
  }
  const verifier = randomBytes(byteLength).toString('base64url');
  return { verifier, challenge: challengeFor(verifier), method: 'S256' };
}

export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` value binding the callback to the flow that started it. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a received `state` with the expected one without leaking, through timing, how
 * many leading characters matched. Both are hashed first so the buffers always have equal
 * length (timingSafeEqual throws otherwise, and an early length check would leak the length).
 */
export function statesEqual(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(received, 'utf8').digest();
  return timingSafeEqual(a, b);
}
