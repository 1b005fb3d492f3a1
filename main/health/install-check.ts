/**
 * Is the connected app installed in the org? An uninstalled app (one that Setup » Connected
 * Apps OAuth Usage shows with an Install button) has no `ConnectedApplication` row and its
 * policies cannot be set. Since September 2025 Salesforce blocks every user who has not
 * authorized such an app before unless they hold "Approve Uninstalled Connected Apps" (or
 * "Use Any API Client"): existing sites keep working, but the next new user — typically the
 * dedicated integration user an admin creates to escape the approval cap — cannot sign in.
 */
import type { InstallReportDto, PermissionGap } from '../../common/health-models';
import type { ConnectedApplicationRead } from './connected-application';
import { installFixPath, isUninstalledAppError, uninstalledExplanation } from '../salesforce/uninstalled-app';
import { GAPS } from './user-permissions';

export function buildInstallReport(appName: string, input: { row: ConnectedApplicationRead; usageApiInstalled?: boolean | null; authorizeError?: { error: string; description?: string } | null }): InstallReportDto {
  const gaps: PermissionGap[] = [];
  const uninstalled = (evidence: string): InstallReportDto => ({
    appName,
    verdict: 'uninstalled',
    severity: 'error',
    explanation: `${uninstalledExplanation(appName)} (${evidence})`,
    fix: installFixPath(appName),
    permissionGaps: gaps,
  });
  if (input.authorizeError && isUninstalledAppError(input.authorizeError.error, input.authorizeError.description)) {
    return uninstalled(`Salesforce refused the sign-in: ${input.authorizeError.error}`);
  }
  if (input.usageApiInstalled === false) return uninstalled('the OAuth Usage API lists it as not installed');
  switch (input.row.kind) {
    case 'found':
      return { appName, verdict: 'installed', severity: 'ok', explanation: `${appName} is installed; its policies can be managed under Setup » Connected Apps.`, fix: null, permissionGaps: gaps };
    case 'no-row':
      if (input.usageApiInstalled === true) {
        return { appName, verdict: 'installed', severity: 'ok', explanation: `${appName} is installed (OAuth Usage API).`, fix: null, permissionGaps: gaps };
      }
      return uninstalled(`no ConnectedApplication row is named "${appName}"; if the name in Settings is wrong, correct it`);
    case 'no-access':
      gaps.push(GAPS.viewSetupPolicy);
      if (input.usageApiInstalled === true) {
        return { appName, verdict: 'installed', severity: 'ok', explanation: `${appName} is installed (OAuth Usage API).`, fix: null, permissionGaps: gaps };
      }
      return { appName, verdict: 'unknown', severity: 'unknown', explanation: `Whether ${appName} is installed cannot be seen without View Setup.`, fix: null, permissionGaps: gaps };
    case 'failed':
      return { appName, verdict: 'unknown', severity: 'unknown', explanation: `Salesforce did not answer the install check (${input.row.errorCode}).`, fix: null, permissionGaps: gaps };
  }
}
