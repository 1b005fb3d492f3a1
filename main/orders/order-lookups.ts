/**
 * What the orders planner needs to know from Salesforce, read in as few calls as it can:
 * the org (Order's describe: key field, currency, Status values; the price books; the org's
 * currency) and what already exists — Orders by key with their items (one child subquery, so
 * items cost no extra call), Contacts by e-mail, Accounts by name, Product2 by id, code and
 * name, price book entries. Keys go in SOQL `IN` lists of at most 200 escaped values, and a
 * list is cut shorter when its text would make the URL too long.
 *
 * Reads are retried with back-off (they change nothing); every call is counted.
 */
import { AppError } from '../../common/errors';
import type { OrderSettings } from '../../common/orders-models';
import { retryDelay, waitFor, type RetryPolicy } from '../platform/retry-with-jitter';
import type { SalesforceRequest } from '../salesforce/salesforce-api';
import { salesforceFailureKind } from '../salesforce/salesforce-failure-kind';
import { soqlInList, soqlQuote } from '../salesforce/soql-escape';
import { entryKey, type ExistingEntry, type ExistingOrder, type OrgFacts, type ProductNeed } from './order-planner';

export interface OrdersApi {
  request<T = unknown>(request: string | SalesforceRequest): Promise<T>;
}

export interface CallCounter {
  calls: number;
}

export const IN_LIST_MAX = 200;
/** Characters of quoted values in one IN list: keeps the GET URL well under Salesforce's 16 KB. */
const IN_LIST_TEXT_MAX = 6_000;
export const DEFAULT_KEY_FIELD = 'WC_Order_Id__c';

export interface Reader {
  readonly api: OrdersApi;
  readonly counter: CallCounter;
  readonly retry: RetryPolicy;
  readonly signal?: AbortSignal;
}

async function get<T>(reader: Reader, url: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    reader.signal?.throwIfAborted();
    try {
      reader.counter.calls += 1;
      return await reader.api.request<T>(url);
    } catch (error) {
      if (attempt >= reader.retry.attempts || salesforceFailureKind(error) !== 'retry') throw error;
      await waitFor(retryDelay(reader.retry, attempt), reader.signal);
    }
  }
}

interface Page<R> {
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: readonly R[];
}

export async function query<R>(reader: Reader, soql: string): Promise<R[]> {
  let page = await get<Page<R>>(reader, `/query?q=${encodeURIComponent(soql)}`);
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = await get<Page<R>>(reader, page.nextRecordsUrl);
    records.push(...page.records);
  }
  return records;
}

