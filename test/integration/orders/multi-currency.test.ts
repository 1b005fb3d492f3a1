/**
 * Currencies for real (issue 14): a multi-currency emulator org (Order, OrderItem and the price
 * book objects gain CurrencyIsoCode, an Order Product must be in its Order's currency) gets a
 * non-default-currency order with its currency, priced from entries in that currency; a
 * single-currency org refuses an order in another currency with a clear message, before anything
 * is written.
 */
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { line, ordersUnderTest, registryApi, rows, seedProducts, standardBook, USD_SETTINGS, wooOrder } from './support/orders-harness';

const emu = useEmulator();

describe('currencies', () => {
  it('a multi-currency org gets a EUR order in EUR, with EUR prices created beside the USD ones; an inactive currency is refused up front', async () => {
    emu.handle.setCurrencies(undefined, { corporate: 'USD', currencies: ['USD', 'EUR', 'GBP'] });
    const { api } = await registryApi(emu);
    seedProducts(emu, 2); // standard prices in USD (the corporate currency) only
    const orders = [
      wooOrder(1, { currency: 'EUR', total: '9.00', lineItems: [line(11, { name: 'Product 1', sku: 'SKU-1', quantity: 2, price: 4.5, total: '9.00' })] }),
      wooOrder(2, { currency: 'USD', total: '5.00', lineItems: [line(21, { name: 'Product 1', sku: 'SKU-1', quantity: 1, price: 5, total: '5.00' })] }),
      wooOrder(3, { currency: 'JPY', total: '800', lineItems: [line(31, { name: 'Product 2', sku: 'SKU-2', quantity: 1, price: 800, total: '800' })] }),
    ];
    // No orgCurrency setting: a multi-currency org needs none.
    const t = ordersUnderTest(api, { orders, settings: { ...USD_SETTINGS, orgCurrency: null } });

    const plan = await t.service.plan('site1');
    expect(plan.multiCurrency).toBe(true);
    expect(plan.counts).toMatchObject({ create: 2, invalid: 1 });
    const jpy = plan.rows.find((row) => row.wooOrderId === 3)!;
    expect(jpy).toMatchObject({ class: 'invalid', currency: 'JPY' });
    expect(jpy.detail).toMatch(/JPY, which is not an active currency of the org \(USD, EUR, GBP\).*Manage Currencies/);

    const run = await t.service.send('site1');
    expect(run).toMatchObject({ state: 'completed', created: 2, failed: 0, invalid: 1 });
    const sent = rows(emu, 'Order');
    expect(sent).toHaveLength(2);
    const eur = sent.find((o) => o['OrderReferenceNumber'] === '1')!;
    expect(eur).toMatchObject({ CurrencyIsoCode: 'EUR', TotalAmount: 9 });
    expect(sent.find((o) => o['OrderReferenceNumber'] === '2')).toMatchObject({ CurrencyIsoCode: 'USD', TotalAmount: 5 });
    const entries = rows(emu, 'PricebookEntry');
    const eurEntry = entries.find((e) => e['CurrencyIsoCode'] === 'EUR')!;
    expect(eurEntry).toMatchObject({ Pricebook2Id: standardBook(emu), UnitPrice: 4.5, IsActive: true });
    expect(entries.filter((e) => e['CurrencyIsoCode'] === 'USD')).toHaveLength(2);
    const items = rows(emu, 'OrderItem').filter((item) => item['OrderId'] === eur['Id']);
    expect(items).toEqual([expect.objectContaining({ PricebookEntryId: eurEntry['Id'], CurrencyIsoCode: 'EUR', Quantity: 2, UnitPrice: 4.5 })]);
    expect(entries.some((e) => e['CurrencyIsoCode'] === 'JPY')).toBe(false);

    const again = await t.service.send('site1');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, invalid: 1 });
  });

  it('a single-currency org refuses an order in another currency with a message, writing nothing for it', async () => {
    const { api } = await registryApi(emu);
    seedProducts(emu, 1);
    const orders = [
      wooOrder(1, { currency: 'EUR', total: '10.00' }),
      wooOrder(2, { currency: 'USD', total: '10.00', lineItems: [line(21, { name: 'Product 1', sku: 'SKU-1' })] }),
    ];
    // No orgCurrency setting: the org's currency is read from Organization.DefaultCurrencyIsoCode.
    const t = ordersUnderTest(api, { orders, settings: { ...USD_SETTINGS, orgCurrency: null } });
    const plan = await t.service.plan('site1');
    expect(plan.multiCurrency).toBe(false);
    const refused = plan.rows.find((row) => row.wooOrderId === 1)!;
    expect(refused).toMatchObject({ class: 'invalid', currency: 'EUR' });
    expect(refused.detail).toBe('The order is in EUR, but the org is single-currency (USD): Salesforce would record the amounts as USD. Turn on multiple currencies in Salesforce, or leave this order out.');

    const run = await t.service.send('site1');
    expect(run).toMatchObject({ created: 1, invalid: 1, failed: 0 });
    expect(rows(emu, 'Order').map((o) => o['OrderReferenceNumber'])).toEqual(['2']);
    // Nothing was created for the refused order: not its buyer, not its product.
    expect(rows(emu, 'Contact').map((c) => c['Email'])).toEqual(['buyer2@example.org']);
    expect(rows(emu, 'Product2')).toHaveLength(1);
  });
});

describe('Organization', () => {
  it('answers the org’s currency: USD with one currency, the corporate one with several', async () => {
    const { api } = await registryApi(emu);
    const currency = async () => (await api.request<{ records: { DefaultCurrencyIsoCode: string }[] }>(`/query?q=${encodeURIComponent('SELECT Id, Name, DefaultCurrencyIsoCode FROM Organization')}`)).records;
    expect(await currency()).toEqual([expect.objectContaining({ DefaultCurrencyIsoCode: 'USD' })]);
    emu.handle.setCurrencies(undefined, { corporate: 'EUR', currencies: ['EUR', 'USD'] });
    expect(await currency()).toEqual([expect.objectContaining({ DefaultCurrencyIsoCode: 'EUR' })]);
  });
});
