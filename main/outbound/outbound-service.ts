/**
 * The outbound-message tester's service: a site's endpoint settings (the access key in the
 * keychain), the Salesforce setup steps, the records a test can send, and "Send test
 * message" — the SOAP message built as Salesforce builds it, delivered and judged by
 * outbound-tester.ts.
 *
 * Ports come from main/app: the site profiles, the connection records and `open` (the one
 * way to Salesforce), and a WordPress port that reads users over the REST API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { wordpressFieldDef } from '../../common/field-rules';
import type { RequestOf } from '../../common/contract';
import { AppError } from '../../common/errors';
import type { ConnectionDto, SiteProfileDto } from '../../common/models';
import type { OutboundRecordListDto, OutboundSettingsDto, OutboundTestCase, OutboundTestResult } from '../../common/outbound-models';
import { silentLogger, type Logger } from '../platform/logger';
import { TokenVault, type SecretStore } from '../platform/token-vault';
import { queryAll, type SalesforceApi } from '../salesforce/salesforce-api';
import { toSalesforceAppError } from '../salesforce/salesforce-errors';
import { soqlInList, soqlQuote } from '../salesforce/soql-escape';
import type { ProbeNetwork } from './endpoint-probe';
import { defaultEndpointTemplate, endpointUrl, maskedEndpoint, splitCustomEndpoint } from './outbound-endpoint';
import { OutboundSettingsStore, type StoredOutboundSettings } from './outbound-settings-store';
import { runOutboundTest, type Delivery, type OutboundWordpressPort, type UserExpectation } from './outbound-tester';
import { outboundSetupSteps } from './setup-steps';
import { buildNotificationMessage, MAX_NOTIFICATIONS, type FieldValue, type OutboundNotification } from './soap-notification';

export interface OutboundServiceOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly log?: Logger;
  readonly site: (siteId: string) => SiteProfileDto | undefined;
  readonly connection: (connectionId: string) => ConnectionDto | undefined;
  readonly openApi: (connectionId: string) => Promise<SalesforceApi>;
  /** Counts Salesforce calls for the site (the registry's meter). */
  readonly forSite?: <T>(siteId: string, work: () => T) => T;
  /** WordPress for a site, or why it cannot be read. */
  readonly wordpressFor: (siteId: string) => OutboundWordpressPort | { readonly unavailable: string };
  /** The settings' request deadline: DNS, TLS handshake, Salesforce reads. */
  readonly requestTimeoutMs: () => number;
  // Test knobs.
  readonly network?: ProbeNetwork;
  readonly salesforceTimeoutMs?: number;
  readonly verifyWaitMs?: number;
  readonly now?: () => Date;
}

export type OutboundSaveRequest = RequestOf<'outbound:save'>;
export type OutboundTestRequest = RequestOf<'outbound:test'>;

/** Key prefixes of a made-up record id, so a sample looks like the object's own ids. */
const KEY_PREFIX: Readonly<Record<string, string>> = { Contact: '003', Lead: '00Q', Account: '001' };
const SAMPLE_ORG_ID = '00D000000000001AAA';
const SAMPLE_INSTANCE = 'https://example.my.salesforce.com';
const SAMPLE_API_VERSION = '66.0';
/** Made-up addresses for the extra notifications of a multi-notification sample; `.invalid` never resolves. */
const SAMPLE_EXTRA_EMAIL = (n: number) => `forcesites-outbound-test-${n}@example.invalid`;

export class OutboundService {
  readonly #options: OutboundServiceOptions;
  readonly #store: OutboundSettingsStore;
  readonly #vault: TokenVault;
  readonly #log: Logger;
  #sequence = 0;

  constructor(options: OutboundServiceOptions) {
    this.#options = options;
    this.#store = new OutboundSettingsStore(options.dataDir);
    this.#vault = new TokenVault(options.secrets);
    this.#log = options.log ?? silentLogger;
  }

  async settings(siteId: string): Promise<OutboundSettingsDto> {
    const site = this.#site(siteId);
    return this.#dto(site, this.#store.get(siteId), await this.#vault.getOutboundAccessKey(siteId));
  }

