// An index by month on the statistics' rollups and handling-time histograms, whose keys begin with the scope: a
// recomputation compares and rewrites them a month at a time (without it, every month read both tables whole).
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stats_rollups_month_idx').on('stats_rollups').column('month').execute();
  await db.schema.createIndex('stats_handling_days_month_idx').on('stats_handling_days').column('month').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('stats_handling_days_month_idx').execute();
  await db.schema.dropIndex('stats_rollups_month_idx').execute();
}
