/**
 * Every mapping rule and its message (common/field-rules.ts), against fields read from the
 * recorded Lead and Contact describes of a real org (the emulator's fixtures) plus custom
 * fields built like Salesforce's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkMapping,
  checkPair,
  checkPull,
  checkPush,
  metaField,
  proposeMapping,
  requiredFields,
  toSalesforceValue,
  wordpressFieldDef,
  WORDPRESS_CORE_FIELDS,
  type MappingContext,
  type WordpressFieldDef,
} from '../../../common/field-rules';
import type { MappingSettings, SalesforceFieldDto } from '../../../common/fields-models';
import { readObjectDescribe } from '../../../main/fields/describe-reader';

const recorded = (name: string) => readObjectDescribe(JSON.parse(readFileSync(`test/salesforce-emulator/fixtures/recorded/${name}.describe.json`, 'utf8')), name);
const lead = recorded('Lead');
const contact = recorded('Contact');

function sf(name: string, fields = lead.fields): SalesforceFieldDto {
  const found = fields.find((field) => field.name === name);
  if (found === undefined) throw new Error(`no field ${name}`);
  return found;
}

function custom(overrides: Partial<SalesforceFieldDto> & Pick<SalesforceFieldDto, 'name' | 'type'>): SalesforceFieldDto {
  return {
    label: overrides.name.replace(/__c$/, '').replace(/_/g, ' '),
    length: 0,
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
    custom: true,
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

const wp = (name: string): WordpressFieldDef => wordpressFieldDef(name) ?? metaField(name.replace(/^meta:/, ''));
const picklist = (restricted: boolean, multi = false) =>
  custom({
    name: multi ? 'Interests__c' : 'Level__c',
    type: multi ? 'multipicklist' : 'picklist',
    length: 255,
    restrictedPicklist: restricted,
    picklistValues: ['Gold', 'Silver', 'Bronze'].map((value, index) => ({ value, label: value, active: index < 2 || !restricted, defaultValue: false })),
  });

describe('the WordPress side', () => {
  it('has the core user fields the issue lists, and meta keys as meta:<key>', () => {
    expect(WORDPRESS_CORE_FIELDS.map((field) => field.name)).toEqual(['email', 'username', 'first_name', 'last_name', 'name', 'nickname', 'url', 'description', 'locale', 'registered_date', 'roles']);
    expect(wordpressFieldDef('meta:billing_phone')).toMatchObject({ kind: 'meta', label: 'billing_phone' });
    expect(wordpressFieldDef('billing_phone', ['billing_phone'])).toMatchObject({ kind: 'meta' });
    expect(wordpressFieldDef('user_email')).toBeUndefined();
  });
});

describe('WordPress → Salesforce (push)', () => {
  it('email fits Email and Text, nothing else', () => {
    expect(checkPush(wp('email'), sf('Email'))).toEqual({ level: 'note', message: 'WordPress allows 100 characters here, Email only 80: longer values are refused (STRING_TOO_LONG).' });
    expect(checkPush(wp('email'), sf('Title'))).toEqual({ level: 'note', message: 'Sent as text.' });
    expect(checkPush(wp('email'), sf('Phone'))).toEqual({ level: 'error', message: 'Email holds an email address, which only fits an Email or Text field; Phone is Phone.' });
    expect(checkPush(wp('email'), sf('Website')).level).toBe('error');
  });

  it('warns when WordPress allows longer values than the field takes (STRING_TOO_LONG)', () => {
    expect(checkPush(wp('username'), sf('FirstName'))).toEqual({ level: 'note', message: 'WordPress allows 60 characters here, FirstName only 40: longer values are refused (STRING_TOO_LONG).' });
    expect(checkPush(wp('email'), custom({ name: 'Short_Email__c', type: 'email', length: 50 })).message).toContain('WordPress allows 100 characters here, Short_Email__c only 50');
    expect(checkPush(wp('first_name'), sf('FirstName'))).toEqual({ level: 'note', message: 'FirstName takes at most 40 characters; the preview shows whether current values fit.' });
    // A long text area takes anything a WordPress user field holds: nothing to say.
    expect(checkPush(wp('description'), sf('Description'))).toEqual({ level: 'ok', message: '' });
  });

  it('web addresses fit URL and Text fields', () => {
    expect(checkPush(wp('url'), sf('Website')).level).toBe('ok');
    expect(checkPush(wp('url'), sf('Email')).message).toBe('Website holds a web address, which only fits a URL or Text field; Email is Email.');
  });

  it('text into Email is checked value by value (INVALID_EMAIL_ADDRESS)', () => {
    expect(checkPush(wp('nickname'), sf('Email'))).toEqual({ level: 'warning', message: 'Only valid email addresses are accepted in Email (INVALID_EMAIL_ADDRESS).' });
  });

  it('picklists: restricted ones refuse unknown values and say which exist; others keep them', () => {
    expect(checkPush(wp('nickname'), picklist(true))).toEqual({
      level: 'warning',
      message: 'Level__c is a restricted picklist: only its values are accepted (Gold, Silver); other values are refused (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).',
    });
    expect(checkPush(wp('nickname'), picklist(false))).toEqual({ level: 'note', message: 'Values that are not in Level__c’s list are stored as they are.' });
  });

  it('core text never goes into numbers, checkboxes or dates', () => {
    expect(checkPush(wp('first_name'), sf('AnnualRevenue'))).toEqual({ level: 'error', message: 'First name holds text; AnnualRevenue is Currency(18, 0).' });
    expect(checkPush(wp('first_name'), sf('IsConverted')).level).toBe('error');
  });

  it('dates and datetimes are formatted as Salesforce wants them', () => {
    const registered = wp('registered_date');
    expect(checkPush(registered, custom({ name: 'Joined__c', type: 'datetime' }))).toEqual({ level: 'note', message: 'Sent in UTC, as Salesforce wants it (2026-05-01T10:00:00.000Z).' });
    expect(checkPush(registered, custom({ name: 'Joined_On__c', type: 'date' }))).toEqual({ level: 'note', message: 'The date part, in UTC.' });
    expect(checkPush(registered, sf('Title'))).toEqual({ level: 'note', message: 'Sent as ISO 8601 text.' });
    expect(checkPush(registered, custom({ name: 'Code__c', type: 'string', length: 20 }))).toEqual({ level: 'error', message: 'Code__c takes 20 characters; a date and time needs 24.' });
    expect(checkPush(registered, sf('IsConverted')).message).toBe('Registered holds a date and time; IsConverted is Checkbox.');
  });

  it('roles are joined with ";" for multi-select picklists and text', () => {
    expect(checkPush(wp('roles'), picklist(false, true))).toEqual({ level: 'note', message: 'Joined with “;”, as Salesforce stores multi-select values.' });
    expect(checkPush(wp('roles'), picklist(true, true)).level).toBe('warning');
    expect(checkPush(wp('roles'), picklist(false))).toEqual({ level: 'warning', message: 'Only the first role is sent: a single-select picklist holds one value.' });
    expect(checkPush(wp('roles'), sf('Description'))).toEqual({ level: 'note', message: 'Joined with “;”.' });
    expect(checkPush(wp('roles'), sf('NumberOfEmployees')).level).toBe('error');
  });

  it('meta values may go anywhere a value can be read from text, with what they must look like', () => {
    const meta = metaField('member_since');
    expect(checkPush(meta, custom({ name: 'Verified__c', type: 'boolean', createable: false, updateable: false })).level).toBe('error');
    expect(checkPush(meta, custom({ name: 'Opt_In__c', type: 'boolean' }))).toEqual({ level: 'warning', message: 'WordPress values must be yes/no, true/false, on/off or 1/0; others are refused.' });
    expect(checkPush(meta, custom({ name: 'Score__c', type: 'double', precision: 5, scale: 2 }))).toEqual({ level: 'warning', message: 'WordPress values must be numbers with at most 3 digits before the decimal point and 2 after; others are refused.' });
    expect(checkPush(meta, sf('NumberOfEmployees')).message).toBe('WordPress values must be whole numbers; others are refused.');
    expect(checkPush(meta, custom({ name: 'Since__c', type: 'date' })).message).toBe('WordPress values must be dates (2026-05-01); others are refused.');
    expect(checkPush(meta, sf('Email')).level).toBe('warning');
    expect(checkPush(meta, sf('Phone')).level).toBe('note');
  });

  it('excludes read-only, compound, id, lookup and binary fields, saying why', () => {
    expect(checkPush(wp('name'), sf('Name'))).toEqual({ level: 'error', message: 'Name is read-only for this user: Salesforce does not let ForceSites write it. Choose “Salesforce → WordPress” or another field.' });
    expect(checkPush(wp('nickname'), custom({ name: 'Score_Text__c', type: 'string', length: 10, createable: false, updateable: false, calculated: true })).message).toContain('Score_Text__c is a formula field');
    expect(checkPush(wp('nickname'), custom({ name: 'Member_No__c', type: 'string', length: 10, createable: false, updateable: false, autoNumber: true })).message).toContain('an auto-number field');
    expect(checkPush(wp('description'), sf('Address'))).toEqual({ level: 'error', message: 'Address is a compound field; map its parts instead (for example Street and City).' });
    expect(checkPush(wp('description'), sf('MailingAddress', contact.fields)).message).toContain('MailingStreet and MailingCity');
    expect(checkPush(wp('username'), sf('Id')).level).toBe('error');
    expect(checkPush(wp('username'), sf('AccountId', contact.fields))).toEqual({ level: 'error', message: 'AccountId is a lookup to Account: it needs a Salesforce record id, which WordPress does not have.' });
    expect(checkPush(wp('description'), custom({ name: 'Photo__c', type: 'base64' })).message).toBe('ForceSites cannot write base64 fields.');
  });
});

describe('Salesforce → WordPress (pull)', () => {
  it('refuses WordPress fields WordPress will not change', () => {
    expect(checkPull(wp('username'), sf('Title'))).toEqual({ level: 'error', message: 'Username cannot be written from Salesforce: WordPress never changes a username once the account exists.' });
    expect(checkPull(wp('registered_date'), custom({ name: 'Joined__c', type: 'datetime' })).level).toBe('error');
  });

  it('reads read-only Salesforce fields, and says what WordPress will refuse', () => {
    expect(checkPull(wp('name'), sf('Name')).level).toBe('ok');
    expect(checkPull(wp('email'), sf('Email')).level).toBe('ok');
    expect(checkPull(wp('email'), sf('Title'))).toEqual({ level: 'warning', message: 'WordPress refuses values that are not email addresses, and addresses another user already has.' });
    expect(checkPull(wp('url'), sf('Title')).message).toBe('WordPress keeps only values that are web addresses.');
    expect(checkPull(wp('locale'), sf('Title')).message).toContain('en_US');
    expect(checkPull(wp('roles'), picklist(true)).message).toContain('role slugs');
    expect(checkPull(wp('nickname'), picklist(false, true))).toEqual({ level: 'note', message: 'Multi-select values arrive joined with “;”.' });
    expect(checkPull(wp('nickname'), sf('AnnualRevenue'))).toEqual({ level: 'note', message: 'Stored in WordPress as text.' });
    expect(checkPull(wp('description'), sf('Address')).level).toBe('error');
  });

  it('both ways needs both to work', () => {
    expect(checkPair(wp('name'), sf('Name'), 'both').message).toBe(
      'Name is read-only for this user: Salesforce does not let ForceSites write it. Choose “Salesforce → WordPress” or another field. (“Both ways” needs both directions to work.)',
    );
    expect(checkPair(wp('email'), sf('Email'), 'both').level).toBe('note');
    expect(checkPair(wp('name'), sf('Name'), 'pull').level).toBe('ok');
  });
});

const leadContext: MappingContext = { objectType: 'Lead', fields: lead.fields, metaKeys: ['company', 'billing_phone'], recordTypes: lead.recordTypes };
const settings = (overrides: Partial<MappingSettings> = {}): MappingSettings => ({
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'push' },
  ],
  fieldDefaults: [
    { salesforceField: 'LastName', value: '[not provided]' },
    { salesforceField: 'Company', value: '[not provided]' },
  ],
  matchKey: { kind: 'email', field: 'Email' },
  recordTypeId: null,
  sendEmptyValues: false,
  ...overrides,
});

describe('the whole mapping', () => {
  it('required fields come from the describe: Contact LastName; Lead LastName and Company', () => {
    expect(requiredFields(contact.fields).map((field) => field.name)).toEqual(['LastName']);
    expect(requiredFields(lead.fields).map((field) => field.name)).toEqual(['LastName', 'Company']);
  });

  it('a required field needs a mapping or a default; a mapping alone leaves empty values unsent', () => {
    const none = checkMapping(settings({ fieldDefaults: [] }), leadContext);
    expect(none.required.find((entry) => entry.field === 'Company')?.verdict).toEqual({
      level: 'error',
      message: 'Lead requires Company (Company): map a WordPress field to it, or give it a default such as “[not provided]”.',
    });
    expect(none.required.find((entry) => entry.field === 'LastName')?.verdict.message).toBe('Users whose last_name is empty cannot be created in Salesforce: give LastName a default for them.');
    expect(none.errors).toContain('Lead requires Company (Company): map a WordPress field to it, or give it a default such as “[not provided]”.');
    const ok = checkMapping(settings(), leadContext);
    expect(ok.errors).toEqual([]);
    expect(ok.required.map((entry) => entry.verdict.message)).toEqual(['“[not provided]” when WordPress has none.', 'Always “[not provided]”.']);
  });

  it('names rows that point at fields that do not exist, and a field written twice', () => {
    const check = checkMapping(
      settings({
        fieldMapping: [
          { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
          { wordpressField: 'meta:twitter', salesforceField: 'Twitter__c', direction: 'push' },
          { wordpressField: 'user_email', salesforceField: 'Title', direction: 'push' },
          { wordpressField: 'nickname', salesforceField: 'Email', direction: 'both' },
        ],
      }),
      leadContext,
    );
    expect(check.rows.slice(1).map((row) => row.verdict.message)).toEqual([
      'Lead has no field Twitter__c (it may have been deleted or renamed: refresh, then choose another).',
      'WordPress has no field “user_email” on this site.',
      'Row 1 already writes Email; two WordPress fields cannot both write one Salesforce field.',
    ]);
    expect(check.errors[0]).toBe('Row 2 (meta:twitter → Twitter__c): Lead has no field Twitter__c (it may have been deleted or renamed: refresh, then choose another).');
  });

  it('defaults must be values the field accepts', () => {
    const check = checkMapping(
      settings({
        fieldDefaults: [
          { salesforceField: 'LastName', value: 'x' },
          { salesforceField: 'Company', value: 'y' },
          { salesforceField: 'NumberOfEmployees', value: 'many' },
          { salesforceField: 'Name', value: 'z' },
          { salesforceField: 'Title', value: ' ' },
        ],
      }),
      leadContext,
    );
    expect(check.defaults.map((entry) => [entry.salesforceField, entry.verdict.level])).toEqual([
      ['LastName', 'ok'],
      ['Company', 'ok'],
      ['NumberOfEmployees', 'error'],
      ['Name', 'error'],
      ['Title', 'warning'],
    ]);
    expect(check.errors).toContain('Default for NumberOfEmployees: “many” is not a number.');
  });

  it('record types: the chosen one must exist, be active and be available to the user', () => {
    const context: MappingContext = {
      ...leadContext,
      recordTypes: [
        { id: '012000000000001AAA', name: 'Web', active: true, available: true, master: false },
        { id: '012000000000002AAA', name: 'Old', active: false, available: true, master: false },
        { id: '012000000000003AAA', name: 'Partner', active: true, available: false, master: false },
      ],
    };
    expect(checkMapping(settings({ recordTypeId: '012000000000001AAA' }), context).recordType.level).toBe('ok');
    expect(checkMapping(settings({ recordTypeId: '012000000000002AAA' }), context).recordType.message).toBe('Record type Old is inactive: Salesforce refuses new records of it.');
    expect(checkMapping(settings({ recordTypeId: '012000000000003AAA' }), context).recordType.message).toBe(
      'Record type Partner is not available to the connection’s user: Salesforce refuses it (FIELD_INTEGRITY_EXCEPTION).',
    );
    expect(checkMapping(settings({ recordTypeId: '012000000000009AAA' }), context).recordType.message).toBe('The chosen record type no longer exists on Lead: choose another.');
  });
});

describe('the match key', () => {
  const wpUserId = custom({ name: 'WP_User_Id__c', type: 'string', length: 50, externalId: true, unique: true, idLookup: true });
  const withField = (field: SalesforceFieldDto, others: MappingContext['otherSites'] = []): MappingContext => ({ ...leadContext, fields: [...lead.fields, field], otherSites: others });
  const key = (field: string, prefix: string | null = null) => ({ kind: 'external-id' as const, field, prefix });

  it('email by default, explained; it needs the WordPress email written to the key field', () => {
    const check = checkMapping(settings(), leadContext);
    expect(check.matchKey.level).toBe('note');
    expect(check.matchKey.message).toContain('ignoring case');
    const withoutEmail = checkMapping(settings({ fieldMapping: [{ wordpressField: 'last_name', salesforceField: 'LastName', direction: 'push' }] }), leadContext);
    expect(withoutEmail.matchKey.message).toBe(
      'Matching by email needs the WordPress email written to Email: add the row email → Email (WordPress → Salesforce), or new records could never be found again.',
    );
  });

  it('email matching on an object without that field says to use an external id', () => {
    const context: MappingContext = { objectType: 'Member__c', fields: [custom({ name: 'Name', type: 'string', length: 80, custom: false })], metaKeys: [], recordTypes: [] };
    expect(checkMapping(settings(), context).matchKey.message).toBe('Member__c has no field Email to match emails on: choose an Email field, or an External ID field such as WP_User_Id__c.');
  });

  it('an external id must exist, be External ID, writable and fit the key; Unique is recommended', () => {
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c') }), leadContext).matchKey.message).toBe(
      'Lead has no field WP_User_Id__c. Create it in Setup → Object Manager → Lead → Fields & Relationships (Text(50), External ID and Unique), then refresh.',
    );
    expect(checkMapping(settings({ matchKey: key('Title') }), leadContext).matchKey.message).toBe('Title is not marked External ID: Salesforce upserts only on External ID fields. Tick External ID on it in Setup, then refresh.');
    const numeric = custom({ name: 'WP_Number__c', type: 'double', precision: 18, externalId: true });
    expect(checkMapping(settings({ matchKey: key('WP_Number__c', 'members-') }), withField(numeric)).matchKey.message).toBe('WP_Number__c is Number(18, 0): a prefix such as “members-” needs a Text field.');
    const short = { ...wpUserId, length: 10 };
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c', 'members-') }), withField(short)).matchKey.message).toBe('WP_User_Id__c takes 10 characters; the prefix and a WordPress user id may need up to 28.');
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c') }), withField({ ...wpUserId, unique: false })).matchKey.level).toBe('warning');
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c') }), withField({ ...wpUserId, createable: false })).matchKey.level).toBe('error');
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c') }), withField(wpUserId)).matchKey).toEqual({ level: 'ok', message: 'Upserts on WP_User_Id__c: one call per 200 users and no duplicates when emails change.' });
  });

  it('warns when another site of the same object uses the same field and prefix', () => {
    const other = [{ name: 'Shop Site', matchKey: key('WP_User_Id__c') }];
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c') }), withField(wpUserId, other)).matchKey.message).toBe(
      'Site “Shop Site” also writes WP_User_Id__c without a prefix: user 42 of both sites would become one record. Give each site its own prefix, such as “shop-site-”.',
    );
    expect(checkMapping(settings({ matchKey: key('WP_User_Id__c', 'members-') }), withField(wpUserId, other)).matchKey.level).toBe('ok');
  });

  it('an external id that is itself required counts as filled', () => {
    const required = { ...wpUserId, nillable: false, requiredOnCreate: true };
    const check = checkMapping(settings({ matchKey: key('WP_User_Id__c') }), withField(required));
    expect(check.required.find((entry) => entry.field === 'WP_User_Id__c')?.verdict.message).toBe('Filled with the match key.');
  });
});

describe('values as Salesforce wants them', () => {
  const value = (raw: unknown, wordpressField: string, field: SalesforceFieldDto) => toSalesforceValue(raw, wp(wordpressField), field);

  it('empty values are empty, whatever the field', () => {
    for (const raw of ['', '  ', null, undefined, []]) expect(value(raw, 'nickname', sf('Title'))).toEqual({ ok: true, empty: true });
  });

  it('emails are checked and trimmed; text is checked against the length', () => {
    expect(value(' ada@example.org ', 'email', sf('Email'))).toMatchObject({ ok: true, value: 'ada@example.org' });
    expect(value('not-an-email', 'nickname', sf('Email'))).toEqual({ ok: false, problem: '“not-an-email” is not a valid email address (INVALID_EMAIL_ADDRESS).' });
    expect(value('x'.repeat(41), 'first_name', sf('FirstName'))).toEqual({ ok: false, problem: '41 characters; FirstName takes at most 40 (STRING_TOO_LONG).' });
    // Salesforce counts UTF-16 units: 39 letters and an emoji are 41, too long for 40.
    expect(value(`${'x'.repeat(39)}😀`, 'first_name', sf('FirstName'))).toEqual({ ok: false, problem: '41 characters; FirstName takes at most 40 (STRING_TOO_LONG).' });
    expect(value(`${'x'.repeat(38)}😀`, 'first_name', sf('FirstName'))).toMatchObject({ ok: true });
    expect(value('Ní Bhriain', 'last_name', sf('LastName'))).toMatchObject({ ok: true, value: 'Ní Bhriain' });
  });

  it('datetimes become UTC ISO strings, dates their UTC date part', () => {
    expect(value('2019-03-04T05:06:07+02:00', 'registered_date', custom({ name: 'Joined__c', type: 'datetime' }))).toEqual({ ok: true, empty: false, value: '2019-03-04T03:06:07.000Z', note: 'Converted to UTC.' });
    expect(value('2019-03-04T01:06:07+02:00', 'registered_date', custom({ name: 'Joined__c', type: 'date' }))).toMatchObject({ value: '2019-03-03' });
    expect(value('2026-05-01', 'meta:since', custom({ name: 'Since__c', type: 'date' }))).toMatchObject({ value: '2026-05-01' });
    expect(value('soon', 'meta:since', custom({ name: 'Since__c', type: 'date' }))).toEqual({ ok: false, problem: '“soon” is not a date Salesforce can read.' });
  });

  it('booleans from yes/no words, numbers within precision (rounded to the scale)', () => {
    const optIn = custom({ name: 'Opt_In__c', type: 'boolean' });
    expect(value('Yes', 'meta:opt_in', optIn)).toMatchObject({ value: true });
    expect(value('0', 'meta:opt_in', optIn)).toMatchObject({ value: false });
    expect(value('maybe', 'meta:opt_in', optIn)).toEqual({ ok: false, problem: '“maybe” is not yes/no, true/false, on/off or 1/0.' });
    const score = custom({ name: 'Score__c', type: 'double', precision: 5, scale: 2 });
    expect(value('12.345', 'meta:score', score)).toEqual({ ok: true, empty: false, value: 12.35, note: 'Rounded to 2 decimals.' });
    expect(value('1234.5', 'meta:score', score)).toEqual({ ok: false, problem: '1234.5 has 4 digits before the decimal point; Score__c takes at most 3 (NUMBER_OUTSIDE_VALID_RANGE).' });
    expect(value('abc', 'meta:score', score)).toEqual({ ok: false, problem: '“abc” is not a number.' });
    expect(value('2.5', 'meta:size', sf('NumberOfEmployees'))).toEqual({ ok: false, problem: '2.5 is not a whole number; NumberOfEmployees takes whole numbers.' });
    expect(value('1,200', 'meta:size', sf('NumberOfEmployees'))).toMatchObject({ value: 1200 });
    expect(value('123456789', 'meta:size', sf('NumberOfEmployees')).ok).toBe(false);
  });

  it('picklists take their own spelling; restricted ones refuse unknown and inactive values', () => {
    expect(value('gold', 'meta:level', picklist(true))).toMatchObject({ ok: true, value: 'Gold' });
    expect(value('Bronze', 'meta:level', picklist(true))).toEqual({ ok: false, problem: '“Bronze” is not a value of the restricted picklist Level__c (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).' });
    expect(value('Platinum', 'meta:level', picklist(false))).toMatchObject({ ok: true, value: 'Platinum' });
    expect(value(['subscriber', 'customer'], 'roles', picklist(false, true))).toEqual({ ok: true, empty: false, value: 'subscriber;customer', note: 'Joined with “;”.' });
    expect(value(['Gold', 'gold', 'Silver'], 'roles', picklist(true, true))).toMatchObject({ value: 'Gold;Silver' });
    expect(value(['subscriber', 'customer'], 'roles', picklist(false))).toMatchObject({ value: 'subscriber', note: 'Only the first of several values.' });
    expect(value(['subscriber', 'customer'], 'roles', sf('Description'))).toMatchObject({ value: 'subscriber;customer' });
  });
});

describe('proposals from names and types', () => {
  it('maps the obvious Lead fields, pushing, and gives required fields a default', () => {
    const proposal = proposeMapping({ fieldMapping: [], fieldDefaults: [] }, { fields: lead.fields, metaKeys: ['company', 'billing_phone', 'favourite_colour'] });
    expect(proposal.fieldMapping).toEqual([
      { wordpressField: 'email', salesforceField: 'Email', direction: 'push' },
      { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'push' },
      { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'push' },
      { wordpressField: 'url', salesforceField: 'Website', direction: 'push' },
      { wordpressField: 'description', salesforceField: 'Description', direction: 'push' },
      { wordpressField: 'meta:company', salesforceField: 'Company', direction: 'push' },
      { wordpressField: 'meta:billing_phone', salesforceField: 'Phone', direction: 'push' },
    ]);
    expect(proposal.fieldDefaults).toEqual([
      { salesforceField: 'LastName', value: '[not provided]' },
      { salesforceField: 'Company', value: '[not provided]' },
    ]);
    expect(checkMapping({ ...settings(), ...proposal }, leadContext).errors).toEqual([]);
  });

  it('keeps what the admin mapped and never proposes a second writer for a field', () => {
    const proposal = proposeMapping({ fieldMapping: [{ wordpressField: 'nickname', salesforceField: 'FirstName', direction: 'push' }], fieldDefaults: [{ salesforceField: 'LastName', value: 'Member' }] }, { fields: contact.fields, metaKeys: [] });
    expect(proposal.fieldMapping[0]).toEqual({ wordpressField: 'nickname', salesforceField: 'FirstName', direction: 'push' });
    expect(proposal.fieldMapping.filter((row) => row.salesforceField === 'FirstName')).toHaveLength(1);
    expect(proposal.fieldMapping.some((row) => row.wordpressField === 'first_name')).toBe(false);
    expect(proposal.fieldDefaults).toEqual([{ salesforceField: 'LastName', value: 'Member' }]);
  });
});
