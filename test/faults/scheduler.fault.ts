// Fault: a backlog of 1,500 overdue messages (as after the scheduler was down for days) met by two scheduler
// processes at once. Every message gets exactly one first-level 督办, none is missed, none gets two.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeOverdueBacklog } from '../overdue-backlog.ts';
import { generateMessages } from '../../src/demo/bulk-messages.ts';
import { openDatabase } from '../../src/db/kysely.ts';
import { runSchedulerOnce } from '../../src/workflow/supervision.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers.ts';
import { report } from './report.ts';

const OVERDUE = 1500;
let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
  await generateMessages(t.db, { count: 4000 });
});
after(() => t.close());

test(`two schedulers over ${OVERDUE} overdue messages (${TEST_ENGINE}): one 督办 each, none missed`, async () => {
  const ids = await makeOverdueBacklog(t.db, OVERDUE);

  // A second process: its own connection (pool) to the same database.
  const other = openDatabase(t.config);
  let errors = 0;
  try {
    const passes = await Promise.all(
      [t.db, other].map((db) =>
        runSchedulerOnce(db).catch(() => {
          errors++;
          return { supervised: 0 };
        }),
      ),
    );
    const notices = await t.db.selectFrom('supervisions').select(['message_id', 'level']).execute();
    const firstLevel = notices.filter((n) => n.level === 0);
    const supervised = new Set(firstLevel.map((n) => n.message_id));
    const missed = ids.filter((id) => !supervised.has(id)).length;
    const duplicated = firstLevel.length - supervised.size;
    const again = await runSchedulerOnce(other);
    report('two schedulers, 1,500 overdue', TEST_ENGINE, {
      overdue: OVERDUE,
      'supervised (process 1)': passes[0]!.supervised,
      'supervised (process 2)': passes[1]!.supervised,
      missed,
      duplicated,
      'failed passes': errors,
      'next pass': again.supervised,
    });
    assert.equal(errors, 0, 'a scheduler pass failed');
    assert.equal(missed, 0, 'overdue messages without a 督办');
    assert.equal(duplicated, 0, 'messages with two first-level 督办');
    assert.equal(passes[0]!.supervised + passes[1]!.supervised, OVERDUE);
    assert.equal(again.supervised, 0);
  } finally {
    await other.destroy();
  }
});
