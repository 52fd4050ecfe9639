// Handling: deadlines on messages, replies, ratings, extensions, supervision notices, working rules,
// reply templates, the notification outbox and in-site notifications, and the log of staff reads.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { booleanType, falseDefault, nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bool = booleanType(db);

  await db.schema.alterTable('messages').addColumn('accept_due_at', ts).execute();
  await db.schema.alterTable('messages').addColumn('handle_due_at', ts).execute();
  await db.schema
    .alterTable('messages')
    .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // No foreign key: SQLite cannot drop a column that has one, and down() must work on both engines.
  await db.schema.alterTable('messages').addColumn('assigned_by_unit_id', 'integer').execute();
  await db.schema.alterTable('messages').addColumn('accepted_at', ts).execute();
  await db.schema.alterTable('messages').addColumn('assigned_at', ts).execute();
  await db.schema.alterTable('messages').addColumn('replied_at', ts).execute();
  await db.schema.alterTable('messages').addColumn('rating_due_at', ts).execute();
  await db.schema
    .alterTable('messages')
    .addColumn('follow_ups', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('identity_shared', bool, (c) => c.notNull().defaultTo(falseDefault(db)))
    .execute();
  await db.schema.createIndex('messages_handle_due_idx').on('messages').columns(['status', 'handle_due_at']).execute();

  await withAutoId(db, db.schema.createTable('replies'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('resolved', bool, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('approver_id', 'integer', (c) => c.references('users.id'))
    .addColumn('signer_id', 'integer', (c) => c.references('users.id'))
    .addColumn('signer_name', 'varchar(64)')
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('published_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('replies_message_idx').on('replies').columns(['message_id', 'round']).execute();

  await withAutoId(db, db.schema.createTable('ratings'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('resolution', 'integer', (c) => c.notNull())
    .addColumn('timeliness', 'integer', (c) => c.notNull())
    .addColumn('attitude', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addUniqueConstraint('ratings_message_round_key', ['message_id', 'round'])
    .execute();

  await withAutoId(db, db.schema.createTable('extensions'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('extensions_message_idx').on('extensions').column('message_id').execute();

  await withAutoId(db, db.schema.createTable('supervisions'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('deadline', 'varchar(16)', (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addUniqueConstraint('supervisions_once_key', ['message_id', 'deadline', 'due_at', 'level'])
    .execute();

  await db.schema
    .createTable('working_rules')
    .addColumn('region_code', 'varchar(6)', (c) => c.primaryKey().references('regions.code'))
    .addColumn('override', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();

  await withAutoId(db, db.schema.createTable('reply_templates'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();

  await withAutoId(db, db.schema.createTable('outbox'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('message_id', 'integer', (c) => c.references('messages.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'varchar(160)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('claimed_until', ts)
    .addColumn('sent_at', ts)
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await withAutoId(db, db.schema.createTable('notifications'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('message_id', 'integer', (c) => c.references('messages.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('read_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_unit_idx').on('notifications').columns(['unit_id', 'id']).execute();

  await withAutoId(db, db.schema.createTable('private_reads'))
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('what', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('private_reads_message_idx').on('private_reads').column('message_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'private_reads',
    'notifications',
    'outbox',
    'reply_templates',
    'working_rules',
    'supervisions',
    'extensions',
    'ratings',
    'replies',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('messages_handle_due_idx').execute();
  for (const column of [
    'identity_shared',
    'follow_ups',
    'rating_due_at',
    'replied_at',
    'assigned_at',
    'accepted_at',
    'assigned_by_unit_id',
    'extension_days',
    'handle_due_at',
    'accept_due_at',
  ]) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
