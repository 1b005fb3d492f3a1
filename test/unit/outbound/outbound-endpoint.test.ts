import { describe, expect, it } from 'vitest';
import { defaultEndpointTemplate, endpointUrl, maskedEndpoint, maskSecrets, splitCustomEndpoint } from '../../../main/outbound/outbound-endpoint';

const KEY = 'k3y/With+Odd&Chars9XYZ';

describe('endpoint templates', () => {
  it('builds the connector’s default URL for each action, under a site in a subfolder too', () => {
    expect(defaultEndpointTemplate('https://example.org/', 'update')).toBe('https://example.org/?wpf_action=update&access_key={access_key}');
    expect(defaultEndpointTemplate('https://example.org/members', 'update_tags')).toBe('https://example.org/members/?wpf_action=update_tags&access_key={access_key}');
    expect(defaultEndpointTemplate('https://example.org', 'add')).toBe('https://example.org/?wpf_action=add&access_key={access_key}');
  });

  it('puts the key in URL-encoded, and says what to do when none is saved', () => {
    const url = endpointUrl('https://example.org/?wpf_action=update&access_key={access_key}', KEY);
    expect(url.searchParams.get('access_key')).toBe(KEY);
    expect(() => endpointUrl('https://example.org/?access_key={access_key}', null)).toThrow(/No access key is saved/);
    expect(endpointUrl('https://example.org/hook', null).toString()).toBe('https://example.org/hook');
  });

  it('moves a key pasted in a custom URL out of it', () => {
    expect(splitCustomEndpoint(`https://example.org/?wpf_action=add&access_key=${encodeURIComponent(KEY)}`)).toEqual({
      template: 'https://example.org/?wpf_action=add&access_key={access_key}',
      extractedKey: KEY,
    });
    expect(splitCustomEndpoint('https://example.org/hook?token={access_key}')).toEqual({ template: 'https://example.org/hook?token={access_key}', extractedKey: null });
    expect(splitCustomEndpoint('https://example.org/hook')).toEqual({ template: 'https://example.org/hook', extractedKey: null });
  });

  it.each([
    ['not a url', /not a web address/],
    ['ftp://example.org/', /https/],
    ['https://user:pw@example.org/', /user name or password/],
    ['https://example.org/#frag', /fragment/],
    ['https://example.org/?key=a&token=b', /two different keys/],
  ])('refuses %s', (input, message) => {
    expect(() => splitCustomEndpoint(input)).toThrow(message);
  });
});

describe('masking', () => {
  it('shows the key as its last four characters, or a placeholder when there is none', () => {
    expect(maskedEndpoint('https://e.org/?access_key={access_key}', KEY)).toBe('https://e.org/?access_key=…9XYZ');
    expect(maskedEndpoint('https://e.org/?access_key={access_key}', null)).toBe('https://e.org/?access_key=YOUR_ACCESS_KEY');
  });

  it('masks the key raw, URL-encoded and XML-escaped, any other access_key value and any SessionId', () => {
    const text = [
      `POST /?wpf_action=update&access_key=${encodeURIComponent(KEY)} HTTP/1.1`,
      `echo: ${KEY}`,
      `<p>${KEY.replace('&', '&amp;')}</p>`,
      'https://e.org/?access_key=someOtherKey&x=1',
      '<SessionId>00D!secret.session</SessionId>',
    ].join('\n');
    const masked = maskSecrets(text, [KEY, null]);
    expect(masked).not.toContain('k3y');
    expect(masked).not.toContain('someOtherKey');
    expect(masked).not.toContain('secret.session');
    expect(masked).toContain('access_key=…9XYZ HTTP/1.1');
    expect(masked).toContain('access_key=[masked]&x=1');
    expect(masked).toContain('<SessionId>[masked]</SessionId>');
  });
});
