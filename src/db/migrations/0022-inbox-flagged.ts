// The few open messages of a unit that a workbench count looks for by their flags (urgent, supervised, a reply
// waiting for approval or signature), in partial indexes of their own: a unit's counts then read each status's index
// range as a count and these few rows, instead of evaluating every open message (3 ms for 5,000 at a million).
// Frozen: change the schema in a new migration.
import { type Kysely, sql } from 'kysely';

/** The condition of both indexes; a query must state it word for word for either engine to use them. */
export const FLAGGED_OPEN = sql.raw(
  "status in ('pending', 'assigned', 'replied') and (priority = 'urgent' or supervised = 1 or waiting_reply is not null)",
);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index messages_unit_flagged_idx
    on messages (current_unit_id, status, priority, supervised, waiting_reply) where ${FLAGGED_OPEN}`.execute(db);
  await sql`create index messages_assigned_by_flagged_idx
    on messages (assigned_by_unit_id, status, current_unit_id, priority, supervised, waiting_reply)
    where ${FLAGGED_OPEN}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_assigned_by_flagged_idx').execute();
  await db.schema.dropIndex('messages_unit_flagged_idx').execute();
}
