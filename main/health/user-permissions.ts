/**
 * What the signed-in user may see. The census, policy and install checks degrade instead of
 * failing when a permission is missing, and the card says which permission it was: an empty
 * list that silently means "you may not look" is how admins end up trusting a wrong number.
 */
import type { PermissionGap } from '../../common/health-models';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import { queryAll } from '../salesforce/salesforce-api';

export interface UserPermissions {
  /** null = could not be read (UserPermissionAccess unavailable); callers then infer from errors. */
  readonly customizeApplication: boolean | null;
  readonly viewSetup: boolean | null;
  readonly modifyMetadata: boolean | null;
}

export const UNKNOWN_PERMISSIONS: UserPermissions = { customizeApplication: null, viewSetup: null, modifyMetadata: null };

interface PermissionRow {
  readonly PermissionsCustomizeApplication?: boolean | null;
  readonly PermissionsViewSetup?: boolean | null;
  readonly PermissionsModifyMetadata?: boolean | null;
}

/** `UserPermissionAccess` answers for the calling user; any failure means "unknown", not "no". */
export async function readUserPermissions(api: SalesforceApi): Promise<UserPermissions> {
  try {
    const { records } = await queryAll<PermissionRow>(api, 'SELECT PermissionsCustomizeApplication, PermissionsViewSetup, PermissionsModifyMetadata FROM UserPermissionAccess', 1);
    const row = records[0];
    if (!row) return UNKNOWN_PERMISSIONS;
    const flag = (v: boolean | null | undefined): boolean | null => (typeof v === 'boolean' ? v : null);
    return {
      customizeApplication: flag(row.PermissionsCustomizeApplication),
      viewSetup: flag(row.PermissionsViewSetup),
      modifyMetadata: flag(row.PermissionsModifyMetadata),
    };
  } catch {
    return UNKNOWN_PERMISSIONS;
  }
}

export const GAPS = {
  customizeApplicationCensus: {
    permission: 'Customize Application',
    wouldShow: "every user's OAuth approvals; without it Salesforce lists only the signed-in user's own",
  },
  viewSetupPolicy: {
    permission: 'View Setup',
    wouldShow: "the connected app's refresh token policy, permitted users and whether it is installed",
  },
  metadataPolicy: {
    permission: 'Modify Metadata',
    wouldShow: 'the exact refresh token policy from the Metadata API (the ConnectedApplication row only lets ForceSites infer it)',
  },
} as const satisfies Record<string, PermissionGap>;
