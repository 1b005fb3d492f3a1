/**
 * WooCommerce-shaped products and orders for the test-only plugin in
 * plugins/forcesites-test-woocommerce (WooCommerce itself cannot be installed here).
 *
 * Every object has exactly the fields of WooCommerce's documented responses
 * (fixtures/woocommerce-docs, checked by woocommerce-shape.test.ts) minus `_links`, which the
 * plugin adds from the site's URL. Deterministic from the seed. It covers what an order sync
 * trips over: simple and variable products, a trashed and a permanently deleted product still
 * named by old orders, refunds (partial and full), guest orders, unicode names, zero-price
 * items, several currencies (JPY has no decimals), every order status.
 */
import { seedRandom, type SeedRandom } from './seed-random';
import type { SeedUser } from './seed-users';

export interface WoocommerceSeed {
  readonly products: readonly WooProduct[];
  readonly orders: readonly WooOrder[];
  /** Ids old orders name but the shop no longer has (GET /products/{id} answers 404). */
  readonly deletedProductIds: readonly number[];
}

export type WooProduct = Record<string, unknown> & {
  readonly id: number;
  readonly name: string;
  readonly type: 'simple' | 'variable' | 'variation';
  readonly status: string;
  readonly parent_id: number;
  readonly sku: string;
  readonly price: string;
  readonly regular_price: string;
};

export interface WooLineItem {
  readonly id: number;
  readonly name: string;
  readonly product_id: number;
  readonly variation_id: number;
  readonly quantity: number;
  readonly tax_class: string;
  readonly subtotal: string;
  readonly subtotal_tax: string;
  readonly total: string;
  readonly total_tax: string;
  readonly taxes: readonly unknown[];
  readonly meta_data: readonly { id: number; key: string; value: string }[];
  readonly sku: string;
  readonly price: number;
}

export type WooOrder = Record<string, unknown> & {
  readonly id: number;
  readonly status: string;
  readonly currency: string;
  readonly customer_id: number;
  readonly date_created: string;
  readonly date_created_gmt: string;
  readonly date_modified: string;
  readonly date_modified_gmt: string;
  readonly total: string;
  readonly line_items: readonly WooLineItem[];
  readonly refunds: readonly { id: number; reason: string; total: string }[];
  readonly billing: Record<string, string>;
};

export interface SeedWoocommerceOptions {
  readonly orders: number;
  readonly seed: number;
  /** Seeded WordPress users; some orders belong to them, the rest are guest orders. */
  readonly customers: readonly SeedUser[];
  /** Hours the site's clock is ahead of UTC (the test site uses -3). */
  readonly gmtOffset?: number;
  readonly siteUrl?: string;
}

const CURRENCIES: readonly { code: string; decimals: number }[] = [
  { code: 'USD', decimals: 2 },
  { code: 'EUR', decimals: 2 },
  { code: 'GBP', decimals: 2 },
  { code: 'JPY', decimals: 0 },
  { code: 'SEK', decimals: 2 },
];
const STATUSES = ['completed', 'completed', 'completed', 'processing', 'processing', 'on-hold', 'pending', 'cancelled', 'failed', 'refunded'] as const;
const GUEST_NAMES: readonly [string, string][] = [
  ['Guest', 'Buyer'],
  ['Siobhán', "Ní Bhriain"],
  ['Ōtani', 'Shōhei'],
  ['Ангелина', 'Кузнецова'],
  ['Chloé', 'Dubois-Lefèvre'],
  ['محمود', 'درويش'],
];

const PRODUCT_ID_BASE = 1000;
const ORDER_ID_BASE = 5000;

