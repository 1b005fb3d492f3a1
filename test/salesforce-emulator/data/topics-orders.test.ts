import { beforeEach, describe, expect, it } from 'vitest';
import { makeOrg, q, type TestOrg } from './test-helpers';

type Err = { errorCode: string; message: string; fields: string[] }[];
type Result = { success: boolean; errors: { statusCode: string; message: string }[] };

let t: TestOrg;

beforeEach(() => {
  t = makeOrg();
});

async function create(sobject: string, body: Record<string, unknown>): Promise<{ status: number; id?: string; errors?: Err }> {
  const res = await t.call('POST', `sobjects/${sobject}`, body);
  return res.status === 201 ? { status: 201, id: (res.body as { id: string }).id } : { status: res.status, errors: res.body as Err };
}

describe('Topics', () => {
  it('topic names are unique case-insensitively', async () => {
    expect((await create('Topic', { Name: 'WordPress' })).status).toBe(201);
    const dup = await create('Topic', { Name: 'wordpress' });
    expect(dup.errors?.[0]?.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('assigns topics to records, queries them, and refuses updates', async () => {
    const [contact] = t.org.seed('Contact', [{ LastName: 'A' }]);
    const [topic] = t.org.seed('Topic', [{ Name: 'news' }]);
    const assignment = await create('TopicAssignment', { TopicId: topic, EntityId: contact });
    expect(assignment.id).toMatch(/^0FT/);
    const rows = (await t.call('GET', q(`SELECT Topic.Name, EntityType FROM TopicAssignment WHERE EntityId = '${contact}'`))).body as { records: Record<string, unknown>[] };
    expect(rows.records[0]).toMatchObject({ Topic: { Name: 'news' }, EntityType: 'Contact' });
    const update = await t.call('PATCH', `sobjects/TopicAssignment/${assignment.id}`, { TopicId: topic });
    expect(update.status).toBe(400);
    expect((update.body as Err)[0]?.errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    const again = await create('TopicAssignment', { TopicId: topic, EntityId: contact });
    expect(again.errors?.[0]?.errorCode).toBe('DUPLICATE_VALUE');
    expect((await t.call('DELETE', `sobjects/TopicAssignment/${assignment.id}`)).status).toBe(204);
  });

  it('refuses topics on objects where they are disabled, until enabled', async () => {
    t.org.addCustomObject('Site__c', 'Site');
    const [site] = t.org.seed('Site__c', [{ Name: 's' }]);
    const [topic] = t.org.seed('Topic', [{ Name: 'news' }]);
    const refused = await create('TopicAssignment', { TopicId: topic, EntityId: site });
    expect(refused.errors?.[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['EntityId'] });
    expect(refused.errors?.[0]?.message).toContain("Topics aren't enabled");
    t.org.setTopicsEnabled('Site__c', true);
    expect((await create('TopicAssignment', { TopicId: topic, EntityId: site })).status).toBe(201);
  });

  it('holds at most 100 topics per record', async () => {
    const [contact] = t.org.seed('Contact', [{ LastName: 'A' }]);
    const topics = t.org.seed('Topic', Array.from({ length: 101 }, (_, i) => ({ Name: `t${i}` })));
    t.org.seed('TopicAssignment', topics.slice(0, 100).map((TopicId) => ({ TopicId, EntityId: contact })));
    const over = await create('TopicAssignment', { TopicId: topics[100], EntityId: contact });
    expect(over.status).toBe(400);
    expect(over.errors?.[0]?.errorCode).toBe('LIMIT_EXCEEDED');
  });

  it('deleting a record or a topic removes its assignments', async () => {
    const [a, b] = t.org.seed('Contact', [{ LastName: 'A' }, { LastName: 'B' }]);
    const [x, y] = t.org.seed('Topic', [{ Name: 'x' }, { Name: 'y' }]);
    t.org.seed('TopicAssignment', [{ TopicId: x, EntityId: a }, { TopicId: y, EntityId: a }, { TopicId: x, EntityId: b }]);
    await t.call('DELETE', `sobjects/Contact/${a}`);
    expect(t.org.records('TopicAssignment')).toHaveLength(1);
    await t.call('DELETE', `sobjects/Topic/${x}`);
    expect(t.org.records('TopicAssignment')).toHaveLength(0);
  });
});

describe('Orders', () => {
  let account: string;
  let product: string;
  let standardBook: string;

  beforeEach(async () => {
    [account] = t.org.seed('Account', [{ Name: 'Acme' }]) as [string];
    [product] = t.org.seed('Product2', [{ Name: 'Mug', ProductCode: 'MUG', IsActive: true }]) as [string];
    const books = (await t.call('GET', q('SELECT Id, Name, IsActive FROM Pricebook2 WHERE IsStandard = true'))).body as { records: { Id: string; IsActive: boolean }[] };
    expect(books.records).toHaveLength(1);
    expect(books.records[0]?.IsActive).toBe(true);
    standardBook = books.records[0]!.Id;
  });

  it('walks the whole insert-order path and rolls TotalAmount up', async () => {
    const entry = await create('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true });
    expect(entry.status).toBe(201);
    const order = await create('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: standardBook });
    expect(order.status).toBe(201);
    expect((await create('OrderItem', { OrderId: order.id, PricebookEntryId: entry.id, Quantity: 3, UnitPrice: 5 })).status).toBe(201);
    expect((await create('OrderItem', { OrderId: order.id, PricebookEntryId: entry.id, Quantity: 1, UnitPrice: 2.5 })).status).toBe(201);
    const rows = (await t.call('GET', q(`SELECT TotalAmount, OrderNumber, StatusCode FROM Order WHERE Id = '${order.id}'`))).body as { records: Record<string, unknown>[] };
    expect(rows.records[0]).toMatchObject({ TotalAmount: 17.5, OrderNumber: '00000100', StatusCode: 'Draft' });
    expect((await t.call('PATCH', `sobjects/Order/${order.id}`, { Status: 'Activated' })).status).toBe(204);
    const items = (await t.call('GET', q(`SELECT Product2.Name, TotalPrice FROM OrderItem WHERE OrderId = '${order.id}' ORDER BY TotalPrice`))).body as { records: Record<string, unknown>[] };
    expect(items.records.map((r) => r.TotalPrice)).toEqual([2.5, 15]);
    expect(items.records[0]).toMatchObject({ Product2: { Name: 'Mug' } });
  });

  it('reports the order errors Salesforce gives', async () => {
    expect((await create('Order', { AccountId: account })).errors?.[0]?.message).toBe('Required fields are missing: [EffectiveDate]');
    // Status is a required picklist whose default (a new org's) is Draft.
    const defaulted = await create('Order', { AccountId: account, EffectiveDate: '2026-11-29' });
    expect(t.org.records('Order').find((o) => o.Id === defaulted.id)).toMatchObject({ Status: 'Draft', StatusCode: 'Draft' });
    expect((await create('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Shipped' })).errors?.[0]?.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const entry = await create('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true });
    const noBook = await create('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft' });
    expect((await create('OrderItem', { OrderId: noBook.id, Quantity: 1, UnitPrice: 5 })).errors?.[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [PricebookEntryId]',
    });
    expect((await create('OrderItem', { OrderId: noBook.id, PricebookEntryId: entry.id, Quantity: 1, UnitPrice: 5 })).errors?.[0]).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.: Price Book Entry ID', fields: ['PricebookEntryId'],
    });
    const activate = await t.call('PATCH', `sobjects/Order/${noBook.id}`, { Status: 'Activated' });
    expect((activate.body as Err)[0]?.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('custom price books need an active standard price first; entries cannot be deleted, only deactivated', async () => {
    const [custom] = t.org.seed('Pricebook2', [{ Name: 'Web', IsActive: true }]);
    expect((await create('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 4, IsActive: true })).errors?.[0]).toMatchObject({
      errorCode: 'STANDARD_PRICE_NOT_DEFINED', message: 'Before creating a custom price, create a standard price.',
    });
    const standard = await create('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5, IsActive: true });
    expect((await create('PricebookEntry', { Pricebook2Id: standardBook, Product2Id: product, UnitPrice: 5 })).errors?.[0]?.message).toBe('This price definition already exists in this price book');
    const customEntry = await create('PricebookEntry', { Pricebook2Id: custom, Product2Id: product, UnitPrice: 4, IsActive: false });
    expect(customEntry.status).toBe(201);
    const order = await create('Order', { AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: custom });
    expect((await create('OrderItem', { OrderId: order.id, PricebookEntryId: customEntry.id, Quantity: 1, UnitPrice: 4 })).errors?.[0]?.message).toContain('pricebook entry is inactive');
    const del = await t.call('DELETE', `sobjects/PricebookEntry/${standard.id}`);
    expect(del.status).toBe(400);
    expect((del.body as Err)[0]?.errorCode).toBe('DELETE_FAILED');
    expect((await t.call('PATCH', `sobjects/PricebookEntry/${standard.id}`, { IsActive: false })).status).toBe(204);
  });

  it('orders via collections roll back together with allOrNone', async () => {
    const res = await t.call('POST', 'composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Order' }, AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: standardBook },
        { attributes: { type: 'Order' }, AccountId: account, Status: 'Draft' },
      ],
    });
    expect((res.body as Result[]).map((r) => r.success)).toEqual([false, false]);
    expect(t.org.records('Order')).toHaveLength(0);
  });
});

describe('deletes follow the describe childRelationships', () => {
  it('deleting an account deletes its contacts, clears lookups, and is blocked by orders', async () => {
    const [acme, globex] = t.org.seed('Account', [{ Name: 'Acme' }, { Name: 'Globex' }]);
    const [boss] = t.org.seed('Contact', [{ LastName: 'Boss', AccountId: acme }]);
    t.org.seed('Contact', [{ LastName: 'Worker', ReportsToId: boss }, { LastName: 'Other', AccountId: globex }]);
    expect((await t.call('DELETE', `sobjects/Account/${acme}`)).status).toBe(204);
    expect(t.org.records('Contact').map((c) => [c.LastName, c.ReportsToId ?? null])).toEqual([['Worker', null], ['Other', null]]);
    const all = (await t.call('GET', q("SELECT LastName FROM Contact WHERE IsDeleted = true", true))).body as { records: { LastName: string }[] };
    expect(all.records.map((r) => r.LastName)).toEqual(['Boss']);
    t.org.seed('Order', [{ AccountId: globex, EffectiveDate: '2026-11-29', Status: 'Draft' }]);
    const blocked = await t.call('DELETE', `sobjects/Account/${globex}`);
    expect(blocked.status).toBe(400);
    expect((blocked.body as Err)[0]?.errorCode).toBe('DELETE_FAILED');
    expect(t.org.records('Contact')).toHaveLength(2);
  });

  it('deleting an order deletes its items', async () => {
    const [account] = t.org.seed('Account', [{ Name: 'Acme' }]);
    const [product] = t.org.seed('Product2', [{ Name: 'Mug' }]);
    const book = String(t.org.records('Pricebook2')[0]?.Id);
    const [entry] = t.org.seed('PricebookEntry', [{ Pricebook2Id: book, Product2Id: product, UnitPrice: 1, IsActive: true }]);
    const [order] = t.org.seed('Order', [{ AccountId: account, EffectiveDate: '2026-11-29', Status: 'Draft', Pricebook2Id: book }]);
    t.org.seed('OrderItem', [{ OrderId: order, PricebookEntryId: entry, Quantity: 1, UnitPrice: 1 }]);
    expect((await t.call('DELETE', `sobjects/Order/${order}`)).status).toBe(204);
    expect(t.org.records('OrderItem')).toHaveLength(0);
  });
});

