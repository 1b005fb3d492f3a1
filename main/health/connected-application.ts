/**
 * Reading one connected app's `ConnectedApplication` row. Shared by the policy and install
 * checks so one health check asks Salesforce once. The object exists only for users with View
 * Setup (others get INVALID_TYPE), and only INSTALLED apps have a row.
 */
import { soqlQuote } from '../salesforce/soql-escape';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { queryAll } from '../salesforce/salesforce-api';
import { errorCodeOf, errorMessageOf, isPermissionError } from '../salesforce/salesforce-errors';

export interface ConnectedApplicationRow {
  readonly Id: string;
  readonly Name: string;
  readonly OptionsAllowAdminApprovedUsersOnly: boolean | null;
  readonly OptionsRefreshTokenValidityMetric: boolean | null;
  readonly RefreshTokenValidityPeriod: number | null;
}

export type ConnectedApplicationRead =
  | { readonly kind: 'found'; readonly row: ConnectedApplicationRow }
  | { readonly kind: 'no-row' }
  | { readonly kind: 'no-access'; readonly errorCode: string; readonly message: string }
  | { readonly kind: 'failed'; readonly errorCode: string; readonly message: string };

export async function readConnectedApplication(api: SalesforceApi, appName: string): Promise<ConnectedApplicationRead> {
  try {
    const { records } = await queryAll<ConnectedApplicationRow>(
      api,
      `SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication WHERE Name = ${soqlQuote(appName)}`,
      10,
    );
    const row = records.find((r) => r.Name.trim().toLowerCase() === appName.trim().toLowerCase()) ?? records[0];
    return row ? { kind: 'found', row } : { kind: 'no-row' };
  } catch (error) {
    const errorCode = errorCodeOf(error);
    return isPermissionError(error) ? { kind: 'no-access', errorCode, message: errorMessageOf(error) } : { kind: 'failed', errorCode, message: errorMessageOf(error) };
  }
}

/**
 * The Metadata API's fullName for a connected app: its API name. Salesforce API names hold
 * letters, digits and single underscores, so "WP Fusion (OAuth)" becomes "WP_Fusion_OAuth".
 * Admins who renamed the API name can pass it explicitly.
 */
export function defaultDeveloperName(appName: string): string {
  return appName
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'X$1');
}
