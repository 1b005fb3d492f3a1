import { describe, expect, it } from 'vitest';
import type { HealthChange } from '../../../common/health-models';
import { ActivityLog } from '../../../main/app/activity-log';
import { EventHub } from '../../../main/app/event-hub';
import { reportHealthChanges } from '../../../main/app/health-alerts';

function targets() {
  const hub = new EventHub();
  const events: Array<{ channel: string; payload: unknown }> = [];
  hub.subscribe((channel, payload) => events.push({ channel, payload }));
  const notifications: string[] = [];
  const activity = new ActivityLog(hub.emit);
  return { hub, events, notifications, activity, notify: (title: string, body: string) => notifications.push(`${title} | ${body}`) };
}

const change = (from: HealthChange['from'], to: HealthChange['to'], message = 'something happened'): HealthChange => ({ siteId: 's1', siteName: 'Members', from, to, message });

describe('reportHealthChanges', () => {
  it('raises a banner, an activity entry and a desktop notification when a site turns bad', () => {
    const t = targets();
    reportHealthChanges([change('ok', 'error', 'needs reauthorization: evicted by the approval cap')], { emit: t.hub.emit, activity: t.activity, notify: t.notify });
    expect(t.events).toContainEqual({ channel: 'app:banner', payload: { id: 'health:s1', level: 'error', message: 'Members: needs reauthorization: evicted by the approval cap' } });
    expect(t.activity.list()[0]).toMatchObject({ level: 'error', area: 'health' });
    expect(t.notifications).toEqual(['ForceSites: Members | needs reauthorization: evicted by the approval cap']);
  });

  it('names the site once when the message already starts with it', () => {
    const t = targets();
    reportHealthChanges([change('ok', 'warning', 'Members: 5 of 5 approvals used')], { emit: t.hub.emit, activity: t.activity });
    expect(t.events.find((e) => e.channel === 'app:banner')?.payload).toMatchObject({ message: 'Members: 5 of 5 approvals used' });
  });

  it('uses a warning banner for warnings', () => {
    const t = targets();
    reportHealthChanges([change(null, 'warning', '4 of 5 approvals used')], { emit: t.hub.emit, activity: t.activity });
    expect(t.events.find((e) => e.channel === 'app:banner')?.payload).toMatchObject({ level: 'warning' });
  });

  it('withdraws the banner when the site recovers, without a notification', () => {
    const t = targets();
    reportHealthChanges([change('error', 'ok', 'connected again')], { emit: t.hub.emit, activity: t.activity, notify: t.notify });
    expect(t.events).toContainEqual({ channel: 'app:banner-cleared', payload: { id: 'health:s1' } });
    expect(t.events.some((e) => e.channel === 'app:banner')).toBe(false);
    expect(t.notifications).toEqual([]);
  });

  it('stays quiet for a site whose state cannot be told yet', () => {
    const t = targets();
    reportHealthChanges([change(null, 'unknown')], { emit: t.hub.emit, activity: t.activity, notify: t.notify });
    expect(t.events).toEqual([]);
    expect(t.notifications).toEqual([]);
  });
});
