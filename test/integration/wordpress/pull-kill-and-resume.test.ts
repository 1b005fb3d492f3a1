/**
 * The pull survives being killed, against the real test WordPress: a child process pulls
 * Contacts from the emulator into the scratch site and is SIGKILLed at several points — right
 * after a batch is journaled (nothing sent yet), and while batches are at WordPress (some users
 * of the batch created, their answers lost) — then started again on the same database. In the
 * end: exactly one WordPress user per Contact with the right names, no create refused as a
 * duplicate (recovery looked the e-mails up instead of sending them again), every killed run
 * marked interrupted with no batch left `sending`, and a further run writes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKillableChild, type Kill } from '../../support/killable-child';
import { localDatabasePath, openLocalDatabase } from '../../../main/platform/local-database';
import { SyncJournal } from '../../../main/sync/sync-journal';
import { connectWithPkce } from '../../salesforce-emulator/test-support';
import { useEmulator } from '../../salesforce-emulator/use-emulator';
import { clientFor, collect, wordpress } from './wordpress-support';

const emu = useEmulator();
const here = path.dirname(fileURLToPath(import.meta.url));
// Six batches of 25 a run: with the companion plugin a batch is one batch/v1 request, so a run
// needs enough of them to still be at WordPress when the third kill comes.
const CONTACTS = 150;

const runChild = (config: object, kill: Kill | undefined) => runKillableChild(path.join(here, 'pull-kill-child.ts'), config, kill);

describe('pull: kill and resume (SIGKILL) against the real WordPress', () => {
  it('killed after batch 1 is journaled, while batch 2 is at WordPress, and while the next run’s first batch is: one user per Contact in the end', async () => {
    const tag = `pullkill${Date.now().toString(36)}`;
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({ FirstName: `Pülled ${i}`, LastName: `O'Kill ${tag}`, Email: `${tag}.${i}@example.org` }));
    const ids = emu.handle.seed(undefined, 'Contact', contacts);
    const [topic] = emu.handle.seed(undefined, 'Topic', [{ Name: tag }]);
    emu.handle.seed(undefined, 'TopicAssignment', ids.map((id) => ({ TopicId: topic, EntityId: id })));
    const { conn } = await connectWithPkce(emu, { username: emu.users[0]!.username, password: emu.users[0]!.password });
    const dbFile = localDatabasePath(mkdtempSync(path.join(tmpdir(), 'forcesites-pullkill-')));
    const site = wordpress.scratch;
    const config = { dbFile, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version: conn.version, site: { url: site.url, adminUser: site.adminUser, applicationPassword: site.applicationPassword }, concurrency: 2, topic: tag };

    const kills: Kill[] = [{ atBatch: 1, afterMs: 0 }, { atBatch: 2, afterMs: 120 }, { atBatch: 1, afterMs: 60 }];
    for (const kill of kills) expect((await runChild(config, kill)).killed).toBe(true);
    const db = openLocalDatabase(dbFile);
    // The kills left batches whose answers never arrived, and WordPress had created some users.
    expect(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_batches WHERE state IN ('sending', 'recovered')")!.n).toBeGreaterThanOrEqual(kills.length);

    const finished = await runChild(config, undefined);
    expect(finished.run).toMatchObject({ state: 'completed', failed: 0 });

    const { client } = clientFor(site, { allowHttp: true });
    const ours = (await collect(client.users({ search: tag }))).filter((user) => user.email.startsWith(`${tag}.`));
    expect(ours).toHaveLength(CONTACTS);
    for (const contact of contacts) {
      expect(ours.filter((user) => user.email === contact.Email), contact.Email).toEqual([expect.objectContaining({ firstName: contact.FirstName, lastName: contact.LastName })]);
    }

    const journal = new SyncJournal(db);
    const runs = journal.runs('site1');
    expect(runs.filter((run) => run.state === 'interrupted')).toHaveLength(kills.length);
    expect(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_batches WHERE state = 'sending'")).toEqual({ n: 0 });
    // Recovery looked the e-mails up: no create was ever refused as a second account.
    expect(db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_records WHERE error_code = 'existing_user_email'")).toEqual({ n: 0 });
    // Every user a lost batch had created was found and recorded in the run that sent it.
    const recoveredFound = db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_records WHERE outcome = 'created' AND error_message LIKE '%found by e-mail%'")!.n;
    const createdTotal = db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_pull_records WHERE outcome = 'created'")!.n;
    expect(createdTotal).toBe(CONTACTS);
    expect(recoveredFound).toBeGreaterThan(0);

    // Idempotent: nothing left to write.
    const again = await runChild(config, undefined);
    expect(again.run).toMatchObject({ state: 'completed', created: 0, updated: 0, unchanged: CONTACTS });
    db.close();
  }, 240_000);
});
