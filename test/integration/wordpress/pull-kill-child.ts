/**
 * A pull in its own process, for the pull's kill-and-resume test: the parent SIGKILLs it at
 * chosen points and starts it again on the same database. Salesforce is the emulator (through
 * jsforce with the parent's access token); WordPress is the real test WordPress, written
 * through the app's WordPress client. Prints `sending <batch id>` when a batch is journaled
 * (before its writes leave) and `done <run JSON>` at the end.
 *
 * argv[2]: JSON {dbFile, instanceUrl, accessToken, version, site: {url, adminUser, applicationPassword}, concurrency}
 */
import { Connection } from 'jsforce';
import { DEFAULT_MATCH_KEY } from '../../../common/fields-models';
import { openLocalDatabase } from '../../../main/platform/local-database';
import { textRequestsOf } from '../../../main/salesforce/salesforce-text';
import type { LookupApi } from '../../../main/sync/key-lookup';
import type { PushSettings } from '../../../main/sync/push-planner';
import { SyncService } from '../../../main/sync/sync-service';
import { WordpressClient } from '../../../main/wordpress/wordpress-client';

interface ChildConfig {
  readonly dbFile: string;
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly version: string;
  readonly site: { readonly url: string; readonly adminUser: string; readonly applicationPassword: string };
  readonly concurrency: number;
  readonly topic: string;
}

const PULL_SETTINGS: PushSettings = {
  objectType: 'Contact',
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'both' },
    { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'pull' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'pull' },
  ],
  matchKey: DEFAULT_MATCH_KEY,
  fieldDefaults: [],
  recordTypeId: null,
  sendEmptyValues: false,
  tagMode: 'none',
  tagField: null,
};

{
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const conn = new Connection({ instanceUrl: config.instanceUrl, accessToken: config.accessToken, version: config.version });
  const api: LookupApi = { request: conn.request.bind(conn) as LookupApi['request'], requestText: textRequestsOf(conn) };
  const client = new WordpressClient({ siteUrl: config.site.url, username: config.site.adminUser, password: config.site.applicationPassword, allowHttp: true });
  const service = new SyncService({
    db: openLocalDatabase(config.dbFile),
    readUsers: async function* (_siteId, signal) {
      for await (const page of client.users({ signal })) yield { items: page.items, total: page.total };
    },
    settingsFor: () => PULL_SETTINGS,
    salesforceFor: () => Promise.resolve(api),
    concurrency: () => config.concurrency,
    retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    writeUsers: () => ({
      create: (input, signal) => client.createUser(input, signal),
      update: (id, input, signal) => client.updateUser(id, input, signal),
      findByEmail: (email, signal) => client.findUserByEmail(email, signal),
      writeBatch: (writes, signal) => client.writeUsersBatch(writes, signal),
    }),
    beforeSend: (batchId) => {
      process.stdout.write(`sending ${batchId}\n`);
    },
  });
  const run = await service.startPull('site1', { filter: { kind: 'topic', name: config.topic }, role: 'subscriber' });
  process.stdout.write(`done ${JSON.stringify(run)}\n`);
}
