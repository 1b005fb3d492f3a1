/**
 * The site form's values, their validation and their conversion to a `sites:save` request.
 * Pure functions, so the rules are tested without rendering. Limits mirror the contract's
 * `siteSaveSchema`; the messages say how to fix the value.
 */
import type { RequestOf } from '../../../../common/contract';
import type { FieldMappingEntry, SiteProfileDto, TagMode } from '../../../../common/models';

export type Direction = FieldMappingEntry['direction'];
/** An object's API name (Contact, Lead, Account, Member__c…), or `custom` while the admin types one. */
export type ObjectKind = string;

export interface MappingRow {
  /** Stable React key; never sent. */
  readonly key: number;
  readonly wordpressField: string;
  readonly salesforceField: string;
  readonly direction: Direction;
}

export interface SiteFormValues {
  readonly name: string;
  readonly wordpressUrl: string;
  readonly wordpressUsername: string;
  /** Only what the admin typed in this form; a stored password is never loaded here. */
  readonly wordpressPassword: string;
  /** '' means "no connection yet". */
  readonly connectionId: string;
  readonly objectKind: ObjectKind;
  readonly customObject: string;
  readonly tagMode: TagMode;
  readonly tagField: string;
  readonly fieldMapping: readonly MappingRow[];
  /** What the orders read WooCommerce with (issue 14). */
  readonly woocommerceAuth: WoocommerceAuth;
  /** The profile's choice when the form opened: a change back to the password is sent, an untouched default is not. */
  readonly woocommerceAuthSaved: WoocommerceAuth | undefined;
  /** Only what the admin typed in this form; a stored key is never loaded here. */
  readonly woocommerceConsumerKey: string;
  readonly woocommerceConsumerSecret: string;
}

export type WoocommerceAuth = 'application-password' | 'consumer-key';

/** As the contract's woocommerceKeySchema: WooCommerce prints `ck_`/`cs_` and 40 hex digits. */
export const CONSUMER_KEY = /^ck_[A-Za-z0-9]{20,100}$/;
export const CONSUMER_SECRET = /^cs_[A-Za-z0-9]{20,100}$/;

export type SiteFormErrors = Readonly<Record<string, string>>;

export const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

let nextKey = 1;
export function newRowKey(): number {
  nextKey += 1;
  return nextKey;
}

export function emptyMappingRow(): MappingRow {
  return { key: newRowKey(), wordpressField: '', salesforceField: '', direction: 'push' };
}

export interface SiteFormDefaults {
  readonly wordpressUrl?: string | undefined;
  readonly wordpressUsername?: string | undefined;
  /** Only the demo's public application password is ever prefilled. */
  readonly wordpressPassword?: string | undefined;
  readonly connectionId?: string | undefined;
}

export function emptySiteForm(defaults: SiteFormDefaults = {}): SiteFormValues {
  return {
    name: '',
    wordpressUrl: defaults.wordpressUrl ?? '',
    wordpressUsername: defaults.wordpressUsername ?? '',
    wordpressPassword: defaults.wordpressPassword ?? '',
    connectionId: defaults.connectionId ?? '',
    objectKind: 'Contact',
    customObject: '',
    tagMode: 'topics',
    tagField: '',
    fieldMapping: [],
    woocommerceAuth: 'application-password',
    woocommerceAuthSaved: undefined,
    woocommerceConsumerKey: '',
    woocommerceConsumerSecret: '',
  };
}

export function siteFormFromProfile(profile: SiteProfileDto): SiteFormValues {
  return {
    name: profile.name,
    wordpressUrl: profile.wordpressUrl,
    wordpressUsername: profile.wordpressUsername,
    wordpressPassword: '',
    connectionId: profile.connectionId ?? '',
    // The object list offers every object the connection can use, so a saved one is chosen there.
    objectKind: profile.objectType,
    customObject: '',
    tagMode: profile.tagMode,
    tagField: profile.tagField ?? '',
    fieldMapping: profile.fieldMapping.map((entry) => ({ key: newRowKey(), ...entry })),
    woocommerceAuth: profile.woocommerceAuth ?? 'application-password',
    woocommerceAuthSaved: profile.woocommerceAuth,
    woocommerceConsumerKey: '',
    woocommerceConsumerSecret: '',
  };
}

function isBlankRow(row: MappingRow): boolean {
  return row.wordpressField.trim() === '' && row.salesforceField.trim() === '';
}

export interface ValidationContext {
  /** The profile being edited, if any. */
  readonly editingId: string | undefined;
  /** Other profiles, to keep names unique. */
  readonly existing: readonly Pick<SiteProfileDto, 'id' | 'name'>[];
  /** The profile being edited has a WooCommerce key in the keychain. */
  readonly hasWoocommerceKey?: boolean;
}

