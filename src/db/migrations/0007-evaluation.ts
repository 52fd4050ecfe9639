// The annual evaluation: each year's settings and state, the stored run (units and staff with their figures,
// scores and ranks), the awardees and every hand edit of the lists with its reason.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { booleanType, falseDefault, nowDefault, timestampType, withAutoId } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bool = booleanType(db);

  await db.schema
    .createTable('evaluation_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('run_config', 'text')
    .addColumn('run_at', ts)
    .addColumn('run_by', 'integer', (c) => c.references('users.id'))
    .addColumn('confirmed_at', ts)
    .addColumn('confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('published_at', ts)
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();

  await db.schema
    .createTable('evaluation_unit_results')
    .addColumn('year', 'integer', (c) => c.notNull().references('evaluation_years.year'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('expected', 'integer', (c) => c.notNull())
    .addColumn('replied', 'integer', (c) => c.notNull())
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('ratings', 'integer', (c) => c.notNull())
    .addColumn('reply_rate', 'double precision')
    .addColumn('on_time_rate', 'double precision')
    .addColumn('satisfaction', 'double precision')
    .addColumn('resolution_rate', 'double precision')
    .addColumn('volume_index', 'double precision')
    .addColumn('score', 'double precision')
    .addColumn('rank', 'integer')
    .addColumn('eligible', bool, (c) => c.notNull().defaultTo(falseDefault(db)))
    .addPrimaryKeyConstraint('evaluation_unit_results_pkey', ['year', 'unit_id'])
    .execute();

  await db.schema
    .createTable('evaluation_worker_results')
    .addColumn('year', 'integer', (c) => c.notNull().references('evaluation_years.year'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('replies', 'integer', (c) => c.notNull())
    .addColumn('ratings', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'double precision')
    .addColumn('rank', 'integer')
    .addColumn('eligible', bool, (c) => c.notNull().defaultTo(falseDefault(db)))
    .addPrimaryKeyConstraint('evaluation_worker_results_pkey', ['year', 'user_id'])
    .execute();

  await withAutoId(db, db.schema.createTable('evaluation_awards'))
    .addColumn('year', 'integer', (c) => c.notNull().references('evaluation_years.year'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('evaluation_awards_year_idx').on('evaluation_awards').columns(['year', 'kind']).execute();

  await withAutoId(db, db.schema.createTable('evaluation_award_edits'))
    .addColumn('year', 'integer', (c) => c.notNull().references('evaluation_years.year'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .execute();
  await db.schema.createIndex('evaluation_award_edits_year_idx').on('evaluation_award_edits').column('year').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evaluation_award_edits').execute();
  await db.schema.dropTable('evaluation_awards').execute();
  await db.schema.dropTable('evaluation_worker_results').execute();
  await db.schema.dropTable('evaluation_unit_results').execute();
  await db.schema.dropTable('evaluation_years').execute();
}
