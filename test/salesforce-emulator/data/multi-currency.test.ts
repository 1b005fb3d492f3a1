/**
 * Multiple currencies (issue 14): off, Order has no CurrencyIsoCode (a Developer Edition's
 * describe); on, Order, OrderItem and the price book objects gain it, entries are priced per
 * currency, and an Order Product must be in its Order's currency.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ORDER_ITEM_CURRENCY_MISMATCH } from './rules/orders';
import { makeOrg, type TestOrg } from './test-helpers';

type Json = Record<string, unknown>;

let t: TestOrg;
let account: string;
let product: string;
let standardBook: string;

async function post(object: string, body: Json): Promise<{ status: number; id?: string; error?: Json }> {
  const res = await t.call('POST', `sobjects/${object}`, body);
  return res.status === 201 ? { status: 201, id: String((res.body as Json).id) } : { status: res.status, error: (res.body as Json[])[0] };
}

async function describeField(object: string, field: string): Promise<Json | undefined> {
  const res = await t.call('GET', `sobjects/${object}/describe`);
  return ((res.body as Json).fields as Json[]).find((f) => f.name === field);
}

beforeEach(() => {
  t = makeOrg();
  [account] = t.org.seed('Account', [{ Name: 'Acme' }]) as [string];
  [product] = t.org.seed('Product2', [{ Name: 'Mug', ProductCode: 'MUG', IsActive: true }]) as [string];
  standardBook = String(t.org.records('Pricebook2').find((b) => b.IsStandard === true)?.Id);
});

describe('currencies', () => {
  it('a single-currency org has no CurrencyIsoCode, and naming it is refused as an unknown field', async () => {
    expect(await describeField('Order', 'CurrencyIsoCode')).toBeUndefined();
    const refused = await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', CurrencyIsoCode: 'EUR' });
    expect(refused.status).toBe(400);
    expect(refused.error).toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('turned on: Order, OrderItem and PricebookEntry describe CurrencyIsoCode, a restricted picklist of the active currencies', async () => {
    t.org.setCurrencies!({ corporate: 'USD', currencies: ['EUR', 'GBP'] });
    for (const object of ['Order', 'OrderItem', 'PricebookEntry', 'Product2', 'Pricebook2']) {
      const field = await describeField(object, 'CurrencyIsoCode');
      expect(field, object).toMatchObject({ type: 'picklist', restrictedPicklist: true, createable: true, nillable: false, defaultedOnCreate: true, length: 3 });
      expect((field!.picklistValues as Json[]).map((v) => v.value)).toEqual(['USD', 'EUR', 'GBP']);
    }
    const order = await describeField('Order', 'CurrencyIsoCode');
    expect((order!.picklistValues as Json[]).find((v) => v.defaultValue === true)?.value).toBe('USD');
    t.org.setCurrencies!(null);
    expect(await describeField('Order', 'CurrencyIsoCode')).toBeUndefined();
  });

  it('prices per currency; an order in EUR takes the EUR entry and refuses the USD one with Salesforce’s text', async () => {
    t.org.setCurrencies!({ corporate: 'USD', currencies: ['USD', 'EUR'] });
    const usd = await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true });
    const eur = await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 4.5, IsActive: true, CurrencyIsoCode: 'EUR' });
    expect([usd.status, eur.status]).toEqual([201, 201]);
    expect(t.org.records('PricebookEntry').map((e) => e.CurrencyIsoCode)).toEqual(['USD', 'EUR']);
    // The same product, book and currency twice is still a duplicate.
    expect((await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 6, IsActive: true, CurrencyIsoCode: 'EUR' })).error).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });

    const order = await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: standardBook, CurrencyIsoCode: 'EUR' });
    expect(order.status).toBe(201);
    expect(t.org.records('Order')[0]).toMatchObject({ CurrencyIsoCode: 'EUR' });

    expect((await post('OrderItem', { OrderId: order.id, PricebookEntryId: usd.id, Quantity: 1, UnitPrice: 5 })).error).toEqual({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: ORDER_ITEM_CURRENCY_MISMATCH,
      fields: ['CurrencyIsoCode'],
    });
    expect((await post('OrderItem', { OrderId: order.id, PricebookEntryId: eur.id, Quantity: 1, UnitPrice: 4.5, CurrencyIsoCode: 'USD' })).error).toMatchObject({ message: ORDER_ITEM_CURRENCY_MISMATCH });
    const item = await post('OrderItem', { OrderId: order.id, PricebookEntryId: eur.id, Quantity: 2, UnitPrice: 4.5 });
    expect(item.status).toBe(201);
    expect(t.org.records('OrderItem')[0]).toMatchObject({ CurrencyIsoCode: 'EUR', TotalPrice: 9 });
    expect(t.org.records('Order')[0]).toMatchObject({ TotalAmount: 9 });
  });

  it('an order without a currency is in the corporate one; an inactive currency is refused as a restricted picklist value', async () => {
    t.org.setCurrencies!({ corporate: 'GBP', currencies: ['GBP', 'EUR'] });
    expect((await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft' })).status).toBe(201);
    expect(t.org.records('Order')[0]).toMatchObject({ CurrencyIsoCode: 'GBP' });
    expect((await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', CurrencyIsoCode: 'JPY' })).error).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['CurrencyIsoCode'] });
  });

  it('a custom price needs the standard price in the same currency first', async () => {
    t.org.setCurrencies!({ corporate: 'USD', currencies: ['USD', 'EUR'] });
    const [custom] = t.org.seed('Pricebook2', [{ Name: 'Web', IsActive: true }]) as [string];
    await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true });
    expect((await post('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 4, IsActive: true, CurrencyIsoCode: 'EUR' })).error).toMatchObject({ errorCode: 'STANDARD_PRICE_NOT_DEFINED' });
    expect((await post('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 4, IsActive: true, CurrencyIsoCode: 'USD' })).status).toBe(201);
  });
});