  async save(request: OutboundSaveRequest): Promise<OutboundSettingsDto> {
    const site = this.#site(request.siteId);
    let customEndpoint: string | null = null;
    let key = request.accessKey ?? null;
    if (request.customEndpoint !== null) {
      const split = splitCustomEndpoint(request.customEndpoint);
      if (split.extractedKey !== null && key !== null && split.extractedKey !== key) {
        throw new AppError('INVALID_REQUEST', 'The endpoint URL carries a different access key from the one typed in the access key field.', { hint: 'Keep one of them.' });
      }
      key = key ?? split.extractedKey;
      customEndpoint = split.template;
    }
    const fields = request.fields === null ? null : [...new Set(request.fields.filter((field) => field !== 'Id'))];
    // Keychain first: a key that cannot be stored must not leave settings that point at it.
    if (request.clearAccessKey === true) await this.#vault.deleteOutboundAccessKey(site.id);
    else if (key !== null) await this.#vault.setOutboundAccessKey(site.id, key);
    this.#store.set(site.id, { action: request.action, customEndpoint, fields });
    this.#log.info('outbound endpoint saved', { siteId: site.id, action: request.action, custom: customEndpoint !== null, keyChanged: key !== null || request.clearAccessKey === true });
    return this.settings(site.id);
  }

  /** Forgets a deleted site's settings and access key. */
  async forgetSite(siteId: string): Promise<void> {
    this.#store.delete(siteId);
    await this.#vault.deleteOutboundAccessKey(siteId);
  }

  async records(siteId: string, search?: string): Promise<OutboundRecordListDto> {
    const site = this.#site(siteId);
    const api = await this.#api(site);
    const withEmail = site.objectType === 'Contact' || site.objectType === 'Lead';
    const select = withEmail ? 'Id, Name, Email' : 'Id, Name';
    const filters: string[] = [];
    if (withEmail) filters.push('Email != null');
    if (search !== undefined && search !== '') {
      const like = soqlQuote(`%${search.replace(/[%_]/g, (c) => `\\${c}`)}%`);
      filters.push(withEmail ? `(Name LIKE ${like} OR Email LIKE ${like})` : `Name LIKE ${like}`);
    }
    const soql = `SELECT ${select} FROM ${site.objectType}${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''} ORDER BY LastModifiedDate DESC LIMIT 25`;
    const { records } = await this.#salesforce(site, () => queryAll<Record<string, unknown>>(api, soql, 25));
    return {
      objectType: site.objectType,
      records: records.map((record) => ({
        id: String(record.Id),
        name: typeof record.Name === 'string' ? record.Name : String(record.Id),
        email: typeof record.Email === 'string' ? record.Email : null,
      })),
    };
  }

