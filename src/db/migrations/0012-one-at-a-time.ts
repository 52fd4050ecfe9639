// One at a time: a version on each message and each reply, so that a step taken on what someone saw fails when
// another step came first, and the rules that say "one" as unique indexes: one pending extension per message, one
// unpublished reply (draft, awaiting approval or signature) per message and round. Duplicates that earlier races
// left behind are settled first, so the upgrade of a live database cannot fail on them.
// Frozen: change the schema in a new migration.
import { type Kysely, sql } from 'kysely';

const OPEN_REPLY = sql`('draft', 'pending_approval', 'pending_sign')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // From 1: a form that showed no draft says version 0.
  await db.schema
    .alterTable('replies')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  const now = new Date().toISOString();
  // An unpublished reply in a round that already has its published reply was left behind by a race: superseded.
  await sql`
    update replies set status = 'superseded', updated_at = ${now}
    where status in ${OPEN_REPLY}
      and exists (select 1 from replies p where p.message_id = replies.message_id and p.round = replies.round
                  and p.status = 'published')`.execute(db);
  // Of several unpublished replies in one round, the newest is the one the workbench showed: the others go.
  await sql`
    update replies set status = 'superseded', updated_at = ${now}
    where status in ${OPEN_REPLY}
      and id < (select max(o.id) from replies o where o.message_id = replies.message_id and o.round = replies.round
                and o.status in ${OPEN_REPLY})`.execute(db);
  // Of several pending extensions, the newest stays for the decision; the older ones are withdrawn.
  await sql`
    update extensions set status = 'withdrawn', decided_at = ${now}
    where status = 'pending'
      and id < (select max(o.id) from extensions o where o.message_id = extensions.message_id
                and o.status = 'pending')`.execute(db);

  // Partial unique indexes, written the same on both engines.
  await sql`create unique index replies_one_open on replies (message_id, round) where status in ${OPEN_REPLY}`.execute(
    db,
  );
  await sql`create unique index extensions_one_pending on extensions (message_id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('extensions_one_pending').execute();
  await db.schema.dropIndex('replies_one_open').execute();
  // Rows settled by up() keep their `superseded` or `withdrawn` status: they were never to be acted on.
  await db.schema.alterTable('replies').dropColumn('version').execute();
  await db.schema.alterTable('messages').dropColumn('version').execute();
}