export function seedWoocommerce(options: SeedWoocommerceOptions): WoocommerceSeed {
  const random = seedRandom(options.seed ^ 0x5eed_c0de);
  const gmtOffset = options.gmtOffset ?? -3;
  const products = seedProducts(gmtOffset, options.siteUrl ?? '');
  const deletedProductIds = [PRODUCT_ID_BASE + 90];
  const purchasable = products.filter((product) => product.type !== 'variable' && product.status !== 'draft');
  const customers = options.customers.filter((user) => user.roles.includes('customer') || user.roles.includes('subscriber'));
  const orders: WooOrder[] = [];
  let nextId = ORDER_ID_BASE;
  let nextItemId = 1;
  let nextMetaId = 1;
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;

  for (let index = 0; index < options.orders; index += 1) {
    const id = nextId;
    nextId += 1;
    const currency = index < CURRENCIES.length ? CURRENCIES[index]! : random.pick(CURRENCIES);
    const status = index < STATUSES.length ? STATUSES[index]! : random.pick(STATUSES);
    // Orders are created in id order, as WooCommerce numbers them.
    const created = new Date(start + Math.floor((span * (index + random.next() * 0.5)) / Math.max(1, options.orders) / 1000) * 1000);
    const guest = customers.length === 0 || index % 4 === 1;
    const customer = guest ? null : customers[random.int(0, customers.length - 1)]!;
    const [first, last] = customer ? [customer.first_name, customer.last_name] : random.pick(GUEST_NAMES);
    const email = customer ? customer.email : `guest${id}@example.net`;

    const items: WooLineItem[] = [];
    const itemCount = random.int(1, 3);
    for (let n = 0; n < itemCount; n += 1) {
      // Order 2 names the deleted product; every 7th order has a zero-price sample.
      const product = index === 2 && n === 0 ? deletedProduct() : index % 7 === 3 && n === 0 ? products.find((p) => p.sku === 'FREE-SAMPLE')! : random.pick(purchasable);
      const quantity = random.int(1, 4);
      const unit = convert(Number(product.price), currency);
      const line = round(unit * quantity, currency.decimals);
      items.push({
        id: nextItemId++,
        name: product.type === 'variation' ? `${parentName(products, product)} - ${String((product.attributes as { option: string }[])[0]?.option)}` : product.name,
        product_id: product.type === 'variation' ? product.parent_id : product.id,
        variation_id: product.type === 'variation' ? product.id : 0,
        quantity,
        tax_class: '',
        subtotal: money(line, currency.decimals),
        subtotal_tax: money(0, currency.decimals),
        total: money(line, currency.decimals),
        total_tax: money(0, currency.decimals),
        taxes: [],
        meta_data: product.type === 'variation' ? [{ id: nextMetaId++, key: 'pa_size', value: String((product.attributes as { option: string }[])[0]?.option) }] : [],
        sku: product.sku,
        price: unit,
      });
    }
    const itemsTotal = items.reduce((sum, item) => sum + Number(item.total), 0);
    const shipping = index % 5 === 0 ? 0 : convert(5, currency);
    const total = round(itemsTotal + shipping, currency.decimals);

    const refunds: { id: number; reason: string; total: string }[] = [];
    if (status === 'refunded' || (status === 'completed' && index % 6 === 0 && total > 0)) {
      const refundId = nextId++;
      const amount = status === 'refunded' ? total : round(total / 2, currency.decimals);
      refunds.push({ id: refundId, reason: status === 'refunded' ? 'Customer changed their mind' : 'Damaged in transit — partial refund', total: `-${money(amount, currency.decimals)}` });
    }

    const paid = ['completed', 'processing', 'refunded'].includes(status) ? new Date(created.getTime() + 60_000) : null;
    const completed = status === 'completed' || status === 'refunded' ? new Date(created.getTime() + 86_400_000) : null;
    const modified = completed ?? paid ?? created;
    const address = {
      first_name: first,
      last_name: last,
      company: customer?.meta.company ?? '',
      address_1: random.pick(['969 Market', '1 Grafton Street', 'Kärntner Straße 38', '東京都千代田区1-1', '221B Baker Street']),
      address_2: '',
      city: random.pick(['San Francisco', 'Dublin', 'Wien', '東京', 'London']),
      state: '',
      postcode: random.pick(['94103', 'D02 XY45', '1010', '100-0001', 'NW1 6XE']),
      country: random.pick(['US', 'IE', 'AT', 'JP', 'GB']),
    };
    orders.push({
      id,
      parent_id: 0,
      number: String(id),
      order_key: `wc_order_${hex(random, 13)}`,
      created_via: random.pick(['checkout', 'checkout', 'admin', 'rest-api']),
      version: '8.6.1',
      status,
      currency: currency.code,
      date_created: local(created, gmtOffset),
      date_created_gmt: gmt(created),
      date_modified: local(modified, gmtOffset),
      date_modified_gmt: gmt(modified),
      discount_total: money(0, currency.decimals),
      discount_tax: money(0, currency.decimals),
      shipping_total: money(shipping, currency.decimals),
      shipping_tax: money(0, currency.decimals),
      cart_tax: money(0, currency.decimals),
      total: money(total, currency.decimals),
      total_tax: money(0, currency.decimals),
      prices_include_tax: false,
      customer_id: customer?.id ?? 0,
      customer_ip_address: '',
      customer_user_agent: '',
      customer_note: index % 9 === 0 ? 'Please leave at the door — thanks! 🙏' : '',
      billing: { ...address, email, phone: customer?.meta.billing_phone ?? '' },
      shipping: address,
      payment_method: total === 0 ? '' : 'bacs',
      payment_method_title: total === 0 ? '' : 'Direct Bank Transfer',
      transaction_id: '',
      date_paid: paid ? local(paid, gmtOffset) : null,
      date_paid_gmt: paid ? gmt(paid) : null,
      date_completed: completed ? local(completed, gmtOffset) : null,
      date_completed_gmt: completed ? gmt(completed) : null,
      cart_hash: '',
      meta_data: [],
      line_items: items,
      tax_lines: [],
      shipping_lines:
        shipping === 0
          ? []
          : [{ id: nextItemId++, method_title: 'Flat rate', method_id: 'flat_rate', total: money(shipping, currency.decimals), total_tax: money(0, currency.decimals), taxes: [], meta_data: [] }],
      fee_lines: [],
      coupon_lines: [],
      refunds,
    });
  }
  return { products, orders, deletedProductIds };

  function deletedProduct(): WooProduct {
    return product({ id: deletedProductIds[0]!, name: 'Discontinued Hoodie', type: 'simple', price: '35.00', sku: 'HOODIE-OLD' }, gmtOffset, '');
  }
}

