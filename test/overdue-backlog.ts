// A backlog of overdue messages, as after the scheduler was down for days: `count` messages with a unit made open and
// overdue, every other message not due, and no 督办 yet. For the scheduler's backlog test and fault.
import assert from 'node:assert/strict';
import type { Db } from '../src/db/kysely.ts';

export async function makeOverdueBacklog(db: Db, count: number): Promise<number[]> {
  const open = await db
    .selectFrom('messages')
    .select('id')
    .where('current_unit_id', 'is not', null)
    .orderBy('id')
    .limit(count)
    .execute();
  assert.equal(open.length, count, 'the generator makes enough messages with a unit');
  const ids = open.map((m) => m.id);
  await db
    .updateTable('messages')
    .set({ status: 'assigned' })
    .where('id', 'in', ids)
    .where('status', '!=', 'pending')
    .execute();
  const past = new Date(Date.now() - 3 * 86400_000).toISOString();
  await db.updateTable('messages').set({ accept_due_at: null, handle_due_at: null }).execute();
  await db.deleteFrom('supervisions').execute();
  await db
    .updateTable('messages')
    .set({ accept_due_at: past })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
  await db
    .updateTable('messages')
    .set({ handle_due_at: past })
    .where('id', 'in', ids)
    .where('status', '=', 'assigned')
    .execute();
  return ids;
}
