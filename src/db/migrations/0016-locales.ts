// The language each account reads the platform in (zh-CN, zh-HK or en): its notices, e-mails and SMS are written in it.
// Null until the person chooses one (or registers): the default language is used then.
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'varchar(8)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
