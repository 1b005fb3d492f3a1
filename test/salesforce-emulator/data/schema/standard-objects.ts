/**
 * Schemas of the objects the emulator supports. Contact and Account are served from the
 * recordings; the rest are built from recorded templates so their describes have the real key
 * set. Field lists follow Salesforce's object reference, trimmed to what ForceSites touches.
 */
import { buildField, type FieldSpec } from './field-template';
import { recordedAccount, recordedContact, recordedContactField, recordedContactShared, recordedGlobalShared } from './recorded';
import { SObjectSchema } from './sobject-schema';

type Json = Record<string, unknown>;

interface ObjectSpec {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly custom?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly deletable?: boolean;
  readonly feedEnabled?: boolean;
  readonly mergeable?: boolean;
  readonly topicsEnabled?: boolean;
  readonly childRelationships?: readonly Json[];
}

/** A childRelationships entry with the recorded key set. */
function child(childSObject: string, field: string, relationshipName: string | null, cascadeDelete: boolean, restrictedDelete = false): Json {
  return { cascadeDelete, childSObject, deprecatedAndHidden: false, field, junctionIdListNames: [], junctionReferenceTo: [], relationshipName, restrictedDelete };
}

const TOPIC_ASSIGNMENTS = child('TopicAssignment', 'EntityId', 'TopicAssignments', true);

/** Replaces the Contact-specific parts of a recorded url map. */
function urlsFor(template: Json, name: string, keyPrefix: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(template)) {
    out[key] = String(value).replaceAll('/Contact', `/${name}`).replace('/003/', `/${keyPrefix}/`);
  }
  return out;
}

export function buildDescribeTop(spec: ObjectSpec): Json {
  const { fields: _fields, childRelationships: _children, ...rest } = recordedContactShared();
  const top = structuredClone(rest) as Json;
  top.name = spec.name;
  top.label = spec.label;
  top.labelPlural = spec.labelPlural;
  top.keyPrefix = spec.keyPrefix;
  top.custom = spec.custom === true;
  top.createable = spec.createable ?? true;
  top.updateable = spec.updateable ?? true;
  top.deletable = spec.deletable ?? true;
  top.undeletable = spec.deletable ?? true;
  top.mergeable = spec.mergeable ?? false;
  top.feedEnabled = spec.feedEnabled ?? false;
  top.childRelationships = [...(spec.childRelationships ?? [])];
  top.urls = urlsFor(top.urls as Json, spec.name, spec.keyPrefix);
  top.recordTypeInfos = (top.recordTypeInfos as Json[]).map((info) => ({ ...info, urls: urlsFor(info.urls as Json, spec.name, spec.keyPrefix) }));
  top.supportedScopes = [{ label: `All ${spec.labelPlural.toLowerCase()}`, name: 'everything' }];
  if (spec.custom) {
    top.compactLayoutable = true;
    top.searchLayoutable = true;
    top.mruEnabled = true;
  }
  return top;
}

export function buildGlobalEntry(top: Json): Json {
  const entry = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === 'Contact') as Json);
  for (const key of Object.keys(entry)) {
    if (key !== 'urls' && key in top) entry[key] = structuredClone(top[key]);
  }
  const topUrls = (top.urls as Json | undefined) ?? {};
  entry.urls = Object.fromEntries(Object.keys(entry.urls as Json).filter((k) => k in topUrls).map((k) => [k, topUrls[k]]));
  return entry;
}

/** A recorded Contact field reused under another object, e.g. FirstName on Lead. */
function fromContact(name: string, overrides: Json = {}): Json {
  return { ...recordedContactField(name), ...overrides };
}

function idField(label: string): Json {
  return fromContact('Id', { label: `${label} ID` });
}

function auditFields(): Json[] {
  return ['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'].map((n) => fromContact(n));
}

function owner(): Json {
  return fromContact('OwnerId');
}

function f(spec: FieldSpec): Json {
  return buildField(spec);
}

