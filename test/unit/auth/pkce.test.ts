import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeFor, createPkcePair, createState, statesEqual } from '../../../main/auth/pkce';

describe('PKCE', () => {
  it('makes a 43-character base64url verifier from 32 random bytes by default', () => {
    const pair = createPkcePair();
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.method).toBe('S256');
  });

  it('makes a 128-character verifier from 96 bytes and refuses lengths outside the RFC range', () => {
    expect(createPkcePair(96).verifier).toHaveLength(128);
    expect(() => createPkcePair(31)).toThrow(RangeError);
    expect(() => createPkcePair(97)).toThrow(RangeError);
  });

  it('derives the S256 challenge as base64url(SHA-256(verifier)) without padding', () => {
    const pair = createPkcePair();
    const expected = createHash('sha256').update(pair.verifier).digest('base64url');
    expect(pair.challenge).toBe(expected);
    expect(pair.challenge).not.toContain('=');
    // RFC 7636 appendix B test vector
    expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('never repeats a verifier or a state', () => {
    const verifiers = new Set(Array.from({ length: 200 }, () => createPkcePair().verifier));
    const states = new Set(Array.from({ length: 200 }, () => createState()));
    expect(verifiers.size).toBe(200);
    expect(states.size).toBe(200);
  });
});

describe('statesEqual', () => {
  it('accepts the same state and rejects any other, including prefixes, different lengths and missing values', () => {
    const state = createState();
    expect(statesEqual(state, state)).toBe(true);
    expect(statesEqual(state, `${state}x`)).toBe(false);
    expect(statesEqual(state, state.slice(0, -1))).toBe(false);
    expect(statesEqual(state, '')).toBe(false);
    expect(statesEqual(state, null)).toBe(false);
    expect(statesEqual(state, undefined)).toBe(false);
    expect(statesEqual(state, createState())).toBe(false);
  });
});
