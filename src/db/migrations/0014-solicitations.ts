// Public solicitations (征集): the solicitation with its four phases' dates and allowances, the entries netizens submit
// (moderated like messages), each account's use of its allowances, and the votes with what made them suspicious.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { booleanType, falseDefault, nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bool = booleanType(db);

  // Each phase runs from its start (inclusive) to its end (exclusive), both instants; the editor gives Beijing dates.
  await withAutoId(db, db.schema.createTable('solicitations'))
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('entries_per_user', 'integer', (c) => c.notNull())
    .addColumn('votes_per_user', 'integer', (c) => c.notNull())
    .addColumn('entries_start_at', ts, (c) => c.notNull())
    .addColumn('entries_end_at', ts, (c) => c.notNull())
    .addColumn('review_start_at', ts, (c) => c.notNull())
    .addColumn('review_end_at', ts, (c) => c.notNull())
    .addColumn('voting_start_at', ts, (c) => c.notNull())
    .addColumn('voting_end_at', ts, (c) => c.notNull())
    .addColumn('results_start_at', ts, (c) => c.notNull())
    .addColumn('results_end_at', ts, (c) => c.notNull())
    .addColumn('announcement', 'text')
    .addColumn('announced_at', ts)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema
    .createIndex('solicitations_entries_start_idx')
    .on('solicitations')
    .columns(['entries_start_at', 'id'])
    .execute();

  await withAutoId(db, db.schema.createTable('solicitation_entries'))
    .addColumn('solicitation_id', 'integer', (c) => c.notNull().references('solicitations.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // 'nickname': credited by the account's nickname; 'tag': by "网友" and a stable tag.
    .addColumn('credit', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('refuse_reason', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', ts)
    .addColumn('rank', 'integer')
    .addColumn('prize', 'varchar(60)')
    .addColumn('client_key', 'varchar(64)')
    .addColumn('submitted_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('solicitation_entries_status_idx')
    .on('solicitation_entries')
    .columns(['solicitation_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('solicitation_entries_author_idx')
    .on('solicitation_entries')
    .columns(['author_id', 'id'])
    .execute();

  // One row per account taking part: the counters a conditional UPDATE raises, so two requests at once cannot both
  // take the last entry or the last vote.
  await db.schema
    .createTable('solicitation_participants')
    .addColumn('solicitation_id', 'integer', (c) => c.notNull().references('solicitations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('entries_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('votes_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('solicitation_participants_pkey', ['solicitation_id', 'user_id'])
    .execute();

  await withAutoId(db, db.schema.createTable('solicitation_votes'))
    .addColumn('solicitation_id', 'integer', (c) => c.notNull().references('solicitations.id'))
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('solicitation_entries.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // A keyed digest of the voter's network, never the address itself.
    .addColumn('client_key', 'varchar(64)')
    .addColumn('flag_burst', bool, (c) => c.notNull().defaultTo(falseDefault(db)))
    .addColumn('flag_new_account', bool, (c) => c.notNull().defaultTo(falseDefault(db)))
    .addColumn('voided_at', ts)
    .addColumn('voided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('void_reason', 'varchar(200)')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('solicitation_votes_once_key', ['solicitation_id', 'entry_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('solicitation_votes_client_idx')
    .on('solicitation_votes')
    .columns(['solicitation_id', 'client_key', 'created_at'])
    .execute();
  await db.schema
    .createIndex('solicitation_votes_user_idx')
    .on('solicitation_votes')
    .columns(['solicitation_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('solicitation_votes').execute();
  await db.schema.dropTable('solicitation_participants').execute();
  await db.schema.dropTable('solicitation_entries').execute();
  await db.schema.dropTable('solicitations').execute();
}
