import { describe, expect, it } from 'vitest';
import { ApiUsageTracker, usageLevel } from '../../../main/health/api-usage';
import { parseSforceLimitInfo } from '../../../main/salesforce/limit-info';
import { FakeSalesforce } from './fake-salesforce';

describe('Sforce-Limit-Info parser', () => {
  it('reads api-usage=USED/MAX', () => {
    expect(parseSforceLimitInfo('api-usage=18/5000')).toEqual({ used: 18, max: 5000 });
  });

  it('reads the per-app part too', () => {
    expect(parseSforceLimitInfo('api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)')).toEqual({
      used: 25,
      max: 5000,
      perApp: { used: 17, max: 250, appName: 'sample-connected-app' },
    });
  });

  it('does not mistake per-app usage for org usage', () => {
    expect(parseSforceLimitInfo('per-app-api-usage=17/250(appName=x)')).toBeNull();
    expect(parseSforceLimitInfo('per-app-api-usage=17/250(appName=x); api-usage=26/15000')).toMatchObject({ used: 26, max: 15000 });
  });

  it.each([null, undefined, '', 'api-usage=abc/5000', 'api-usage=5/0', 'garbage'])('returns null for %s', (header) => {
    expect(parseSforceLimitInfo(header)).toBeNull();
  });
});

describe('usage levels', () => {
  it('warns at 80% and is critical at 95%', () => {
    expect(usageLevel(7999, 10000)).toBe('ok');
    expect(usageLevel(8000, 10000)).toBe('warning');
    expect(usageLevel(9499, 10000)).toBe('warning');
    expect(usageLevel(9500, 10000)).toBe('critical');
    expect(usageLevel(5, 0)).toBe('unknown');
  });
});

describe('ApiUsageTracker', () => {
  it('counts calls per site over a rolling 24 hours', () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const tracker = new ApiUsageTracker({ now: () => now });
    tracker.countCall('shop');
    tracker.countCalls('shop', 9);
    tracker.countCall('blog');
    expect(tracker.siteCalls('shop').last24h).toBe(10);
    now += 23 * 3_600_000;
    tracker.countCall('shop');
    expect(tracker.siteCalls('shop').last24h).toBe(11);
    now += 2 * 3_600_000;
    expect(tracker.siteCalls('shop').last24h).toBe(1);
    expect(tracker.siteCalls('nobody').last24h).toBe(0);
  });

  it('reads DailyApiRequests from limits/', async () => {
    const fake = new FakeSalesforce();
    fake.on(/\/limits\//, () => ({ DailyApiRequests: { Max: 15000, Remaining: 2500 } }));
    const usage = await new ApiUsageTracker().readOrgUsage(fake, '00D1');
    expect(usage).toMatchObject({ used: 12500, max: 15000, level: 'warning', source: 'limits' });
  });

  it('falls back to the last Sforce-Limit-Info when limits/ is refused', async () => {
    const fake = new FakeSalesforce();
    fake.on(/\/limits\//, () => fake.fail('INSUFFICIENT_ACCESS'));
    fake.limitInfo = { apiUsage: { used: 14500, limit: 15000 } };
    const usage = await new ApiUsageTracker().readOrgUsage(fake, '00D1');
    expect(usage).toMatchObject({ used: 14500, level: 'critical', source: 'header' });
  });

  it('lets a lost authorization through instead of calling usage unknown', async () => {
    const fake = new FakeSalesforce();
    fake.on(/\/limits\//, () => fake.fail('INVALID_SESSION_ID'));
    await expect(new ApiUsageTracker().readOrgUsage(fake, '00D1')).rejects.toThrow(/INVALID_SESSION_ID/);
  });
});
