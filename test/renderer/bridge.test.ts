import { describe, expect, it } from 'vitest';
import { BridgeError, invoke, on } from '../../renderer/src/bridge';
import { fakeBridge } from './fake-bridge';

describe('bridge', () => {
  it('returns the value of an {ok:true} answer', async () => {
    fakeBridge().respond('sites:delete', { deleted: true });
    await expect(invoke('sites:delete', { siteId: 'site-1' })).resolves.toEqual({ deleted: true });
    expect(fakeBridge().requests('sites:delete')).toEqual([{ siteId: 'site-1' }]);
  });

  it('turns an {ok:false} answer into a BridgeError that keeps code, message and hint', async () => {
    fakeBridge().fail('sites:save', { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked.', hint: 'Unlock it and try again.' });
    const failure: unknown = await invoke('sites:save', {
      name: 'x',
      wordpressUrl: 'https://x.org',
      wordpressUsername: 'u',
      connectionId: null,
      objectType: 'Contact',
      tagMode: 'topics',
      tagField: null,
      fieldMapping: [],
    }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(BridgeError);
    const bridgeError = failure as BridgeError;
    expect(bridgeError.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(bridgeError.message).toBe('The keychain is locked.');
    expect(bridgeError.hint).toBe('Unlock it and try again.');
    expect(bridgeError.toDto()).toEqual({ code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked.', hint: 'Unlock it and try again.' });
  });

  it('reports a broken transport as NETWORK_ERROR with a hint, not as a crash', async () => {
    fakeBridge().breakTransport('sites:list');
    const failure = (await invoke('sites:list', {}).catch((caught: unknown) => caught)) as BridgeError;
    expect(failure).toBeInstanceOf(BridgeError);
    expect(failure.code).toBe('NETWORK_ERROR');
    expect(failure.hint).toMatch(/npm run demo/);
  });

  it('throws a BridgeError with a hint when the window has no bridge', async () => {
    window.forcesites = undefined;
    const failure = (await invoke('app:info', {}).catch((caught: unknown) => caught)) as BridgeError;
    expect(failure).toBeInstanceOf(BridgeError);
    expect(failure.code).toBe('INTERNAL');
    expect(failure.hint).toBeDefined();
    expect(on('app:banner', () => undefined)).toBeTypeOf('function');
  });

  it('subscribes and unsubscribes event listeners', () => {
    const seen: string[] = [];
    const off = on('app:banner', (banner) => seen.push(banner.message));
    fakeBridge().emit('app:banner', { id: 'b1', level: 'info', message: 'first' });
    off();
    fakeBridge().emit('app:banner', { id: 'b2', level: 'info', message: 'second' });
    expect(seen).toEqual(['first']);
    expect(fakeBridge().listenerCount('app:banner')).toBe(0);
  });
});