/** Values in IN-list chunks: at most 200 each, and short enough for a GET URL. */
export function inChunks(values: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const size = soqlQuote(value).length + 2;
    if (current.length > 0 && (current.length >= IN_LIST_MAX || length + size > IN_LIST_TEXT_MAX)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(value);
    length += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function queryIn<R>(reader: Reader, values: readonly string[], soqlFor: (inList: string) => string): Promise<R[]> {
  const unique = [...new Set(values.filter((value) => value !== ''))];
  const out: R[] = [];
  for (const chunk of inChunks(unique)) out.push(...(await query<R>(reader, soqlFor(soqlInList(chunk)))));
  return out;
}

interface DescribeField {
  readonly name: string;
  readonly externalId?: boolean;
  readonly createable?: boolean;
  readonly picklistValues?: readonly { readonly value: string; readonly active?: boolean; readonly defaultValue?: boolean }[];
}

/** The org as the orders need it: 2 calls (Order describe, price books), 3 when the currency must be asked. */
export async function readOrgFacts(reader: Reader, settings: OrderSettings): Promise<OrgFacts & { readonly statusValues: readonly string[] }> {
  const describe = await get<{ fields?: readonly DescribeField[] }>(reader, '/sobjects/Order/describe');
  const fields = describe.fields ?? [];
  const field = (name: string) => fields.find((f) => f.name.toLowerCase() === name.toLowerCase());

  let keyField: string;
  let keyIsExternalId: boolean;
  if (settings.orderKeyField) {
    const chosen = field(settings.orderKeyField);
    if (!chosen) {
      throw new AppError('INVALID_REQUEST', `The org's Order object has no field ${settings.orderKeyField} (the order settings name it as the WooCommerce order id's field).`, {
        hint: `Create the field in Salesforce (Text, External ID, Unique), or clear the setting to use ${DEFAULT_KEY_FIELD} or OrderReferenceNumber.`,
      });
    }
    keyField = chosen.name;
    keyIsExternalId = chosen.externalId === true;
  } else {
    const custom = field(DEFAULT_KEY_FIELD);
    keyField = custom?.name ?? 'OrderReferenceNumber';
    keyIsExternalId = custom?.externalId === true;
  }

  const status = field('Status');
  const statusValues = (status?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value);
  const draftStatus = settings.draftStatus ?? status?.picklistValues?.find((v) => v.defaultValue)?.value ?? (statusValues.includes('Draft') ? 'Draft' : statusValues[0] ?? 'Draft');
  const activatedStatus = settings.activatedStatus ?? 'Activated';
  for (const [what, value] of [['Draft', draftStatus], ['Activated', activatedStatus]] as const) {
    if (statusValues.length > 0 && !statusValues.includes(value)) {
      throw new AppError('INVALID_REQUEST', `The ${what} status “${value}” is not a value of the org's Order Status picklist (${statusValues.join(', ')}).`, {
        hint: 'Choose one of the picklist values in the site’s order settings.',
      });
    }
  }
  const currencyField = field('CurrencyIsoCode');
  const multiCurrency = currencyField !== undefined;
  // The org's active currencies are the values of Order's CurrencyIsoCode picklist.
  const currencies = (currencyField?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value.toUpperCase());

  const books = await query<{ Id: string; Name: string; IsStandard: boolean; IsActive: boolean }>(
    reader,
    `SELECT Id, Name, IsStandard, IsActive FROM Pricebook2 WHERE IsStandard = true${settings.pricebookId ? ` OR Id = ${soqlQuote(settings.pricebookId)}` : ''}`,
  );
  const standard = books.find((book) => book.IsStandard);
  if (!standard) {
    throw new AppError('NOT_FOUND', 'Salesforce did not return the standard price book (Pricebook2 WHERE IsStandard = true).', {
      hint: 'Check that the connection’s user can read price books (Products and Price Books permissions).',
    });
  }
  let pricebook = { id: standard.Id, name: standard.Name, standard: true };
  if (settings.pricebookId) {
    const custom = books.find((book) => book.Id.slice(0, 15) === settings.pricebookId!.slice(0, 15));
    if (!custom) throw new AppError('NOT_FOUND', `The price book ${settings.pricebookId} chosen for this site does not exist in the org.`, { hint: 'Choose another price book in the order settings, or clear it to use the standard price book.' });
    if (!custom.IsActive) throw new AppError('INVALID_REQUEST', `The price book “${custom.Name}” chosen for this site is inactive; Salesforce refuses orders on it.`, { hint: 'Activate it in Salesforce, or choose another one.' });
    pricebook = { id: custom.Id, name: custom.Name, standard: custom.IsStandard };
  }

  let orgCurrency = settings.orgCurrency;
  if (!multiCurrency && orgCurrency === null) {
    try {
      const rows = await query<{ DefaultCurrencyIsoCode?: string }>(reader, 'SELECT DefaultCurrencyIsoCode FROM Organization');
      orgCurrency = rows[0]?.DefaultCurrencyIsoCode ?? null;
    } catch (error) {
      if (salesforceFailureKind(error) === 'stop') throw error;
      // Not readable for this user (or not in this org): the planner refuses orders with a message.
      orgCurrency = null;
    }
  }
  return { keyField, keyIsExternalId, multiCurrency, ...(currencies.length > 0 ? { currencies } : {}), orgCurrency, draftStatus, activatedStatus, standardPricebookId: standard.Id, pricebook, statusValues };
}

interface OrderRow {
  readonly Id: string;
  readonly Status: string | null;
  readonly StatusCode: string | null;
  readonly AccountId: string | null;
  readonly BillToContactId: string | null;
  readonly Pricebook2Id: string | null;
  readonly TotalAmount: number | null;
  readonly EffectiveDate: string | null;
  readonly OrderItems?: { readonly records: readonly ExistingOrder['items'][number][] } | null;
  readonly [field: string]: unknown;
}

/** Orders by key, with their items (child subquery: no extra call). */
export async function lookupOrders(reader: Reader, keyField: string, keys: readonly string[]): Promise<Map<string, ExistingOrder[]>> {
  const rows = await queryIn<OrderRow>(
    reader,
    keys,
    (list) =>
      `SELECT Id, ${keyField}, Status, StatusCode, AccountId, BillToContactId, Pricebook2Id, TotalAmount, EffectiveDate, (SELECT Id, PricebookEntryId, Product2Id, Quantity, UnitPrice, Description FROM OrderItems) FROM Order WHERE ${keyField} IN ${list} ORDER BY CreatedDate`,
  );
  const byKey = new Map<string, ExistingOrder[]>();
  for (const row of rows) {
    const key = String(row[keyField] ?? '');
    const order: ExistingOrder = {
      Id: row.Id,
      key,
      Status: row.Status,
      StatusCode: row.StatusCode,
      AccountId: row.AccountId,
      BillToContactId: row.BillToContactId,
      Pricebook2Id: row.Pricebook2Id,
      TotalAmount: row.TotalAmount,
      EffectiveDate: row.EffectiveDate,
      items: row.OrderItems?.records ?? [],
    };
    byKey.set(key, [...(byKey.get(key) ?? []), order]);
  }
  return byKey;
}

/** Contacts by lower-cased e-mail (SOQL compares case-insensitively); the oldest wins. */
export async function lookupContacts(reader: Reader, emails: readonly string[]): Promise<Map<string, { Id: string; AccountId: string | null }>> {
  const rows = await queryIn<{ Id: string; Email: string | null; AccountId: string | null }>(reader, emails, (list) => `SELECT Id, Email, AccountId FROM Contact WHERE Email IN ${list} ORDER BY CreatedDate`);
  const byEmail = new Map<string, { Id: string; AccountId: string | null }>();
  for (const row of rows) {
    const email = (row.Email ?? '').toLowerCase();
    const known = byEmail.get(email);
    // Prefer the oldest Contact that has an Account (the order needs one).
    if (!known || (!known.AccountId && row.AccountId)) byEmail.set(email, { Id: row.Id, AccountId: row.AccountId });
  }
  return byEmail;
}

/** Accounts by lower-cased name: only names exactly one Account has (several: not guessed). */
export async function lookupAccounts(reader: Reader, names: readonly string[]): Promise<Map<string, string>> {
  const rows = await queryIn<{ Id: string; Name: string }>(reader, names, (list) => `SELECT Id, Name FROM Account WHERE Name IN ${list} ORDER BY CreatedDate`);
  const counts = new Map<string, string[]>();
  for (const row of rows) counts.set(row.Name.toLowerCase(), [...(counts.get(row.Name.toLowerCase()) ?? []), row.Id]);
  return new Map([...counts].filter(([, ids]) => ids.length === 1).map(([name, ids]) => [name, ids[0]!]));
}

/** Product2 per product reference: mapped ids checked, then ProductCode, then Name (active products first). */
export async function lookupProducts(reader: Reader, needs: readonly ProductNeed[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const mapped = needs.filter((need) => need.mappedId);
  if (mapped.length > 0) {
    const rows = await queryIn<{ Id: string }>(reader, mapped.map((need) => need.mappedId!), (list) => `SELECT Id FROM Product2 WHERE Id IN ${list}`);
    const ids = new Set(rows.map((row) => row.Id.slice(0, 15)));
    for (const need of mapped) if (ids.has(need.mappedId!.slice(0, 15))) found.set(need.ref, rows.find((row) => row.Id.slice(0, 15) === need.mappedId!.slice(0, 15))!.Id);
  }
  const bySku = needs.filter((need) => !need.mappedId && need.sku !== '');
  if (bySku.length > 0) {
    const rows = await queryIn<{ Id: string; ProductCode: string | null; IsActive: boolean }>(reader, bySku.map((need) => need.sku), (list) => `SELECT Id, ProductCode, IsActive FROM Product2 WHERE ProductCode IN ${list} ORDER BY IsActive DESC, CreatedDate`);
    const byCode = new Map<string, string>();
    for (const row of rows) if (row.ProductCode && !byCode.has(row.ProductCode.toLowerCase())) byCode.set(row.ProductCode.toLowerCase(), row.Id);
    for (const need of bySku) {
      const id = byCode.get(need.sku.toLowerCase());
      if (id) found.set(need.ref, id);
    }
  }
  const byName = needs.filter((need) => !need.mappedId && !found.has(need.ref) && need.name !== '');
  if (byName.length > 0) {
    const rows = await queryIn<{ Id: string; Name: string }>(reader, byName.map((need) => need.name), (list) => `SELECT Id, Name FROM Product2 WHERE Name IN ${list} ORDER BY IsActive DESC, CreatedDate`);
    const named = new Map<string, string>();
    for (const row of rows) if (!named.has(row.Name.toLowerCase())) named.set(row.Name.toLowerCase(), row.Id);
    for (const need of byName) {
      const id = named.get(need.name.toLowerCase());
      if (id) found.set(need.ref, id);
    }
  }
  return found;
}

/** Price book entries of these products in these books (and currency, in a multi-currency org). */
export async function lookupEntries(reader: Reader, books: readonly string[], productIds: readonly string[], multiCurrency: boolean): Promise<Map<string, ExistingEntry>> {
  const entries = new Map<string, ExistingEntry>();
  if (productIds.length === 0) return entries;
  const rows = await queryIn<{ Id: string; Pricebook2Id: string; Product2Id: string; IsActive: boolean; CurrencyIsoCode?: string }>(
    reader,
    productIds,
    (list) => `SELECT Id, Pricebook2Id, Product2Id, IsActive${multiCurrency ? ', CurrencyIsoCode' : ''} FROM PricebookEntry WHERE Pricebook2Id IN ${soqlInList([...new Set(books)])} AND Product2Id IN ${list}`,
  );
  for (const row of rows) entries.set(entryKey(row.Pricebook2Id, row.Product2Id, multiCurrency ? (row.CurrencyIsoCode ?? null) : null), { Id: row.Id, IsActive: row.IsActive });
  return entries;
}
