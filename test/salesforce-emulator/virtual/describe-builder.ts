/**
 * Builds describes with every key a recorded Salesforce describe has (see
 * fixtures/recorded/Contact.describe.json), so clients that read `describe.fields[i].x`
 * find the same keys on virtual objects as on real ones.
 */
export interface VirtualFieldSpec {
  readonly name: string;
  readonly label: string;
  readonly type: 'id' | 'string' | 'boolean' | 'int' | 'double' | 'datetime' | 'reference' | 'email' | 'picklist' | 'url';
  readonly length?: number;
  readonly nillable?: boolean;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
  readonly nameField?: boolean;
  readonly filterable?: boolean;
  readonly picklistValues?: readonly string[];
}

export interface VirtualObjectSpec {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly VirtualFieldSpec[];
  readonly supportedScopes?: readonly { label: string; name: string }[];
}

const SOAP_TYPE: Record<VirtualFieldSpec['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  picklist: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  datetime: 'xsd:dateTime',
};

function fieldDescribe(f: VirtualFieldSpec): Record<string, unknown> {
  const textual = f.type === 'string' || f.type === 'email' || f.type === 'picklist' || f.type === 'url';
  const length = f.type === 'id' || f.type === 'reference' ? 18 : textual ? (f.length ?? 255) : 0;
  return {
    aggregatable: f.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: false,
    byteLength: textual || f.type === 'id' || f.type === 'reference' ? length * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: false,
    custom: false,
    defaultValue: f.type === 'boolean' ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.type === 'id' || f.type === 'boolean' || f.name === 'CreatedDate',
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? 9 : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: false,
    extraTypeInfo: null,
    filterable: f.filterable ?? true,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.type !== 'double' && f.type !== 'datetime',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.type === 'id' || f.name === 'Username',
    inlineHelpText: null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField ?? false,
    namePointing: false,
    nillable: f.nillable ?? (f.type !== 'id' && f.type !== 'boolean'),
    permissionable: false,
    picklistValues: (f.picklistValues ?? []).map((v) => ({ active: true, defaultValue: false, label: v, validFor: null, value: v })),
    polymorphicForeignKey: false,
    precision: f.type === 'double' ? 18 : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: [...(f.referenceTo ?? [])],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: false,
    scale: 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPE[f.type],
    sortable: true,
    type: f.type,
    unique: false,
    updateable: false,
    writeRequiresMasterRead: false,
  };
}

/** A read-only (query and describe only) sObject describe. */
export function buildVirtualDescribe(spec: VirtualObjectSpec): Record<string, unknown> {
  const base = `/services/data/vxx.0/sobjects/${spec.name}`;
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: [],
    compactLayoutable: false,
    createable: false,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: false,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: false,
    fields: spec.fields.map((f) => fieldDescribe(f)),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: spec.keyPrefix,
    label: spec.label,
    labelPlural: spec.labelPlural,
    layoutable: false,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: false,
    mruEnabled: false,
    name: spec.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: false,
    retrieveable: true,
    searchLayoutable: false,
    searchable: false,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [...(spec.supportedScopes ?? [])],
    triggerable: false,
    undeletable: false,
    updateable: false,
    urls: { rowTemplate: `${base}/{ID}`, describe: `${base}/describe`, sobject: base },
  };
}
