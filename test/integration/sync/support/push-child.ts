/**
 * A push in its own process, for the kill-and-resume test: the parent SIGKILLs it at chosen
 * points and starts it again on the same database. Prints `sending <batch id>` when a batch
 * is journaled (before it leaves) and `done <run JSON>` at the end.
 *
 * argv[2]: JSON {dbFile, instanceUrl, accessToken, version, users, matchKind, bulkThreshold}
 */
import { Connection } from 'jsforce';
import { DEFAULT_MATCH_KEY } from '../../../../common/fields-models';
import { openLocalDatabase } from '../../../../main/platform/local-database';
import { textRequestsOf } from '../../../../main/salesforce/salesforce-text';
import type { LookupApi } from '../../../../main/sync/key-lookup';
import { SyncService } from '../../../../main/sync/sync-service';
import { BASIC_SETTINGS, EXTERNAL_ID, makeUsers, usersSource } from './sync-harness';

interface ChildConfig {
  readonly dbFile: string;
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly version: string;
  readonly users: number;
  readonly matchKind: 'email' | 'external-id';
  readonly bulkThreshold: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const conn = new Connection({ instanceUrl: config.instanceUrl, accessToken: config.accessToken, version: config.version });
const api: LookupApi = { request: conn.request.bind(conn) as LookupApi['request'], requestText: textRequestsOf(conn) };
const users = makeUsers(config.users);
const service = new SyncService({
  db: openLocalDatabase(config.dbFile),
  readUsers: usersSource(() => users),
  settingsFor: () => ({ ...BASIC_SETTINGS, matchKey: config.matchKind === 'email' ? DEFAULT_MATCH_KEY : EXTERNAL_ID }),
  salesforceFor: () => Promise.resolve(api),
  concurrency: () => 2,
  bulkThreshold: () => config.bulkThreshold,
  retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
  pollIntervalMs: 20,
  beforeSend: (batchId) => {
    process.stdout.write(`sending ${batchId}\n`);
  },
});
const run = await service.start('site1');
process.stdout.write(`done ${JSON.stringify(run)}\n`);
