/** The orders planner is pure: every rule is checked here without Salesforce. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from '../../../common/orders-models';
import { inChunks } from '../../../main/orders/order-lookups';
import { entryKey, itemDescription, lineIdOf, planOrders, productNeeds, type ExistingOrder, type OrgFacts, type SalesforceState } from '../../../main/orders/order-planner';
import { line, wooOrder } from '../../integration/orders/support/orders-harness';

const STD = '01s000000000001AAA';
const PRODUCT = '01t000000000001AAA';
const ENTRY = '01u000000000001AAA';
const ORG: OrgFacts = { keyField: 'OrderReferenceNumber', keyIsExternalId: false, multiCurrency: false, orgCurrency: 'USD', draftStatus: 'Draft', activatedStatus: 'Activated', standardPricebookId: STD, pricebook: { id: STD, name: 'Standard Price Book', standard: true } };
const SETTINGS: OrderSettings = { ...DEFAULT_ORDER_SETTINGS, orgCurrency: 'USD' };

function state(overrides: Partial<SalesforceState> = {}): SalesforceState {
  return {
    orders: new Map(),
    contacts: new Map(),
    accounts: new Map(),
    products: new Map([['sku:sku-1', PRODUCT]]),
    entries: new Map([[entryKey(STD, PRODUCT, null), { Id: ENTRY, IsActive: true }]]),
    ...overrides,
  };
}

function existing(overrides: Partial<ExistingOrder> = {}): ExistingOrder {
  return {
    Id: '801000000000001AAA', key: '1', Status: 'Draft', StatusCode: 'Draft', AccountId: '001000000000001AAA', BillToContactId: '003000000000001AAA', Pricebook2Id: STD, TotalAmount: 10, EffectiveDate: '2026-03-01',
    items: [{ Id: '802000000000001AAA', PricebookEntryId: ENTRY, Product2Id: PRODUCT, Quantity: 1, UnitPrice: 10, Description: itemDescription(line(1)) }],
    ...overrides,
  };
}

const KNOWN_BUYER = new Map([['buyer1@example.org', { Id: '003000000000001AAA', AccountId: '001000000000001AAA' }]]);

describe('planOrders', () => {
  it('creates the order with tokens for the Account, Contact and nothing else when the product and entry exist', () => {
    const plan = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state() });
    expect(plan.orders[0]).toMatchObject({ class: 'create', key: '1', itemsTotal: 10, fields: { AccountId: '@account:buyer1@example.org', BillToContactId: '@contact:buyer1@example.org', Status: 'Draft', Pricebook2Id: STD, OrderReferenceNumber: '1', EffectiveDate: '2026-03-01' } });
    expect(plan.orders[0]!.items[0]!.fields).toMatchObject({ PricebookEntryId: ENTRY, Quantity: 1, UnitPrice: 10, Description: 'WooCommerce line 1: Product 1' });
    expect(plan.accounts.map((a) => a.fields['Name'])).toEqual(['First1 Last1']);
    expect(plan.contacts[0]!.fields).toMatchObject({ Email: 'buyer1@example.org', LastName: 'Last1', AccountId: '@account:buyer1@example.org' });
    expect(plan.products).toEqual([]);
    expect(plan.standardEntries).toEqual([]);
  });

  it('sends the order currency in a multi-currency org, with entries per currency', () => {
    const plan = planOrders({ orders: [wooOrder(1, { currency: 'EUR' })], settings: SETTINGS, org: { ...ORG, multiCurrency: true, orgCurrency: null }, state: state() });
    expect(plan.orders[0]).toMatchObject({ class: 'create', fields: { CurrencyIsoCode: 'EUR' } });
    // The USD entry does not serve a EUR order: a EUR standard entry is created.
    expect(plan.standardEntries[0]!.fields).toMatchObject({ Pricebook2Id: STD, Product2Id: PRODUCT, CurrencyIsoCode: 'EUR', IsActive: true });
  });

  it('refuses a currency a single-currency org does not use, or any currency when the org’s is unknown', () => {
    const mismatch = planOrders({ orders: [wooOrder(1, { currency: 'GBP' })], settings: SETTINGS, org: ORG, state: state() });
    expect(mismatch.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'CURRENCY_MISMATCH' });
    expect(mismatch.orders[0]!.detail).toMatch(/GBP.*single-currency \(USD\).*multiple currencies/);
    expect(mismatch.accounts).toEqual([]);
    expect(mismatch.contacts).toEqual([]);
    const unknown = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: { ...ORG, orgCurrency: null }, state: state() });
    expect(unknown.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'CURRENCY_UNKNOWN' });
  });

  it('uses the existing Contact’s Account; default-account puts every order on one Account', () => {
    const contact = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state({ contacts: KNOWN_BUYER }) });
    expect(contact.orders[0]!.fields).toMatchObject({ AccountId: '001000000000001AAA', BillToContactId: '003000000000001AAA' });
    expect(contact.accounts).toEqual([]);
    const one = planOrders({ orders: [wooOrder(1), wooOrder(2)], settings: { ...SETTINGS, accountStrategy: 'default-account', defaultAccountId: '001000000000009AAA' }, org: ORG, state: state() });
    expect(one.orders.map((o) => o.fields['AccountId'])).toEqual(['001000000000009AAA', '001000000000009AAA']);
    expect(one.contacts.map((c) => c.fields['AccountId'])).toEqual(['001000000000009AAA', '001000000000009AAA']);
  });

  it('contact-account without a default Account: a buyer with no Account is reported', () => {
    const plan = planOrders({ orders: [wooOrder(1)], settings: { ...SETTINGS, accountStrategy: 'contact-account' }, org: ORG, state: state() });
    expect(plan.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'NO_ACCOUNT' });
  });

  it('reuses a per-customer Account found by its name, and one new Account per buyer across orders', () => {
    const found = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state({ accounts: new Map([['first1 last1', '001000000000005AAA']]) }) });
    expect(found.orders[0]!.fields['AccountId']).toBe('001000000000005AAA');
    const twice = planOrders({ orders: [wooOrder(1), wooOrder(2, { billing: { ...wooOrder(1).billing } })], settings: SETTINGS, org: ORG, state: state() });
    expect(twice.accounts).toHaveLength(1);
    expect(twice.contacts).toHaveLength(1);
  });

  it('creates a missing product with its standard entry, or reports it when creating is off or a mapping points nowhere', () => {
    const order = wooOrder(1, { lineItems: [line(5, { sku: 'NEW', name: 'New', price: 7, total: '14.00', quantity: 2 })], total: '14.00' });
    const plan = planOrders({ orders: [order], settings: SETTINGS, org: ORG, state: state() });
    expect(plan.products[0]).toMatchObject({ token: '@product:sku:new', fields: { Name: 'New', ProductCode: 'NEW', IsActive: true } });
    expect(plan.standardEntries[0]!.fields).toMatchObject({ Product2Id: '@product:sku:new', UnitPrice: 7, Pricebook2Id: STD });
    expect(plan.orders[0]!.items[0]!.fields['PricebookEntryId']).toBe(plan.standardEntries[0]!.token);
    const off = planOrders({ orders: [order], settings: { ...SETTINGS, createMissingProducts: false }, org: ORG, state: state() });
    expect(off.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'PRODUCT_NOT_FOUND' });
    const mapped = planOrders({ orders: [order], settings: { ...SETTINGS, productMappings: [{ wooProductId: 1005, product2Id: '01t00000000000ZAAA' }] }, org: ORG, state: state() });
    expect(mapped.orders[0]!.detail).toMatch(/mapping table sends “New” to Product2 01t00000000000ZAAA/);
    expect(mapped.products).toEqual([]);
  });

  it('with a custom price book needs the standard entry first, even when only the custom one is used', () => {
    const book = '01s000000000002AAA';
    const plan = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: { ...ORG, pricebook: { id: book, name: 'Web', standard: false } }, state: state({ entries: new Map() }) });
    expect(plan.standardEntries.map((e) => e.fields['Pricebook2Id'])).toEqual([STD]);
    expect(plan.customEntries.map((e) => e.fields['Pricebook2Id'])).toEqual([book]);
    expect(plan.orders[0]!.items[0]!.fields['PricebookEntryId']).toBe(plan.customEntries[0]!.token);
  });

  it('reports an inactive entry instead of reactivating it', () => {
    const plan = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state({ entries: new Map([[entryKey(STD, PRODUCT, null), { Id: ENTRY, IsActive: false }]]) }) });
    expect(plan.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'INACTIVE_PRICEBOOK_ENTRY' });
  });

  it('leaves an order that matches Salesforce unchanged, updates a Draft one that differs', () => {
    const same = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state({ contacts: KNOWN_BUYER, orders: new Map([['1', [existing()]]]) }) });
    expect(same.orders[0]).toMatchObject({ class: 'unchanged' });
    const more = wooOrder(1, { lineItems: [line(1, { quantity: 2, total: '20.00' }), line(2, { sku: 'SKU-1' })] });
    const changed = planOrders({ orders: [more], settings: SETTINGS, org: ORG, state: state({ contacts: KNOWN_BUYER, orders: new Map([['1', [existing()]]]) }) });
    expect(changed.orders[0]).toMatchObject({ class: 'update', fields: {} });
    expect(changed.orders[0]!.items).toEqual([
      { lineId: 1, itemId: '802000000000001AAA', fields: { Quantity: 2, UnitPrice: 10 } },
      expect.objectContaining({ lineId: 2, itemId: null }),
    ]);
  });

  it('never plans a write Salesforce forbids on an activated order: items or Account differ → locked; other fields → update', () => {
    const activated = existing({ Status: 'Activated', StatusCode: 'Activated' });
    const items = planOrders({ orders: [wooOrder(1, { lineItems: [line(1, { quantity: 3, total: '30.00' })] })], settings: SETTINGS, org: ORG, state: state({ contacts: KNOWN_BUYER, orders: new Map([['1', [activated]]]) }) });
    expect(items.orders[0]).toMatchObject({ class: 'locked', reasonCode: 'ORDER_ACTIVATED', items: [], fields: {} });
    const account = planOrders({ orders: [wooOrder(1)], settings: { ...SETTINGS, accountStrategy: 'default-account', defaultAccountId: '001000000000009AAA' }, org: ORG, state: state({ contacts: KNOWN_BUYER, orders: new Map([['1', [activated]]]) }) });
    expect(account.orders[0]).toMatchObject({ class: 'locked' });
    const date = planOrders({ orders: [wooOrder(1, { dateCreatedGmt: '2026-03-02T01:00:00' })], settings: { ...SETTINGS, activate: true }, org: ORG, state: state({ contacts: KNOWN_BUYER, orders: new Map([['1', [activated]]]) }) });
    expect(date.orders[0]).toMatchObject({ class: 'update', fields: { EffectiveDate: '2026-03-02' }, items: [], activate: false });
  });

  it('reports several Salesforce Orders with one key, a key listed twice, an order without items', () => {
    const dup = planOrders({ orders: [wooOrder(1)], settings: SETTINGS, org: ORG, state: state({ orders: new Map([['1', [existing(), existing({ Id: '801000000000002AAA' })]]]) }) });
    expect(dup.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'DUPLICATE_IN_SALESFORCE' });
    const twice = planOrders({ orders: [wooOrder(1), wooOrder(1)], settings: SETTINGS, org: ORG, state: state() });
    expect(twice.orders.map((o) => o.class)).toEqual(['create', 'invalid']);
    const empty = planOrders({ orders: [wooOrder(1, { lineItems: [line(1, { quantity: 0 })] })], settings: SETTINGS, org: ORG, state: state() });
    expect(empty.orders[0]).toMatchObject({ class: 'invalid', reasonCode: 'NO_ITEMS' });
  });

  it('prefixes keys per shop and keeps line ids in the item description', () => {
    const plan = planOrders({ orders: [wooOrder(42)], settings: { ...SETTINGS, orderKeyPrefix: 'shop2-' }, org: ORG, state: state() });
    expect(plan.orders[0]!.key).toBe('shop2-42');
    expect(lineIdOf('WooCommerce line 17: Blue mug')).toBe(17);
    expect(lineIdOf('A note')).toBeNull();
    expect(itemDescription(line(3, { name: 'x'.repeat(400) }))).toHaveLength(255);
  });

  it('needs each product once; a variation maps through its own id', () => {
    const needs = productNeeds([wooOrder(1, { lineItems: [line(1, { sku: 'A' }), line(2, { sku: 'a' }), line(3, { sku: '', name: 'Var', variationId: 77 })] })], { productMappings: [{ wooProductId: 77, product2Id: PRODUCT }] });
    expect(needs.map((n) => n.ref)).toEqual(['sku:a', `id:${PRODUCT}`]);
  });
});

describe('inChunks', () => {
  it('cuts IN lists at 200 values and before the URL gets too long', () => {
    expect(inChunks(Array.from({ length: 450 }, (_, i) => `k${i}`)).map((c) => c.length)).toEqual([200, 200, 50]);
    const long = inChunks(Array.from({ length: 100 }, (_, i) => `${'x'.repeat(250)}${i}`));
    expect(long.length).toBeGreaterThan(1);
    expect(long.flat()).toHaveLength(100);
  });
});
