import { describe, expect, it } from 'vitest';
import {
  buildPolicyReport,
  classifyConnectedApplicationRow,
  metadataRefreshTokenPolicy,
  parseExternalClientAppPolicy,
  parseMetadataRefreshTokenPolicy,
  PolicyCheck,
  policyFixPath,
} from '../../../main/health/policy-check';
import { defaultDeveloperName } from '../../../main/health/connected-application';
import { FakeSalesforce } from './fake-salesforce';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const row = (period: number | null, fromLastUse: boolean | null, adminApproved = false) => ({
  Id: '0H4000000000001AAA',
  Name: 'ForceSites',
  OptionsAllowAdminApprovedUsersOnly: adminApproved,
  OptionsRefreshTokenValidityMetric: fromLastUse,
  RefreshTokenValidityPeriod: period,
});

describe('Metadata API refreshTokenPolicy', () => {
  it.each([
    ['infinite', { kind: 'valid-until-revoked' }],
    ['zero', { kind: 'expires-immediately' }],
    ['specific_lifetime:3:HOURS', { kind: 'expires-after', amount: 3, unit: 'hours', periodMs: 3 * HOUR }],
    ['specific_inactivity:30:DAYS', { kind: 'expires-if-unused', amount: 30, unit: 'days', periodMs: 30 * DAY }],
    ['specific_lifetime:2:MONTHS', { kind: 'expires-after', amount: 2, unit: 'months', periodMs: 60 * DAY }],
    ['specific_inactivity:15:MINUTES', { kind: 'expires-if-unused', amount: 15, unit: 'minutes', periodMs: 15 * 60_000 }],
    ['specific_lifetime:0:HOURS', { kind: 'unknown' }],
    ['forever', { kind: 'unknown' }],
  ])('reads %s', (value, verdict) => {
    expect(parseMetadataRefreshTokenPolicy(value)).toEqual(verdict);
  });

  it('reads External Client App policies', () => {
    expect(parseExternalClientAppPolicy('Infinite', null, null)).toEqual({ kind: 'valid-until-revoked' });
    expect(parseExternalClientAppPolicy('SpecificInactivity', 7, 'Days')).toMatchObject({ kind: 'expires-if-unused', periodMs: 7 * DAY });
    expect(parseExternalClientAppPolicy('SpecificLifetime', 1, 'Months')).toMatchObject({ kind: 'expires-after', unit: 'months' });
    expect(parseExternalClientAppPolicy('Zero', null, null)).toEqual({ kind: 'expires-immediately' });
  });

  it('finds the policy in what jsforce metadata.read answers, and nothing in an empty record', () => {
    expect(metadataRefreshTokenPolicy({ fullName: 'ForceSites', oauthPolicy: { refreshTokenPolicy: 'infinite' } })).toBe('infinite');
    expect(metadataRefreshTokenPolicy([{ fullName: 'ForceSites', oauthPolicy: { refreshTokenPolicy: 'zero' } }])).toBe('zero');
    expect(metadataRefreshTokenPolicy({})).toBeUndefined();
    expect(metadataRefreshTokenPolicy({ $: { 'xsi:nil': 'true' } })).toBeUndefined();
  });
});

describe('ConnectedApplication row', () => {
  it('reads a null period as valid until revoked, and says that is UNCONFIRMED', () => {
    const { verdict, evidence } = classifyConnectedApplicationRow(row(null, false));
    expect(verdict).toEqual({ kind: 'valid-until-revoked' });
    expect(evidence.find((e) => e.field === 'RefreshTokenValidityPeriod')).toMatchObject({ value: null, confirmed: false });
  });

  it('reads a period counted from last use as expires-if-unused', () => {
    expect(classifyConnectedApplicationRow(row(720, true)).verdict).toMatchObject({ kind: 'expires-if-unused', amount: 30, unit: 'days', periodMs: 30 * DAY });
  });

  it('reads a period counted from issue as expires-after', () => {
    expect(classifyConnectedApplicationRow(row(3, false)).verdict).toMatchObject({ kind: 'expires-after', amount: 3, unit: 'hours' });
  });

  it('reads 0 as expires immediately', () => {
    expect(classifyConnectedApplicationRow(row(0, false)).verdict).toEqual({ kind: 'expires-immediately' });
  });
});

