import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApprovalDto, UserAppApprovals } from '../../../common/health-models';
import { ApprovalsGauge } from '../../../renderer/src/features/health/approvals-gauge';

const iso = (day: number) => new Date(Date.UTC(2026, 10, day, 9, 30)).toISOString();
const fmt = (value: string | null) => (value === null ? 'never' : value.slice(0, 10));

function approvals(n: number): ApprovalDto[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `0CQ${i}`,
    source: 'usage-api' as const,
    appName: 'ForceSites',
    userId: '005A',
    createdAt: iso(i + 1),
    lastUsedAt: i === 1 ? null : iso(i + 10),
    useCount: i + 1,
    evictedNext: i === 0,
    attribution: i === 2 ? { kind: 'unknown-site' as const } : { kind: 'site' as const, connectionId: `conn-${i}`, siteIds: [`s${i}`], siteNames: [`Shop ${i}`] },
  }));
}

function group(used: number): UserAppApprovals {
  return { appName: 'ForceSites', userId: '005A', username: 'ada@x.test', used, cap: 5, warnAt: 4, level: used >= 5 ? 'at-cap' : used >= 4 ? 'warning' : 'ok', nextAuthorizationEvicts: used >= 5, evictedNextId: '0CQ0', approvals: approvals(used) };
}

describe('ApprovalsGauge', () => {
  it('shows used of cap in words and as a meter', () => {
    render(<ApprovalsGauge group={group(3)} formatDate={fmt} />);
    expect(screen.getByText('3 of 5')).toBeTruthy();
    expect(screen.getByText('OK')).toBeTruthy();
    const meter = screen.getByRole('meter', { name: 'Approvals used by ada@x.test' });
    expect(meter.getAttribute('aria-valuenow')).toBe('3');
    expect(meter.getAttribute('aria-valuemax')).toBe('5');
    expect(meter.getAttribute('aria-valuetext')).toBe('3 of 5 approvals used: OK');
  });

  it('says "Nearly full" with the approvals left from the warning threshold, not only in colour', () => {
    render(<ApprovalsGauge group={group(4)} formatDate={fmt} />);
    expect(screen.getByText('Nearly full')).toBeTruthy();
    expect(screen.getByText(/1 approval left before Salesforce starts revoking the oldest/)).toBeTruthy();
  });

  it('at the cap names the site the next sign-in disconnects and marks it in the list', () => {
    render(<ApprovalsGauge group={group(5)} formatDate={fmt} />);
    expect(screen.getByText('At the limit')).toBeTruthy();
    expect(screen.getByText('The next sign-in as ada@x.test for ForceSites revokes the oldest approval (Shop 0).')).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Approvals, oldest first' })).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(within(items[0]!).getByText('Revoked by the next sign-in')).toBeTruthy();
    expect(within(items[1]!).queryByText(/Revoked by/)).toBeNull();
  });

  it('lists each approval with its dates, use count and site, and unknown sites as such', () => {
    render(<ApprovalsGauge group={group(3)} formatDate={fmt} currentConnectionId="conn-1" />);
    const items = screen.getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Shop 0');
    expect(items[0]!.textContent).toContain('Authorized 2026-11-01 · last used 2026-11-10 · 1 use');
    expect(items[0]!.textContent).toContain('Oldest: revoked first');
    expect(items[1]!.textContent).toContain('Shop 1 (this site)');
    expect(items[1]!.textContent).toContain('last used never · 2 uses');
    expect(items[2]!.textContent).toContain('Unknown site');
  });

  it('offers Revoke per approval only when the caller can revoke', () => {
    const onRevoke = vi.fn();
    const { unmount } = render(<ApprovalsGauge group={group(2)} formatDate={fmt} />);
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
    unmount();
    render(<ApprovalsGauge group={group(2)} formatDate={fmt} onRevoke={onRevoke} />);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the approval authorized 2026-11-02 (Shop 1)' }));
    expect(onRevoke).toHaveBeenCalledWith(expect.objectContaining({ id: '0CQ1' }));
  });
});
