/**
 * The sObjects whose rows the core owns: OauthToken (one row per approval),
 * ConnectedApplication (installed apps) and User. Registered with the data half, which
 * queries them like any other object and refuses DML on them.
 */
import { sfDateTime } from '../ids';
import type { Org } from '../org';
import type { DataUser } from '../data/seam';
import { policyPeriodMs } from '../model';
import { HOUR_MS } from '../clock';
import { buildVirtualDescribe } from './describe-builder';
import { describeJson, standardSchema } from '../data/schema/standard-objects';

export const OAUTH_TOKEN_DESCRIBE = buildVirtualDescribe({
  name: 'OauthToken',
  label: 'Oauth Token',
  labelPlural: 'Oauth Tokens',
  keyPrefix: '0CQ',
  supportedScopes: [{ label: 'All oauth tokens', name: 'everything' }, { label: 'My oauth tokens', name: 'mine' }],
  fields: [
    { name: 'Id', label: 'Oauth Token ID', type: 'id', nillable: false },
    { name: 'AccessToken', label: 'Access Token', type: 'string', length: 255 },
    { name: 'AppMenuItemId', label: 'AppMenuItem ID', type: 'reference', referenceTo: ['AppMenuItem'], relationshipName: 'AppMenuItem' },
    { name: 'AppName', label: 'Application Name', type: 'string', length: 255 },
    { name: 'CreatedDate', label: 'Created Date', type: 'datetime', nillable: false },
    { name: 'DeleteToken', label: 'Delete Token', type: 'string', length: 255 },
    { name: 'LastUsedDate', label: 'Last Used Date', type: 'datetime' },
    { name: 'RequestToken', label: 'Request Token', type: 'string', length: 255 },
    { name: 'UseCount', label: 'Use Count', type: 'int' },
    { name: 'UserId', label: 'User ID', type: 'reference', referenceTo: ['User'], relationshipName: 'User' },
  ],
});

