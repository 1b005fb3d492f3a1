/**
 * The seam between the emulator's two halves.
 *
 * - The core (server.ts, oauth/, control/, usage/, metadata/) owns HTTP, hosts, orgs, users,
 *   connected apps, tokens, the clock, faults, API quota and the request log. It authenticates
 *   every `/services/data/vXX.X/...` request, counts it against the quota, and then hands it to
 *   the org's data API below.
 * - The data half (data/) owns sObject schemas and describes, records, SOQL, CRUD, upsert,
 *   sObject Collections, Bulk API 2.0, Topics and Orders rules.
 *
 * Rows the core knows better than the data half (OauthToken, ConnectedApplication, User) are
 * "virtual" sObjects: the core registers a describe and a row provider, the data half queries
 * them like any other object but refuses DML on them as Salesforce does.
 */

/** One authenticated REST call, already stripped of `/services/data/vXX.X/`. */
export interface DataRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  /**
   * Path after the version, without leading slash, e.g. `sobjects/Contact/describe`, `query`.
   * The core also strips trailing slashes (`sobjects/` arrives as `sobjects`).
   */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body (JSON or CSV). Empty buffer when none. */
  readonly body: Buffer;
  /** API version as a string with one decimal, e.g. `66.0`. */
  readonly version: string;
  /** The calling user. */
  readonly user: DataUser;
}

export interface DataUser {
  readonly id: string;
  readonly username: string;
  /** e.g. `CustomizeApplication`, `ViewSetup`, `ViewAllData`, `ApproveUninstalledConnectedApps`. */
  readonly permissions: ReadonlySet<string>;
}

export interface DataResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as-is (set content-type in headers, e.g. text/csv). */
  readonly body?: unknown;
}

/** A custom field a test or the demo seed adds to an object (Contact, Lead, custom __c). */
export interface CustomFieldSpec {
  readonly name: string; // must end with __c
  readonly label: string;
  readonly type: 'string' | 'email' | 'double' | 'boolean' | 'date' | 'datetime' | 'picklist' | 'multipicklist' | 'textarea' | 'id' | 'reference' | 'url' | 'phone' | 'currency' | 'percent' | 'int';
  readonly length?: number;
  /** Number fields (double, currency, percent): total digits, and digits after the decimal point. */
  readonly precision?: number;
  readonly scale?: number;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly required?: boolean;
  readonly picklistValues?: readonly string[];
  readonly restrictedPicklist?: boolean;
  readonly referenceTo?: readonly string[];
}

/**
 * An admin edits a field in Setup (`changeField`): any property given replaces the current
 * one. Picklist values are given in full, as strings (active) or with their active flag.
 */
export interface FieldChangeSpec {
  readonly label?: string;
  readonly type?: CustomFieldSpec['type'];
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly required?: boolean;
  readonly restrictedPicklist?: boolean;
  readonly picklistValues?: readonly (string | { readonly value: string; readonly label?: string; readonly active?: boolean; readonly defaultValue?: boolean })[];
}

/** A custom object's declarative definition (`addCustomObject`). */
export interface CustomObjectSpec {
  /** Ends with __c. */
  readonly name: string;
  readonly label: string;
  readonly labelPlural?: string;
  /** The Name field: text (default, 80 characters) or an auto number. */
  readonly nameField?: { readonly label?: string; readonly type?: 'text' | 'autonumber' };
  readonly fields?: readonly CustomFieldSpec[];
  /** Topics for the object (Setup → Topics for Objects); off by default as in Salesforce. */
  readonly topicsEnabled?: boolean;
}

export interface VirtualSObject {
  /** A describe in the same shape as `sobjects/{name}/describe`. */
  readonly describe: Record<string, unknown>;
  /** Rows as plain field maps, visible to this user (the core applies permissions). */
  rows(user: DataUser): readonly Record<string, unknown>[];
  /**
   * Optional (added by the core, backward compatible). When it returns false the object does
   * not exist for this user, as Salesforce answers for setup objects without View Setup:
   * a query or describe fails with 400 INVALID_TYPE "sObject type 'X' is not supported. ..."
   * (query) or 404 NOT_FOUND (describe). Absent means accessible to everyone.
   */
  accessible?(user: DataUser): boolean;
  /**
   * Optional (added by the core, backward compatible). Query paging limits that differ from the
   * default 2,000-row batches: OauthToken returns at most 500 rows per batch (queryMore gives
   * 500 more) and 2,500 rows in total, whatever LIMIT says. Absent means the defaults.
   */
  readonly maxBatchSize?: number;
  readonly maxTotalRows?: number;
}

