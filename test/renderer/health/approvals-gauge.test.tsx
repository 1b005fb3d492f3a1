import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApprovalDto, UserAppApprovals } from '../../../common/health-models';
import { ApprovalsGauge } from '../../../renderer/src/features/health/approvals-gauge';
import { formatFullTime, formatTime, formatTimeWithSeconds, withinAMinuteOfAnother } from '../../../renderer/src/ui/format';

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

  it('shows seconds where two approvals are within a minute, and the full timestamp on hover', () => {
    const at = (day: number, minute: number, second: number) => new Date(Date.UTC(2026, 10, day, 9, minute, second)).toISOString();
    const base = group(3);
    const times = [at(1, 30, 15), at(1, 30, 45), at(3, 0, 0)] as const;
    const close: UserAppApprovals = { ...base, approvals: base.approvals.map((approval, i) => ({ ...approval, createdAt: times[i] ?? '', lastUsedAt: null })) };
    render(<ApprovalsGauge group={close} onRevoke={vi.fn()} />);
    const items = within(screen.getByRole('list', { name: 'Approvals, oldest first' })).getAllByRole('listitem');
    const authorized = items.map((item) => item.querySelector('time')!);
    // To the minute the first two read alike (in any locale and time zone)…
    expect(formatTime(times[0])).toBe(formatTime(times[1]));
    // …so they are shown to the second and can be told apart by eye.
    expect(authorized[0]!.textContent).toBe(formatTimeWithSeconds(times[0]));
    expect(authorized[1]!.textContent).toBe(formatTimeWithSeconds(times[1]));
    expect(authorized[0]!.textContent).not.toBe(authorized[1]!.textContent);
    // Far from the others: to the minute, as everywhere else.
    expect(authorized[2]!.textContent).toBe(formatTime(times[2]));
    // Hover shows the whole timestamp, to the second; the machine-readable value is the ISO time.
    expect(authorized[0]!.getAttribute('title')).toBe(formatFullTime(times[0]));
    expect(authorized[2]!.getAttribute('title')).toBe(formatFullTime(times[2]));
    expect(formatFullTime(times[0])).not.toBe(formatFullTime(times[1]));
    expect(authorized[0]!.getAttribute('datetime')).toBe(times[0]);
    // The Revoke buttons stay distinguishable too.
    expect(screen.getByRole('button', { name: `Revoke the approval authorized ${formatTimeWithSeconds(times[0])} (Shop 0)` })).toBeTruthy();
    expect(screen.getByRole('button', { name: `Revoke the approval authorized ${formatTimeWithSeconds(times[1])} (Shop 1)` })).toBeTruthy();
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

describe('withinAMinuteOfAnother', () => {
  it('marks both times of every pair less than a minute apart, in any order, and ignores missing ones', () => {
    const t = (second: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, second)).toISOString();
    expect([...withinAMinuteOfAnother([t(0), t(120), t(59), null, t(300)])].sort()).toEqual([0, 2]);
    expect(withinAMinuteOfAnother([t(0), t(60), null]).size).toBe(0);
    expect([...withinAMinuteOfAnother([t(200), t(100), t(150)])].sort()).toEqual([0, 1, 2]);
  });
});
