import type { ConnectionDto, SiteProfileDto } from '../../common/models';

export function makeConnection(overrides: Partial<ConnectionDto> = {}): ConnectionDto {
  return {
    id: 'conn-1',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    clientId: '3MVG9consumerkeyexample0001',
    orgId: '00D000000000001',
    userId: '005000000000001',
    username: 'admin@acme.org',
    displayName: 'Ada Admin',
    apiVersion: '66.0',
    authorizedAt: '2026-11-01T10:00:00.000Z',
    state: { kind: 'connected' },
    siteIds: [],
    ...overrides,
  };
}

export function makeSite(overrides: Partial<SiteProfileDto> = {}): SiteProfileDto {
  return {
    id: 'site-1',
    name: 'Members site',
    wordpressUrl: 'https://members.acme.org',
    wordpressUsername: 'wpadmin',
    hasWordpressPassword: true,
    connectionId: null,
    objectType: 'Contact',
    tagMode: 'topics',
    tagField: null,
    fieldMapping: [],
    authorizedAt: null,
    lastCheckedAt: null,
    lastSyncedAt: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}
