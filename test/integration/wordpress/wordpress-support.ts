/**
 * Shared by the WordPress integration tests: the sites the globalSetup started
 * (test/wordpress/global-setup.ts) and clients for them that record their log lines.
 */
import { inject } from 'vitest';
import { WordpressClient, type WordpressClientOptions } from '../../../main/wordpress/wordpress-client';
import type { ProvidedWordpressSite } from '../../wordpress/global-setup';

export const wordpress = inject('wordpress');

export interface RecordedClient {
  readonly client: WordpressClient;
  /** Every log line, fields JSON-encoded, so a test can search them for secrets. */
  readonly lines: string[];
}

export function clientFor(site: ProvidedWordpressSite, overrides: Partial<WordpressClientOptions> = {}): RecordedClient {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  };
  const client = new WordpressClient({
    siteUrl: site.url,
    username: site.adminUser,
    password: site.applicationPassword,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    ...overrides,
  });
  return { client, lines };
}

export function memberOf(site: ProvidedWordpressSite): NonNullable<ProvidedWordpressSite['member']> {
  if (site.member === null) throw new Error(`${site.url} has no member account`);
  return site.member;
}

/** Collects every page of a paged call. */
export async function collect<T>(pages: AsyncIterable<{ items: readonly T[] }>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page.items);
  return items;
}
