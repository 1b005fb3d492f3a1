/**
 * WordPress's and WooCommerce's JSON to ForceSites's models and back. Values pass through
 * unchanged (names with apostrophes, emoji or 255 characters must round-trip byte for
 * byte); only the shape changes. A field of the wrong type means the site answered
 * something other than WordPress's REST API, which is an error, not a default.
 */
import type { CompanionInfo, WooAddress, WooLineItem, WooOrder, WooProduct, WooRefund, WordpressAccount, WordpressUser, WordpressUserInput } from '../../common/wordpress-models';

export const DEFAULT_TAGS_META_KEY = 'forcesites_tags';

export class ShapeError extends Error {
  constructor(readonly path: string) {
    super(`unexpected shape at ${path}`);
    this.name = 'ShapeError';
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(path);
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path);
  return value;
}

function int(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new ShapeError(path);
}

/** A string field; WordPress omits some for other contexts, so absent means ''. */
function text(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ShapeError(path);
}

function nullableText(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : text(value, path);
}

function strings(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  return array(value, path).map((item, index) => text(item, `${path}[${index}]`));
}

export function toWordpressUser(raw: unknown, tagsKey = DEFAULT_TAGS_META_KEY): WordpressUser {
  const user = object(raw, 'user');
  // PHP encodes an empty meta array as [] rather than {}.
  const rawMeta = Array.isArray(user.meta) ? {} : user.meta === undefined ? {} : object(user.meta, 'user.meta');
  const { [tagsKey]: tags, ...meta } = rawMeta;
  return {
    id: int(user.id, 'user.id'),
    username: text(user.username, 'user.username'),
    name: text(user.name, 'user.name'),
    firstName: text(user.first_name, 'user.first_name'),
    lastName: text(user.last_name, 'user.last_name'),
    email: text(user.email, 'user.email'),
    url: text(user.url, 'user.url'),
    description: text(user.description, 'user.description'),
    locale: text(user.locale, 'user.locale'),
    nickname: text(user.nickname, 'user.nickname'),
    slug: text(user.slug, 'user.slug'),
    roles: strings(user.roles, 'user.roles'),
    registeredAt: text(user.registered_date, 'user.registered_date'),
    tags: strings(tags, `user.meta.${tagsKey}`),
    meta,
  };
}

export function toWordpressAccount(raw: unknown): WordpressAccount {
  const user = object(raw, 'user');
  const capabilities = user.capabilities === undefined || Array.isArray(user.capabilities) ? {} : object(user.capabilities, 'user.capabilities');
  return {
    id: int(user.id, 'user.id'),
    username: text(user.username, 'user.username'),
    name: text(user.name, 'user.name'),
    roles: strings(user.roles, 'user.roles'),
    canListUsers: capabilities.list_users === true,
    canEditUsers: capabilities.edit_users === true,
    canCreateUsers: capabilities.create_users === true,
  };
}

/** The body of POST /wp/v2/users[/id]: only the fields given. */
export function toUserPayload(input: WordpressUserInput, tagsKey = DEFAULT_TAGS_META_KEY): Json {
  const payload: Json = {};
  const fields: [keyof WordpressUserInput, string][] = [
    ['username', 'username'],
    ['email', 'email'],
    ['password', 'password'],
    ['name', 'name'],
    ['firstName', 'first_name'],
    ['lastName', 'last_name'],
    ['nickname', 'nickname'],
    ['url', 'url'],
    ['description', 'description'],
    ['locale', 'locale'],
    ['roles', 'roles'],
  ];
  for (const [from, to] of fields) {
    if (input[from] !== undefined) payload[to] = input[from];
  }
  const meta: Json = { ...(input.meta ?? {}) };
  if (input.tags !== undefined) meta[tagsKey] = [...input.tags];
  if (Object.keys(meta).length > 0) payload.meta = meta;
  return payload;
}

