// Channels: inbound SMS and the numbers that unsubscribed, Open311 keys and the requests they filed, verified e-mail
// addresses, each person's choice of notices, and outbox rows addressed directly (a phone or an e-mail address).
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);

  await withAutoId(db, db.schema.createTable('inbound_sms'))
    .addColumn('provider', 'varchar(16)', (c) => c.notNull())
    .addColumn('provider_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('dest_code', 'varchar(40)')
    .addColumn('sent_at', 'varchar(40)')
    .addColumn('client_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('claimed_until', ts)
    .addColumn('outcome', 'varchar(24)')
    .addColumn('message_id', 'integer', (c) => c.references('messages.id'))
    .addColumn('reply', 'text')
    .addColumn('error', 'text')
    .addColumn('processed_at', ts)
    .addUniqueConstraint('inbound_sms_provider_id_key', ['provider', 'provider_id'])
    .execute();
  await db.schema.createIndex('inbound_sms_phone_idx').on('inbound_sms').columns(['phone', 'received_at']).execute();

  await db.schema
    .createTable('sms_opt_outs')
    .addColumn('phone', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();

  await withAutoId(db, db.schema.createTable('open311_keys'))
    .addColumn('organisation', 'varchar(100)', (c) => c.notNull())
    .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('revoked_at', ts)
    .addColumn('last_used_at', ts)
    .execute();

  await db.schema
    .createTable('open311_requests')
    .addColumn('message_id', 'integer', (c) => c.primaryKey().references('messages.id'))
    .addColumn('key_id', 'integer', (c) => c.notNull().references('open311_keys.id'))
    .addColumn('lat', 'double precision')
    .addColumn('long', 'double precision')
    .addColumn('address_string', 'varchar(300)')
    .addColumn('address_id', 'varchar(100)')
    .addColumn('device_id', 'varchar(100)')
    .addColumn('account_id', 'varchar(100)')
    .addColumn('media_url', 'varchar(500)')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('open311_requests_key_idx')
    .on('open311_requests')
    .columns(['key_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('email_addresses')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('address', 'varchar(254)')
    .addColumn('verified_at', ts)
    .addColumn('pending_address', 'varchar(254)')
    .addColumn('token_hash', 'varchar(64)')
    .addColumn('token_expires_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notice_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('site', 'integer', (c) => c.notNull())
    .addColumn('sms', 'integer', (c) => c.notNull())
    .addColumn('email', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_preferences_pkey', ['user_id', 'kind'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('recipient', 'varchar(254)').execute();
  await db.schema.alterTable('outbox').addColumn('subject', 'varchar(200)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('subject').execute();
  await db.schema.alterTable('outbox').dropColumn('recipient').execute();
  for (const table of [
    'notice_preferences',
    'email_addresses',
    'open311_requests',
    'open311_keys',
    'sms_opt_outs',
    'inbound_sms',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
