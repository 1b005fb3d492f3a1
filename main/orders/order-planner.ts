/**
 * The orders planner: pure. Given WooCommerce orders, the site's order settings, what the org
 * is (key field, currency, statuses, price book) and what Salesforce already holds (Orders by
 * key with their items, Contacts by e-mail, Accounts by name, Product2, price book entries),
 * it decides per order — create, update, unchanged, locked (activated: never modified in a
 * way Salesforce forbids) or invalid — and which Accounts, Contacts, Product2 and
 * PricebookEntry records must be created first.
 *
 * Records not yet in Salesforce are named by tokens (`@contact:ann@example.org`), which the
 * executor replaces with the ids Salesforce gives in dependency order; an order whose token
 * did not resolve fails with the error that stopped its dependency.
 */
import type { OrderPlanClass, OrderSettings } from '../../common/orders-models';
import type { WooLineItem, WooOrder } from '../../common/wordpress-models';

export interface OrgFacts {
  /** Order field holding the key: an External ID field, or OrderReferenceNumber. */
  readonly keyField: string;
  /** The key field is an External ID: creates go as upserts (a repeat cannot duplicate). */
  readonly keyIsExternalId: boolean;
  readonly multiCurrency: boolean;
  /** Multi-currency org: its active currencies (Order's CurrencyIsoCode picklist), when the describe lists them. */
  readonly currencies?: readonly string[];
  /** Single-currency org: its currency, when known. */
  readonly orgCurrency: string | null;
  readonly draftStatus: string;
  readonly activatedStatus: string;
  readonly standardPricebookId: string;
  readonly pricebook: { readonly id: string; readonly name: string; readonly standard: boolean };
}

export interface ExistingItem {
  readonly Id: string;
  readonly PricebookEntryId: string | null;
  readonly Product2Id: string | null;
  readonly Quantity: number;
  readonly UnitPrice: number;
  readonly Description: string | null;
}

export interface ExistingOrder {
  readonly Id: string;
  readonly key: string;
  readonly Status: string | null;
  readonly StatusCode: string | null;
  readonly AccountId: string | null;
  readonly BillToContactId: string | null;
  readonly Pricebook2Id: string | null;
  readonly TotalAmount: number | null;
  readonly EffectiveDate: string | null;
  readonly items: readonly ExistingItem[];
}

export interface ExistingEntry {
  readonly Id: string;
  readonly IsActive: boolean;
}

export interface SalesforceState {
  /** By order key. Several Orders with one key: the first (the others are reported). */
  readonly orders: ReadonlyMap<string, readonly ExistingOrder[]>;
  /** By lower-cased e-mail: the first Contact (oldest). */
  readonly contacts: ReadonlyMap<string, { readonly Id: string; readonly AccountId: string | null }>;
  /** By lower-cased Account name (per-customer strategy). */
  readonly accounts: ReadonlyMap<string, string>;
  /** Product2 ids by product reference (see productRefOf). */
  readonly products: ReadonlyMap<string, string>;
  /** By entryKey(book, product2Id, currency). */
  readonly entries: ReadonlyMap<string, ExistingEntry>;
}

/** What a line item's product is matched on, in order: the mapping table, the SKU, the name. */
export interface ProductNeed {
  readonly ref: string;
  readonly mappedId: string | null;
  readonly sku: string;
  readonly name: string;
  /** Unit price for a standard entry created on demand. */
  readonly price: number;
}

export interface NewRecord {
  /** Token this record resolves (`@account:…`). */
  readonly token: string;
  /** Key for the journal and for finding it again (e-mail, name, product reference …). */
  readonly key: string;
  /** Field values; a value starting with `@` is a token to resolve. */
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
}

export interface PlannedItem {
  /** WooCommerce line item id. */
  readonly lineId: number;
  /** Existing OrderItem to update, or null to create. */
  readonly itemId: string | null;
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
}