  async test(request: OutboundTestRequest): Promise<OutboundTestResult> {
    const site = this.#site(request.siteId);
    const stored = this.#store.get(site.id);
    const accessKey = await this.#vault.getOutboundAccessKey(site.id);
    const template = stored.customEndpoint ?? defaultEndpointTemplate(site.wordpressUrl, stored.action);
    const url = endpointUrl(template, accessKey);
    const fields = this.#fields(site, stored);
    const startedAt = (this.#options.now?.() ?? new Date()).toISOString();

    const records = await this.#recordsFor(site, request, fields);
    checkCase(request.testCase, records.length);
    const connection = site.connectionId === null ? undefined : this.#options.connection(site.connectionId);
    const orgId = connection?.orgId ?? SAMPLE_ORG_ID;
    const instanceUrl = connection?.instanceUrl ?? SAMPLE_INSTANCE;
    const apiVersion = connection?.apiVersion ?? SAMPLE_API_VERSION;
    // Never the connection's real session: a made-up one, for connectors that only check it is there.
    const sessionId = request.includeSessionId === true ? `${orgId.slice(0, 15)}!ForceSitesTestSession.${randomBytes(30).toString('base64url')}` : null;
    const build = (notifications: readonly OutboundNotification[]) =>
      buildNotificationMessage({
        organizationId: orgId,
        actionId: actionIdFor(site.id, stored.action),
        sessionId,
        enterpriseUrl: `${instanceUrl}/services/Soap/c/${apiVersion}/${orgId.slice(0, 15)}`,
        partnerUrl: `${instanceUrl}/services/Soap/u/${apiVersion}/${orgId.slice(0, 15)}`,
        objectType: site.objectType,
        notifications,
      });
    const notify = (record: OutboundNotification['record']): OutboundNotification => ({ id: this.#notificationId(), record });
    const deliveries = this.#deliveries(request.testCase, records, build, notify);

    const { expectations, notes } = expectationsFor(site, stored.action, records);
    const outcome = await runOutboundTest({
      url,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'User-Agent': 'ForceSites outbound-message test' },
      deliveries,
      secrets: [accessKey, sessionId],
      maskedUrl: maskedEndpoint(template, accessKey),
      expectations,
      wordpress: this.#options.wordpressFor(site.id),
      wordpressNotes: notes,
      connectDeadlineMs: this.#options.requestTimeoutMs(),
      ...(this.#options.salesforceTimeoutMs === undefined ? {} : { salesforceTimeoutMs: this.#options.salesforceTimeoutMs }),
      ...(this.#options.verifyWaitMs === undefined ? {} : { verifyWaitMs: this.#options.verifyWaitMs }),
      ...(this.#options.network === undefined ? {} : { network: this.#options.network }),
      ...(this.#options.now === undefined ? {} : { now: this.#options.now }),
    });
    const verdict = outcome.steps.some((step) => step.status === 'fail') ? 'fail' : outcome.steps.some((step) => step.status === 'warning') ? 'warning' : 'pass';
    const result: OutboundTestResult = {
      siteId: site.id,
      testCase: request.testCase,
      action: stored.action,
      endpointUrlMasked: maskedEndpoint(template, accessKey),
      startedAt,
      verdict,
      summary: summaryOf(verdict, outcome.steps),
      steps: outcome.steps,
      exchanges: outcome.exchanges,
      notifications: records.length,
    };
    this.#log.info('outbound test finished', { siteId: site.id, testCase: request.testCase, verdict, failed: outcome.steps.filter((s) => s.status === 'fail').map((s) => s.id) });
    return result;
  }

  #deliveries(
    testCase: OutboundTestCase,
    records: readonly OutboundNotification['record'][],
    build: (notifications: readonly OutboundNotification[]) => string,
    notify: (record: OutboundNotification['record']) => OutboundNotification,
  ): Delivery[] {
    const one = (label: string, notifications: readonly OutboundNotification[]): Delivery => ({ label, body: build(notifications), notifications: notifications.length });
    switch (testCase) {
      case 'single':
      case 'multi':
        return [one(records.length === 1 ? 'The message' : `One message with ${records.length} notifications`, records.map(notify))];
      case 'duplicate': {
        // The very same bytes twice: Salesforce resends a message it thinks was not delivered.
        const message = one('First delivery', records.map(notify));
        return [message, { ...message, label: 'The same message again' }];
      }
      case 'out-of-order': {
        // Two notifications for the same records; the later one (higher id) arrives first.
        // Salesforce sends each with the record's data at sending time, so both carry the
        // same values: the endpoint must take both and end with them.
        const older = records.map(notify);
        const newer = records.map(notify);
        return [one('Later notification, delivered first', newer), one('Earlier notification, delivered second', older)];
      }
    }
  }

  /** Ascending ids (04l…), so "earlier" and "later" notifications compare as Salesforce's would. */
  #notificationId(): string {
    this.#sequence += 1;
    const stamp = (Date.now() * 100 + (this.#sequence % 100)).toString(36).toUpperCase().padStart(12, '0').slice(-12);
    return `04l${stamp}AAA`;
  }

  async #recordsFor(site: SiteProfileDto, request: OutboundTestRequest, fields: readonly string[]): Promise<OutboundNotification['record'][]> {
    const source = request.source;
    if (source.kind === 'records') {
      const ids = [...new Set(source.recordIds)];
      const api = await this.#api(site);
      const soql = `SELECT ${['Id', ...fields].join(', ')} FROM ${site.objectType} WHERE Id IN ${soqlInList(ids)}`;
      const { records } = await this.#salesforce(site, () => queryAll<Record<string, unknown>>(api, soql, MAX_NOTIFICATIONS));
      const found = new Map(records.map((record) => [String(record.Id).slice(0, 15), record]));
      const missing = ids.filter((id) => !found.has(id.slice(0, 15)));
      if (missing.length > 0) {
        throw new AppError('NOT_FOUND', `No ${site.objectType} with the id ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ' …' : ''} is visible to the connection's user.`, {
          hint: 'Pick the record again from the list; it may have been deleted or shared away.',
        });
      }
      return ids.map((id) => recordValues(found.get(id.slice(0, 15))!, fields));
    }
    const unknown = Object.keys(source.values).filter((field) => field !== 'Id' && !fields.includes(field));
    if (unknown.length > 0) {
      throw new AppError('INVALID_REQUEST', `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the fields this Outbound Message sends.`, {
        hint: 'Add the field to the message’s fields and save, or leave it out of the sample.',
      });
    }
    const count = source.count ?? (request.testCase === 'multi' ? 3 : 1);
    const emailField = emailFieldOf(site);
    if (count > 1 && (this.#store.get(site.id).action === 'add')) {
      throw new AppError('INVALID_REQUEST', 'A multi-notification test of the add action would create made-up users on the site.', {
        hint: 'Send real records for a multi-notification add test, or test add with one sample.',
      });
    }
    const prefix = KEY_PREFIX[site.objectType] ?? 'a00';
    return Array.from({ length: count }, (_, index) => {
      const values: Record<string, FieldValue> = {};
      for (const field of fields) if (source.values[field] !== undefined && source.values[field] !== '') values[field] = source.values[field]!;
      if (index > 0) values[emailField] = SAMPLE_EXTRA_EMAIL(index + 1);
      return { ...values, Id: `${prefix}${'0'.repeat(8)}${String(index + 1).padStart(4, '0')}AAA` } as OutboundNotification['record'];
    });
  }

  #fields(site: SiteProfileDto, stored: StoredOutboundSettings): string[] {
    return stored.fields === null ? suggestedFields(site) : [...stored.fields];
  }

  #dto(site: SiteProfileDto, stored: StoredOutboundSettings, accessKey: string | null): OutboundSettingsDto {
    const template = stored.customEndpoint ?? defaultEndpointTemplate(site.wordpressUrl, stored.action);
    const endpointUrlMasked = maskedEndpoint(template, accessKey);
    const fields = this.#fields(site, stored);
    const wordpress = this.#options.wordpressFor(site.id);
    return {
      siteId: site.id,
      siteName: site.name,
      objectType: site.objectType,
      action: stored.action,
      customEndpoint: stored.customEndpoint,
      endpointUrlMasked,
      hasAccessKey: accessKey !== null,
      fields,
      suggestedFields: suggestedFields(site),
      setupSteps: outboundSetupSteps({
        siteName: site.name,
        objectType: site.objectType,
        action: stored.action,
        endpointUrlMasked,
        hasAccessKey: accessKey !== null,
        fields,
        tagField: site.tagMode === 'picklist' ? site.tagField : null,
      }),
      canReadRecords: site.connectionId !== null && this.#options.connection(site.connectionId) !== undefined,
      canCheckWordpress: !('unavailable' in wordpress),
    };
  }

  #site(siteId: string): SiteProfileDto {
    const site = this.#options.site(siteId);
    if (site === undefined) throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list and try again.' });
    return site;
  }

  async #api(site: SiteProfileDto): Promise<SalesforceApi> {
    if (site.connectionId === null || this.#options.connection(site.connectionId) === undefined) {
      throw new AppError('INVALID_REQUEST', `“${site.name}” has no Salesforce connection to read records through.`, {
        hint: 'Choose a connection for the site on the Sites page, or send a sample contact instead.',
      });
    }
    return this.#options.openApi(site.connectionId);
  }

  async #salesforce<T>(site: SiteProfileDto, work: () => Promise<T>): Promise<T> {
    try {
      return await (this.#options.forSite ? this.#options.forSite(site.id, work) : work());
    } catch (error) {
      throw error instanceof AppError ? error : toSalesforceAppError(error);
    }
  }
}

function checkCase(testCase: OutboundTestCase, count: number): void {
  if (testCase === 'multi' && count < 2) {
    throw new AppError('INVALID_REQUEST', 'A multi-notification test needs at least two records in one message.', { hint: 'Pick two or more records, or a sample count of 2 or more.' });
  }
}

/** The Salesforce field that holds the address WordPress users are found by. */
function emailFieldOf(site: SiteProfileDto): string {
  return site.matchKey?.kind === 'email' ? site.matchKey.field : 'Email';
}

/** What the message should carry for this site: its email field, the fields its mapping pulls, and the tag field. */
export function suggestedFields(site: SiteProfileDto): string[] {
  const fields = [emailFieldOf(site)];
  for (const entry of site.fieldMapping) if (entry.direction !== 'push') fields.push(entry.salesforceField);
  if (site.tagMode === 'picklist' && site.tagField !== null) fields.push(site.tagField);
  return [...new Set(fields.filter((field) => field !== 'Id'))];
}

function recordValues(record: Record<string, unknown>, fields: readonly string[]): OutboundNotification['record'] {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    // jsforce answers fields with the case the describe has; the admin may have typed another.
    const key = Object.keys(record).find((name) => name.toLowerCase() === field.toLowerCase());
    const value = key === undefined ? null : record[key];
    // Compound fields (addresses) are objects; outbound messages send their parts instead.
    values[field] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  return { ...values, Id: String(record.Id) } as OutboundNotification['record'];
}

/**
 * What WordPress should show after the deliveries, per record with an email: the pull
 * mapping applied to the message's values (`update`, `add`), or the tags only
 * (`update_tags`). Fields WordPress itself never changes (username, registration date) and
 * fields absent from the message are not compared.
 */
export function expectationsFor(site: SiteProfileDto, action: StoredOutboundSettings['action'], records: readonly OutboundNotification['record'][]): { expectations: UserExpectation[]; notes: string[] } {
  const notes: string[] = [];
  if (site.tagMode === 'topics') notes.push('Tags kept as Topics are not part of an outbound message (a connector reads them from Salesforce), so they were not compared.');
  const emailField = emailFieldOf(site);
  const expectations: UserExpectation[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const email = record[emailField];
    if (typeof email !== 'string' || email.trim() === '' || seen.has(email.trim().toLowerCase())) continue;
    seen.add(email.trim().toLowerCase());
    const values: Record<string, string> = {};
    if (action !== 'update_tags') {
      for (const entry of site.fieldMapping) {
        if (entry.direction === 'push') continue;
        const value = record[entry.salesforceField];
        const def = wordpressFieldDef(entry.wordpressField);
        if (value === null || value === undefined || def === undefined || def.notWritable !== null) continue;
        values[entry.wordpressField] = String(value);
      }
    }
    let tags: string[] | null = null;
    if (site.tagMode === 'picklist' && site.tagField !== null && typeof record[site.tagField] === 'string') {
      tags = String(record[site.tagField])
        .split(';')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== '');
    }
    if (Object.keys(values).length === 0 && tags === null && action !== 'add') continue;
    expectations.push({ email: email.trim(), values, tags, mustExist: action === 'add' });
  }
  return { expectations, notes };
}

/** The outbound message's own id (04k…) is fixed per site and action, as a real one is. */
function actionIdFor(siteId: string, action: string): string {
  const digest = createHash('sha256').update(`${siteId}:${action}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
  return `04k${digest.slice(0, 12)}AAA`;
}

function summaryOf(verdict: OutboundTestResult['verdict'], steps: OutboundTestResult['steps']): string {
  const failed = steps.find((step) => step.status === 'fail');
  if (failed !== undefined) return `Salesforce’s delivery would fail at “${failed.label}”: ${failed.message}`;
  const wordpress = steps.find((step) => step.id === 'wordpress');
  const checked = wordpress?.status === 'pass' ? ', and WordPress shows the change' : wordpress?.status === 'skipped' ? '; WordPress was not checked' : '';
  if (verdict === 'warning') {
    const warned = steps.filter((step) => step.status === 'warning').map((step) => step.label);
    return `Delivered and acknowledged${checked}, with warnings: ${warned.join(', ')}.`;
  }
  return `Delivered and acknowledged as Salesforce requires${checked}.`;
}
