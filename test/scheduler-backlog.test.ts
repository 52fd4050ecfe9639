// A backlog larger than one page of the scheduler's scan: every overdue message gets its 督办 in one pass, once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeOverdueBacklog } from './overdue-backlog.ts';
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
  await makeOverdueBacklog(t.db, 1500);

  const first = await runSchedulerOnce(t.db);
  assert.equal(first.supervised, 1500);
  const notices = await t.db.selectFrom('supervisions').select(['message_id', 'level']).execute();
  assert.equal(new Set(notices.filter((n) => n.level === 0).map((n) => n.message_id)).size, 1500);
  const second = await runSchedulerOnce(t.db);
  assert.equal(second.supervised, 0);
  assert.equal((await t.db.selectFrom('supervisions').select('id').execute()).length, notices.length);
});
