// A counter per month of the published statistics, moved in the same transaction as every change to that month's facts,
// rollups or histograms: a process keeps figures (and pages drawn from them) keyed by the counters of the months they
// cover, and reads them again once a counter has moved, whoever wrote.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_versions')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stats_versions').execute();
}
