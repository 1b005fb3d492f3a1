import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { createConsoleLogger, lastChars, redactText, redactValue, type Logger } from '../../../main/platform/logger';

// Shaped like the real thing, invented for the test.
const ACCESS_TOKEN = '00D5g000004Sbc1!AQ4AQFakeAccessTokenValue.9ruSL0vQ2vH5mZxYw3TqEz';
const REFRESH_TOKEN = '5Aep861FakeRefreshTokenValueQ2vH5mZxYw3TqEz9ruSL0v';
const AUTH_CODE = 'aPrxFakeAuthorizationCodeValue4mZxYw3TqEz9ruSL0vQ2vH5%3D%3D';
const SECRETS = [ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE, 'AQ4AQFakeAccessTokenValue', 'FakeRefreshTokenValue', 'FakeAuthorizationCodeValue'];

function capture(minimum: 'debug' | 'info' | 'warn' | 'error' = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createConsoleLogger(minimum, (line) => lines.push(line)), lines };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** The JSON fields of one console line (everything after the message). */
function fieldsOf(line: string, message: string): unknown {
  const at = line.indexOf(message) + message.length;
  return JSON.parse(line.slice(at).trim());
}

describe('console logger redaction', () => {
  it('prints time, level, message and fields, and drops entries below the minimum level', () => {
    const { logger, lines } = capture('warn');
    logger.info('chatty', { a: 1 });
    logger.warn('careful', { connectionId: 'c1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z WARN careful \{"connectionId":"c1"\}$/);
  });

  it('redacts secret-named fields at any depth and inside arrays', () => {
    const { logger, lines } = capture();
    logger.info('token refreshed', {
      connectionId: 'c1',
      refreshToken: REFRESH_TOKEN,
      nested: { deeper: { access_token: ACCESS_TOKEN, clientSecret: 'FakeRefreshTokenValue-2' } },
      list: [{ refresh_token: REFRESH_TOKEN }, { password: 'FakeAuthorizationCodeValue-3' }],
      headers: { Authorization: `Bearer ${ACCESS_TOKEN}`, Cookie: 'sid=FakeRefreshTokenValue' },
    });
    expectNoSecret(lines[0]!);
    expect(fieldsOf(lines[0]!, 'token refreshed')).toEqual({
      connectionId: 'c1',
      refreshToken: '[redacted]',
      nested: { deeper: { access_token: '[redacted]', clientSecret: '[redacted]' } },
      list: [{ refresh_token: '[redacted]' }, { password: '[redacted]' }],
      headers: { Authorization: '[redacted]', Cookie: '[redacted]' },
    });
  });

  it('redacts tokens and codes inside URLs and free text wherever they appear', () => {
    const { logger, lines } = capture();
    logger.info(`callback http://localhost:1717/OauthRedirect?code=${AUTH_CODE}&state=abc`, {
      request: `https://login.example.com/services/oauth2/token?grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}&client_id=3MVG9`,
      redirect: `https://x.example.com/cb#access_token=${ACCESS_TOKEN}&token_type=Bearer`,
      list: [`Authorization: Bearer ${ACCESS_TOKEN}`, `OAuth ${ACCESS_TOKEN}`],
      body: `{"access_token":"${ACCESS_TOKEN}","refresh_token":"${REFRESH_TOKEN}","instance_url":"https://na1.example.com"}`,
      session: `sid ${ACCESS_TOKEN} ok`,
      userinfo: 'https://editor:FakeRefreshTokenValue@shop.example.com/wp-json',
      basic: 'Basic ZWRpdG9yOkZha2VSZWZyZXNoVG9rZW5WYWx1ZQ==',
    });
    const line = lines[0]!;
    expectNoSecret(line);
    expect(line).not.toContain('ZWRpdG9yOkZha2VSZWZyZXNoVG9rZW5WYWx1ZQ');
    // What is not secret survives, so the line still helps.
    expect(line).toContain('state=abc');
    expect(line).toContain('grant_type=refresh_token');
    expect(line).toContain('client_id=3MVG9');
    expect(line).toContain('token_type=Bearer');
    expect(line).toContain('https://na1.example.com');
    expect(line).toContain('00D5g000004Sbc1');
    expect(line).toContain('shop.example.com/wp-json');
  });

  it('keeps error codes under the key "code" and hides only authorization-code-looking values', () => {
    const { logger, lines } = capture();
    logger.warn('sign-in failed', { flowId: 'f1', code: 'AUTH_STATE_MISMATCH' });
    logger.warn('socket', { code: 'ECONNREFUSED', status: 503 });
    logger.warn('oauth', { code: 'invalid_grant' });
    logger.warn('http', { code: 500 });
    logger.info('callback', { code: lastChars(AUTH_CODE) });
    logger.info('leak', { code: AUTH_CODE });
    logger.info('leak2', { code: 'aPrx4fGhT9kLmNoPqRsTuV' });
    expect(lines[0]).toContain('sign-in failed {"flowId":"f1","code":"AUTH_STATE_MISMATCH"}');
    expect(lines[1]).toContain('"code":"ECONNREFUSED"');
    expect(lines[2]).toContain('"code":"invalid_grant"');
    expect(lines[3]).toContain('"code":500');
    expect(lines[4]).toContain(`"code":"${lastChars(AUTH_CODE)}"`);
    expect(lines[5]).toContain('"code":"[redacted]"');
    expect(lines[6]).toContain('"code":"[redacted]"');
  });

  it('logs Errors with name, redacted message and code instead of {}', () => {
    const { logger, lines } = capture();
    const plain = new Error(`request to https://na1.example.com/services/data?access_token=${ACCESS_TOKEN} failed`);
    const withCode = Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET' });
    const app = new AppError('NETWORK_ERROR', 'Could not reach Salesforce.', { hint: 'Check the connection.', cause: new Error(`Bearer ${ACCESS_TOKEN} was refused`) });
    logger.error('call failed', { error: plain, errors: [withCode], app });
    const line = lines[0]!;
    expectNoSecret(line);
    const fields = fieldsOf(line, 'call failed') as Record<string, Record<string, unknown>>;
    expect(fields['error']).toEqual({ name: 'Error', message: 'request to https://na1.example.com/services/data?access_token=[redacted] failed' });
    expect(fields['errors']).toEqual([{ name: 'TypeError', message: 'fetch failed', code: 'ECONNRESET' }]);
    expect(fields['app']).toMatchObject({ name: 'AppError', code: 'NETWORK_ERROR', message: 'Could not reach Salesforce.', hint: 'Check the connection.' });
    expect(fields['app']!['cause']).toEqual({ name: 'Error', message: 'Bearer [redacted] was refused' });
  });

  it('survives cycles, deep nesting, huge strings, bigints, functions, buffers, dates and URLs', () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    logger.info('odd shapes', {
      cyclic,
      deep,
      huge: 'x'.repeat(20_000),
      big: 10n,
      fn: () => 1,
      buffer: Buffer.from('secret bytes'),
      when: new Date('2026-01-02T03:04:05Z'),
      url: new URL(`https://x.example.com/?refresh_token=${REFRESH_TOKEN}`),
      nothing: undefined,
      empty: null,
    });
    const line = lines[0]!;
    expectNoSecret(line);
    expect(line).not.toContain('secret bytes');
    expect(line.length).toBeLessThan(12_000);
    const fields = fieldsOf(line, 'odd shapes') as Record<string, unknown>;
    expect(fields['cyclic']).toEqual({ name: 'loop', self: '[circular]' });
    expect(JSON.stringify(fields['deep'])).toContain('[too deep]');
    expect(fields['big']).toBe('10');
    expect(fields['fn']).toBe('[function]');
    expect(fields['buffer']).toBe('[12 bytes]');
    expect(fields['when']).toBe('2026-01-02T03:04:05.000Z');
    expect(fields['url']).toBe('https://x.example.com/?refresh_token=[redacted]');
    expect(fields['empty']).toBeNull();
  });

  it('never throws, even for a getter that throws or an object that cannot be walked', () => {
    const { logger, lines } = capture();
    const hostile = {
      get boom(): string {
        throw new Error('nope');
      },
    };
    expect(() => logger.info('hostile', { hostile, proxy: new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } }) })).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('hostile');
  });

  it('redacts WooCommerce REST API keys as printed and inside OAuth 1.0a headers and query strings', () => {
    const key = `ck_${'a1'.repeat(20)}`;
    const secret = `cs_${'9f'.repeat(20)}`;
    const text = redactText(`key ${key} secret ${secret} GET /wp-json/wc/v3/orders?consumer_key=${key}&consumer_secret=${secret}&oauth_signature=abc%2Bdef%3D&page=2 Authorization: OAuth oauth_consumer_key="${key}", oauth_signature="c2lnbmF0dXJl"`);
    expect(text).not.toContain('a1a1a1');
    expect(text).not.toContain('9f9f9f');
    expect(text).not.toContain('abc%2Bdef');
    expect(text).not.toContain('c2lnbmF0dXJl');
    // What is not secret stays readable.
    expect(text).toContain('/wp-json/wc/v3/orders?');
    expect(text).toContain('page=2');
  });

  it('exposes the redactor for other sinks', () => {
    expect(redactText(`x?code=${AUTH_CODE}`)).toBe('x?code=[redacted]');
    expect(redactValue({ a: [{ token: 't' }] })).toEqual({ a: [{ token: '[redacted]' }] });
  });
});

describe('lastChars', () => {
  it('keeps at most four characters, and none of a short value', () => {
    expect(lastChars('abcdefghijkl')).toBe('…ijkl');
    expect(lastChars('abcdefghijkl', 10)).toBe('…ijkl');
    expect(lastChars('abcdefgh')).toBe('…');
  });
});
