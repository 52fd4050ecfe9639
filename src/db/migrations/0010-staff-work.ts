// Staff work: a message's priority (urgent or normal), the leader's request to sign replies before they are
// published, the moment editors were told a message waits past its review deadline (claimed once), a keyed digest
// of the network a message came from (to spot flooding without keeping addresses), and supervision notices issued
// by hand (their note and issuer).
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { booleanType, falseDefault, timestampType } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('priority', 'varchar(8)', (c) => c.notNull().defaultTo('normal'))
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('sign_requested', booleanType(db), (c) => c.notNull().defaultTo(falseDefault(db)))
    .execute();
  await db.schema.alterTable('messages').addColumn('review_overdue_at', timestampType(db)).execute();
  await db.schema.alterTable('messages').addColumn('client_key', 'varchar(64)').execute();
  await db.schema.createIndex('messages_client_key_idx').on('messages').columns(['client_key', 'id']).execute();

  await db.schema
    .alterTable('supervisions')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // No foreign key: SQLite cannot drop a column that has one, and down() must work on both engines.
  await db.schema.alterTable('supervisions').addColumn('issued_by', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('supervisions').dropColumn('issued_by').execute();
  await db.schema.alterTable('supervisions').dropColumn('note').execute();
  await db.schema.dropIndex('messages_client_key_idx').execute();
  for (const column of ['client_key', 'review_overdue_at', 'sign_requested', 'priority']) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
