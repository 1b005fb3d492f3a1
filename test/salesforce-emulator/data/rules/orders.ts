/**
 * Order, OrderItem, Pricebook2 and PricebookEntry rules (reference section 8 and the Order
 * Object Reference's "Usage"). Every message marked UNCONFIRMED is listed in data/README.md;
 * the others were seen in real Salesforce responses:
 * - `REQUIRED_FIELD_MISSING` "Required fields are missing: [PricebookEntryId]" comes from the
 *   describe (PricebookEntryId is not nillable), not from here;
 * - `FIELD_INTEGRITY_EXCEPTION` "Order Products must have a Price Book Entry that belongs to the
 *   Price Book related to the parent Order.: Price Book Entry ID" with `fields: [PricebookEntryId]`
 *   (a real REST response posted by the WP Fusion developers; Salesforce appends the field label
 *   to FIELD_INTEGRITY_EXCEPTION messages).
 */
import { formatDateTime } from '../datetime';
import { dmlError } from '../errors';
import { buildField } from '../schema/field-template';
import type { RuleContext, RuleHooks } from '../dml/dml-engine';
import type { Rec, Table } from '../store/record-store';

export const ORDER_PRICEBOOK_MISMATCH = 'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.: Price Book Entry ID';
/** Seen in a third-party emulator's copy of a real DmlException, and in a real run's log (lower-cased); code UNCONFIRMED. */
export const ACTIVATED_ORDER_LOCKED = 'Unable to modify activated or superseded Order:  cannot delete Order, or add or remove Order Products';

/**
 * An Order Product whose currency is not its Order's. Text and code from a real Salesforce error
 * (a flow creating Order Products, quoted in SFDO-Community/declarative-lookup-rollup-summaries
 * issue 994). That Salesforce answers this one, rather than an OpportunityLineItem-style
 * "pricebook entry currency code does not match …", for a price book entry in another currency
 * is UNCONFIRMED.
 */
export const ORDER_ITEM_CURRENCY_MISMATCH = 'Enter the same currency as the parent Order.: Currency ISO Code';

/** The objects of this file that gain CurrencyIsoCode when the org has multiple currencies. */
export const MULTI_CURRENCY_OBJECTS = ['Order', 'OrderItem', 'PricebookEntry', 'Product2', 'Pricebook2'] as const;

/**
 * Multiple currencies (Setup → Company Information → Currency Setup): every object of
 * MULTI_CURRENCY_OBJECTS gets a `CurrencyIsoCode` restricted picklist of the active currencies,
 * the corporate one its default. Modelled, UNCONFIRMED against a recorded describe (the
 * reference lists omit the field: a Developer Edition has one currency): the labels
 * (“<Object label> Currency”), length 3, defaulted on create. An Order Product's currency is its
 * Order's, so there it has no default of its own: the rule below fills it in.
 */
export function currencyIsoCodeField(objectLabel: string, currencies: readonly string[], corporate: string, ofParent = false): Record<string, unknown> {
  return buildField({
    name: 'CurrencyIsoCode',
    label: `${objectLabel} Currency`,
    type: 'picklist',
    length: 3,
    custom: false,
    nillable: false,
    defaultedOnCreate: true,
    restrictedPicklist: true,
    picklistValues: currencies,
    ...(ofParent ? {} : { defaultPicklistValue: corporate }),
  });
}

/** Fields an activating update may carry besides Status (the system sets these). */
const ACTIVATION_FIELDS = new Set(['Status', 'StatusCode', 'ActivatedDate', 'ActivatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp']);

function table(ctx: RuleContext, name: string): Table {
  const schema = ctx.registry.get(name);
  if (!schema) throw new Error(`missing schema ${name}`);
  return ctx.engine.tableOf(schema);
}

function childIds(ctx: RuleContext, childObject: string, field: string, parentId: unknown): string[] {
  const t = table(ctx, childObject);
  t.ensureIndex(field);
  const def = t.schema.field(field);
  return def ? t.lookup(def, parentId) : [];
}

function recomputeOrderTotal(ctx: RuleContext, orderId: unknown): void {
  const orders = table(ctx, 'Order');
  const order = typeof orderId === 'string' ? orders.live.get(orderId) : undefined;
  if (!order) return;
  const items = table(ctx, 'OrderItem');
  let total = 0;
  for (const id of childIds(ctx, 'OrderItem', 'OrderId', orderId)) total += Number(items.live.get(id)?.TotalPrice ?? 0);
  ctx.store.put(orders, { ...order, TotalAmount: Math.round(total * 100) / 100, SystemModstamp: formatDateTime(ctx.dml.now) });
}

