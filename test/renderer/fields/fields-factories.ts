/** A Lead-like refreshed field list and caches for the Fields page tests. */
import type { FieldCacheDto, SalesforceFieldDto, WordpressFieldsDto } from '../../../common/fields-models';

export function field(overrides: Partial<SalesforceFieldDto> & Pick<SalesforceFieldDto, 'name' | 'type'>): SalesforceFieldDto {
  return {
    label: overrides.name.replace(/__c$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' '),
    length: ['string', 'textarea', 'email', 'url', 'phone', 'picklist', 'multipicklist'].includes(overrides.type) ? 255 : 0,
    precision: 0,
    scale: 0,
    digits: 0,
    requiredOnCreate: false,
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    unique: false,
    externalId: false,
    idLookup: false,
    caseSensitive: false,
    custom: overrides.name.endsWith('__c'),
    calculated: false,
    autoNumber: false,
    picklistValues: [],
    restrictedPicklist: false,
    dependentPicklist: false,
    controllerName: null,
    referenceTo: [],
    compoundFieldName: null,
    ...overrides,
  };
}

export const LEAD_FIELDS: readonly SalesforceFieldDto[] = [
  field({ name: 'Id', type: 'id', length: 18, createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
  field({ name: 'LastName', type: 'string', length: 80, label: 'Last Name', requiredOnCreate: true, nillable: false }),
  field({ name: 'FirstName', type: 'string', length: 40, label: 'First Name' }),
  field({ name: 'Name', type: 'string', length: 121, label: 'Full Name', createable: false, updateable: false }),
  field({ name: 'Company', type: 'string', length: 255, label: 'Company', requiredOnCreate: true, nillable: false }),
  field({ name: 'Email', type: 'email', length: 80, label: 'Email', idLookup: true }),
  field({ name: 'Phone', type: 'phone', length: 40, label: 'Phone' }),
  field({ name: 'Website', type: 'url', length: 255, label: 'Website' }),
  field({ name: 'Description', type: 'textarea', length: 32000, label: 'Description' }),
  field({ name: 'AnnualRevenue', type: 'currency', precision: 18, scale: 0, label: 'Annual Revenue' }),
  field({
    name: 'Interests__c',
    type: 'multipicklist',
    label: 'Interests',
    restrictedPicklist: true,
    picklistValues: ['Newsletter', 'Member'].map((value) => ({ value, label: value, active: true, defaultValue: false })),
  }),
];

export function makeCache(overrides: Partial<FieldCacheDto> = {}): FieldCacheDto {
  return {
    siteId: 'site-1',
    connectionId: 'conn-1',
    orgId: '00D000000000001',
    objectType: 'Lead',
    objectLabel: 'Lead',
    tagMode: 'topics',
    tagField: null,
    loadedAt: '2026-11-20T08:00:00.000Z',
    fields: LEAD_FIELDS,
    recordTypes: [{ id: '012000000000000AAA', name: 'Master', developerName: 'Master', active: true, available: true, master: true, defaultForUser: true }],
    topicsEnabled: true,
    tags: { mode: 'topics', enabled: true, topics: ['Newsletter', 'Events'], problem: null },
    lastRefresh: { apiCalls: 1, describeChanged: true, topicPages: 1 },
    diff: null,
    ...overrides,
  };
}

export function makeWordpress(overrides: Partial<WordpressFieldsDto> = {}): WordpressFieldsDto {
  return { siteId: 'site-1', companionPlugin: true, metaKeys: ['company', 'billing_phone'], tags: ['Newsletter', 'VIP', 'Events'], usersRead: 3, tagsComplete: true, problem: null, ...overrides };
}
