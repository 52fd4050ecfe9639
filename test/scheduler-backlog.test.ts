// A backlog larger than one page of the scheduler's scan: every overdue message gets its 督办 in one pass, once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { runSchedulerOnce } from '../src/workflow/supervision.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
  await generateMessages(t.db, { count: 4000 });
});
after(() => t.close());

test('1,500 overdue messages all get a 督办 in one pass, and the next pass finds none', async () => {
  // 1,500 messages with a unit, made open (a backlog as after an outage of the scheduler).
  const open = await t.db
    .selectFrom('messages')
    .select('id')
    .where('current_unit_id', 'is not', null)
    .orderBy('id')
    .limit(1500)
    .execute();
  assert.equal(open.length, 1500, 'the generator makes enough messages with a unit');
  const ids = open.map((m) => m.id);
  await t.db
    .updateTable('messages')
    .set({ status: 'assigned' })
    .where('id', 'in', ids)
    .where('status', '!=', 'pending')
    .execute();
  const past = new Date(Date.now() - 3 * 86400_000).toISOString();
  // Everything else is not overdue; these 1,500 are, with no notice yet.
  await t.db.updateTable('messages').set({ accept_due_at: null, handle_due_at: null }).execute();
  await t.db.deleteFrom('supervisions').execute();
  await t.db
    .updateTable('messages')
    .set({ accept_due_at: past })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
  await t.db
    .updateTable('messages')
    .set({ handle_due_at: past })
    .where('id', 'in', ids)
    .where('status', '=', 'assigned')
    .execute();

  const first = await runSchedulerOnce(t.db);
  assert.equal(first.supervised, 1500);
  const notices = await t.db.selectFrom('supervisions').select(['message_id', 'level']).execute();
  assert.equal(new Set(notices.filter((n) => n.level === 0).map((n) => n.message_id)).size, 1500);
  const second = await runSchedulerOnce(t.db);
  assert.equal(second.supervised, 0);
  assert.equal((await t.db.selectFrom('supervisions').select('id').execute()).length, notices.length);
});