function isActivated(order: Rec | Record<string, unknown> | undefined): boolean {
  return order?.StatusCode === 'Activated';
}

function locked(): Error {
  return dmlError('ENTITY_IS_LOCKED', ACTIVATED_ORDER_LOCKED, []);
}

function changed(old: Rec, rec: Record<string, unknown>, name: string): boolean {
  return (old[name] ?? null) !== (rec[name] ?? null);
}

export function orderRules(): RuleHooks {
  return {
    beforeInsert(schema, rec, ctx) {
      switch (schema.name) {
        case 'PricebookEntry':
          return checkPricebookEntry(rec, ctx);
        case 'Order':
          // The describe marks AccountId nillable; the Object Reference says "Required". UNCONFIRMED wording.
          if (rec.AccountId === undefined || rec.AccountId === null) throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [AccountId]', ['AccountId']);
          rec.TotalAmount = 0;
          rec.StatusCode = 'Draft';
          if (schema.field('CurrencyIsoCode') && UNSET(rec.CurrencyIsoCode)) rec.CurrencyIsoCode = corporateCurrency(ctx);
          // "When a client application creates an order, the Status Code must be Draft" (Object Reference).
          if (rec.Status === 'Activated') throw noProducts();
          return;
        case 'OrderItem':
          return checkOrderItem(rec, ctx);
        default:
      }
    },
    beforeUpdate(schema, old, rec, ctx) {
      if (schema.name === 'OrderItem') {
        rec.TotalPrice = Number(rec.Quantity) * Number(rec.UnitPrice);
        return;
      }
      if (schema.name !== 'Order') return;
      const items = childIds(ctx, 'OrderItem', 'OrderId', old.Id);
      if (changed(old, rec, 'Pricebook2Id') && items.length > 0) {
        // UNCONFIRMED wording; Salesforce Help: "After a price book is assigned to an order, you can't change or remove the price book assignment."
        throw dmlError('FIELD_INTEGRITY_EXCEPTION', "You can't change the price book of an order that has order products.: Price Book ID", ['Pricebook2Id']);
      }
      const activating = rec.Status === 'Activated' && old.StatusCode !== 'Activated';
      if (activating) {
        // "The Status field is the only field you can update when activating the order" (Object Reference). UNCONFIRMED wording.
        const others = Object.keys(rec).filter((name) => !ACTIVATION_FIELDS.has(name) && changed(old, rec, name));
        if (others.length > 0) {
          throw dmlError('FIELD_INTEGRITY_EXCEPTION', `You can only change the Status field when you activate an order.: ${others.join(', ')}`, others);
        }
        if (items.length === 0) throw noProducts();
        rec.StatusCode = 'Activated';
        rec.ActivatedDate ??= formatDateTime(ctx.dml.now);
        rec.ActivatedById ??= ctx.dml.userId;
        return;
      }
      if (isActivated(old)) {
        // AccountId and ContractId "can only be updated when the order's StatusCode value is Draft" (Object Reference). UNCONFIRMED wording.
        const draftOnly = ['AccountId', 'ContractId'].filter((name) => changed(old, rec, name));
        if (draftOnly.length > 0 && rec.Status !== 'Draft') {
          throw dmlError('FIELD_INTEGRITY_EXCEPTION', `You can't change this field on an activated order.: ${draftOnly.join(', ')}`, draftOnly);
        }
      }
      if (rec.Status === 'Draft') rec.StatusCode = 'Draft';
    },
    afterInsert(schema, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
    afterUpdate(schema, _old, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
    // Order → OrderItem cascade comes from Order's childRelationships (see DmlEngine.delete).
    beforeDelete(schema, rec, ctx) {
      if (schema.name === 'PricebookEntry') {
        // UNCONFIRMED wording: the reference says entries can only be deactivated.
        throw dmlError('DELETE_FAILED', 'Price book entries cannot be deleted. Deactivate the entry instead (IsActive = false).', []);
      }
      // "Your client application can delete orders when the Status is Draft but not when its Status is Activated."
      if (schema.name === 'Order' && isActivated(rec)) throw locked();
      if (schema.name === 'OrderItem' && isActivated(table(ctx, 'Order').live.get(String(rec.OrderId)))) throw locked();
    },
    afterDelete(schema, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
  };
}

function noProducts(): Error {
  // UNCONFIRMED wording.
  return dmlError('FIELD_INTEGRITY_EXCEPTION', "You can't activate an order that has no order products.: Status", ['Status']);
}

function checkPricebookEntry(rec: Record<string, unknown>, ctx: RuleContext): void {
  const pricebooks = table(ctx, 'Pricebook2');
  const pricebook = pricebooks.live.get(String(rec.Pricebook2Id));
  const product = table(ctx, 'Product2').live.get(String(rec.Product2Id));
  if (!pricebook || !product) return; // the reference check already failed the row
  const entries = table(ctx, 'PricebookEntry');
  // With multiple currencies a product has one price per price book AND currency.
  const multi = entries.schema.field('CurrencyIsoCode') !== undefined;
  if (multi && UNSET(rec.CurrencyIsoCode)) rec.CurrencyIsoCode = corporateCurrency(ctx);
  const existing = childIds(ctx, 'PricebookEntry', 'Product2Id', rec.Product2Id)
    .map((id) => entries.live.get(id))
    .filter((e): e is Rec => e !== undefined && (!multi || e.CurrencyIsoCode === rec.CurrencyIsoCode));
  if (existing.some((e) => e.Pricebook2Id === rec.Pricebook2Id)) {
    throw dmlError('DUPLICATE_VALUE', 'This price definition already exists in this price book', []);
  }
  // "You must load the standard price for a product before you're permitted to load its custom prices" (Object Reference).
  if (pricebook.IsStandard !== true) {
    const standard = existing.find((e) => pricebooks.live.get(String(e.Pricebook2Id))?.IsStandard === true);
    if (!standard || standard.IsActive !== true) {
      throw dmlError('STANDARD_PRICE_NOT_DEFINED', 'Before creating a custom price, create a standard price.', []);
    }
  }
  rec.Name = product.Name;
  if (product.ProductCode !== undefined) rec.ProductCode = product.ProductCode;
}

function checkOrderItem(rec: Record<string, unknown>, ctx: RuleContext): void {
  const order = table(ctx, 'Order').live.get(String(rec.OrderId));
  const entry = table(ctx, 'PricebookEntry').live.get(String(rec.PricebookEntryId));
  if (!order || !entry) return;
  if (isActivated(order)) throw locked();
  if (!order.Pricebook2Id || order.Pricebook2Id !== entry.Pricebook2Id) {
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', ORDER_PRICEBOOK_MISMATCH, ['PricebookEntryId']);
  }
  if (entry.IsActive !== true) {
    // UNCONFIRMED wording (the OpportunityLineItem one).
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: PricebookEntryId (pricebook entry is inactive)', ['PricebookEntryId']);
  }
  if (table(ctx, 'OrderItem').schema.field('CurrencyIsoCode')) {
    // The item is in its Order's currency: a price from another currency, or another currency named, is refused.
    const currency = order.CurrencyIsoCode;
    if (entry.CurrencyIsoCode !== currency || (!UNSET(rec.CurrencyIsoCode) && rec.CurrencyIsoCode !== currency)) {
      throw dmlError('FIELD_INTEGRITY_EXCEPTION', ORDER_ITEM_CURRENCY_MISMATCH, ['CurrencyIsoCode']);
    }
    rec.CurrencyIsoCode = currency;
  }
  rec.Product2Id = entry.Product2Id;
  rec.ListPrice = entry.UnitPrice;
  rec.TotalPrice = Number(rec.Quantity) * Number(rec.UnitPrice);
}

function UNSET(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The corporate currency: the default value of Order's CurrencyIsoCode picklist. */
function corporateCurrency(ctx: RuleContext): string | undefined {
  const field = table(ctx, 'Order').schema.field('CurrencyIsoCode');
  const values = (field?.json.picklistValues ?? []) as { value: string; defaultValue: boolean }[];
  return values.find((value) => value.defaultValue)?.value;
}

/** The standard price book every org has. */
export function standardPricebook(): Record<string, unknown> {
  return { Name: 'Standard Price Book', IsActive: true, IsStandard: true, IsArchived: false, Description: null };
}
