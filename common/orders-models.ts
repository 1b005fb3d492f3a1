/**
 * WooCommerce orders as Salesforce Orders: the per-site settings, the dry-run preview,
 * progress, runs with per-order outcomes (Salesforce's own error codes and messages) and the
 * reconciliation view. No secrets. Pure TypeScript (the renderer and main both read it).
 */

/** Where an order's Account comes from. */
export type OrderAccountStrategy =
  /** The buyer Contact's Account; a buyer without one goes to the default Account. */
  | 'contact-account'
  /** One Account per customer, created on demand, named from the billing company or person. */
  | 'per-customer'
  /** Every order on one Account. */
  | 'default-account';

export interface OrderProductMapping {
  /** WooCommerce product (or variation) id. */
  readonly wooProductId: number;
  /** Salesforce Product2 id. */
  readonly product2Id: string;
}

/** The orders settings of a site profile; every property has a default (DEFAULT_ORDER_SETTINGS). */
export interface OrderSettings {
  /** WooCommerce statuses to send. */
  readonly statuses: readonly string[];
  /** Which orders by date: every one, those created since the last completed run, or a range. */
  readonly dateMode: 'all' | 'since-last-sync' | 'range';
  /** ISO dates (YYYY-MM-DD) for `range`, inclusive; either may be null. */
  readonly dateFrom: string | null;
  readonly dateTo: string | null;
  /** Order Status picklist value for new orders; null = the picklist's default (Draft in a new org). */
  readonly draftStatus: string | null;
  /** Order Status picklist value that activates; null = `Activated`. */
  readonly activatedStatus: string | null;
  /** Activate each order once its items are in. */
  readonly activate: boolean;
  readonly accountStrategy: OrderAccountStrategy;
  /** Salesforce Account id for `default-account`, and for buyers without an Account under `contact-account`. */
  readonly defaultAccountId: string | null;
  /** Explicit WooCommerce product → Product2 pairs; checked before SKU and name. */
  readonly productMappings: readonly OrderProductMapping[];
  /** Create a Product2 (and its standard price) for a product nothing matches. */
  readonly createMissingProducts: boolean;
  /** A custom price book; null = the standard price book. */
  readonly pricebookId: string | null;
  /** Order field that holds the WooCommerce order id; null = `WC_Order_Id__c` when the org has it, else OrderReferenceNumber. */
  readonly orderKeyField: string | null;
  /** Put before the WooCommerce order id (several shops in one org: `shop1-`). */
  readonly orderKeyPrefix: string;
  /** The org's currency when it is single-currency and Salesforce will not say (ISO 4217). */
  readonly orgCurrency: string | null;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  statuses: ['completed', 'processing'],
  dateMode: 'all',
  dateFrom: null,
  dateTo: null,
  draftStatus: null,
  activatedStatus: null,
  activate: false,
  accountStrategy: 'per-customer',
  defaultAccountId: null,
  productMappings: [],
  createMissingProducts: true,
  pricebookId: null,
  orderKeyField: null,
  orderKeyPrefix: '',
  orgCurrency: null,
};

/** Settings as stored: any subset (a profile written before a setting existed). */
export type StoredOrderSettings = Partial<OrderSettings>;

export function withOrderDefaults(stored: StoredOrderSettings | undefined): OrderSettings {
  return { ...DEFAULT_ORDER_SETTINGS, ...(stored ?? {}) };
}

export type OrderPlanClass =
  /** Not in Salesforce: the Order and its items are created. */
  | 'create'
  /** In Salesforce as a Draft that differs: updated, missing items added. */
  | 'update'
  | 'unchanged'
  /** Activated in Salesforce and different from WooCommerce: reported, never modified. */
  | 'locked'
  /** Cannot be sent as it is (currency, no price book entry, no Account …): the reason says why. */
  | 'invalid';