export interface PlannedOrder {
  readonly wooOrderId: number;
  readonly number: string;
  readonly key: string;
  readonly class: OrderPlanClass;
  readonly salesforceId: string | null;
  readonly buyerEmail: string;
  readonly currency: string;
  readonly wooTotal: string;
  readonly itemsTotal: number;
  readonly itemCount: number;
  /** Order fields to create with, or to update (changed fields only). */
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
  readonly items: readonly PlannedItem[];
  /** Set the Order's Status to the activated value once its items are in. */
  readonly activate: boolean;
  /** invalid / locked: why; update: what changes. */
  readonly detail: string | null;
  readonly reasonCode: string | null;
}

export interface OrdersPlan {
  readonly orders: readonly PlannedOrder[];
  readonly accounts: readonly NewRecord[];
  readonly contacts: readonly NewRecord[];
  readonly products: readonly NewRecord[];
  /** Standard price book entries first, then custom ones (Salesforce wants the standard price first). */
  readonly standardEntries: readonly NewRecord[];
  readonly customEntries: readonly NewRecord[];
}

export const ITEM_MARKER = 'WooCommerce line';

export function orderKeyOf(order: Pick<WooOrder, 'id'>, settings: Pick<OrderSettings, 'orderKeyPrefix'>): string {
  return `${settings.orderKeyPrefix}${order.id}`;
}

/** `WooCommerce line 17: Blue mug` — how an OrderItem remembers its WooCommerce line (Description, 255). */
export function itemDescription(item: Pick<WooLineItem, 'id' | 'name'>): string {
  return `${ITEM_MARKER} ${item.id}: ${item.name}`.slice(0, 255);
}

export function lineIdOf(description: string | null): number | null {
  const match = /^WooCommerce line (\d+)(?::|$)/.exec(description ?? '');
  return match ? Number(match[1]) : null;
}

export function entryKey(pricebookId: string, product2Id: string, currency: string | null): string {
  return `${pricebookId}|${product2Id}|${currency ?? ''}`;
}

/** 18-character ids compare on their first 15 (case-sensitive) characters. */
export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return (a ?? null) === (b ?? null);
  return a.slice(0, 15) === b.slice(0, 15);
}