export const CONNECTED_APPLICATION_DESCRIBE = buildVirtualDescribe({
  name: 'ConnectedApplication',
  label: 'Connected App',
  labelPlural: 'Connected Apps',
  keyPrefix: '0H4',
  fields: [
    { name: 'Id', label: 'Connected App ID', type: 'id', nillable: false },
    { name: 'Name', label: 'Name', type: 'string', length: 255, nameField: true, nillable: false },
    { name: 'CreatedDate', label: 'Created Date', type: 'datetime', nillable: false },
    { name: 'CreatedById', label: 'Created By ID', type: 'reference', referenceTo: ['User'], relationshipName: 'CreatedBy', nillable: false },
    { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', nillable: false },
    { name: 'LastModifiedById', label: 'Last Modified By ID', type: 'reference', referenceTo: ['User'], relationshipName: 'LastModifiedBy', nillable: false },
    { name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', nillable: false },
    { name: 'MobileSessionTimeout', label: 'Mobile Session Timeout', type: 'picklist', length: 40, picklistValues: ['M1', 'M5', 'M10', 'M15', 'M30'] },
    { name: 'MobileStartUrl', label: 'Mobile Start URL', type: 'url', length: 1024 },
    { name: 'OptionsAllowAdminApprovedUsersOnly', label: 'Admin Approved Users Are Pre-Authorized', type: 'boolean' },
    { name: 'OptionsRefreshTokenValidityMetric', label: 'Refresh Token Validity Metric', type: 'boolean' },
    { name: 'OptionsHasSessionLevelPolicy', label: 'High Assurance Session Required', type: 'boolean' },
    { name: 'OptionsIsInternal', label: 'Is Internal', type: 'boolean' },
    { name: 'PinLength', label: 'Pin Length', type: 'picklist', length: 40, picklistValues: ['4', '5', '6', '7', '8'] },
    { name: 'RefreshTokenValidityPeriod', label: 'Refresh Token Policy', type: 'int' },
    { name: 'StartUrl', label: 'Start URL', type: 'url', length: 1024 },
  ],
});

/**
 * User is served from its reference list (fixtures/reference/User.json: every field of
 * Salesforce's Field Reference), its rows from the core's users.
 */
export const USER_DESCRIBE = describeJson(standardSchema('User'));

/** The stored value is never shown; Salesforce masks it too. */
function mask(token: string | undefined): string | null {
  return token ? `${token.slice(0, 8)}${'*'.repeat(12)}` : null;
}

function can(user: DataUser, permission: string): boolean {
  return user.permissions.has(permission);
}

/**
 * Organization, the one row about the org itself: only what ForceSites reads (the orders read
 * DefaultCurrencyIsoCode in a single-currency org). UNCONFIRMED beyond the field names of the
 * Object Reference: a real describe has many more fields.
 */
export const ORGANIZATION_DESCRIBE = buildVirtualDescribe({
  name: 'Organization',
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  fields: [
    { name: 'Id', label: 'Organization ID', type: 'id', nillable: false },
    { name: 'Name', label: 'Name', type: 'string', length: 80, nameField: true, nillable: false },
    { name: 'DefaultCurrencyIsoCode', label: 'Default Currency ISO Code', type: 'picklist', length: 3, picklistValues: ['USD'] },
  ],
});

export function registerVirtualSObjects(org: Org): void {
  org.data.registerVirtualSObject('Organization', {
    describe: ORGANIZATION_DESCRIBE,
    rows() {
      return [{ Id: org.id, Name: org.name, DefaultCurrencyIsoCode: org.data.defaultCurrencyIsoCode?.() ?? 'USD' }];
    },
  });

  org.data.registerVirtualSObject('OauthToken', {
    describe: OAUTH_TOKEN_DESCRIBE,
    maxBatchSize: 500,
    maxTotalRows: 2500,
    rows(user) {
      const all = can(user, 'CustomizeApplication');
      const out: Record<string, unknown>[] = [];
      for (const a of org.approvals.values()) {
        if (!all && a.userId !== user.id) continue;
        const app = org.apps.get(a.appId);
        out.push({
          Id: a.id,
          AccessToken: mask([...a.accessTokens].at(-1)),
          AppMenuItemId: app?.appMenuItemId ?? null,
          AppName: app?.name ?? null,
          CreatedDate: sfDateTime(a.createdDate),
          DeleteToken: a.deleteToken,
          LastUsedDate: sfDateTime(a.lastUsedDate),
          RequestToken: mask(a.refreshToken),
          UseCount: a.useCount,
          UserId: a.userId,
        });
      }
      return out;
    },
  });

  const viewSetup = (user: DataUser): boolean => can(user, 'ViewSetup') || can(user, 'CustomizeApplication');
  org.data.registerVirtualSObject('ConnectedApplication', {
    describe: CONNECTED_APPLICATION_DESCRIBE,
    accessible: viewSetup,
    rows(user) {
      if (!viewSetup(user)) return [];
      const creator = [...org.users.values()][0]?.id ?? null;
      const out: Record<string, unknown>[] = [];
      for (const app of org.apps.values()) {
        if (!app.installed) continue; // only installed apps have a ConnectedApplication row
        const period = policyPeriodMs(app.refreshTokenPolicy);
        out.push({
          Id: app.id,
          Name: app.name,
          CreatedDate: sfDateTime(app.createdDate),
          CreatedById: creator,
          LastModifiedDate: sfDateTime(app.lastModifiedDate),
          LastModifiedById: creator,
          SystemModstamp: sfDateTime(app.lastModifiedDate),
          MobileSessionTimeout: null,
          MobileStartUrl: null,
          OptionsAllowAdminApprovedUsersOnly: app.adminApprovedOnly,
          // true = validity counted from last use (inactivity), false = from issue.
          OptionsRefreshTokenValidityMetric: app.refreshTokenPolicy.kind === 'inactivity',
          OptionsHasSessionLevelPolicy: false,
          OptionsIsInternal: false,
          PinLength: null,
          // UNCONFIRMED encoding: null = valid until revoked, 0 = immediately expire, else hours.
          RefreshTokenValidityPeriod: app.refreshTokenPolicy.kind === 'infinite' ? null : app.refreshTokenPolicy.kind === 'zero' ? 0 : Math.ceil(period! / HOUR_MS),
          StartUrl: app.startUrl,
        });
      }
      return out;
    },
  });

  org.data.registerVirtualSObject('User', {
    describe: USER_DESCRIBE,
    rows() {
      return [...org.users.values()].map((u) => ({
        Id: u.id,
        Username: u.username,
        Name: `${u.firstName} ${u.lastName}`,
        FirstName: u.firstName,
        LastName: u.lastName,
        Email: u.email,
        IsActive: u.active,
        ProfileId: u.profileId,
        UserType: 'Standard',
      }));
    },
  });
}
