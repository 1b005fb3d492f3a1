import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeBridge } from './fake-bridge';
import { renderApp } from './render-app';

describe('Banner region', () => {
  it('removes only the banner main withdraws with app:banner-cleared', async () => {
    await renderApp('sites');
    act(() => {
      fakeBridge().emit('app:banner', { id: 'health:site-1', level: 'error', message: 'Shop: Salesforce revoked its approval.' });
      fakeBridge().emit('app:banner', { id: 'health:site-2', level: 'warning', message: 'Blog: 4 of 5 approvals used.' });
    });
    expect(screen.getByText('Shop: Salesforce revoked its approval.')).toBeTruthy();

    act(() => fakeBridge().emit('app:banner-cleared', { id: 'health:site-1' }));
    expect(screen.queryByText('Shop: Salesforce revoked its approval.')).toBeNull();
    expect(screen.getByText('Blog: 4 of 5 approvals used.')).toBeTruthy();

    // An id nobody shows is ignored.
    act(() => fakeBridge().emit('app:banner-cleared', { id: 'health:unknown' }));
    expect(screen.getByText('Blog: 4 of 5 approvals used.')).toBeTruthy();
  });

  it('stops listening when the window unmounts', async () => {
    const view = await renderApp('sites');
    expect(fakeBridge().listenerCount('app:banner-cleared')).toBe(1);
    view.unmount();
    expect(fakeBridge().listenerCount('app:banner-cleared')).toBe(0);
  });
});
