/**
 * The Order rules issue 14 lists, with Salesforce's error texts: the ones seen in real
 * responses are asserted exactly; UNCONFIRMED ones (data/README.md) by code and field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Json = Record<string, unknown>;
type Result = { id?: string; success: boolean; errors: { statusCode: string; message: string; fields: string[] }[] };

let t: TestOrg;
let account: string;
let product: string;
let standardBook: string;
let customBook: string;
let standardEntry: string;

async function post(object: string, body: Json): Promise<{ status: number; id?: string; error?: Json }> {
  const res = await t.call('POST', `sobjects/${object}`, body);
  return res.status === 201 ? { status: 201, id: String((res.body as Json).id) } : { status: res.status, error: (res.body as Json[])[0] };
}

async function draftOrder(extra: Json = {}): Promise<string> {
  const order = await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: standardBook, ...extra });
  expect(order.status, JSON.stringify(order.error)).toBe(201);
  return order.id!;
}

async function activatedOrder(): Promise<{ order: string; item: string }> {
  const order = await draftOrder();
  const item = await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 2, UnitPrice: 5 });
  expect((await t.call('PATCH', `sobjects/Order/${order}`, { Status: 'Activated' })).status).toBe(204);
  return { order, item: item.id! };
}

beforeEach(async () => {
  t = makeOrg();
  [account] = t.org.seed('Account', [{ Name: 'Acme' }]) as [string];
  [product] = t.org.seed('Product2', [{ Name: 'Mug', ProductCode: 'MUG', IsActive: true }]) as [string];
  standardBook = String(t.org.records('Pricebook2').find((b) => b.IsStandard === true)?.Id);
  [customBook] = t.org.seed('Pricebook2', [{ Name: 'Web', IsActive: true }]) as [string];
  standardEntry = (await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true })).id!;
});

describe('order items and price book entries', () => {
  it('an order item without PricebookEntryId: REQUIRED_FIELD_MISSING naming the field', async () => {
    const order = await draftOrder();
    expect((await post('OrderItem', { OrderId: order, Quantity: 1, UnitPrice: 5 })).error).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [PricebookEntryId]', fields: ['PricebookEntryId'],
    });
  });

  it("an entry from another price book: FIELD_INTEGRITY_EXCEPTION with Salesforce's text, per record in Collections", async () => {
    const customEntry = (await post('PricebookEntry', { Pricebook2Id: customBook, Product2Id: product, UnitPrice: 4, IsActive: true })).id!;
    const order = await draftOrder();
    const res = await t.call('POST', 'composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'OrderItem' }, OrderId: order, PricebookEntryId: customEntry, Quantity: 1, UnitPrice: 4 },
        { attributes: { type: 'OrderItem' }, OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 },
      ],
    });
    const [bad, good] = res.body as Result[];
    expect(bad).toEqual({
      success: false,
      errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.: Price Book Entry ID', fields: ['PricebookEntryId'] }],
    });
    expect(bad?.errors[0]?.message.startsWith('Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.')).toBe(true);
    expect(good?.success).toBe(true);
  });

  it('an order without a price book takes no products', async () => {
    const order = await draftOrder({ Pricebook2Id: null });
    expect((await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 })).error).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['PricebookEntryId'] });
  });

  it('an inactive entry is refused', async () => {
    expect((await t.call('PATCH', `sobjects/PricebookEntry/${standardEntry}`, { IsActive: false })).status).toBe(204);
    const order = await draftOrder();
    expect((await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 })).error).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['PricebookEntryId'], message: expect.stringContaining('inactive'),
    });
  });

  it('an item takes its product, list price and total from the entry and rolls the order total up', async () => {
    const order = await draftOrder();
    await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 3, UnitPrice: 4.5 });
    expect(t.org.records('OrderItem')[0]).toMatchObject({ Product2Id: product, ListPrice: 5, TotalPrice: 13.5 });
    expect(t.org.records('Order')[0]).toMatchObject({ TotalAmount: 13.5 });
  });

  it('a custom-book entry needs the standard entry first; entries are refused, ListPrice/Name are read-only', async () => {
    const [other] = t.org.seed('Product2', [{ Name: 'Cup' }]) as [string];
    expect((await post('PricebookEntry', { Pricebook2Id: customBook, Product2Id: other, UnitPrice: 4, IsActive: true })).error).toEqual({
      errorCode: 'STANDARD_PRICE_NOT_DEFINED', message: 'Before creating a custom price, create a standard price.', fields: [],
    });
    // An inactive standard entry does not count.
    const inactive = await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: other, UnitPrice: 4 });
    expect(t.org.records('PricebookEntry').find((e) => e.Id === inactive.id)).toMatchObject({ IsActive: false, Name: 'Cup' });
    expect((await post('PricebookEntry', { Pricebook2Id: customBook, Product2Id: other, UnitPrice: 4, IsActive: true })).error?.errorCode).toBe('STANDARD_PRICE_NOT_DEFINED');
    await t.call('PATCH', `sobjects/PricebookEntry/${inactive.id}`, { IsActive: true });
    expect((await post('PricebookEntry', { Pricebook2Id: customBook, Product2Id: other, UnitPrice: 4, IsActive: true })).status).toBe(201);
    expect((await post('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, Name: 'x' })).error?.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('a price book entry cannot be deleted, only deactivated', async () => {
    const del = await t.call('DELETE', `sobjects/PricebookEntry/${standardEntry}`);
    expect(del.status).toBe(400);
    expect((del.body as Json[])[0]).toMatchObject({ errorCode: 'DELETE_FAILED' });
    expect((await t.call('PATCH', `sobjects/PricebookEntry/${standardEntry}`, { IsActive: false })).status).toBe(204);
    expect(t.org.records('PricebookEntry').find((e) => e.Id === standardEntry)).toMatchObject({ IsActive: false });
  });
});

describe('orders', () => {
  it('an order needs an account, an effective date and a Draft status on create', async () => {
    expect((await post('Order', { EffectiveDate: '2026-11-29', Status: 'Draft' })).error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['AccountId'] });
    expect((await post('Order', { AccountId: account, Status: 'Draft' })).error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['EffectiveDate'] });
    expect((await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Activated' })).error).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status'] });
    expect((await post('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Shipped' })).error).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
  });

  it("an order's price book is fixed once it has items", async () => {
    const order = await draftOrder();
    expect((await t.call('PATCH', `sobjects/Order/${order}`, { Pricebook2Id: customBook })).status).toBe(204);
    expect((await t.call('PATCH', `sobjects/Order/${order}`, { Pricebook2Id: standardBook })).status).toBe(204);
    await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 });
    for (const value of [customBook, null]) {
      const res = await t.call('PATCH', `sobjects/Order/${order}`, { Pricebook2Id: value });
      expect(res.status).toBe(400);
      expect((res.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Pricebook2Id'] });
    }
  });

  it('activation needs products and may change only Status', async () => {
    const empty = await draftOrder();
    const noItems = await t.call('PATCH', `sobjects/Order/${empty}`, { Status: 'Activated' });
    expect((noItems.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status'] });
    const order = await draftOrder();
    await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 });
    const mixed = await t.call('PATCH', `sobjects/Order/${order}`, { Status: 'Activated', Description: 'sent' });
    expect((mixed.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Description'] });
    expect((await t.call('PATCH', `sobjects/Order/${order}`, { Status: 'Activated' })).status).toBe(204);
    const row = ((await t.call('GET', q(`SELECT Status, StatusCode, ActivatedDate, ActivatedById FROM Order WHERE Id = '${order}'`))).body as { records: Json[] }).records[0];
    expect(row).toMatchObject({ Status: 'Activated', StatusCode: 'Activated', ActivatedDate: '2026-11-29T12:00:00.000+0000' });
  });

  it('an activated order refuses new or removed products, deletion, and a new account; it can go back to Draft', async () => {
    const { order, item } = await activatedOrder();
    const locked = { errorCode: 'ENTITY_IS_LOCKED', message: 'Unable to modify activated or superseded Order:  cannot delete Order, or add or remove Order Products', fields: [] };
    expect((await post('OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 })).error).toEqual(locked);
    expect(((await t.call('DELETE', `sobjects/OrderItem/${item}`)).body as Json[])[0]).toEqual(locked);
    expect(((await t.call('DELETE', `sobjects/Order/${order}`)).body as Json[])[0]).toEqual(locked);
    const [other] = t.org.seed('Account', [{ Name: 'Globex' }]) as [string];
    const moved = await t.call('PATCH', `sobjects/Order/${order}`, { AccountId: other });
    expect((moved.body as Json[])[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['AccountId'] });
    // Other fields stay editable (the user holds Edit Activated Orders), and so do the products' fields.
    expect((await t.call('PATCH', `sobjects/Order/${order}`, { Description: 'shipped' })).status).toBe(204);
    expect((await t.call('PATCH', `sobjects/OrderItem/${item}`, { Description: 'gift wrap' })).status).toBe(204);
    expect((await t.call('PATCH', `sobjects/Order/${order}`, { Status: 'Draft' })).status).toBe(204);
    expect(t.org.records('Order')[0]).toMatchObject({ StatusCode: 'Draft' });
    expect((await t.call('DELETE', `sobjects/Order/${order}`)).status).toBe(204);
    expect(t.org.records('OrderItem')).toHaveLength(0);
  });

  it('a batch of orders and items: each record fails alone with its own error (allOrNone false)', async () => {
    const { order: activated } = await activatedOrder();
    const draft = await draftOrder();
    const res = await t.call('POST', 'composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'OrderItem' }, OrderId: draft, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 },
        { attributes: { type: 'OrderItem' }, OrderId: activated, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 5 },
        { attributes: { type: 'OrderItem' }, OrderId: draft, Quantity: 1, UnitPrice: 5 },
      ],
    });
    expect((res.body as Result[]).map((r) => (r.success ? 'ok' : r.errors[0]?.statusCode))).toEqual(['ok', 'ENTITY_IS_LOCKED', 'REQUIRED_FIELD_MISSING']);
  });
});
