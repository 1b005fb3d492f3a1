import { describe, expect, it } from 'vitest';
import { buildInstallReport } from '../../../main/health/install-check';
import { isUninstalledAppError } from '../../../main/salesforce/uninstalled-app';

describe('install check', () => {
  it('calls an app with a ConnectedApplication row installed', () => {
    expect(buildInstallReport('ForceSites', { row: { kind: 'found', row: { Id: 'x', Name: 'ForceSites', OptionsAllowAdminApprovedUsersOnly: false, OptionsRefreshTokenValidityMetric: false, RefreshTokenValidityPeriod: null } } }).verdict).toBe('installed');
  });

  it('explains the September 2025 rule and the permission when there is no row', () => {
    const report = buildInstallReport('ForceSites', { row: { kind: 'no-row' } });
    expect(report.verdict).toBe('uninstalled');
    expect(report.severity).toBe('error');
    expect(report.explanation).toMatch(/September 2025/);
    expect(report.explanation).toMatch(/Approve Uninstalled Connected Apps/);
    expect(report.fix).toMatch(/Install/);
  });

  it('says unknown and names View Setup when the row cannot be read', () => {
    const report = buildInstallReport('ForceSites', { row: { kind: 'no-access', errorCode: 'INVALID_TYPE', message: '' } });
    expect(report.verdict).toBe('unknown');
    expect(report.permissionGaps.map((g) => g.permission)).toEqual(['View Setup']);
  });

  it('trusts the usage API when it says not installed', () => {
    expect(buildInstallReport('ForceSites', { row: { kind: 'no-access', errorCode: 'INVALID_TYPE', message: '' }, usageApiInstalled: false }).verdict).toBe('uninstalled');
  });

  it('recognises the authorize error of a blocked uninstalled app', () => {
    expect(isUninstalledAppError('OAUTH_APP_BLOCKED', 'this app is blocked by admin')).toBe(true);
    expect(isUninstalledAppError('invalid_grant', 'expired access/refresh token')).toBe(false);
    expect(buildInstallReport('ForceSites', { row: { kind: 'failed', errorCode: 'X', message: '' }, authorizeError: { error: 'OAUTH_APP_BLOCKED', description: 'this app is blocked by admin' } }).verdict).toBe('uninstalled');
  });
});
