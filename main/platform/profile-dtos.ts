/** Store records → the DTOs of common/models.ts. The only place that decides what crosses to the renderer. */
import { DEFAULT_MATCH_KEY } from '../../common/fields-models';
import type { ConnectionDto, SiteProfileDto } from '../../common/models';
import type { ConnectionRecord, SiteRecord } from './profile-records';
import type { ProfileStore } from './profile-store';

export function toConnectionDto(record: ConnectionRecord, sites: readonly SiteRecord[]): ConnectionDto {
  // Spelled out field by field so a field added to the record is not exported by accident.
  return {
    id: record.id,
    loginUrl: record.loginUrl,
    instanceUrl: record.instanceUrl,
    clientId: record.clientId,
    orgId: record.orgId,
    userId: record.userId,
    username: record.username,
    displayName: record.displayName,
    apiVersion: record.apiVersion,
    authorizedAt: record.authorizedAt,
    state: record.state,
    siteIds: sites.filter((site) => site.connectionId === record.id).map((site) => site.id),
  };
}

export function toSiteDto(site: SiteRecord, connections: readonly ConnectionRecord[]): SiteProfileDto {
  const connection = site.connectionId === null ? undefined : connections.find((c) => c.id === site.connectionId);
  return {
    id: site.id,
    name: site.name,
    wordpressUrl: site.wordpressUrl,
    wordpressUsername: site.wordpressUsername,
    hasWordpressPassword: site.hasWordpressPassword,
    connectionId: site.connectionId,
    objectType: site.objectType,
    tagMode: site.tagMode,
    tagField: site.tagField,
    fieldMapping: site.fieldMapping.map((entry) => ({ ...entry })),
    matchKey: { ...(site.matchKey ?? DEFAULT_MATCH_KEY) },
    recordTypeId: site.recordTypeId ?? null,
    sendEmptyValues: site.sendEmptyValues ?? false,
    fieldDefaults: (site.fieldDefaults ?? []).map((entry) => ({ salesforceField: entry.salesforceField, value: entry.value })),
    // Only when set, so profiles that never chose keep their DTO as it was (absent = application password, no key).
    ...(site.woocommerceAuth === undefined ? {} : { woocommerceAuth: site.woocommerceAuth }),
    ...(site.hasWoocommerceKey === true ? { hasWoocommerceKey: true, ...(site.woocommerceKeyEnding === undefined ? {} : { woocommerceKeyEnding: site.woocommerceKeyEnding }) } : {}),
    authorizedAt: connection?.authorizedAt ?? null,
    lastCheckedAt: site.lastCheckedAt,
    lastSyncedAt: site.lastSyncedAt,
    createdAt: site.createdAt,
    ...(site.connectionId === null && site.detachedFromConnection !== undefined ? { detachedFromConnection: site.detachedFromConnection } : {}),
  };
}

export function connectionDtos(store: ProfileStore): ConnectionDto[] {
  const sites = store.listSites();
  return store.listConnections().map((record) => toConnectionDto(record, sites));
}

export function siteDtos(store: ProfileStore): SiteProfileDto[] {
  const connections = store.listConnections();
  return store.listSites().map((site) => toSiteDto(site, connections));
}
