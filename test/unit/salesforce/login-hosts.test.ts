import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { isSandboxLoginUrl, PRODUCTION_LOGIN_URL, resolveLoginUrl, SANDBOX_LOGIN_URL } from '../../../main/salesforce/login-hosts';

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected INVALID_LOGIN_HOST');
}

describe('resolveLoginUrl', () => {
  it('uses the fixed hosts for production and sandbox whatever was typed', () => {
    expect(resolveLoginUrl('production', undefined)).toBe(PRODUCTION_LOGIN_URL);
    expect(resolveLoginUrl('sandbox', 'https://evil.example')).toBe(SANDBOX_LOGIN_URL);
  });

  it.each([
    ['acme', 'https://acme.my.salesforce.com'],
    ['ACME', 'https://acme.my.salesforce.com'],
    ['  acme  ', 'https://acme.my.salesforce.com'],
    ['acme--uat', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['acme-dev-ed.develop.my.salesforce.com', 'https://acme-dev-ed.develop.my.salesforce.com'],
    ['https://acme.my.salesforce.com:443', 'https://acme.my.salesforce.com'],
  ])('reads My Domain input %j as %s', (input, expected) => {
    expect(resolveLoginUrl('mydomain', input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['https://acme.my.salesforce.com.evil.com', 'look-alike suffix'],
    ['https://evil.com@acme.my.salesforce.com', 'user info'],
    ['https://acme.my.salesforce.com@evil.com', 'user info hiding the real host'],
    ['https://evil.com\\@acme.my.salesforce.com', 'backslash trick'],
    ['https://evil.com\\acme.my.salesforce.com', 'backslash as slash'],
    ['http://acme.my.salesforce.com', 'plain http'],
    ['javascript:alert(1)', 'script URL'],
    ['file:///etc/passwd', 'file URL'],
    ['https://acme.my.salesforce.com:8443', 'a port'],
    ['https://ac me.my.salesforce.com', 'whitespace'],
    ['https://аcme.my.salesforce.com', 'Cyrillic look-alike letter'],
    ['https://acme%2eevil.com', 'percent-encoding'],
    ['https://-acme.my.salesforce.com', 'label starting with a hyphen'],
    ['https://acme.sandbox.my.salesforce.com', 'sandbox host without a sandbox name'],
    ['https://a.b.c.my.salesforce.com', 'too many labels'],
    ['https://acme.bogus.my.salesforce.com', 'unknown My Domain kind'],
    ['https://[::1]', 'IPv6 literal'],
    ['https://login.salesforce.com', 'not a My Domain'],
    [`https://${'a'.repeat(300)}.my.salesforce.com`, 'too long'],
  ])('rejects My Domain input %j (%s) with a hint saying what to type', (input) => {
    const error = failure(() => resolveLoginUrl('mydomain', input));
    expect(error.code).toBe('INVALID_LOGIN_HOST');
    expect(error.hint).toMatch(/Type|type/);
  });

  it('tells an admin who pasted the Lightning address exactly what to type instead', () => {
    const error = failure(() => resolveLoginUrl('mydomain', 'https://acme.lightning.force.com/lightning/page/home'));
    expect(error.hint).toBe('Type https://acme.my.salesforce.com instead.');
    const sandbox = failure(() => resolveLoginUrl('mydomain', 'acme--uat.sandbox.lightning.force.com'));
    expect(sandbox.hint).toBe('Type https://acme--uat.sandbox.my.salesforce.com instead.');
  });

  it.each([
    ['login.example.com', 'https://login.example.com'],
    ['https://login.example.com/', 'https://login.example.com'],
    ['https://login.example.com:8443', 'https://login.example.com:8443'],
    ['https://LOGIN.Example.COM', 'https://login.example.com'],
  ])('reads custom input %j as %s', (input, expected) => {
    expect(resolveLoginUrl('custom', input)).toBe(expected);
  });

  it.each([
    ['http://login.example.com', 'http'],
    ['https://login.example.com/path', 'a path'],
    ['https://login.example.com/?x=1', 'a query'],
    ['https://login.example.com#frag', 'a fragment'],
    ['https://user:pw@login.example.com', 'credentials'],
    ['https://10.0.0.5', 'an IP address'],
    ['https://intranet', 'a single-label name'],
    ['ftp://login.example.com', 'another scheme'],
    ['http://localhost:8443', 'loopback without demo mode'],
    ['http://127.0.0.1:8443', 'loopback IP without demo mode'],
  ])('rejects custom input %j (%s)', (input) => {
    expect(failure(() => resolveLoginUrl('custom', input)).code).toBe('INVALID_LOGIN_HOST');
  });

  it('accepts the emulator loopback host only when allowLoopbackHttp is set', () => {
    expect(resolveLoginUrl('custom', 'http://localhost:45123', { allowLoopbackHttp: true })).toBe('http://localhost:45123');
    expect(resolveLoginUrl('custom', 'http://127.0.0.1:45123/', { allowLoopbackHttp: true })).toBe('http://127.0.0.1:45123');
    expect(failure(() => resolveLoginUrl('custom', 'http://localhost:45123')).hint).toMatch(/demo and test mode/);
    // Even in demo mode, only loopback may use http.
    expect(failure(() => resolveLoginUrl('custom', 'http://login.example.com', { allowLoopbackHttp: true })).code).toBe('INVALID_LOGIN_HOST');
    expect(failure(() => resolveLoginUrl('custom', 'http://localhost.evil.com:1', { allowLoopbackHttp: true })).code).toBe('INVALID_LOGIN_HOST');
  });

  it('recognises sandbox login URLs', () => {
    expect(isSandboxLoginUrl(SANDBOX_LOGIN_URL)).toBe(true);
    expect(isSandboxLoginUrl('https://acme--uat.sandbox.my.salesforce.com')).toBe(true);
    expect(isSandboxLoginUrl(PRODUCTION_LOGIN_URL)).toBe(false);
    expect(isSandboxLoginUrl('https://acme.my.salesforce.com')).toBe(false);
  });
});
