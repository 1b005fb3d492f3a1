import { describe, expect, it } from 'vitest';
import { demoWordpressChoice } from '../../wordpress/demo-wordpress-source';

describe('npm run demo WordPress flags', () => {
  it('defaults to the in-memory demo WordPress', () => {
    expect(demoWordpressChoice({})).toEqual({ kind: 'demo' });
    expect(demoWordpressChoice({ wordpress: 'demo' })).toEqual({ kind: 'demo' });
  });

  it('--wordpress real', () => {
    expect(demoWordpressChoice({ wordpress: 'real' })).toEqual({ kind: 'real' });
  });

  it('--wordpress-url with user and password', () => {
    expect(demoWordpressChoice({ 'wordpress-url': 'https://shop.example.org', 'wordpress-user': 'ada', 'wordpress-password': 'abcd efgh' })).toEqual({
      kind: 'external',
      url: 'https://shop.example.org',
      username: 'ada',
      password: 'abcd efgh',
    });
  });

  it.each([
    [{ wordpress: 'fake' }, '--wordpress must be "demo" or "real"'],
    [{ 'wordpress-url': 'https://shop.example.org' }, 'needs --wordpress-user and --wordpress-password'],
    [{ wordpress: 'real', 'wordpress-url': 'https://x.org', 'wordpress-user': 'a', 'wordpress-password': 'b' }, 'not both'],
  ])('refuses %j', (values, message) => {
    expect(() => demoWordpressChoice(values)).toThrow(message);
  });
});
