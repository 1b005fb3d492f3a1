import { describe, expect, it } from 'vitest';
import { externalUrlVerdict, isAllowedExternalUrl } from '../../../main/app/external-url-policy';
import { isWordpressSiteUrl, requestSchemas } from '../../../common/contract';

const policy = { siteHosts: () => ['shop.example.org'], allowLoopbackHttp: false };

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://login.salesforce.com/services/oauth2/authorize?x=1',
    'https://acme.my.salesforce.com/',
    'https://acme--uat.sandbox.my.salesforce.com/',
    'https://help.salesforce.com/s/articleView?id=1',
    'https://shop.example.org/wp-admin/',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url, policy)).toBe(true);
  });

  it.each([
    'http://login.salesforce.com/',
    'https://salesforce.com.evil.example/',
    'https://evilsalesforce.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://user:pw@login.salesforce.com/',
    'https://other.example.org/',
    'http://127.0.0.1:8080/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url, policy)).toBe(false);
  });

  it('allows the loopback emulator only in demo mode', () => {
    expect(isAllowedExternalUrl('http://localhost:4000/services/oauth2/authorize', { ...policy, allowLoopbackHttp: true })).toBe(true);
    expect(isAllowedExternalUrl('http://192.168.1.5:4000/', { ...policy, allowLoopbackHttp: true })).toBe(false);
  });

  it('does not trust customer-hosted Salesforce domains as suffixes, only the connection’s own', () => {
    const withConnection = { ...policy, connectionUrls: () => ['https://acme.my.salesforce.com', 'https://login.salesforce.com'] };
    expect(externalUrlVerdict('https://anyone.my.site.com/', withConnection)).toBe('refuse');
    expect(externalUrlVerdict('https://anything.force.com/', withConnection)).toBe('refuse');
    expect(externalUrlVerdict('https://acme.lightning.force.com/lightning/setup', withConnection)).toBe('open');
    expect(externalUrlVerdict('https://acme.lightning.force.com/', policy)).toBe('refuse');
  });

  it('asks before opening a host that only a saved site URL vouches for', () => {
    expect(externalUrlVerdict('https://shop.example.org/wp-admin/', policy)).toBe('confirm');
    expect(externalUrlVerdict('https://login.salesforce.com/', policy)).toBe('open');
  });
});

describe('WordPress site addresses', () => {
  it.each(['https://shop.example.org', 'https://shop.example.org/blog/', 'http://localhost:8080', 'http://127.0.0.1:9000/wp'])('accepts %s', (url) => {
    expect(isWordpressSiteUrl(url)).toBe(true);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'http://shop.example.org', 'data:text/html,hi', 'https://user:pw@shop.example.org', 'ftp://shop.example.org', 'shop.example.org'])('refuses %s', (url) => {
    expect(isWordpressSiteUrl(url)).toBe(false);
  });

  it('is enforced on sites:save with a message that says what to type', () => {
    const parsed = requestSchemas['sites:save'].safeParse({
      name: 'X',
      wordpressUrl: 'javascript:alert(1)',
      wordpressUsername: 'admin',
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('https://');
  });
});
