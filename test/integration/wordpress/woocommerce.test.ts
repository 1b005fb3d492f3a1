/**
 * WooCommerce orders and products through the client, served by the test-only WooCommerce
 * routes on the real test WordPress from seeded data (test/wordpress/seed-woocommerce.ts).
 */
import { describe, expect, it } from 'vitest';
import { toWooOrder, toWooProduct } from '../../../main/wordpress/wordpress-mapping';
import { seedUsers } from '../../wordpress/seed-users';
import { seedWoocommerce } from '../../wordpress/seed-woocommerce';
import { rejection } from '../../support/app-error-rejection';
import { clientFor, collect, wordpress } from './wordpress-support';

const seed = seedWoocommerce({ orders: wordpress.orders, seed: wordpress.seed, customers: seedUsers({ count: wordpress.main.users, seed: wordpress.seed }) });
const expectedOrders = seed.orders.map(toWooOrder);

describe('WooCommerce through the client', () => {
  it('pages through every order, lowest id first, each once, exactly as seeded', async () => {
    const { client } = clientFor(wordpress.main);
    const pages = [];
    for await (const page of client.orders()) pages.push(page);
    expect(pages.map((page) => page.page)).toEqual([1, 2, 3]);
    expect(pages[0]!.total).toBe(wordpress.orders);
    const orders = pages.flatMap((page) => page.items);
    expect(orders.map((order) => order.id)).toEqual(expectedOrders.map((order) => order.id).sort((a, b) => a - b));
    expect(orders).toEqual([...expectedOrders].sort((a, b) => a.id - b.id));
  });

  it('filters by creation date (GMT) and status on the site', async () => {
    const { client } = clientFor(wordpress.main);
    const after = '2025-01-01T00:00:00Z';
    const recent = await collect(client.orders({ after }));
    const expectedRecent = expectedOrders.filter((order) => `${order.dateCreatedGmt}Z` > after).map((order) => order.id);
    expect(expectedRecent.length).toBeGreaterThan(0);
    expect(expectedRecent.length).toBeLessThan(expectedOrders.length);
    expect(recent.map((order) => order.id)).toEqual(expectedRecent);

    const done = await collect(client.orders({ status: ['completed', 'refunded'] }));
    expect(done.map((order) => order.id)).toEqual(expectedOrders.filter((order) => ['completed', 'refunded'].includes(order.status)).map((order) => order.id));
  });

  it('keeps what an order sync trips over: guests, refunds, currencies without decimals, free items, deleted products', async () => {
    const { client } = clientFor(wordpress.main);
    const orders = await collect(client.orders());
    expect(orders.some((order) => order.customerId === 0)).toBe(true);
    const refunded = orders.find((order) => order.status === 'refunded')!;
    expect(refunded.refunds).toEqual([{ id: expect.any(Number), reason: 'Customer changed their mind', total: `-${refunded.total}` }]);
    expect(orders.some((order) => order.status === 'completed' && order.refunds.length === 1)).toBe(true);
    const yen = orders.find((order) => order.currency === 'JPY')!;
    expect(yen.total).toMatch(/^\d+$/);
    expect(new Set(orders.map((order) => order.currency)).size).toBeGreaterThanOrEqual(4);
    expect(orders.some((order) => order.lineItems.some((item) => item.total === '0.00' && item.sku === 'FREE-SAMPLE'))).toBe(true);
    expect(orders.some((order) => order.lineItems.some((item) => item.variationId > 0))).toBe(true);
    const [deletedId] = seed.deletedProductIds;
    expect(orders.some((order) => order.lineItems.some((item) => item.productId === deletedId))).toBe(true);
    expect(orders.some((order) => /[^ -~]/.test(`${order.billing.firstName}${order.billing.lastName}`))).toBe(true);
  });

  it('lists products without trashed ones or variations, and reads any by id', async () => {
    const { client } = clientFor(wordpress.main);
    const products = await collect(client.products());
    const listed = seed.products.filter((product) => product.status !== 'trash' && product.type !== 'variation');
    expect(products).toEqual(listed.map(toWooProduct).sort((a, b) => a.id - b.id));
    const trashed = seed.products.find((product) => product.status === 'trash')!;
    expect(await client.getProduct(trashed.id)).toMatchObject({ status: 'trash', sku: trashed.sku });
    const variation = seed.products.find((product) => product.type === 'variation')!;
    expect(await client.getProduct(variation.id)).toMatchObject({ type: 'variation', parentId: variation.parent_id });
    expect(await client.getProduct(seed.products.find((product) => product.sku === 'MATCHA')!.id)).toMatchObject({ name: '抹茶 Matcha 🍵', price: '8.00' });
  });

  it('a product deleted from the shop: not found, as WooCommerce answers', async () => {
    const { client } = clientFor(wordpress.main);
    const error = await rejection(client.getProduct(seed.deletedProductIds[0]!));
    expect(error).toMatchObject({ code: 'NOT_FOUND', reason: 'not-found', status: 404, wpCode: 'woocommerce_rest_product_invalid_id' });
  });

  it('reads one order by id', async () => {
    const { client } = clientFor(wordpress.main);
    const expected = expectedOrders[7]!;
    expect(await client.getOrder(expected.id)).toEqual(expected);
    expect(await rejection(client.getOrder(1))).toMatchObject({ reason: 'not-found', wpCode: 'woocommerce_rest_shop_order_invalid_id' });
  });
});