function seedProducts(gmtOffset: number, siteUrl: string): WooProduct[] {
  const p = (fields: ProductFields) => product(fields, gmtOffset, siteUrl);
  const variableId = PRODUCT_ID_BASE + 10;
  const sizes = ['S', 'M', 'L'];
  const variations = sizes.map((size, index) =>
    p({ id: variableId + 1 + index, name: `Ship Your Idea - ${size}`, type: 'variation', parent_id: variableId, price: String(20 + index * 2) + '.00', sku: `SYI-${size}`, attributes: [{ id: 0, name: 'Size', option: size }] }),
  );
  return [
    p({ id: PRODUCT_ID_BASE + 1, name: 'Premium Quality T-shirt', type: 'simple', price: '21.99', sku: 'TSHIRT-PQ' }),
    p({ id: PRODUCT_ID_BASE + 2, name: 'Crème brûlée kit', type: 'simple', price: '12.50', sku: 'CREME-KIT', on_sale_from: '9.99' }),
    p({ id: PRODUCT_ID_BASE + 3, name: '抹茶 Matcha 🍵', type: 'simple', price: '8.00', sku: 'MATCHA' }),
    p({ id: PRODUCT_ID_BASE + 4, name: 'Ёлочная игрушка', type: 'simple', price: '4.20', sku: 'ORNAMENT-RU' }),
    p({ id: PRODUCT_ID_BASE + 5, name: 'Free sample', type: 'simple', price: '0.00', sku: 'FREE-SAMPLE' }),
    p({ id: PRODUCT_ID_BASE + 6, name: 'Membership — Gold (annual)', type: 'simple', price: '120.00', sku: 'MEMBER-GOLD', virtual: true }),
    p({ id: PRODUCT_ID_BASE + 7, name: 'Old mug (in the bin)', type: 'simple', price: '9.00', sku: 'MUG-OLD', status: 'trash' }),
    p({ id: PRODUCT_ID_BASE + 8, name: 'Draft poster', type: 'simple', price: '15.00', sku: 'POSTER-DRAFT', status: 'draft' }),
    p({ id: variableId, name: 'Ship Your Idea', type: 'variable', price: '20.00', sku: 'SYI', variations: variations.map((v) => v.id), attributes: [{ id: 0, name: 'Size', position: 0, visible: true, variation: true, options: sizes }] }),
    ...variations,
  ];
}

