// The home page's latest replies read from an index; the State Council's holiday schedules an admin loads for years
// the calendar package does not cover yet.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('replies_status_published_at')
    .on('replies')
    .columns(['status', 'published_at'])
    .execute();
  await db.schema
    .createTable('calendar_days')
    .addColumn('day', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('name', 'varchar(40)', (c) => c.notNull().defaultTo(''))
    .addColumn('imported_at', timestampType(db), (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_days').execute();
  await db.schema.dropIndex('replies_status_published_at').execute();
}
