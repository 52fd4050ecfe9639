// A backlog larger than one page of the scheduler's scan: every overdue message gets its 督办 in one pass, once; a
// process that stops ends its pass between two messages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeOverdueBacklog } from './overdue-backlog.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { runSchedulerOnce, startScheduler } from '../src/workflow/supervision.ts';
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

test('a stopping process ends the pass between two messages and leaves the rest to the next pass', async () => {
  await makeOverdueBacklog(t.db, 1500);
  const warnings: string[] = [];
  const scheduler = startScheduler(t.db, { warn: (_obj, msg) => warnings.push(msg ?? '') }, 3600_000);
  // Let the pass begin its work, then stop as the server does before it closes the database.
  while ((await t.db.selectFrom('supervisions').select('id').limit(1).execute()).length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await scheduler.stop();
  const done = new Set((await t.db.selectFrom('supervisions').select('message_id').execute()).map((s) => s.message_id));
  assert.ok(done.size > 0 && done.size < 1500, `ended part-way (${done.size} of 1,500)`);
  // Nothing runs after stop() has returned: no further 督办, no failure logged.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await t.db.selectFrom('supervisions').select('id').execute()).length, done.size);
  assert.deepEqual(warnings, []);
  const rest = await runSchedulerOnce(t.db);
  assert.equal(rest.supervised, 1500 - done.size);
});