interface ProductFields {
  readonly id: number;
  readonly name: string;
  readonly type: 'simple' | 'variable' | 'variation';
  readonly price: string;
  readonly sku: string;
  readonly status?: string;
  readonly parent_id?: number;
  readonly variations?: readonly number[];
  readonly attributes?: readonly unknown[];
  readonly virtual?: boolean;
  readonly on_sale_from?: string;
}

function product(fields: ProductFields, gmtOffset: number, siteUrl: string): WooProduct {
  const created = new Date(Date.UTC(2022, 5, 1) + (fields.id - PRODUCT_ID_BASE) * 86_400_000);
  const slug = fields.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `product-${fields.id}`;
  const onSale = fields.on_sale_from !== undefined;
  const price = onSale ? fields.on_sale_from! : fields.price;
  return {
    id: fields.id,
    name: fields.name,
    slug,
    permalink: `${siteUrl}/product/${slug}/`,
    date_created: local(created, gmtOffset),
    date_created_gmt: gmt(created),
    date_modified: local(created, gmtOffset),
    date_modified_gmt: gmt(created),
    type: fields.type,
    status: fields.status ?? 'publish',
    featured: false,
    catalog_visibility: 'visible',
    description: `<p>${escapeHtml(fields.name)}</p>\n`,
    short_description: '',
    sku: fields.sku,
    price: fields.type === 'variable' ? fields.price : price,
    regular_price: fields.type === 'variable' ? '' : fields.price,
    sale_price: onSale ? price : '',
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    price_html: `<span class="woocommerce-Price-amount amount"><span class="woocommerce-Price-currencySymbol">&#36;</span>${price}</span>`,
    on_sale: onSale,
    purchasable: (fields.status ?? 'publish') === 'publish',
    total_sales: 0,
    virtual: fields.virtual ?? false,
    downloadable: false,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: '',
    button_text: '',
    tax_status: 'taxable',
    tax_class: '',
    manage_stock: false,
    stock_quantity: null,
    stock_status: 'instock',
    backorders: 'no',
    backorders_allowed: false,
    backordered: false,
    sold_individually: false,
    weight: '',
    dimensions: { length: '', width: '', height: '' },
    shipping_required: !(fields.virtual ?? false),
    shipping_taxable: !(fields.virtual ?? false),
    shipping_class: '',
    shipping_class_id: 0,
    reviews_allowed: true,
    average_rating: '0.00',
    rating_count: 0,
    related_ids: [],
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: fields.parent_id ?? 0,
    purchase_note: '',
    categories: [{ id: 15, name: 'Uncategorized', slug: 'uncategorized' }],
    tags: [],
    images: [],
    attributes: fields.attributes ?? [],
    default_attributes: [],
    variations: fields.variations ?? [],
    grouped_products: [],
    menu_order: 0,
    meta_data: [],
  };
}

function parentName(products: readonly WooProduct[], variation: WooProduct): string {
  return products.find((candidate) => candidate.id === variation.parent_id)?.name ?? '';
}

/** Rough fixed rates: the point is several currencies and JPY's lack of decimals. */
function convert(usd: number, currency: { code: string; decimals: number }): number {
  const rate: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 150, SEK: 10.5 };
  return round(usd * (rate[currency.code] ?? 1), currency.decimals);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function money(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** WooCommerce prints dates without a zone: `2017-03-22T16:28:02`. */
function gmt(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function local(date: Date, offsetHours: number): string {
  return gmt(new Date(date.getTime() + offsetHours * 3_600_000));
}

function hex(random: SeedRandom, length: number): string {
  return Array.from({ length }, () => random.int(0, 15).toString(16)).join('');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
