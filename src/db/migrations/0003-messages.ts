// Messages, their attachments, the hash-chained case history and idempotency keys.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);

  await withAutoId(db, db.schema.createTable('messages'))
    .addColumn('board_id', 'integer', (c) => c.notNull().references('boards.id'))
    .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('domain', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('original_sealed', 'text')
    .addColumn('remarks_sealed', 'text')
    .addColumn('location', 'varchar(200)')
    .addColumn('visibility', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('tracking_code', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('reject_reason', 'varchar(32)')
    .addColumn('reject_note', 'text')
    .addColumn('duplicate_of', 'integer', (c) => c.references('messages.id'))
    .addColumn('current_unit_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('submitted_at', ts, (c) => c.notNull())
    .addColumn('review_due_at', ts, (c) => c.notNull())
    .addColumn('approved_at', ts)
    .addColumn('closed_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('messages_board_idx').on('messages').columns(['board_id', 'id']).execute();
  await db.schema.createIndex('messages_region_idx').on('messages').columns(['region_code', 'id']).execute();
  await db.schema.createIndex('messages_author_idx').on('messages').columns(['author_id', 'id']).execute();
  await db.schema.createIndex('messages_status_idx').on('messages').columns(['status', 'id']).execute();
  await db.schema.createIndex('messages_unit_idx').on('messages').columns(['current_unit_id', 'status']).execute();

  await withAutoId(db, db.schema.createTable('message_attachments'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('storage_key', 'varchar(80)', (c) => c.notNull())
    .addColumn('media_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema
    .createIndex('message_attachments_message_idx')
    .on('message_attachments')
    .column('message_id')
    .execute();

  await withAutoId(db, db.schema.createTable('case_events'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_unit_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('from_status', 'varchar(16)')
    .addColumn('to_status', 'varchar(16)')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addUniqueConstraint('case_events_message_seq_key', ['message_id', 'seq'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('key', 'varchar(64)', (c) => c.notNull())
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['idempotency_keys', 'case_events', 'message_attachments', 'messages']) {
    await db.schema.dropTable(table).execute();
  }
}
