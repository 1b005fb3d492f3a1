import { LOCAL_DATABASE_MIGRATIONS, type LocalDatabaseMigration } from '../../../../main/platform/local-database-migrations';

/** The real schema plus a table the crash test fills. */
export const CRASH_TEST_MIGRATIONS: readonly LocalDatabaseMigration[] = [
  ...LOCAL_DATABASE_MIGRATIONS,
  { version: LOCAL_DATABASE_MIGRATIONS.length + 1, name: 'crash test', up: 'CREATE TABLE writes (batch INTEGER NOT NULL, n INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (batch, n))' },
];