function makeSchema(spec: ObjectSpec, fields: Json[]): SObjectSchema {
  const top = buildDescribeTop(spec);
  // Objects the recorded global describe lists (Lead, User) keep its entry, key prefix filled in.
  const recordedEntry = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === spec.name));
  const globalEntry = recordedEntry ? { ...recordedEntry, keyPrefix: spec.keyPrefix } : buildGlobalEntry(top);
  return new SObjectSchema({
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: spec.keyPrefix,
    custom: spec.custom === true,
    describeTop: top,
    globalEntry,
    fields,
    topicsEnabled: spec.topicsEnabled ?? false,
  });
}

function fromRecorded(describe: Json, topicsEnabled: boolean): SObjectSchema {
  const fields = describe.fields as Json[];
  const top = { ...describe };
  delete top.fields;
  const name = String(describe.name);
  const global = structuredClone((recordedGlobalShared().sobjects as Json[]).find((s) => s.name === name)) ?? buildGlobalEntry(top);
  return new SObjectSchema({
    name,
    label: String(describe.label),
    labelPlural: String(describe.labelPlural),
    keyPrefix: describe.keyPrefix as string,
    custom: false,
    describeTop: top,
    globalEntry: global,
    fields,
    topicsEnabled,
  });
}

const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

function lead(): SObjectSchema {
  return makeSchema({ name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', feedEnabled: true, mergeable: true, topicsEnabled: true, childRelationships: [TOPIC_ASSIGNMENTS] }, [
    idField('Lead'),
    fromContact('IsDeleted'),
    fromContact('MasterRecordId', { referenceTo: ['Lead'] }),
    fromContact('LastName'),
    fromContact('FirstName'),
    fromContact('Salutation'),
    fromContact('Name'),
    fromContact('Title'),
    f({ name: 'Company', label: 'Company', type: 'string', length: 255, required: true }),
    f({ name: 'Street', label: 'Street', type: 'textarea', length: 255, compoundFieldName: 'Address' }),
    f({ name: 'City', label: 'City', type: 'string', length: 40, compoundFieldName: 'Address' }),
    f({ name: 'State', label: 'State/Province', type: 'string', length: 80, compoundFieldName: 'Address' }),
    f({ name: 'PostalCode', label: 'Zip/Postal Code', type: 'string', length: 20, compoundFieldName: 'Address' }),
    f({ name: 'Country', label: 'Country', type: 'string', length: 80, compoundFieldName: 'Address' }),
    fromContact('Phone'),
    fromContact('MobilePhone'),
    fromContact('Email'),
    f({ name: 'Website', label: 'Website', type: 'url', length: 255 }),
    fromContact('Description'),
    fromContact('LeadSource'),
    f({ name: 'Status', label: 'Status', type: 'picklist', length: 255, nillable: false, picklistValues: LEAD_STATUSES, defaultPicklistValue: 'Open - Not Contacted' }),
    f({ name: 'Industry', label: 'Industry', type: 'picklist', length: 255, picklistValues: ['Agriculture', 'Apparel', 'Banking', 'Education', 'Other'] }),
    f({ name: 'Rating', label: 'Rating', type: 'picklist', length: 255, picklistValues: ['Hot', 'Warm', 'Cold'] }),
    f({ name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency' }),
    f({ name: 'NumberOfEmployees', label: 'Employees', type: 'int' }),
    owner(),
    f({ name: 'IsConverted', label: 'Converted', type: 'boolean', createable: true, updateable: false }),
    f({ name: 'ConvertedDate', label: 'Converted Date', type: 'date', createable: false }),
    f({ name: 'ConvertedAccountId', label: 'Converted Account ID', type: 'reference', createable: false, referenceTo: ['Account'], relationshipName: 'ConvertedAccount' }),
    f({ name: 'ConvertedContactId', label: 'Converted Contact ID', type: 'reference', createable: false, referenceTo: ['Contact'], relationshipName: 'ConvertedContact' }),
    f({ name: 'IsUnreadByOwner', label: 'Unread By Owner', type: 'boolean' }),
    ...auditFields(),
    fromContact('LastActivityDate'),
    fromContact('LastViewedDate'),
    fromContact('LastReferencedDate'),
  ]);
}

function user(): SObjectSchema {
  return makeSchema({ name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005', deletable: false, feedEnabled: true }, [
    idField('User'),
    f({ name: 'Username', label: 'Username', type: 'string', length: 80, required: true, unique: true, idLookup: true }),
    fromContact('LastName'),
    fromContact('FirstName'),
    fromContact('Name'),
    f({ name: 'CompanyName', label: 'Company Name', type: 'string', length: 80 }),
    f({ name: 'Email', label: 'Email', type: 'email', length: 128, required: true }),
    f({ name: 'Alias', label: 'Alias', type: 'string', length: 8, required: true }),
    f({ name: 'IsActive', label: 'Active', type: 'boolean' }),
    f({ name: 'ProfileId', label: 'Profile ID', type: 'reference', required: true, referenceTo: ['Profile'], relationshipName: 'Profile' }),
    f({ name: 'UserType', label: 'User Type', type: 'picklist', length: 40, createable: false, picklistValues: ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'] }),
    f({ name: 'TimeZoneSidKey', label: 'Time Zone', type: 'picklist', length: 40, required: true, picklistValues: ['GMT', 'Europe/Paris', 'America/Los_Angeles'] }),
    f({ name: 'LanguageLocaleKey', label: 'Language', type: 'picklist', length: 40, required: true, picklistValues: ['en_US', 'fr', 'de'] }),
    ...auditFields(),
  ]);
}

function topic(): SObjectSchema {
  return makeSchema({ name: 'Topic', label: 'Topic', labelPlural: 'Topics', keyPrefix: '0TO', mergeable: false, childRelationships: [child('TopicAssignment', 'TopicId', 'TopicAssignments', true)] }, [
    idField('Topic'),
    // Length 99 and the case-insensitive uniqueness are enforced by rules/topics.ts.
    f({ name: 'Name', label: 'Name', type: 'string', length: 99, required: true, nameField: true, idLookup: true }),
    f({ name: 'Description', label: 'Description', type: 'textarea', length: 1000 }),
    f({ name: 'TalkingAbout', label: 'Talking About', type: 'int', createable: false }),
    fromContact('CreatedDate'),
    fromContact('CreatedById'),
    fromContact('SystemModstamp'),
  ]);
}

function topicAssignment(): SObjectSchema {
  return makeSchema({ name: 'TopicAssignment', label: 'Topic Assignment', labelPlural: 'Topic Assignments', keyPrefix: '0FT', updateable: false }, [
    idField('Topic Assignment'),
    f({ name: 'TopicId', label: 'Topic ID', type: 'reference', required: true, updateable: false, referenceTo: ['Topic'], relationshipName: 'Topic', cascadeDelete: true }),
    f({ name: 'EntityId', label: 'Entity ID', type: 'reference', required: true, updateable: false, referenceTo: ['Account', 'Contact', 'Lead', 'Order'], relationshipName: 'Entity' }),
    f({ name: 'EntityKeyPrefix', label: 'Entity Key Prefix', type: 'string', length: 3, createable: false }),
    f({ name: 'EntityType', label: 'Entity Type', type: 'string', length: 255, createable: false }),
    fromContact('CreatedDate'),
    fromContact('CreatedById'),
    fromContact('IsDeleted'),
    fromContact('SystemModstamp'),
  ]);
}

const ORDER_STATUSES = ['Draft', 'Activated'];

function order(): SObjectSchema {
  return makeSchema(
    {
      name: 'Order', label: 'Order', labelPlural: 'Orders', keyPrefix: '801', feedEnabled: true, topicsEnabled: true,
      childRelationships: [child('OrderItem', 'OrderId', 'OrderItems', true), TOPIC_ASSIGNMENTS],
    },
    [
      idField('Order'),
      owner(),
      f({ name: 'ContractId', label: 'Contract ID', type: 'reference', referenceTo: ['Contract'], relationshipName: 'Contract' }),
      f({ name: 'AccountId', label: 'Account ID', type: 'reference', required: true, referenceTo: ['Account'], relationshipName: 'Account' }),
      f({ name: 'Pricebook2Id', label: 'Price Book ID', type: 'reference', referenceTo: ['Pricebook2'], relationshipName: 'Pricebook2' }),
      f({ name: 'OriginalOrderId', label: 'Original Order ID', type: 'reference', updateable: false, referenceTo: ['Order'], relationshipName: 'OriginalOrder' }),
      f({ name: 'EffectiveDate', label: 'Order Start Date', type: 'date', required: true }),
      f({ name: 'EndDate', label: 'Order End Date', type: 'date' }),
      f({ name: 'IsReductionOrder', label: 'Reduction Order', type: 'boolean', updateable: false }),
      f({ name: 'Status', label: 'Status', type: 'picklist', length: 40, required: true, restrictedPicklist: true, picklistValues: ORDER_STATUSES }),
      f({ name: 'Description', label: 'Description', type: 'textarea', length: 32000 }),
      f({ name: 'Type', label: 'Order Type', type: 'picklist', length: 255, picklistValues: ['New', 'Renewal'] }),
      f({ name: 'StatusCode', label: 'Status Category', type: 'picklist', length: 40, createable: false, restrictedPicklist: true, picklistValues: ['Draft', 'Activated', 'Canceled', 'Expired'], defaultedOnCreate: true, nillable: false }),
      f({ name: 'OrderNumber', label: 'Order Number', type: 'string', length: 30, createable: false, autoNumber: true, idLookup: true, nameField: true, nillable: false }),
      f({ name: 'TotalAmount', label: 'Order Amount', type: 'currency', createable: false, calculated: false, defaultedOnCreate: true }),
      f({ name: 'Name', label: 'Order Name', type: 'string', length: 80 }),
      f({ name: 'ActivatedDate', label: 'Activated Date', type: 'datetime' }),
      f({ name: 'ActivatedById', label: 'Activated By ID', type: 'reference', referenceTo: ['User'], relationshipName: 'ActivatedBy' }),
      fromContact('IsDeleted'),
      ...auditFields(),
      fromContact('LastViewedDate'),
      fromContact('LastReferencedDate'),
    ],
  );
}

function orderItem(): SObjectSchema {
  return makeSchema({ name: 'OrderItem', label: 'Order Product', labelPlural: 'Order Products', keyPrefix: '802' }, [
    idField('Order Product'),
    f({ name: 'Product2Id', label: 'Product ID', type: 'reference', updateable: false, referenceTo: ['Product2'], relationshipName: 'Product2' }),
    fromContact('IsDeleted'),
    f({ name: 'OrderId', label: 'Order ID', type: 'reference', required: true, updateable: false, referenceTo: ['Order'], relationshipName: 'Order', cascadeDelete: true }),
    f({ name: 'PricebookEntryId', label: 'Price Book Entry ID', type: 'reference', required: true, updateable: false, referenceTo: ['PricebookEntry'], relationshipName: 'PricebookEntry' }),
    f({ name: 'OriginalOrderItemId', label: 'Original Order Item ID', type: 'reference', updateable: false, referenceTo: ['OrderItem'], relationshipName: 'OriginalOrderItem' }),
    f({ name: 'Quantity', label: 'Quantity', type: 'double', required: true }),
    f({ name: 'UnitPrice', label: 'Unit Price', type: 'currency', required: true }),
    f({ name: 'ListPrice', label: 'List Price', type: 'currency', createable: false }),
    f({ name: 'TotalPrice', label: 'Total Price', type: 'currency', createable: false }),
    f({ name: 'ServiceDate', label: 'Start Date', type: 'date' }),
    f({ name: 'EndDate', label: 'End Date', type: 'date' }),
    f({ name: 'Description', label: 'Line Description', type: 'string', length: 255 }),
    f({ name: 'OrderItemNumber', label: 'Order Product Number', type: 'string', length: 10, createable: false, autoNumber: true, nameField: true, nillable: false, idLookup: true }),
    ...auditFields(),
  ]);
}

function product2(): SObjectSchema {
  return makeSchema({ name: 'Product2', label: 'Product', labelPlural: 'Products', keyPrefix: '01t', feedEnabled: true, childRelationships: [child('PricebookEntry', 'Product2Id', 'PricebookEntries', true, true), child('OrderItem', 'Product2Id', null, false, true)] }, [
    idField('Product'),
    f({ name: 'Name', label: 'Product Name', type: 'string', length: 255, required: true, nameField: true }),
    f({ name: 'ProductCode', label: 'Product Code', type: 'string', length: 255 }),
    f({ name: 'Description', label: 'Product Description', type: 'textarea', length: 4000 }),
    f({ name: 'IsActive', label: 'Active', type: 'boolean' }),
    f({ name: 'Family', label: 'Product Family', type: 'picklist', length: 40, picklistValues: ['None'] }),
    f({ name: 'ExternalId', label: 'External ID', type: 'string', length: 255, idLookup: true }),
    f({ name: 'StockKeepingUnit', label: 'Product SKU', type: 'string', length: 180, idLookup: true }),
    f({ name: 'QuantityUnitOfMeasure', label: 'Quantity Unit Of Measure', type: 'picklist', length: 255, picklistValues: ['Each'] }),
    fromContact('IsDeleted'),
    ...auditFields(),
  ]);
}

function pricebook2(): SObjectSchema {
  return makeSchema({ name: 'Pricebook2', label: 'Price Book', labelPlural: 'Price Books', keyPrefix: '01s', childRelationships: [child('PricebookEntry', 'Pricebook2Id', 'PricebookEntries', false, true), child('Order', 'Pricebook2Id', 'Orders', false, true)] }, [
    idField('Price Book'),
    fromContact('IsDeleted'),
    f({ name: 'Name', label: 'Price Book Name', type: 'string', length: 255, required: true, nameField: true }),
    f({ name: 'IsActive', label: 'Active', type: 'boolean' }),
    f({ name: 'IsArchived', label: 'Is Archived', type: 'boolean', createable: false }),
    f({ name: 'Description', label: 'Description', type: 'string', length: 255 }),
    f({ name: 'IsStandard', label: 'Is Standard Price Book', type: 'boolean', createable: false }),
    ...auditFields(),
  ]);
}

function pricebookEntry(): SObjectSchema {
  return makeSchema({ name: 'PricebookEntry', label: 'Price Book Entry', labelPlural: 'Price Book Entries', keyPrefix: '01u', childRelationships: [child('OrderItem', 'PricebookEntryId', 'OrderItems', false, true)] }, [
    idField('Price Book Entry'),
    f({ name: 'Name', label: 'Product Name', type: 'string', length: 255, createable: false, nameField: true }),
    f({ name: 'Pricebook2Id', label: 'Price Book ID', type: 'reference', required: true, updateable: false, referenceTo: ['Pricebook2'], relationshipName: 'Pricebook2' }),
    f({ name: 'Product2Id', label: 'Product ID', type: 'reference', required: true, updateable: false, referenceTo: ['Product2'], relationshipName: 'Product2' }),
    f({ name: 'UnitPrice', label: 'List Price', type: 'currency', required: true }),
    f({ name: 'IsActive', label: 'Active', type: 'boolean' }),
    f({ name: 'UseStandardPrice', label: 'Use Standard Price', type: 'boolean' }),
    f({ name: 'ProductCode', label: 'Product Code', type: 'string', length: 255, createable: false }),
    fromContact('IsDeleted'),
    ...auditFields(),
  ]);
}

/** A custom object `Name__c` with the standard system fields and a text Name. */
export function customObject(name: string, label: string, keyPrefix: string): SObjectSchema {
  return makeSchema({ name, label, labelPlural: `${label}s`, keyPrefix, custom: true, topicsEnabled: false }, [
    idField('Record'),
    owner(),
    fromContact('IsDeleted'),
    f({ name: 'Name', label: `${label} Name`, type: 'string', length: 80, custom: false, nameField: true, nillable: true }),
    ...auditFields(),
    fromContact('LastViewedDate'),
    fromContact('LastReferencedDate'),
  ]);
}

/** Every built-in schema, fresh (each org gets its own copies). */
export function standardSchemas(): SObjectSchema[] {
  return [
    fromRecorded(recordedAccount(), true),
    fromRecorded(recordedContact(), true),
    lead(),
    user(),
    topic(),
    topicAssignment(),
    order(),
    orderItem(),
    product2(),
    pricebook2(),
    pricebookEntry(),
  ];
}
