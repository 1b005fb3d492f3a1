import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../common/health-models';
import type { ConnectionDto } from '../../../common/models';
import { ActivityLog } from '../../../main/app/activity-log';
import { EventHub } from '../../../main/app/event-hub';
import { routeDomainEvents } from '../../../main/app/event-routing';
import { EventBus } from '../../../main/platform/event-bus';
import { ProfileStore } from '../../../main/platform/profile-store';

const connection = { id: 'c1', username: 'ada@x.test' } as ConnectionDto;
const report = (severity: 'ok' | 'error'): HealthReport => ({
  generatedAt: '2026-12-01T00:00:00Z',
  status: 'ok',
  cards: [{ siteId: 's1', siteName: 'Shop', severity } as HealthReport['cards'][number]],
  censuses: [],
  nextCheckAt: null,
  lastError: null,
});

function routed() {
  const bus = new EventBus();
  const hub = new EventHub();
  const sent: { channel: string; payload: unknown }[] = [];
  hub.subscribe((channel, payload) => sent.push({ channel, payload }));
  const activity = new ActivityLog(hub.emit);
  const store = new ProfileStore({ cwd: mkdtempSync(path.join(tmpdir(), 'forcesites-routing-')) });
  routeDomainEvents({ bus, store, emit: hub.emit, activity });
  return { bus, sent, activity };
}

describe('domain events reach the admin', () => {
  it('records background outcomes on the Activity page, not only answers to requests', () => {
    const { bus, activity } = routed();
    bus.emit('connection.refresh-refused', { connection, oauthError: 'invalid_grant', description: 'expired access/refresh token' });
    bus.emit('connection.diagnosed', { connection, cause: 'evicted-by-approval-cap', detail: 'ada holds 5 newer approvals.' });
    bus.emit('health.checked', { report: report('error'), trigger: 'scheduled' });
    const messages = activity.list().map((entry) => `${entry.level} ${entry.message}`);
    expect(messages).toEqual([
      'warning Health check (scheduled) finished: 1 site, 1 needs attention.',
      'info Why ada@x.test lost its authorization: ada holds 5 newer approvals.',
      'error Salesforce no longer accepts the authorization of ada@x.test: reauthorize it on the Connections page.',
    ]);
  });

  it('does not log a check the admin asked for (the page shows it), and sends both lists on any change', () => {
    const { bus, activity, sent } = routed();
    bus.emit('health.checked', { report: report('ok'), trigger: 'request' });
    expect(activity.list()).toEqual([]);
    bus.emit('sites.changed', { sites: [] });
    expect(sent.map((event) => event.channel)).toEqual(['connections:changed', 'sites:changed']);
  });
});