/** What the core holds per org. Created by `createOrgData()` in data/org-data.ts. */
export interface OrgData {
  handle(request: DataRequest): DataResponse | Promise<DataResponse>;
  /** Insert records directly (bypassing the quota but not validation); returns their ids. */
  seed(sobject: string, records: readonly Record<string, unknown>[]): string[];
  /** Drop every record (keeps schema customisations unless `schema` is true). */
  reset(options?: { schema?: boolean }): void;
  addCustomField(sobject: string, field: CustomFieldSpec): void;
  /**
   * Define a custom object `Name__c` with the standard system fields: `(name, label)`, or a
   * declarative definition with its Name field and custom fields.
   */
  addCustomObject(nameOrSpec: string | CustomObjectSpec, label?: string): void;
  setTopicsEnabled(sobject: string, enabled: boolean): void;
  registerVirtualSObject(name: string, virtual: VirtualSObject): void;
  /** Records of an object (for tests and the control API), in insertion order. */
  records(sobject: string): readonly Record<string, unknown>[];
  /**
   * Optional (added by the data half, backward compatible): Bulk API 2.0 query-job knobs for
   * behaviour the reference could not confirm. Returns the settings now in force.
   */
  configureBulkQueries?(patch: Partial<BulkQuerySettings>): BulkQuerySettings;
  /**
   * Optional (added by the data half, backward compatible): an admin adds a record type to an
   * object (Setup). Returns its 012 id. See data/rules/record-types.ts.
   */
  addRecordType?(sobject: string, spec: RecordTypeSpec): string;
  /**
   * Optional (added by the data half, backward compatible): an admin turns on multiple
   * currencies (`null`: a single-currency org again). Orders, their products, price books and
   * entries gain CurrencyIsoCode; see data/rules/orders.ts.
   */
  setCurrencies?(spec: CurrencySpec | null): void;
  /** Optional (added by the data half): the org's default (corporate) currency — USD for a single-currency org. */
  defaultCurrencyIsoCode?(): string;
  /**
   * Optional (added by the data half, backward compatible): an admin changes or deletes a
   * field in Setup, so a client sees a different describe (and If-Modified-Since a change).
   */
  changeField?(sobject: string, field: string, change: FieldChangeSpec): void;
  removeField?(sobject: string, field: string): void;
  /**
   * Optional (added for the Streaming API, backward compatible): told of every committed
   * transaction's record writes — REST, Collections, Bulk, seeds — never of a write that was
   * rolled back. The core turns them into Change Data Capture events. Returns the unsubscribe.
   */
  onRecordChanges?(listener: (transaction: RecordTransaction) => void): () => void;
}

/** One committed write of a record (the core's change events are built from these). */
export interface RecordChange {
  readonly sobject: string;
  readonly id: string;
  readonly changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  /** The record before the write (null for a create) and after it (null for a delete). */
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  /** The object's fields that belong to a compound field, name → compound (FirstName → Name, MailingCity → MailingAddress). */
  readonly compoundFields: ReadonlyMap<string, string>;
}

export interface RecordTransaction {
  readonly changes: readonly RecordChange[];
  /** What made the change, e.g. `com/salesforce/api/rest/66.0`; '' for seeds and control calls. */
  readonly origin: string;
}

export interface RecordTypeSpec {
  /** The label, e.g. "Wholesale". */
  readonly name: string;
  /** API name; defaults to the label with non-word characters as `_`. */
  readonly developerName?: string;
  readonly description?: string;
  /** Default true. */
  readonly active?: boolean;
  /** The default record type for new records (and `defaultRecordTypeMapping` in the describe). */
  readonly default?: boolean;
  /**
   * Whether the calling user's profile may use it (`available` in `recordTypeInfos`); default
   * true. The emulator has one profile view for everyone, so this holds for every user.
   */
  readonly available?: boolean;
}

/**
 * - `invalidQuery`: `reject` (default) answers a bad SOQL with 400 at job creation, as client
 *   libraries observe; `fail-job` accepts it and lets the job end `Failed` with `errorMessage`,
 *   as Bulk API 1.0 batches do.
 * - `defaultMaxRecords`: rows per results page when the client sends no `maxRecords` (50,000).
 * - `failRate`: share (0..1) of query jobs that end `Failed` (QUERY_TIMEOUT) when processed.
 */
export interface BulkQuerySettings {
  readonly invalidQuery: 'reject' | 'fail-job';
  readonly defaultMaxRecords: number;
  readonly failRate: number;
}

export interface OrgDataOptions {
  readonly orgId: string;
  /** Base URL of the instance, used in `attributes.url` and `nextRecordsUrl`. */
  readonly instanceUrl: string;
  /** Injected clock (the emulator's simulated time), ms since epoch. */
  now(): number;
  /** Fault hook: returns true when this DML call should fail with UNABLE_TO_LOCK_ROW. */
  shouldLockRow?(): boolean;
  /**
   * Optional (added by the data half, backward compatible): the user `seed()` writes as
   * (CreatedById, LastModifiedById, OwnerId) and who owns the standard price book. Pass the org's
   * admin user id so `Owner.Name` / `CreatedBy.Username` resolve through the virtual User rows.
   * Absent: a made-up 005 id that matches no user.
   */
  readonly defaultUserId?: string;
}

/** Multiple currencies: the active ISO codes and the corporate one (the default). */
export interface CurrencySpec {
  readonly corporate: string;
  readonly currencies: readonly string[];
}
