import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../main/app/sender-policy';

const packaged = { appFileUrl: 'file:///opt/ForceSites/resources/app.asar/out/renderer/index.html' };

describe('isTrustedSender (IPC sender validation)', () => {
  it('trusts the packaged renderer top frame', () => {
    expect(isTrustedSender({ url: 'file:///opt/ForceSites/resources/app.asar/out/renderer/index.html#/sites', isMainFrame: true }, packaged)).toBe(true);
  });

  it('rejects subframes, other files, remote pages and missing URLs', () => {
    expect(isTrustedSender({ url: 'file:///opt/ForceSites/resources/app.asar/out/renderer/index.html', isMainFrame: false }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ url: undefined, isMainFrame: true }, packaged)).toBe(false);
  });

  it('trusts the dev server origin only when one is configured', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/#/health', isMainFrame: true }, { devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, { devOrigin: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, packaged)).toBe(false);
  });
});
