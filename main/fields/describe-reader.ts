/**
 * Salesforce describes → the Fields DTOs. Reads only what mapping needs, with Salesforce's
 * own meaning of each property, and refuses a body that is not a describe (a proxy's HTML
 * page, an error object) instead of showing an empty field list as if the object had none.
 */
import { AppError } from '../../common/errors';
import type { PicklistValueDto, RecordTypeDto, SalesforceFieldDto, SalesforceObjectDto } from '../../common/fields-models';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bool = (value: unknown): boolean => value === true;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function unexpected(what: string): AppError {
  return new AppError('SALESFORCE_ERROR', `Salesforce answered the ${what} with something that is not a describe.`, {
    hint: 'Try Refresh again. If it keeps happening, a proxy or firewall may be answering instead of Salesforce.',
  });
}

/** `GET sobjects/`: the objects a site can write users to — createable, updateable and queryable. */
export function objectsFromGlobalDescribe(body: unknown): SalesforceObjectDto[] {
  if (!isObject(body) || !Array.isArray(body['sobjects'])) throw unexpected('list of objects');
  return body['sobjects']
    .filter(isObject)
    .filter((entry) => bool(entry['createable']) && bool(entry['updateable']) && bool(entry['queryable']) && !bool(entry['deprecatedAndHidden']) && !bool(entry['customSetting']))
    .map((entry) => ({ name: str(entry['name']), label: str(entry['label']) || str(entry['name']), custom: bool(entry['custom']) }))
    .filter((entry) => entry.name !== '')
    .sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name));
}

export function fieldFromDescribe(raw: Json): SalesforceFieldDto {
  const createable = bool(raw['createable']);
  const nillable = bool(raw['nillable']);
  const defaultedOnCreate = bool(raw['defaultedOnCreate']);
  const type = str(raw['type']);
  const picklistValues: PicklistValueDto[] = (Array.isArray(raw['picklistValues']) ? raw['picklistValues'] : []).filter(isObject).map((value) => ({
    value: str(value['value']),
    label: str(value['label']) || str(value['value']),
    active: bool(value['active']),
    defaultValue: bool(value['defaultValue']),
  }));
  return {
    name: str(raw['name']),
    label: str(raw['label']) || str(raw['name']),
    type,
    length: num(raw['length']),
    precision: num(raw['precision']),
    scale: num(raw['scale']),
    digits: num(raw['digits']),
    // Salesforce's own rule (and the emulator's): a checkbox is never "missing".
    requiredOnCreate: createable && !nillable && !defaultedOnCreate && type !== 'boolean',
    createable,
    updateable: bool(raw['updateable']),
    nillable,
    defaultedOnCreate,
    unique: bool(raw['unique']),
    externalId: bool(raw['externalId']),
    idLookup: bool(raw['idLookup']),
    caseSensitive: bool(raw['caseSensitive']),
    custom: bool(raw['custom']),
    calculated: bool(raw['calculated']),
    autoNumber: bool(raw['autoNumber']),
    picklistValues,
    restrictedPicklist: bool(raw['restrictedPicklist']),
    dependentPicklist: bool(raw['dependentPicklist']),
    controllerName: typeof raw['controllerName'] === 'string' && raw['controllerName'] !== '' ? raw['controllerName'] : null,
    referenceTo: (Array.isArray(raw['referenceTo']) ? raw['referenceTo'] : []).filter((item): item is string => typeof item === 'string'),
    compoundFieldName: typeof raw['compoundFieldName'] === 'string' ? raw['compoundFieldName'] : null,
  };
}

export interface ObjectDescribe {
  readonly name: string;
  readonly label: string;
  readonly fields: readonly SalesforceFieldDto[];
  readonly recordTypes: readonly RecordTypeDto[];
  /**
   * Topics are enabled for the object: its describe lists the `TopicAssignments` child
   * relationship (TopicAssignment.EntityId). UNCONFIRMED against a real org with topics off
   * (see README.md); the emulator models it this way.
   */
  readonly topicsEnabled: boolean;
}

/** `GET sobjects/{Name}/describe`. */
export function readObjectDescribe(body: unknown, objectType: string): ObjectDescribe {
  if (!isObject(body) || !Array.isArray(body['fields']) || typeof body['name'] !== 'string') throw unexpected(`description of ${objectType}`);
  const recordTypes: RecordTypeDto[] = (Array.isArray(body['recordTypeInfos']) ? body['recordTypeInfos'] : []).filter(isObject).map((info) => ({
    id: str(info['recordTypeId']),
    name: str(info['name']),
    developerName: str(info['developerName']),
    active: bool(info['active']),
    available: bool(info['available']),
    master: bool(info['master']),
    defaultForUser: bool(info['defaultRecordTypeMapping']),
  }));
  const children = (Array.isArray(body['childRelationships']) ? body['childRelationships'] : []).filter(isObject);
  return {
    name: body['name'],
    label: str(body['label']) || body['name'],
    fields: body['fields'].filter(isObject).map(fieldFromDescribe),
    recordTypes,
    topicsEnabled: children.some((child) => child['childSObject'] === 'TopicAssignment' && child['field'] === 'EntityId'),
  };
}

/**
 * Record types the admin can choose between: active and available to the connection's user.
 * Master alone (an object without record types) is no choice at all, so it is left out then.
 */
export function choosableRecordTypes(recordTypes: readonly RecordTypeDto[]): RecordTypeDto[] {
  const usable = recordTypes.filter((type) => type.active && type.available);
  return usable.length > 1 ? usable : [];
}
