// What the rendered pages need to be fast: a counter that every change to the reference data moves (so each process
// can keep regions, boards, units, working rules and settings in memory and know when to read them again), indexes
// that give a unit's workbench inbox in deadline order with the replies waiting in it, and one for a person's unread
// notifications.
// Frozen: change the schema in a new migration.
import { type Kysely, sql } from 'kysely';
import { createChangeCounter, createIndexWithIncluded, dropChangeCounter } from '../dialect.ts';

const REFERENCE_TABLES = ['regions', 'boards', 'handling_units', 'working_rules', 'settings'];
/** The deadline that runs for an open message: acceptance while pending, handling once accepted. */
const RUNNING_DUE = sql.raw(
  "(case when status = 'pending' then accept_due_at when status = 'assigned' then handle_due_at end)",
);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('change_counters')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('change_counters').values({ name: 'reference', version: 1 }).execute();
  await createChangeCounter(db, 'reference', REFERENCE_TABLES);

  // The workbench inbox of a unit: the messages it handles and those it assigned, by status, in the order of their
  // running deadline (the expression is the one workflow.repository.ts sorts by), with what its counts read.
  const read = ['id', 'accept_due_at', 'handle_due_at'];
  await createIndexWithIncluded(
    db,
    'messages_unit_due_idx',
    'messages',
    sql`current_unit_id, status, ${RUNNING_DUE}, priority`,
    read,
  );
  await createIndexWithIncluded(
    db,
    'messages_assigned_by_due_idx',
    'messages',
    sql`assigned_by_unit_id, status, ${RUNNING_DUE}, current_unit_id, priority`,
    read,
  );
  // Replies waiting for a unit head's approval or a leader's signature: few, and the inbox asks about each message.
  await db.schema
    .createIndex('replies_waiting_idx')
    .on('replies')
    .columns(['message_id', 'status'])
    .where(sql.ref('status'), 'in', [sql.lit('pending_approval'), sql.lit('pending_sign')])
    .execute();
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .column('user_id')
    .where(sql.ref('read_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_unread_idx').execute();
  await db.schema.dropIndex('replies_waiting_idx').execute();
  await db.schema.dropIndex('messages_assigned_by_due_idx').execute();
  await db.schema.dropIndex('messages_unit_due_idx').execute();
  await dropChangeCounter(db, 'reference', REFERENCE_TABLES);
  await db.schema.dropTable('change_counters').execute();
}
