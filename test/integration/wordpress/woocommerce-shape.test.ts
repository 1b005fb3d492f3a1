/**
 * The test-only WooCommerce routes must answer in WooCommerce's documented shape: every
 * field of the documentation's response examples (test/wordpress/fixtures/woocommerce-docs,
 * copied from WooCommerce's REST API docs) present with the same JSON type, and no field the
 * documentation does not have. Otherwise tests against them would prove nothing about real
 * shops.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientFor, wordpress } from './wordpress-support';

const FIXTURES = join(import.meta.dirname, '..', '..', 'wordpress', 'fixtures', 'woocommerce-docs');
const doc = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;

/**
 * Where the documentation's examples disagree with its own property tables, the tables (and
 * current WooCommerce) win: an order's refunds carry `reason`; the list example shows the
 * older `refund`.
 */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = { 'refunds[]': { refund: 'reason' } };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Merges array elements of the examples into one example per position (union of keys). */
function mergeExamples(examples: readonly Json[]): Json {
  const objects = examples.filter((example) => kind(example) === 'object') as { [key: string]: Json }[];
  if (objects.length === 0) return examples[0] ?? null;
  const merged: { [key: string]: Json[] } = {};
  for (const object of objects) for (const [key, value] of Object.entries(object)) (merged[key] ??= []).push(value);
  return Object.fromEntries(Object.entries(merged).map(([key, values]) => [key, values.every((value) => Array.isArray(value)) ? (values as Json[][]).flat() : mergeExamples(values)])) as Json;
}

/** Problems of `actual` against the documented example, as paths. */
function shapeProblems(example: Json, actual: unknown, path = '$', parentKey = ''): string[] {
  if (example === null) return actual === null || typeof actual === 'string' ? [] : [`${path}: documented as null (a nullable date), got ${kind(actual)}`];
  // Dates are nullable (date_paid of an unpaid order); the examples happen to show paid ones.
  if (typeof example === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(example) && actual === null) return [];
  if (kind(example) !== kind(actual)) return [`${path}: documented as ${kind(example)}, got ${kind(actual)}`];
  if (Array.isArray(example)) {
    if (example.length === 0) return [];
    const element = mergeExamples(example);
    return (actual as unknown[]).flatMap((item, index) => shapeProblems(element, item, `${path}[${index}]`, `${parentKey}[]`));
  }
  if (kind(example) !== 'object') return [];
  const renamed = RENAMED[parentKey] ?? {};
  const documented = Object.fromEntries(Object.entries(example as Record<string, Json>).map(([key, value]) => [renamed[key] ?? key, value]));
  const object = actual as Record<string, unknown>;
  const missing = Object.keys(documented).filter((key) => !(key in object)).map((key) => `${path}.${key}: missing`);
  // _links carries only the relations that apply (a guest order has no customer link).
  const extra = parentKey === '_links' ? [] : Object.keys(object).filter((key) => !(key in documented)).map((key) => `${path}.${key}: not in the documentation`);
  const nested = Object.entries(documented).flatMap(([key, value]) => (key in object ? shapeProblems(value, object[key], `${path}.${key}`, key) : []));
  return [...(parentKey === '_links' ? [] : missing), ...extra, ...nested];
}

describe('WooCommerce routes match WooCommerce’s documented shape', () => {
  const { client } = clientFor(wordpress.main);
  const orderExample = mergeExamples([doc('order.json') as Json, ...(doc('orders.json') as Json[])]);
  const productExample = mergeExamples([doc('product.json') as Json, ...(doc('products.json') as Json[])]);

  it('the shape check itself catches a missing field, a wrong type and an invented field', () => {
    const order = structuredClone(doc('order.json')) as Record<string, Json>;
    delete order.currency;
    order.total = 29.35;
    order.invented = 'x';
    expect(shapeProblems(orderExample, order).sort()).toEqual(['$.currency: missing', '$.invented: not in the documentation', '$.total: documented as string, got number'].sort());
    expect(shapeProblems(orderExample, doc('order.json'))).toEqual([]);
  });

  it('GET /wc/v3/orders: every order of a page', async () => {
    const orders = (await client.getJson('/wc/v3/orders', { per_page: 100, page: 1 })) as unknown[];
    expect(orders).toHaveLength(100);
    expect(orders.flatMap((order) => shapeProblems(orderExample, order))).toEqual([]);
  });

  it('GET /wc/v3/orders/{id}: a refunded guest order and a member’s order', async () => {
    const all = (await client.getJson('/wc/v3/orders', { per_page: 100, page: 1, status: ['refunded'] })) as { id: number; customer_id: number }[];
    expect(all.length).toBeGreaterThan(0);
    for (const id of [all[0]!.id, 5000]) {
      const order = await client.getJson(`/wc/v3/orders/${id}`);
      expect(shapeProblems(orderExample, order)).toEqual([]);
    }
  });

  it('GET /wc/v3/products and /products/{id}', async () => {
    const products = (await client.getJson('/wc/v3/products', { per_page: 100 })) as { id: number }[];
    expect(products.length).toBeGreaterThan(5);
    expect(products.flatMap((product) => shapeProblems(productExample, product))).toEqual([]);
    expect(shapeProblems(productExample, await client.getJson(`/wc/v3/products/${products[0]!.id}`))).toEqual([]);
  });

  it('paging headers and errors as WooCommerce sends them', async () => {
    const response = await fetch(`${wordpress.main.restUrl}wc/v3/orders?per_page=100&page=2`, {
      headers: { Authorization: `Basic ${Buffer.from(`${wordpress.main.adminUser}:${wordpress.main.applicationPassword}`).toString('base64')}` },
    });
    await response.arrayBuffer();
    expect(response.headers.get('x-wp-total')).toBe(String(wordpress.orders));
    expect(response.headers.get('x-wp-totalpages')).toBe(String(Math.ceil(wordpress.orders / 100)));
    expect(response.headers.get('link')).toMatch(/rel="prev".*rel="next"|rel="next".*rel="prev"/);
    const anonymous = await fetch(`${wordpress.main.restUrl}wc/v3/orders`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
  });
});
