import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../main/app/external-url-policy';

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
});
