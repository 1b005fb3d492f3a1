/**
 * Child process for the crash test: writes transactions of 50 rows as fast as it can and
 * prints `committed N` after each commit, until the parent kills it.
 */
import { openLocalDatabase } from '../../../../main/platform/local-database';
import { CRASH_TEST_MIGRATIONS } from './crash-test-migrations';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: database-writer <file>');
const db = openLocalDatabase(file, { migrations: CRASH_TEST_MIGRATIONS });
const start = (db.get<{ next: number }>('SELECT COALESCE(MAX(batch), 0) + 1 AS next FROM writes')?.next ?? 1);
const payload = 'x'.repeat(2_000);
for (let batch = start; ; batch++) {
  db.transaction(() => {
    for (let n = 0; n < 50; n++) db.run('INSERT INTO writes (batch, n, payload) VALUES (?, ?, ?)', [batch, n, payload]);
  });
  process.stdout.write(`committed ${batch}\n`);
}
