// Migration 0021: whether a message has been supervised and the status of its waiting reply, kept on the message by
// triggers, so that a unit's inbox counts read one index range. Checked against the tables they are derived from:
// after a bulk load, after each kind of change to supervisions and replies, and when the migration fills them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { restoreSetAside, setAsideInboxFlags } from '../src/db/bulk-dialect.ts';
import { migrateDown, migrateUp } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { inboxCounts } from '../src/workflow/workflow.repository.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const NOW = new Date('2026-06-15T02:00:00.000Z');
let t: TestDatabase;

before(async () => {
  t = await createTestDatabase();
  await generateMessages(t.db, { count: 300, seed: 5, now: NOW, figures: false });
});
after(() => t.close());

/** Messages whose columns differ from what the tables say, as `id: stored ≠ derived`. */
async function disagreements(): Promise<string[]> {
  const rows = await sql<{ id: number; supervised: number; waiting_reply: string | null; s: number; w: string | null }>`
    select m.id, m.supervised, m.waiting_reply,
      (case when exists (select 1 from supervisions s where s.message_id = m.id) then 1 else 0 end) as s,
      (select r.status from replies r where r.message_id = m.id and r.status in ('pending_approval', 'pending_sign')
        order by r.round desc limit 1) as w
    from messages m`.execute(t.db);
  return rows.rows
    .filter((r) => Number(r.supervised) !== Number(r.s) || r.waiting_reply !== r.w)
    .map((r) => `${r.id}: ${r.supervised}/${r.waiting_reply} ≠ ${r.s}/${r.w}`);
}

const flagsOf = (id: number) =>
  t.db.selectFrom('messages').select(['supervised', 'waiting_reply']).where('id', '=', id).executeTakeFirstOrThrow();

test('after a bulk load every message carries what its supervisions and replies say', async () => {
  assert.deepEqual(await disagreements(), []);
  const counts = await sql<{ s: number; w: number }>`
    select sum(supervised) as s, sum(case when waiting_reply is not null then 1 else 0 end) as w from messages`.execute(
    t.db,
  );
  assert.ok(Number(counts.rows[0]!.s) > 0, 'some messages were supervised');
  assert.ok(Number(counts.rows[0]!.w) > 0, 'some replies wait');
});

test('each insert, update and delete of supervisions and replies moves them', async () => {
  const m = await t.db
    .selectFrom('messages')
    .select(['id', 'current_unit_id', 'region_code'])
    .where('status', '=', 'assigned')
    .where('supervised', '=', 0)
    .where('waiting_reply', 'is', null)
    .where('current_unit_id', 'is not', null)
    .executeTakeFirstOrThrow();
  const unit = m.current_unit_id!;
  const scope = { unitIds: [unit], boardIds: [], regionPrefixes: [] };
  const now = NOW.toISOString();
  const before = await inboxCounts(t.db, scope, now, now);

  const { id: svId } = await t.db
    .insertInto('supervisions')
    .values({ message_id: m.id, deadline: 'handle', due_at: now, level: 1, unit_id: unit })
    .returning('id')
    .executeTakeFirstOrThrow();
  assert.equal(Number((await flagsOf(m.id)).supervised), 1);
  assert.equal((await inboxCounts(t.db, scope, now, now)).supervised, before.supervised + 1);

  const author = await t.db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow();
  const { id: replyId } = await t.db
    .insertInto('replies')
    .values({
      message_id: m.id,
      unit_id: unit,
      author_id: author.id,
      body: '答复',
      resolved: 1,
      status: 'draft',
      round: 9,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  assert.equal((await flagsOf(m.id)).waiting_reply, null, 'a draft does not wait for anyone');
  await t.db.updateTable('replies').set({ status: 'pending_approval' }).where('id', '=', replyId).execute();
  assert.equal((await flagsOf(m.id)).waiting_reply, 'pending_approval');
  assert.equal((await inboxCounts(t.db, scope, now, now)).awaitingApproval, before.awaitingApproval + 1);
  await t.db.updateTable('replies').set({ status: 'pending_sign' }).where('id', '=', replyId).execute();
  assert.equal((await flagsOf(m.id)).waiting_reply, 'pending_sign');
  assert.equal((await inboxCounts(t.db, scope, now, now)).awaitingSignature, before.awaitingSignature + 1);
  await t.db.updateTable('replies').set({ status: 'published', published_at: now }).where('id', '=', replyId).execute();
  assert.equal((await flagsOf(m.id)).waiting_reply, null);

  // A reply moved to another message (not done by the workflow, but the columns must not lie): both are updated.
  const other = await t.db
    .selectFrom('messages')
    .select('id')
    .where('id', '<>', m.id)
    .where('waiting_reply', 'is', null)
    .executeTakeFirstOrThrow();
  await t.db.updateTable('replies').set({ status: 'pending_approval' }).where('id', '=', replyId).execute();
  await t.db.updateTable('replies').set({ message_id: other.id }).where('id', '=', replyId).execute();
  assert.equal((await flagsOf(m.id)).waiting_reply, null);
  assert.equal((await flagsOf(other.id)).waiting_reply, 'pending_approval');
  await t.db.deleteFrom('replies').where('id', '=', replyId).execute();
  assert.equal((await flagsOf(other.id)).waiting_reply, null);

  await t.db.deleteFrom('supervisions').where('id', '=', svId).execute();
  assert.equal(Number((await flagsOf(m.id)).supervised), 0);
  assert.deepEqual(await inboxCounts(t.db, scope, now, now), before);
  assert.deepEqual(await disagreements(), []);
});

test('the migration fills them from the tables, and undoes cleanly', async () => {
  const later = Object.keys(MIGRATIONS).filter((name) => name > '0021-inbox-flags');
  for (const name of [...later].reverse()) assert.deepEqual(await migrateDown(t.db), [name]);
  assert.deepEqual(await migrateDown(t.db), ['0021-inbox-flags']);
  // Changes while the triggers are gone: the migration must find them.
  const m = await t.db
    .selectFrom('messages')
    .select(['id', 'current_unit_id'])
    .where('current_unit_id', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('supervisions')
    .values({ message_id: m.id, deadline: 'handle', due_at: NOW.toISOString(), level: 1, unit_id: m.current_unit_id! })
    .execute();
  assert.deepEqual(await migrateUp(t.db), ['0021-inbox-flags', ...later]);
  assert.equal(Number((await flagsOf(m.id)).supervised), 1);
  assert.deepEqual(await disagreements(), []);
});

test('a load killed while the triggers were aside: the next start fills the columns and puts the triggers back', async () => {
  await setAsideInboxFlags(t.db);
  // Written while no trigger watches (the load, or a server beside it): the columns fall behind.
  const m = await t.db
    .selectFrom('messages')
    .select(['id', 'current_unit_id'])
    .where('supervised', '=', 0)
    .where('current_unit_id', 'is not', null)
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('supervisions')
    .values({ message_id: m.id, deadline: 'handle', due_at: NOW.toISOString(), level: 1, unit_id: m.current_unit_id! })
    .execute();
  assert.equal(Number((await flagsOf(m.id)).supervised), 0, 'no trigger while set aside');
  assert.ok((await restoreSetAside(t.db)) > 0);
  assert.equal(Number((await flagsOf(m.id)).supervised), 1);
  assert.deepEqual(await disagreements(), []);
  assert.equal(await restoreSetAside(t.db), 0, 'nothing left to restore');
  // The triggers watch again.
  await t.db.deleteFrom('supervisions').where('message_id', '=', m.id).execute();
  assert.equal(Number((await flagsOf(m.id)).supervised), 0);
});
