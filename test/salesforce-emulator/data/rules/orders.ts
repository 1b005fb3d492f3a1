/**
 * Order, OrderItem, Pricebook2 and PricebookEntry rules (reference section 8). Wording marked
 * UNCONFIRMED in data/README.md is a best guess; the rest is Salesforce's.
 */
import { formatDateTime } from '../datetime';
import { dmlError } from '../errors';
import type { RuleContext, RuleHooks } from '../dml/dml-engine';
import type { Rec, Table } from '../store/record-store';

const ORDER_PRICEBOOK_MISMATCH = 'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.';

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

export function orderRules(): RuleHooks {
  return {
    beforeInsert(schema, rec, ctx) {
      switch (schema.name) {
        case 'PricebookEntry':
          return checkPricebookEntry(rec, ctx);
        case 'Order':
          rec.TotalAmount = 0;
          rec.StatusCode = 'Draft';
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
      }
      if (schema.name !== 'Order') return;
      const items = childIds(ctx, 'OrderItem', 'OrderId', old.Id);
      if (rec.Pricebook2Id !== old.Pricebook2Id && items.length > 0) {
        // UNCONFIRMED wording.
        throw dmlError('FIELD_INTEGRITY_EXCEPTION', "You can't change the price book of an order that has order products.", ['Pricebook2Id']);
      }
      if (rec.Status === 'Activated' && old.Status !== 'Activated') {
        if (items.length === 0) throw noProducts();
        rec.StatusCode = 'Activated';
        rec.ActivatedDate ??= formatDateTime(ctx.dml.now);
        rec.ActivatedById ??= ctx.dml.userId;
      } else if (rec.Status === 'Draft') rec.StatusCode = 'Draft';
    },
    afterInsert(schema, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
    afterUpdate(schema, _old, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
    // Order → OrderItem cascade comes from Order's childRelationships (see DmlEngine.delete).
    beforeDelete(schema) {
      if (schema.name === 'PricebookEntry') {
        // UNCONFIRMED wording: the reference says entries can only be deactivated.
        throw dmlError('DELETE_FAILED', 'Price book entries cannot be deleted. Deactivate the entry instead (IsActive = false).', []);
      }
    },
    afterDelete(schema, rec, ctx) {
      if (schema.name === 'OrderItem') recomputeOrderTotal(ctx, rec.OrderId);
    },
  };
}

function noProducts(): Error {
  // UNCONFIRMED wording.
  return dmlError('FIELD_INTEGRITY_EXCEPTION', "You can't activate an order that has no order products.", ['Status']);
}

function checkPricebookEntry(rec: Record<string, unknown>, ctx: RuleContext): void {
  const pricebooks = table(ctx, 'Pricebook2');
  const pricebook = pricebooks.live.get(String(rec.Pricebook2Id));
  const product = table(ctx, 'Product2').live.get(String(rec.Product2Id));
  if (!pricebook || !product) return; // the reference check already failed the row
  const entries = table(ctx, 'PricebookEntry');
  const existing = childIds(ctx, 'PricebookEntry', 'Product2Id', rec.Product2Id).map((id) => entries.live.get(id)).filter((e): e is Rec => e !== undefined);
  if (existing.some((e) => e.Pricebook2Id === rec.Pricebook2Id)) {
    throw dmlError('DUPLICATE_VALUE', 'This price definition already exists in this price book', []);
  }
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
  if (order.Status === 'Activated') {
    // UNCONFIRMED wording.
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', "You can't add products to an activated order.", ['OrderId']);
  }
  if (!order.Pricebook2Id || order.Pricebook2Id !== entry.Pricebook2Id) {
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', ORDER_PRICEBOOK_MISMATCH, []);
  }
  if (entry.IsActive !== true) {
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: PricebookEntryId (pricebook entry is inactive)', ['PricebookEntryId']);
  }
  rec.Product2Id = entry.Product2Id;
  rec.ListPrice = entry.UnitPrice;
  rec.TotalPrice = Number(rec.Quantity) * Number(rec.UnitPrice);
}

/** The standard price book every org has. */
export function standardPricebook(): Record<string, unknown> {
  return { Name: 'Standard Price Book', IsActive: true, IsStandard: true, IsArchived: false, Description: null };
}
