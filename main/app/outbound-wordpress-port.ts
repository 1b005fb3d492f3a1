/**
 * The outbound-message tester's WordPress port, made of main/wordpress's client (features
 * never import each other, so main/app builds it): users by exact email, with the values the
 * tester compares keyed as the field mapping names WordPress fields (`first_name`,
 * `meta:<key>` …). One short-lived client per test, the settings' deadline on every request,
 * the application password read from the keychain only when WordPress asks for it.
 */
import type { WordpressUser } from '../../common/wordpress-models';
import type { OutboundWordpressPort, WordpressUserState } from '../outbound/outbound-tester';
import type { WordpressClient } from '../wordpress/wordpress-client';
import { siteWordpressClient, type SiteWordpressDeps } from './site-wordpress';

export type OutboundWordpressDeps = SiteWordpressDeps;

export function outboundWordpressPort(siteId: string, deps: OutboundWordpressDeps): OutboundWordpressPort | { readonly unavailable: string } {
  const site = deps.site(siteId);
  if (site === undefined) return { unavailable: 'That site profile no longer exists.' };
  if (!site.hasWordpressPassword) return { unavailable: 'Not checked: the site has no WordPress application password saved, so ForceSites cannot read its users.' };
  let client: WordpressClient | undefined;
  const wordpress = async (): Promise<WordpressClient> => {
    if (client === undefined) {
      client = siteWordpressClient(siteId, deps, { pageSize: 20, concurrency: 1 });
      // The companion plugin's info tells the client which meta key holds the tags.
      const discovery = await client.discover();
      if (discovery.companionPlugin) await client.companionInfo();
    }
    return client;
  };
  return {
    async usersByEmail(email) {
      const wanted = email.trim().toLowerCase();
      const matches: WordpressUserState[] = [];
      // WordPress's search matches parts of the email too: keep exact matches only.
      for await (const page of (await wordpress()).users({ search: email.trim() })) {
        for (const user of page.items) if (user.email.trim().toLowerCase() === wanted) matches.push(stateOf(user));
      }
      return matches;
    },
  };
}

function stateOf(user: WordpressUser): WordpressUserState {
  const values: Record<string, string> = {
    email: user.email,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    name: user.name,
    nickname: user.nickname,
    url: user.url,
    description: user.description,
    locale: user.locale,
    roles: user.roles.join(','),
    registered_date: user.registeredAt,
  };
  for (const [key, value] of Object.entries(user.meta)) {
    values[`meta:${key}`] = value === null || value === undefined ? '' : typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : JSON.stringify(value);
  }
  return { id: user.id, values, tags: user.tags };
}
