import { describe, expect, it } from 'vitest';
import { externalConfirmation } from '../../../main/electron/external-confirmation';

describe('confirmation before opening an unvouched host', () => {
  it('names the host and shows the whole address, with Cancel as the default and on Escape', () => {
    const dialog = externalConfirmation('https://shop.example.org/wp-admin/');
    expect(dialog.message).toBe('Open shop.example.org in your browser?');
    expect(dialog.detail).toContain('https://shop.example.org/wp-admin/');
    expect(dialog.buttons[dialog.openButton]).toBe('Open in browser');
    expect(dialog.buttons[dialog.defaultId]).toBe('Cancel');
    expect(dialog.cancelId).toBe(dialog.defaultId);
  });

  it('keeps a very long address readable', () => {
    const dialog = externalConfirmation(`https://acme.my.salesforce.com/services/oauth2/authorize?${'x'.repeat(2000)}`);
    expect(dialog.message).toBe('Open acme.my.salesforce.com in your browser?');
    expect(dialog.detail.length).toBeLessThan(600);
  });
});
