// Full-text search over messages (our own CJK tokens in the engine's index) and follows.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { createSearchIndex, dropSearchIndex, nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('message_search')
    .addColumn('message_id', 'integer', (c) => c.primaryKey().references('messages.id'))
    .addColumn('tokens', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await createSearchIndex(db);

  await withAutoId(db, db.schema.createTable('follows'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('message_id', 'integer', (c) => c.references('messages.id'))
    .addColumn('board_id', 'integer', (c) => c.references('boards.id'))
    .addColumn('sms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addUniqueConstraint('follows_user_message_board_key', ['user_id', 'message_id', 'board_id'])
    .execute();
  await db.schema.createIndex('follows_message_idx').on('follows').column('message_id').execute();
  await db.schema.createIndex('follows_board_idx').on('follows').column('board_id').execute();

  await db.schema.createIndex('messages_replied_idx').on('messages').columns(['replied_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_replied_idx').execute();
  await db.schema.dropTable('follows').execute();
  await dropSearchIndex(db);
  await db.schema.dropTable('message_search').execute();
}