export function isToken(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('@');
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

function productOfLine(line: WooLineItem): number {
  return line.variationId > 0 ? line.variationId : line.productId;
}

/** A product's reference: the mapped Product2, else its SKU, else its name (lower-cased). */
export function productRefOf(line: WooLineItem, settings: Pick<OrderSettings, 'productMappings'>): string {
  const mapped = settings.productMappings.find((m) => m.wooProductId === productOfLine(line) || m.wooProductId === line.productId);
  if (mapped) return `id:${mapped.product2Id}`;
  if (line.sku.trim() !== '') return `sku:${line.sku.trim().toLowerCase()}`;
  return `name:${line.name.trim().toLowerCase()}`;
}

/** The products the orders' line items need, one per reference. */
export function productNeeds(orders: readonly WooOrder[], settings: Pick<OrderSettings, 'productMappings'>): ProductNeed[] {
  const needs = new Map<string, ProductNeed>();
  for (const order of orders) {
    for (const line of order.lineItems) {
      const ref = productRefOf(line, settings);
      if (needs.has(ref)) continue;
      needs.set(ref, { ref, mappedId: ref.startsWith('id:') ? ref.slice(3) : null, sku: line.sku.trim(), name: line.name.trim(), price: unitPriceOf(line) });
    }
  }
  return [...needs.values()];
}

export function unitPriceOf(line: WooLineItem): number {
  const quantity = line.quantity;
  const total = Number.parseFloat(line.total);
  if (quantity > 0 && Number.isFinite(total)) return round2(total / quantity);
  return round2(Number.isFinite(line.price) ? line.price : 0);
}

export function accountNameOf(order: WooOrder): string {
  const company = order.billing.company.trim();
  if (company !== '') return company.slice(0, 255);
  const person = `${order.billing.firstName} ${order.billing.lastName}`.trim();
  return (person || order.billing.email.trim() || `WooCommerce customer ${order.customerId || order.id}`).slice(0, 255);
}

function contactFields(order: WooOrder, accountRef: string | null): Record<string, string | null> {
  const b = order.billing;
  const email = b.email.trim();
  const last = b.lastName.trim() || b.company.trim() || email.split('@')[0] || 'Customer';
  return {
    FirstName: b.firstName.trim().slice(0, 40) || null,
    LastName: last.slice(0, 80),
    Email: email,
    Phone: b.phone.trim().slice(0, 40) || null,
    ...(accountRef ? { AccountId: accountRef } : {}),
  };
}

function billingFields(order: WooOrder): Record<string, string | null> {
  const b = order.billing;
  const street = [b.address1, b.address2].map((s) => s.trim()).filter(Boolean).join('\n');
  return {
    BillingStreet: street || null,
    BillingCity: b.city.trim() || null,
    BillingState: b.state.trim() || null,
    BillingPostalCode: b.postcode.trim() || null,
    BillingCountry: b.country.trim() || null,
  };
}

export interface PlanInput {
  readonly orders: readonly WooOrder[];
  readonly settings: OrderSettings;
  readonly org: OrgFacts;
  readonly state: SalesforceState;
}

export function planOrders(input: PlanInput): OrdersPlan {
  const { settings, org, state } = input;
  const accounts = new Map<string, NewRecord>();
  const contacts = new Map<string, NewRecord>();
  const products = new Map<string, NewRecord>();
  const standardEntries = new Map<string, NewRecord>();
  const customEntries = new Map<string, NewRecord>();
  const planned: PlannedOrder[] = [];
  const seenKeys = new Set<string>();

  const productIdOf = (ref: string, need: ProductNeed): string | null => {
    const found = state.products.get(ref);
    if (found) return found;
    if (need.mappedId) return null; // a mapping to a Product2 that does not exist: reported, never created
    if (!settings.createMissingProducts) return null;
    const token = `@product:${ref}`;
    if (!products.has(ref)) {
      products.set(ref, { token, key: ref, fields: { Name: (need.name || need.sku || 'WooCommerce product').slice(0, 255), ProductCode: need.sku ? need.sku.slice(0, 255) : null, IsActive: true } });
    }
    return token;
  };

  /** The entry for a product in a book (standard first when the book is custom); a reason when it cannot be used. */
  const entryOf = (book: string, productRef: string, price: number, currency: string | null): { ref: string } | { reason: string; code: string } => {
    const standardKey = entryKey(org.standardPricebookId, productRef, currency);
    const standard = isToken(productRef) ? undefined : state.entries.get(standardKey);
    if (standard && !standard.IsActive) return { code: 'INACTIVE_PRICEBOOK_ENTRY', reason: `The product's standard price book entry (${standard.Id}) is inactive. Activate it in Salesforce; ForceSites does not reactivate entries an admin switched off.` };
    let standardRef = standard?.Id;
    if (!standardRef) {
      if (!standardEntries.has(standardKey)) {
        standardEntries.set(standardKey, { token: `@entry:${standardKey}`, key: standardKey, fields: { Pricebook2Id: org.standardPricebookId, Product2Id: productRef, UnitPrice: price, IsActive: true, ...(org.multiCurrency && currency ? { CurrencyIsoCode: currency } : {}) } });
      }
      standardRef = `@entry:${standardKey}`;
    }
    if (sameId(book, org.standardPricebookId)) return { ref: standardRef };
    const customKey = entryKey(book, productRef, currency);
    const custom = isToken(productRef) ? undefined : state.entries.get(customKey);
    if (custom && !custom.IsActive) return { code: 'INACTIVE_PRICEBOOK_ENTRY', reason: `The product's entry in the chosen price book (${custom.Id}) is inactive. Activate it in Salesforce.` };
    if (custom) return { ref: custom.Id };
    if (!customEntries.has(customKey)) {
      customEntries.set(customKey, { token: `@entry:${customKey}`, key: customKey, fields: { Pricebook2Id: book, Product2Id: productRef, UnitPrice: price, IsActive: true, ...(org.multiCurrency && currency ? { CurrencyIsoCode: currency } : {}) } });
    }
    return { ref: `@entry:${customKey}` };
  };

  for (const order of input.orders) {
    const key = orderKeyOf(order, settings);
    const email = order.billing.email.trim();
    const lineItems = order.lineItems.filter((line) => line.quantity > 0);
    const itemsTotal = round2(lineItems.reduce((sum, line) => sum + round2(line.quantity * unitPriceOf(line)), 0));
    const base = { wooOrderId: order.id, number: order.number, key, buyerEmail: email, currency: order.currency, wooTotal: order.total, itemsTotal, itemCount: lineItems.length };
    const invalid = (code: string, reason: string): PlannedOrder => ({ ...base, class: 'invalid', salesforceId: null, fields: {}, items: [], activate: false, detail: reason, reasonCode: code });
    const existingAll = state.orders.get(key) ?? [];
    const existing = existingAll[0];

    if (seenKeys.has(key)) {
      planned.push(invalid('DUPLICATE_ORDER_KEY', `WooCommerce listed order ${order.id} twice; it is sent once.`));
      continue;
    }
    seenKeys.add(key);
    if (existingAll.length > 1) {
      planned.push({ ...invalid('DUPLICATE_IN_SALESFORCE', `Salesforce holds ${existingAll.length} Orders with ${org.keyField} “${key}” (${existingAll.map((o) => o.Id).join(', ')}). Delete the extra ones; ForceSites will not pick one.`), salesforceId: existing!.Id });
      continue;
    }
    // Currency first: nothing is created for an order Salesforce would refuse.
    const currency = org.multiCurrency ? order.currency : null;
    if (!org.multiCurrency) {
      if (org.orgCurrency === null) {
        planned.push(invalid('CURRENCY_UNKNOWN', `ForceSites could not read the org's currency, and the order is in ${order.currency}. Set the org's currency in the site's order settings.`));
        continue;
      }
      if (order.currency.toUpperCase() !== org.orgCurrency.toUpperCase()) {
        planned.push(invalid('CURRENCY_MISMATCH', `The order is in ${order.currency}, but the org is single-currency (${org.orgCurrency}): Salesforce would record the amounts as ${org.orgCurrency}. Turn on multiple currencies in Salesforce, or leave this order out.`));
        continue;
      }
    }
    if (org.multiCurrency && org.currencies !== undefined && !org.currencies.includes(order.currency.toUpperCase())) {
      planned.push(invalid('CURRENCY_INACTIVE', `The order is in ${order.currency}, which is not an active currency of the org (${org.currencies.join(', ')}): Salesforce would refuse it. Activate ${order.currency} in Salesforce (Setup → Manage Currencies), or leave this order out.`));
      continue;
    }
    if (lineItems.length === 0) {
      planned.push(invalid('NO_ITEMS', 'The order has no line items with a quantity; Salesforce Orders need products.'));
      continue;
    }
    if (email === '' && settings.accountStrategy !== 'default-account') {
      planned.push(invalid('NO_BUYER_EMAIL', 'The order has no billing e-mail, so its buyer cannot be matched to a Contact. Add the e-mail in WooCommerce, or use one default Account.'));
      continue;
    }

    // Buyer: the Contact with the billing e-mail (case-insensitive), created when missing.
    const emailKey = email.toLowerCase();
    const contact = emailKey ? state.contacts.get(emailKey) : undefined;
    let accountRef: string | null = null;
    if (settings.accountStrategy === 'default-account') {
      accountRef = settings.defaultAccountId;
    } else if (contact?.AccountId) {
      accountRef = contact.AccountId;
    } else if (settings.accountStrategy === 'contact-account') {
      accountRef = settings.defaultAccountId;
    } else {
      const name = accountNameOf(order);
      accountRef = state.accounts.get(name.toLowerCase()) ?? null;
      if (accountRef === null) {
        const token = `@account:${emailKey}`;
        if (!accounts.has(emailKey)) accounts.set(emailKey, { token, key: emailKey, fields: { Name: name } });
        accountRef = token;
      }
    }
    if (accountRef === null) {
      planned.push(invalid('NO_ACCOUNT', settings.accountStrategy === 'default-account' ? 'No default Account is set for this site.' : `The buyer ${email} has no Contact with an Account, and no default Account is set. Choose a default Account in the order settings, or the per-customer strategy.`));
      continue;
    }
    let contactRef: string | null = null;
    if (emailKey) {
      if (contact) contactRef = contact.Id;
      else {
        const token = `@contact:${emailKey}`;
        if (!contacts.has(emailKey)) contacts.set(emailKey, { token, key: emailKey, fields: contactFields(order, accountRef) });
        contactRef = token;
      }
    }

    // Items: each line's product and its entry in the order's price book.
    const book = existing?.Pricebook2Id ?? org.pricebook.id;
    const items: { line: WooLineItem; entry: string; fields: Record<string, string | number | boolean | null> }[] = [];
    let problem: { code: string; reason: string } | undefined;
    for (const line of lineItems) {
      const ref = productRefOf(line, settings);
      const need: ProductNeed = { ref, mappedId: ref.startsWith('id:') ? ref.slice(3) : null, sku: line.sku.trim(), name: line.name.trim(), price: unitPriceOf(line) };
      const productId = productIdOf(ref, need);
      if (productId === null) {
        problem = need.mappedId
          ? { code: 'PRODUCT_NOT_FOUND', reason: `The mapping table sends “${line.name}” to Product2 ${need.mappedId}, which Salesforce does not have. Fix the mapping.` }
          : { code: 'PRODUCT_NOT_FOUND', reason: `No Product2 has the code “${need.sku}” or the name “${line.name}”, and creating missing products is off. Map the product or turn creating on.` };
        break;
      }
      const entry = entryOf(book, productId, need.price, currency);
      if ('reason' in entry) {
        problem = { code: entry.code, reason: `“${line.name}”: ${entry.reason}` };
        break;
      }
      items.push({ line, entry: entry.ref, fields: { PricebookEntryId: entry.ref, Quantity: line.quantity, UnitPrice: unitPriceOf(line), Description: itemDescription(line) } });
    }
    if (problem) {
      planned.push(invalid(problem.code, problem.reason));
      continue;
    }

    const header: Record<string, string | number | boolean | null> = {
      AccountId: accountRef,
      BillToContactId: contactRef,
      EffectiveDate: order.dateCreatedGmt.slice(0, 10),
      Name: `WooCommerce order ${order.number}`.slice(0, 80),
      ...billingFields(order),
    };

    if (!existing) {
      planned.push({
        ...base,
        class: 'create',
        salesforceId: null,
        fields: { ...header, Status: org.draftStatus, Pricebook2Id: org.pricebook.id, [org.keyField]: key, ...(org.multiCurrency ? { CurrencyIsoCode: order.currency } : {}) },
        items: items.map((item) => ({ lineId: item.line.id, itemId: null, fields: item.fields })),
        activate: settings.activate,
        detail: null,
        reasonCode: null,
      });
      continue;
    }

    // In Salesforce already: what differs?
    const activated = existing.StatusCode === 'Activated';
    const changes: Record<string, string | number | boolean | null> = {};
    for (const [field, value] of Object.entries(header)) {
      const current = (existing as unknown as Record<string, unknown>)[field];
      const same = field.endsWith('Id') ? !isToken(value) && sameId(current as string | null, value as string | null) : (current ?? null) === value;
      if (!same && !(field.startsWith('Billing') || field === 'Name')) changes[field] = value;
    }
    const byLine = new Map<number, ExistingItem>();
    for (const item of existing.items) {
      const line = lineIdOf(item.Description);
      if (line !== null) byLine.set(line, item);
    }
    const itemPlans: PlannedItem[] = [];
    const itemNotes: string[] = [];
    for (const item of items) {
      const current = byLine.get(item.line.id);
      if (!current) {
        itemPlans.push({ lineId: item.line.id, itemId: null, fields: item.fields });
        itemNotes.push(`add “${item.line.name}”`);
      } else if (Number(current.Quantity) !== item.line.quantity || round2(Number(current.UnitPrice)) !== unitPriceOf(item.line)) {
        itemPlans.push({ lineId: item.line.id, itemId: current.Id, fields: { Quantity: item.line.quantity, UnitPrice: unitPriceOf(item.line) } });
        itemNotes.push(`“${item.line.name}” ${current.Quantity} × ${current.UnitPrice} → ${item.line.quantity} × ${unitPriceOf(item.line)}`);
      }
    }
    const changeNotes = Object.keys(changes).map((field) => `${field} changes`);
    if (activated) {
      // Salesforce forbids adding or removing products and changing the Account of an
      // activated order; ForceSites changes nothing on it and says what differs.
      if (itemPlans.length > 0 || 'AccountId' in changes) {
        planned.push({ ...base, class: 'locked', salesforceId: existing.Id, fields: {}, items: [], activate: false, detail: `Activated in Salesforce, so ForceSites leaves it as it is. Differs from WooCommerce: ${[...changeNotes, ...itemNotes].join('; ')}.`, reasonCode: 'ORDER_ACTIVATED' });
        continue;
      }
      if (Object.keys(changes).length === 0) {
        planned.push({ ...base, class: 'unchanged', salesforceId: existing.Id, fields: {}, items: [], activate: false, detail: null, reasonCode: null });
        continue;
      }
      planned.push({ ...base, class: 'update', salesforceId: existing.Id, fields: changes, items: [], activate: false, detail: changeNotes.join('; '), reasonCode: null });
      continue;
    }
    // A Draft order without a price book gets the chosen one (before its first product).
    if (!existing.Pricebook2Id && existing.items.length === 0) changes['Pricebook2Id'] = org.pricebook.id;
    const activate = settings.activate;
    if (Object.keys(changes).length === 0 && itemPlans.length === 0 && !activate) {
      planned.push({ ...base, class: 'unchanged', salesforceId: existing.Id, fields: {}, items: [], activate: false, detail: null, reasonCode: null });
      continue;
    }
    planned.push({
      ...base,
      class: 'update',
      salesforceId: existing.Id,
      fields: changes,
      items: itemPlans,
      activate,
      detail: [...changeNotes, ...itemNotes, ...(activate ? ['activate'] : [])].join('; ') || null,
      reasonCode: null,
    });
  }

  // Records only orders that will be written need: an invalid order's dependencies are dropped.
  const wanted = new Set<string>();
  const want = (value: unknown): void => {
    if (isToken(value)) wanted.add(value);
  };
  for (const order of planned) {
    if (order.class !== 'create' && order.class !== 'update') continue;
    want(order.fields['AccountId']);
    want(order.fields['BillToContactId']);
    for (const item of order.items) want(item.fields['PricebookEntryId']);
  }
  for (const record of contacts.values()) if (wanted.has(record.token)) want(record.fields['AccountId']);
  for (const record of [...standardEntries.values(), ...customEntries.values()]) {
    if (wanted.has(record.token)) {
      want(record.fields['Product2Id']);
      // A custom entry needs its standard entry even when no order uses the standard one.
      if (!sameId(String(record.fields['Pricebook2Id']), org.standardPricebookId)) want(`@entry:${entryKey(org.standardPricebookId, String(record.fields['Product2Id']), (record.fields['CurrencyIsoCode'] as string | undefined) ?? null)}`);
    }
  }
  const keep = (records: Map<string, NewRecord>): NewRecord[] => [...records.values()].filter((record) => wanted.has(record.token));
  return { orders: planned, accounts: keep(accounts), contacts: keep(contacts), products: keep(products), standardEntries: keep(standardEntries), customEntries: keep(customEntries) };
}