export function validateSiteForm(values: SiteFormValues, context: ValidationContext): SiteFormErrors {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'Enter a name for this site, for example “Members site”.';
  else if (name.length > 120) errors.name = 'Keep the name to 120 characters or fewer.';
  else if (context.existing.some((site) => site.id !== context.editingId && site.name.trim().toLowerCase() === name.toLowerCase())) {
    errors.name = `Another site profile is already called “${name}”. Pick a different name.`;
  }

  const url = values.wordpressUrl.trim();
  if (url === '') errors.wordpressUrl = 'Enter the WordPress site address, for example https://members.example.org.';
  else if (url.length > 2048) errors.wordpressUrl = 'This address is too long (2,048 characters at most).';
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.hostname === '') {
      errors.wordpressUrl = 'Enter a full address starting with https://, for example https://members.example.org.';
    }
  }

  const username = values.wordpressUsername.trim();
  if (username === '') errors.wordpressUsername = 'Enter the WordPress username the application password belongs to.';
  else if (username.length > 200) errors.wordpressUsername = 'Keep the username to 200 characters or fewer.';

  if (values.wordpressPassword.length > 200) errors.wordpressPassword = 'An application password is at most 200 characters.';

  if (values.woocommerceAuth === 'consumer-key') {
    const key = values.woocommerceConsumerKey.trim();
    const secret = values.woocommerceConsumerSecret.trim();
    if (key === '' && secret === '') {
      if (context.hasWoocommerceKey !== true) {
        errors.woocommerceConsumerKey = 'Paste the consumer key from WooCommerce → Settings → Advanced → REST API (add a key with Read access).';
        errors.woocommerceConsumerSecret = 'Paste the consumer secret shown with the key (WooCommerce shows it only once).';
      }
    } else {
      if (!CONSUMER_KEY.test(key)) errors.woocommerceConsumerKey = 'A consumer key starts with ck_ followed by letters and digits; copy it again from WooCommerce.';
      if (!CONSUMER_SECRET.test(secret)) errors.woocommerceConsumerSecret = secret === '' ? 'Paste the consumer secret too: key and secret are saved together.' : 'A consumer secret starts with cs_ followed by letters and digits; copy it again from WooCommerce.';
    }
  }

  if (values.objectKind === 'custom') {
    const objectName = values.customObject.trim();
    if (objectName === '') errors.customObject = 'Enter the API name of the custom object, for example Member__c.';
    else if (!API_NAME.test(objectName)) {
      errors.customObject = 'Use the object’s API name: letters, digits and underscores, starting with a letter (for example Member__c).';
    }
  }

  if (values.tagMode === 'picklist') {
    const tagField = values.tagField.trim();
    if (tagField === '') errors.tagField = 'Enter the API name of the picklist field that holds tags, for example Interests__c.';
    else if (!API_NAME.test(tagField)) {
      errors.tagField = 'Use the field’s API name: letters, digits and underscores, starting with a letter (for example Interests__c).';
    }
  }

  const seen = new Set<string>();
  values.fieldMapping.forEach((row, index) => {
    if (isBlankRow(row)) return;
    const wordpressField = row.wordpressField.trim();
    const salesforceField = row.salesforceField.trim();
    const at = `fieldMapping.${index}`;
    if (wordpressField === '') errors[`${at}.wordpressField`] = `Row ${index + 1}: enter the WordPress field.`;
    else if (wordpressField.length > 100) errors[`${at}.wordpressField`] = `Row ${index + 1}: keep the WordPress field to 100 characters.`;
    if (salesforceField === '') errors[`${at}.salesforceField`] = `Row ${index + 1}: enter the Salesforce field API name.`;
    else if (!API_NAME.test(salesforceField)) {
      errors[`${at}.salesforceField`] = `Row ${index + 1}: use the Salesforce field’s API name, for example Email or Member_Level__c.`;
    }
    const pair = `${wordpressField.toLowerCase()}→${salesforceField.toLowerCase()}`;
    if (wordpressField !== '' && salesforceField !== '') {
      if (seen.has(pair)) errors[`${at}.salesforceField`] = `Row ${index + 1}: this pair is already mapped above.`;
      seen.add(pair);
    }
  });
  if (values.fieldMapping.filter((row) => !isBlankRow(row)).length > 500) errors.fieldMapping = 'A site can map at most 500 fields.';

  return errors;
}

export type SiteSaveRequest = RequestOf<'sites:save'>;

/** The request for valid values. Blank mapping rows are dropped; an empty password keeps the stored one. */
export function toSaveRequest(values: SiteFormValues, editingId: string | undefined): SiteSaveRequest {
  const request: SiteSaveRequest = {
    name: values.name.trim(),
    wordpressUrl: values.wordpressUrl.trim(),
    wordpressUsername: values.wordpressUsername.trim(),
    connectionId: values.connectionId === '' ? null : values.connectionId,
    objectType: values.objectKind === 'custom' ? values.customObject.trim() : values.objectKind,
    tagMode: values.tagMode,
    tagField: values.tagMode === 'picklist' ? values.tagField.trim() : null,
    fieldMapping: values.fieldMapping
      .filter((row) => !isBlankRow(row))
      .map((row) => ({ wordpressField: row.wordpressField.trim(), salesforceField: row.salesforceField.trim(), direction: row.direction })),
  };
  // Optional keys are left out rather than sent as undefined: the request schema is strict.
  return {
    ...(editingId === undefined ? {} : { id: editingId }),
    ...request,
    ...(values.wordpressPassword === '' ? {} : { wordpressPassword: values.wordpressPassword }),
    ...woocommerceRequest(values),
  };
}

/** The WooCommerce credential part of a save or check request: the choice when it was made, the key only when typed. */
export function woocommerceRequest(values: SiteFormValues): Pick<SiteSaveRequest, 'woocommerceAuth' | 'woocommerceKey'> {
  const typed = values.woocommerceAuth === 'consumer-key' && values.woocommerceConsumerKey.trim() !== '' && values.woocommerceConsumerSecret.trim() !== '';
  const chosen = values.woocommerceAuth !== 'application-password' || values.woocommerceAuthSaved !== undefined;
  return {
    ...(chosen ? { woocommerceAuth: values.woocommerceAuth } : {}),
    ...(typed ? { woocommerceKey: { consumerKey: values.woocommerceConsumerKey.trim(), consumerSecret: values.woocommerceConsumerSecret.trim() } } : {}),
  };
}
