// Password-login locks kept per phone number and client address, with a lock count for back-off, instead of per
// number: a stranger's wrong guesses can no longer shut the owner out. The per-number counters only ever lived for
// minutes, so they are dropped rather than carried over.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema.dropTable('login_throttle').execute();
  await db.schema
    .createTable('login_failures')
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('client', 'varchar(64)', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locks', 'integer', (c) => c.notNull())
    .addColumn('locked_until', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pkey', ['phone', 'client'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema.dropTable('login_failures').execute();
  await db.schema
    .createTable('login_throttle')
    .addColumn('phone', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}