describe('the policy report', () => {
  it('is ok with no fix for valid-until-revoked from the Metadata API', () => {
    const report = buildPolicyReport('ForceSites', { row: { kind: 'found', row: row(null, false) }, metadataPolicy: 'infinite' });
    expect(report.severity).toBe('ok');
    expect(report.fix).toBeNull();
    expect(report.evidence.map((e) => e.source)).toEqual(['ConnectedApplication', 'ConnectedApplication', 'ConnectedApplication', 'Metadata API']);
  });

  it('trusts the Metadata API over the row and says they disagree', () => {
    const report = buildPolicyReport('ForceSites', { row: { kind: 'found', row: row(null, false) }, metadataPolicy: 'specific_lifetime:3:HOURS' });
    expect(report.verdict.kind).toBe('expires-after');
    expect(report.severity).toBe('error');
    expect(report.summary).toMatch(/suggested otherwise/);
    expect(report.fix).toBe(policyFixPath('ForceSites'));
    expect(report.fix).toBe('Setup » Connected Apps » ForceSites » Edit Policies » Refresh Token Policy: Refresh token is valid until revoked');
  });

  it('calls an inferred "until revoked" probable, not certain', () => {
    const report = buildPolicyReport('ForceSites', { row: { kind: 'found', row: row(null, false) }, metadataPolicy: undefined, metadataError: 'INSUFFICIENT_ACCESS' });
    expect(report.summary).toMatch(/probably valid until revoked/);
    expect(report.permissionGaps.map((g) => g.permission)).toEqual(['Modify Metadata']);
  });

  it('names View Setup when the row is out of reach', () => {
    const report = buildPolicyReport('ForceSites', { row: { kind: 'no-access', errorCode: 'INVALID_TYPE', message: '' }, metadataPolicy: undefined, metadataError: 'INSUFFICIENT_ACCESS' });
    expect(report.verdict.kind).toBe('unknown');
    expect(report.severity).toBe('unknown');
    expect(report.permissionGaps.map((g) => g.permission)).toEqual(['View Setup', 'Modify Metadata']);
  });

  it('warns for expires-if-unused (keep-alive can help) and errors for expires immediately', () => {
    expect(buildPolicyReport('A', { row: { kind: 'no-row' }, metadataPolicy: 'specific_inactivity:30:DAYS' }).severity).toBe('warning');
    expect(buildPolicyReport('A', { row: { kind: 'no-row' }, metadataPolicy: 'zero' }).severity).toBe('error');
  });
});

describe('PolicyCheck', () => {
  it('asks the Metadata API for the app by its API name', async () => {
    const fake = new FakeSalesforce();
    fake.onQuery(/FROM ConnectedApplication WHERE Name = 'WP Fusion \(OAuth\)'/, () => [{ ...row(null, false), Name: 'WP Fusion (OAuth)' }]);
    const asked: unknown[] = [];
    fake.metadataRead = (type, names) => {
      asked.push([type, names]);
      return { fullName: 'WP_Fusion_OAuth', oauthPolicy: { refreshTokenPolicy: 'specific_inactivity:30:DAYS' } };
    };
    const report = await new PolicyCheck().check(fake, { appName: 'WP Fusion (OAuth)' });
    expect(asked).toEqual([['ConnectedApp', ['WP_Fusion_OAuth']]]);
    expect(report.verdict.kind).toBe('expires-if-unused');
  });

  it('derives API names the way Salesforce allows them', () => {
    expect(defaultDeveloperName('WP Fusion (OAuth)')).toBe('WP_Fusion_OAuth');
    expect(defaultDeveloperName('ForceSites')).toBe('ForceSites');
    expect(defaultDeveloperName("O'Brien's  App")).toBe('O_Brien_s_App');
  });
});
