// Regions, handling units and leaders' boards. Frozen: change the schema in a new migration.
import { type Kysely, sql } from 'kysely';
import { booleanType, nowDefault, timestampType } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bool = booleanType(db);
  await db.schema
    .createTable('regions')
    .addColumn('code', 'varchar(6)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull().check(sqlIn('level', ['province', 'city', 'county'])))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('parent_code', 'varchar(6)', (c) => c.references('regions.code'))
    .addColumn('has_boards', bool, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_parent_code_idx').on('regions').column('parent_code').execute();

  await db.schema
    .createTable('handling_units')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
    .addColumn('parent_id', 'integer', (c) => c.references('handling_units.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('responsibilities', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addUniqueConstraint('handling_units_region_name_key', ['region_code', 'name'])
    .execute();
  await db.schema.createIndex('handling_units_parent_id_idx').on('handling_units').column('parent_id').execute();

  await db.schema
    .createTable('boards')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
    .addColumn('post', 'varchar(32)', (c) => c.notNull())
    .addColumn('title', 'varchar(64)', (c) => c.notNull())
    .addColumn('holder_name', 'varchar(64)')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('handling_units.id'))
    .addColumn('active', bool, (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(nowDefault(db)))
    .addUniqueConstraint('boards_region_post_key', ['region_code', 'post'])
    .execute();
  await db.schema.createIndex('boards_unit_id_idx').on('boards').column('unit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('boards').execute();
  await db.schema.dropTable('handling_units').execute();
  await db.schema.dropTable('regions').execute();
}

function sqlIn(column: string, values: string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