export function toCompanionInfo(raw: unknown): CompanionInfo {
  const info = object(raw, 'info');
  return {
    pluginVersion: text(info.plugin_version, 'info.plugin_version'),
    wordpressVersion: text(info.wordpress_version, 'info.wordpress_version'),
    siteName: text(info.site_name, 'info.site_name'),
    metaKeys: strings(info.meta_keys, 'info.meta_keys'),
    tagsMetaKey: text(info.tags_meta_key, 'info.tags_meta_key') || DEFAULT_TAGS_META_KEY,
    woocommerceActive: info.woocommerce_active === true,
    woocommerceVersion: nullableText(info.woocommerce_version, 'info.woocommerce_version'),
    applicationPasswordsAvailable: info.application_passwords_available === true,
    canListUsers: info.can_list_users === true,
    canEditUsers: info.can_edit_users === true,
    canCreateUsers: info.can_create_users === true,
  };
}

function toAddress(raw: unknown, path: string): WooAddress {
  const address = raw === undefined || raw === null ? {} : object(raw, path);
  return {
    firstName: text(address.first_name, `${path}.first_name`),
    lastName: text(address.last_name, `${path}.last_name`),
    company: text(address.company, `${path}.company`),
    email: text(address.email, `${path}.email`),
    phone: text(address.phone, `${path}.phone`),
    address1: text(address.address_1, `${path}.address_1`),
    address2: text(address.address_2, `${path}.address_2`),
    city: text(address.city, `${path}.city`),
    state: text(address.state, `${path}.state`),
    postcode: text(address.postcode, `${path}.postcode`),
    country: text(address.country, `${path}.country`),
  };
}

function toLineItem(raw: unknown, path: string): WooLineItem {
  const item = object(raw, path);
  const price = typeof item.price === 'number' ? item.price : Number(text(item.price, `${path}.price`) || '0');
  if (!Number.isFinite(price)) throw new ShapeError(`${path}.price`);
  return {
    id: int(item.id, `${path}.id`),
    name: text(item.name, `${path}.name`),
    productId: int(item.product_id ?? 0, `${path}.product_id`),
    variationId: int(item.variation_id ?? 0, `${path}.variation_id`),
    quantity: int(item.quantity, `${path}.quantity`),
    subtotal: text(item.subtotal, `${path}.subtotal`),
    total: text(item.total, `${path}.total`),
    sku: text(item.sku, `${path}.sku`),
    price,
  };
}

function toRefund(raw: unknown, path: string): WooRefund {
  const refund = object(raw, path);
  return {
    id: int(refund.id, `${path}.id`),
    // WooCommerce's property table says `reason`; its list example (and older versions) say `refund`.
    reason: text(refund.reason ?? refund.refund, `${path}.reason`),
    total: text(refund.total, `${path}.total`),
  };
}

export function toWooOrder(raw: unknown): WooOrder {
  const order = object(raw, 'order');
  return {
    id: int(order.id, 'order.id'),
    number: text(order.number, 'order.number'),
    status: text(order.status, 'order.status'),
    currency: text(order.currency, 'order.currency'),
    dateCreatedGmt: text(order.date_created_gmt, 'order.date_created_gmt'),
    datePaidGmt: nullableText(order.date_paid_gmt, 'order.date_paid_gmt'),
    dateCompletedGmt: nullableText(order.date_completed_gmt, 'order.date_completed_gmt'),
    total: text(order.total, 'order.total'),
    totalTax: text(order.total_tax, 'order.total_tax'),
    shippingTotal: text(order.shipping_total, 'order.shipping_total'),
    discountTotal: text(order.discount_total, 'order.discount_total'),
    customerId: int(order.customer_id ?? 0, 'order.customer_id'),
    billing: toAddress(order.billing, 'order.billing'),
    lineItems: array(order.line_items ?? [], 'order.line_items').map((item, index) => toLineItem(item, `order.line_items[${index}]`)),
    refunds: array(order.refunds ?? [], 'order.refunds').map((refund, index) => toRefund(refund, `order.refunds[${index}]`)),
  };
}

export function toWooProduct(raw: unknown): WooProduct {
  const product = object(raw, 'product');
  return {
    id: int(product.id, 'product.id'),
    name: text(product.name, 'product.name'),
    type: text(product.type, 'product.type'),
    status: text(product.status, 'product.status'),
    sku: text(product.sku, 'product.sku'),
    price: text(product.price, 'product.price'),
    regularPrice: text(product.regular_price, 'product.regular_price'),
    parentId: int(product.parent_id ?? 0, 'product.parent_id'),
  };
}
