/**
 * Site profiles: list, create or update, delete. The WordPress application password (and a
 * WooCommerce REST API key, when the orders read with one) goes to the keychain before the
 * profile is written, and the profile only records that one exists.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors';
import type { SiteProfileInput } from '../../common/contract';
import type { SiteProfileDto } from '../../common/models';
import { silentLogger, type Logger } from '../platform/logger';
import { TokenVault, type SecretStore, type WoocommerceKey } from '../platform/token-vault';
import type { EventBus } from '../platform/event-bus';
import { siteDtos, toSiteDto } from '../platform/profile-dtos';
import type { SiteRecord } from '../platform/profile-records';
import type { ProfileStore } from '../platform/profile-store';

export interface SiteServiceOptions {
  readonly store: ProfileStore;
  readonly secrets: SecretStore;
  readonly bus: EventBus;
  readonly log?: Logger;
  readonly newId?: () => string;
  readonly now?: () => Date;
}


export class SiteService {
  readonly #store: ProfileStore;
  readonly #vault: TokenVault;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #newId: () => string;
  readonly #now: () => Date;

  constructor(options: SiteServiceOptions) {
    this.#store = options.store;
    this.#vault = new TokenVault(options.secrets);
    this.#bus = options.bus;
    this.#log = options.log ?? silentLogger;
    this.#newId = options.newId ?? randomUUID;
    this.#now = options.now ?? (() => new Date());
  }

  list(): SiteProfileDto[] {
    return siteDtos(this.#store);
  }

  /** Creates (no id) or updates (known id) a site profile. */
  async save(input: SiteProfileInput): Promise<SiteProfileDto> {
    const existing = input.id === undefined ? undefined : this.#store.getSite(input.id);
    if (input.id !== undefined && existing === undefined) {
      throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list and try again.' });
    }
    if (input.connectionId !== null && this.#store.getConnection(input.connectionId) === undefined) {
      throw new AppError('NOT_FOUND', 'The chosen Salesforce connection no longer exists.', { hint: 'Pick another connection or sign in again.' });
    }
    const id = existing?.id ?? this.#newId();
    const now = this.#now().toISOString();
    const password = input.wordpressPassword;
    if (password !== undefined) {
      // Keychain first: if it is locked, nothing is saved and the admin is told why.
      await this.#vault.setWordpressPassword(id, password);
    }
    const woocommerce = await this.#woocommerceCredential(id, input, existing);
    // What other features keep on the profile (order settings, …) survives a save from the
    // site form, which knows nothing of it; only the detached-from note is decided below.
    const { detachedFromConnection: _previouslyLost, ...kept } = existing ?? {};
    const record: SiteRecord = {
      ...kept,
      id,
      name: input.name.trim(),
      wordpressUrl: input.wordpressUrl.trim(),
      wordpressUsername: input.wordpressUsername.trim(),
      hasWordpressPassword: password !== undefined || (existing?.hasWordpressPassword ?? false),
      connectionId: input.connectionId,
      objectType: input.objectType,
      tagMode: input.tagMode,
      tagField: input.tagField,
      fieldMapping: input.fieldMapping.map((entry) => ({
        wordpressField: entry.wordpressField,
        salesforceField: entry.salesforceField,
        direction: entry.direction,
      })),
      // Mapping settings: what the request says, else what the profile had (the site form
      // does not send them; the Fields page does).
      ...mappingSettings(input, existing),
      ...woocommerce,
      // Still without a connection: keep saying which one it lost; with one, forget it.
      ...(input.connectionId === null && existing?.detachedFromConnection !== undefined ? { detachedFromConnection: existing.detachedFromConnection } : {}),
      lastCheckedAt: existing?.lastCheckedAt ?? null,
      lastSyncedAt: existing?.lastSyncedAt ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    try {
      this.#store.saveSite(record);
    } catch (error) {
      // A new site's password must not outlive a profile that was never written.
      if (existing === undefined && password !== undefined) await this.#vault.deleteWordpressPassword(id).catch(() => false);
      if (existing === undefined && input.woocommerceKey !== undefined) await this.#vault.deleteWoocommerceKey(id).catch(() => false);
      throw error;
    }
    this.#log.info(existing === undefined ? 'site profile created' : 'site profile updated', { siteId: id });
    const saved = toSiteDto(record, this.#store.listConnections());
    this.#announce();
    this.#bus.emit('site.saved', { site: saved, created: existing === undefined });
    return saved;
  }

  async delete(siteId: string): Promise<{ deleted: true }> {
    const site = this.#store.getSite(siteId);
    if (site === undefined) {
      throw new AppError('NOT_FOUND', 'That site profile no longer exists.', { hint: 'Reload the sites list.' });
    }
    // Password first: a locked keychain stops the delete rather than orphan a secret.
    await this.#vault.deleteWordpressPassword(siteId);
    await this.#vault.deleteWoocommerceKey(siteId);
    this.#store.deleteSite(siteId);
    this.#log.info('site profile deleted', { siteId });
    this.#announce();
    this.#bus.emit('site.deleted', { siteId, name: site.name });
    return { deleted: true };
  }

  /** For the WordPress client in main only; never crosses to the renderer. */
  getWordpressPassword(siteId: string): Promise<string | null> {
    return this.#vault.getWordpressPassword(siteId);
  }

  /** For the WordPress client in main only; never crosses to the renderer. */
  getWoocommerceKey(siteId: string): Promise<WoocommerceKey | null> {
    return this.#vault.getWoocommerceKey(siteId);
  }

  /**
   * The WooCommerce credential fields of the record. A typed key goes to the keychain first;
   * choosing the application password removes a stored key (no secret is kept unused);
   * choosing the key without one stored is refused with what to do.
   */
  async #woocommerceCredential(id: string, input: SiteProfileInput, existing: SiteRecord | undefined): Promise<Pick<SiteRecord, 'woocommerceAuth' | 'hasWoocommerceKey' | 'woocommerceKeyEnding'>> {
    const auth = input.woocommerceAuth ?? (input.woocommerceKey ? 'consumer-key' : existing?.woocommerceAuth);
    if (auth === undefined) return {};
    if (auth === 'application-password') {
      if (existing?.hasWoocommerceKey) await this.#vault.deleteWoocommerceKey(id);
      return { woocommerceAuth: auth, hasWoocommerceKey: false };
    }
    if (input.woocommerceKey !== undefined) {
      const key = { consumerKey: input.woocommerceKey.consumerKey.trim(), consumerSecret: input.woocommerceKey.consumerSecret.trim() };
      await this.#vault.setWoocommerceKey(id, key);
      return { woocommerceAuth: auth, hasWoocommerceKey: true, woocommerceKeyEnding: key.consumerKey.slice(-7) };
    }
    if (existing?.hasWoocommerceKey !== true) {
      throw new AppError('INVALID_REQUEST', 'The orders are set to read WooCommerce with a REST API key, but no key is stored for this site.', {
        hint: 'Paste the consumer key and secret (WordPress: WooCommerce → Settings → Advanced → REST API → Add key, Read access), or choose the application password.',
      });
    }
    return { woocommerceAuth: auth, hasWoocommerceKey: true, ...(existing.woocommerceKeyEnding === undefined ? {} : { woocommerceKeyEnding: existing.woocommerceKeyEnding }) };
  }

  /**
   * A manual push or pull finished: the site's "Last sync" is when. Live change-feed runs do
   * not count (they never finish while the feed follows). A site deleted meanwhile is skipped.
   */
  recordSync(siteId: string, finishedAt: string): void {
    if (this.#store.touchSite(siteId, { lastSyncedAt: finishedAt }) === undefined) return;
    this.#bus.emit('site.synced', { siteId, at: finishedAt });
  }

  #announce(): void {
    this.#bus.emit('sites.changed', { sites: siteDtos(this.#store) });
  }
}

function mappingSettings(input: SiteProfileInput, existing: SiteRecord | undefined): Pick<SiteRecord, 'matchKey' | 'recordTypeId' | 'sendEmptyValues' | 'fieldDefaults'> {
  const matchKey = input.matchKey ?? existing?.matchKey;
  const recordTypeId = input.recordTypeId === undefined ? existing?.recordTypeId : input.recordTypeId;
  const sendEmptyValues = input.sendEmptyValues ?? existing?.sendEmptyValues;
  const fieldDefaults = input.fieldDefaults ?? existing?.fieldDefaults;
  return {
    ...(matchKey === undefined ? {} : { matchKey: matchKey.kind === 'email' ? { kind: 'email', field: matchKey.field } : { kind: 'external-id', field: matchKey.field, prefix: matchKey.prefix } }),
    ...(recordTypeId === undefined ? {} : { recordTypeId }),
    ...(sendEmptyValues === undefined ? {} : { sendEmptyValues }),
    ...(fieldDefaults === undefined ? {} : { fieldDefaults: fieldDefaults.map((entry) => ({ salesforceField: entry.salesforceField, value: entry.value })) }),
  };
}
