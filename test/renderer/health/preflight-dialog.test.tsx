import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { PreflightResult } from '../../../common/health-models';
import { PreflightDialog } from '../../../renderer/src/features/health/preflight-dialog';
import { formatFullTime } from '../../../renderer/src/ui/format';

const fmt = (value: string | null) => (value === null ? 'never' : value.slice(0, 10));

const willDisconnect: PreflightResult = {
  verdict: 'will-disconnect',
  appName: 'ForceSites',
  userLabel: 'ada@x.test',
  used: 5,
  cap: 5,
  evicts: { approvalId: '0CQ1', authorizedAt: '2026-11-01T09:30:00.000Z', attribution: { kind: 'site', connectionId: 'c1', siteIds: ['s1'], siteNames: ['Shop'] } },
  message: 'Authorizing now as ada@x.test will disconnect Shop (authorized 2026-11-01 09:30 UTC): ada@x.test already holds 5 of 5 ForceSites approvals and Salesforce revokes the oldest.',
  suggestion: 'Use a dedicated Salesforce integration user per group of at most 4 sites.',
};

const safe: PreflightResult = { verdict: 'safe', appName: 'ForceSites', userLabel: 'ada@x.test', used: 1, cap: 5, evicts: null, message: 'ada@x.test holds 1 of 5 ForceSites approvals; this sign-in disconnects nothing.', suggestion: null };

function renderDialog(result: PreflightResult, busy = false) {
  const handlers = { onContinue: vi.fn(), onChooseAnotherUser: vi.fn(), onCancel: vi.fn() };
  const opener = document.createElement('button');
  opener.textContent = 'Add a connection';
  document.body.appendChild(opener);
  opener.focus();
  const view = render(<PreflightDialog result={result} {...handlers} busy={busy} formatDate={fmt} />);
  return { ...handlers, opener, view };
}

describe('PreflightDialog', () => {
  it('is a labelled modal dialog with the warning sentence and the fix', () => {
    renderDialog(willDisconnect);
    const dialog = screen.getByRole('dialog', { name: 'This sign-in will disconnect a site' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain(willDisconnect.message);
    expect(dialog.textContent).toContain('Warning:');
    expect(dialog.textContent).toContain('Site that loses its connection');
    expect(dialog.textContent).toContain('Shop');
    expect(dialog.textContent).toContain('2026-11-01');
    // The full timestamp, to the second, on hover: to compare with the approvals list.
    const authorized = dialog.querySelector('dd time')!;
    expect(authorized.getAttribute('title')).toBe(formatFullTime(willDisconnect.evicts!.authorizedAt));
    expect(authorized.getAttribute('datetime')).toBe(willDisconnect.evicts!.authorizedAt);
    expect(dialog.textContent).toContain('dedicated Salesforce integration user');
    expect(screen.getByRole('dialog').getAttribute('aria-describedby')).toBeTruthy();
  });

  it('puts focus on "Choose another user" when a site would be lost', () => {
    renderDialog(willDisconnect);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Choose another user' }));
    expect(screen.getByRole('button', { name: 'Continue and disconnect' })).toBeTruthy();
  });

  it('puts focus on Continue when nothing is lost', () => {
    renderDialog(safe);
    expect(screen.getByRole('dialog', { name: 'Ready to sign in' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Continue' }));
  });

  it('calls the matching handler for each button', () => {
    const h = renderDialog(willDisconnect);
    fireEvent.click(screen.getByRole('button', { name: 'Continue and disconnect' }));
    fireEvent.click(screen.getByRole('button', { name: 'Choose another user' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(h.onContinue).toHaveBeenCalledTimes(1);
    expect(h.onChooseAnotherUser).toHaveBeenCalledTimes(1);
    expect(h.onCancel).toHaveBeenCalledTimes(1);
  });

  it('cancels on Escape, except while busy', () => {
    const h = renderDialog(willDisconnect);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(h.onCancel).toHaveBeenCalledTimes(1);
    h.view.unmount();
    const busy = renderDialog(willDisconnect, true);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(busy.onCancel).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps Tab inside the dialog', () => {
    renderDialog(willDisconnect);
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    cancel.focus();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Continue and disconnect' }));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cancel);
  });

  it('gives focus back to the opener when it closes', () => {
    const h = renderDialog(safe);
    h.view.unmount();
    expect(document.activeElement).toBe(h.opener);
    h.opener.remove();
  });
});