export interface OrderPlanRow {
  readonly wooOrderId: number;
  readonly number: string;
  readonly key: string;
  readonly class: OrderPlanClass;
  readonly salesforceId: string | null;
  readonly buyerEmail: string;
  readonly currency: string;
  /** WooCommerce's order total (tax and shipping included). */
  readonly wooTotal: string;
  /** The sum of the line items as Salesforce will hold it (TotalAmount). */
  readonly itemsTotal: number;
  readonly items: number;
  /** What changes (update), or why (invalid, locked). */
  readonly detail: string | null;
}

export interface OrderPlanCounts {
  readonly create: number;
  readonly update: number;
  readonly unchanged: number;
  readonly locked: number;
  readonly invalid: number;
}

/** Records besides Orders the run creates first. */
export interface OrderDependencyCounts {
  readonly accounts: number;
  readonly contacts: number;
  readonly products: number;
  readonly pricebookEntries: number;
  readonly orderItems: number;
  readonly activations: number;
}

export interface OrdersPlanDto {
  readonly siteId: string;
  readonly orders: number;
  readonly counts: OrderPlanCounts;
  readonly creates: OrderDependencyCounts;
  /** The Order field holding the WooCommerce id. */
  readonly keyField: string;
  readonly multiCurrency: boolean;
  readonly pricebook: { readonly id: string; readonly name: string; readonly standard: boolean };
  readonly draftStatus: string;
  readonly activatedStatus: string;
  /** API calls the plan made, and the calls the writes will take at most. */
  readonly planCalls: number;
  readonly writeCalls: number;
  readonly rows: readonly OrderPlanRow[];
  readonly rowsTruncated: boolean;
  readonly plannedAt: string;
}

export type OrdersPhase = 'recovering' | 'reading' | 'looking-up' | 'accounts' | 'contacts' | 'products' | 'pricebook-entries' | 'orders' | 'order-items' | 'activating' | 'done';

export interface OrdersProgressDto {
  readonly siteId: string;
  readonly runId: string;
  readonly phase: OrdersPhase;
  /** Within the current phase of the current window (orders are written a window at a time). */
  readonly done: number;
  readonly total: number;
  /** The whole run: orders of finished windows, and how many WooCommerce lists (sent runs only). */
  readonly ordersDone?: number;
  readonly ordersTotal?: number;
}

export type OrdersRunState = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type OrderOutcome = 'created' | 'updated' | 'unchanged' | 'locked' | 'invalid' | 'failed' | 'recovered';

export interface OrdersRunDto {
  readonly id: string;
  readonly siteId: string;
  readonly state: OrdersRunState;
  /** Replays name the orders they sent. */
  readonly kind: 'send' | 'replay';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly locked: number;
  readonly invalid: number;
  readonly failed: number;
  readonly apiCalls: number;
  readonly errorCode: string | null;
  readonly message: string | null;
}

export interface OrderRecordDto {
  readonly wooOrderId: number;
  readonly key: string;
  readonly salesforceId: string | null;
  readonly outcome: OrderOutcome;
  /** Salesforce's own error code (or ForceSites' reason code for invalid and locked). */
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly wooTotal: string | null;
  readonly itemsTotal: number | null;
}

export interface OrdersRunPageDto {
  readonly run: OrdersRunDto;
  readonly total: number;
  readonly records: readonly OrderRecordDto[];
}

export type ReconcileState = 'ok' | 'missing' | 'failed' | 'total-differs';

export interface ReconcileRow {
  readonly wooOrderId: number;
  readonly number: string;
  readonly key: string;
  readonly state: ReconcileState;
  readonly salesforceId: string | null;
  readonly wooTotal: string;
  /** The line items' sum in WooCommerce (what Salesforce's TotalAmount should be). */
  readonly itemsTotal: number;
  readonly salesforceTotal: number | null;
  /** failed: Salesforce's error code and message from the latest run that tried it. */
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

export interface OrdersReconcileDto {
  readonly siteId: string;
  readonly orders: number;
  readonly counts: Readonly<Record<ReconcileState, number>>;
  /** Every row that is not ok (at most `rowsLimit`). */
  readonly rows: readonly ReconcileRow[];
  readonly rowsTruncated: boolean;
  readonly apiCalls: number;
  readonly checkedAt: string;
}
