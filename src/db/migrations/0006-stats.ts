// Published statistics: one row of facts per message that reached the handling units, and monthly
// rollups per scope kept up to date from them. Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { nowDefault, timestampType } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const counter = (name: string) => (t: any) => t.addColumn(name, 'integer', (c: any) => c.notNull().defaultTo(0));

  await db.schema
    .createTable('message_facts')
    .addColumn('message_id', 'integer', (c) => c.primaryKey().references('messages.id'))
    .addColumn('board_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('city_code', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('received_day', 'text', (c) => c.notNull())
    .addColumn('expected', 'integer', (c) => c.notNull())
    .addColumn('replied_at', ts)
    .addColumn('due_at', ts)
    .addColumn('on_time', 'integer')
    .addColumn('handling_days', 'integer')
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('returned', 'integer', (c) => c.notNull())
    .addColumn('reopened', 'integer', (c) => c.notNull())
    .addColumn('signed', 'integer', (c) => c.notNull())
    .addColumn('rating_resolution', 'integer')
    .addColumn('rating_timeliness', 'integer')
    .addColumn('rating_attitude', 'integer')
    .execute();
  await db.schema
    .createIndex('message_facts_province_idx')
    .on('message_facts')
    .columns(['province_code', 'received_day'])
    .execute();
  await db.schema
    .createIndex('message_facts_city_idx')
    .on('message_facts')
    .columns(['city_code', 'received_day'])
    .execute();
  await db.schema
    .createIndex('message_facts_region_idx')
    .on('message_facts')
    .columns(['region_code', 'received_day'])
    .execute();
  await db.schema
    .createIndex('message_facts_board_idx')
    .on('message_facts')
    .columns(['board_id', 'received_day'])
    .execute();
  await db.schema
    .createIndex('message_facts_unit_idx')
    .on('message_facts')
    .columns(['unit_id', 'received_day'])
    .execute();
  await db.schema.createIndex('message_facts_signed_idx').on('message_facts').columns(['signed', 'board_id']).execute();
  await db.schema.createIndex('message_facts_day_idx').on('message_facts').column('received_day').execute();

  let rollup = db.schema
    .createTable('stats_rollups')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull());
  for (const name of [
    'received',
    'expected',
    'replied',
    'on_time',
    'resolved',
    'overdue',
    'returned',
    'reopened',
    'signed',
    'rated',
    'resolution_sum',
    'timeliness_sum',
    'attitude_sum',
  ]) {
    rollup = counter(name)(rollup);
  }
  await rollup.addPrimaryKeyConstraint('stats_rollups_pkey', ['scope', 'month']).execute();

  await db.schema
    .createTable('stats_handling_days')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stats_handling_days_pkey', ['scope', 'month', 'days'])
    .execute();

  await db.schema
    .createTable('stats_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('finished_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stats_runs').execute();
  await db.schema.dropTable('stats_handling_days').execute();
  await db.schema.dropTable('stats_rollups').execute();
  await db.schema.dropTable('message_facts').execute();
}
