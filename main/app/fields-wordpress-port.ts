/**
 * The Fields feature's WordPress port, made of main/wordpress's client: features never
 * import each other, so main/app builds it. One short-lived client per question, with the
 * settings' deadline on every request and the application password read from the keychain
 * only when WordPress asks for it.
 */
import type { WordpressUser } from '../../common/wordpress-models';
import type { WordpressPort } from '../fields/fields-service';
import type { WordpressClient } from '../wordpress/wordpress-client';
import { siteWordpressClient, type SiteWordpressDeps } from './site-wordpress';

export type FieldsWordpressDeps = SiteWordpressDeps;

export function fieldsWordpressPort(siteId: string, deps: FieldsWordpressDeps): WordpressPort {
  const client = (pageSize: number, concurrency: number): WordpressClient => siteWordpressClient(siteId, deps, { pageSize, concurrency });
  /** Discovery, then the companion's info when the plugin is there (it also tells the client the tags key). */
  const withPlugin = async (wordpress: WordpressClient): Promise<{ companionPlugin: boolean; metaKeys: readonly string[] }> => {
    const discovery = await wordpress.discover();
    if (!discovery.companionPlugin) return { companionPlugin: false, metaKeys: [] };
    const info = await wordpress.companionInfo();
    return { companionPlugin: true, metaKeys: info.metaKeys };
  };
  return {
    exposedMetaKeys: () => withPlugin(client(1, 1)),
    async sampleUsers(count) {
      const wordpress = client(Math.max(1, Math.min(100, count)), 1);
      await withPlugin(wordpress);
      for await (const page of wordpress.users()) return page.items.slice(0, count);
      return [];
    },
    async tagsInUse(maxUsers) {
      const wordpress = client(100, 2);
      const { companionPlugin } = await withPlugin(wordpress);
      // Without the plugin WordPress shows no tags at all: nothing to read.
      if (!companionPlugin) return { tags: [], usersRead: 0, complete: true };
      const seen = new Map<string, string>();
      let usersRead = 0;
      let complete = true;
      for await (const page of wordpress.users()) {
        for (const user of page.items as readonly WordpressUser[]) {
          for (const tag of user.tags) {
            const key = tag.trim().toLowerCase();
            if (key !== '' && !seen.has(key)) seen.set(key, tag.trim());
          }
        }
        usersRead += page.items.length;
        if (usersRead >= maxUsers && page.page < page.totalPages) {
          complete = false;
          break; // leaving the loop cancels the pages still in flight
        }
      }
      return { tags: [...seen.values()].sort((a, b) => a.localeCompare(b)), usersRead, complete };
    },
  };
}
