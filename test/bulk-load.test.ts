// The bulk load around the generator: into an empty set of messages the secondary indexes and constraints are set aside
// and built again, a load killed half-way gets them back at the next start, ids taken meanwhile come after the load's,
// and a database with messages keeps its indexes throughout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { openBulkWriter } from '../src/db/bulk-dialect.ts';
import { listIndexes } from '../src/db/dialect.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { generateMessages, SET_ASIDE_BELOW } from '../src/demo/bulk-messages.ts';
import { SensitiveWords } from '../src/messages/sensitive-words.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { listMessages } from '../src/search/message-list.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './helpers.ts';

const NOW = new Date('2026-06-15T02:00:00.000Z');
let t: TestDatabase;
let indexes: Record<string, string[]>;

/** Foreign keys of the loaded tables (PostgreSQL lists them; SQLite's are part of the table and never dropped). */
async function foreignKeys(db: TestDatabase['db']): Promise<string[]> {
  if (TEST_ENGINE !== 'postgres') return [];
  const { rows } = await sql<{ name: string }>`select conname as name from pg_constraint
    where contype in ('f', 'u') and conrelid::regclass::text in
      ('messages', 'replies', 'supervisions', 'case_events', 'ratings', 'message_search') order by conname`.execute(db);
  return rows.map((r) => r.name);
}

const setAsideMarker = async (db: TestDatabase['db']) =>
  db.selectFrom('settings').select('value').where('key', '=', 'bulk.set_aside').executeTakeFirst();

before(async () => {
  t = await createTestDatabase();
  indexes = await listIndexes(t.db);
});
after(() => t.close());

describe('a bulk load into an empty set of messages', () => {
  let constraints: string[];
  let result: Awaited<ReturnType<typeof generateMessages>>;

  before(async () => {
    constraints = await foreignKeys(t.db);
    result = await generateMessages(t.db, { count: 1500, seed: 9, now: NOW, batchSize: 400, figures: false });
  });

  test('sets the indexes aside and builds every one again, with the constraints', async () => {
    assert.equal(result.setAside, true);
    assert.equal(result.inserted, 1500);
    assert.deepEqual(await listIndexes(t.db), indexes);
    assert.deepEqual(await foreignKeys(t.db), constraints);
    assert.equal(await setAsideMarker(t.db), undefined);
    if (TEST_ENGINE === 'sqlite') {
      const { rows } = await sql<{ foreign_key_check: unknown }>`pragma foreign_key_check`.execute(t.db);
      assert.deepEqual(rows, [], 'every row the load wrote names rows that exist');
      const { rows: stats } = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1`.execute(t.db);
      assert.ok(
        stats.some((s) => s.tbl === 'replies'),
        'planner statistics were gathered',
      );
    } else {
      const { rows } = await sql<{ relname: string; vacuumed: boolean; analyzed: boolean }>`
        select relname, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed
        from pg_stat_user_tables where relname in ('messages', 'message_facts', 'case_events') order by relname`.execute(
        t.db,
      );
      assert.deepEqual(
        rows.map((r) => [r.relname, r.vacuumed, r.analyzed]),
        [
          ['case_events', false, true],
          ['message_facts', true, true],
          ['messages', true, true],
        ],
        'vacuumed where index-only scans read, analysed everywhere',
      );
    }
    assert.equal((await verifyAllChains(t.db)).broken, null);
  });

  test('search finds through the rebuilt index exactly what a substring search finds', async () => {
    for (const q of ['路灯', '物业', '公交', '路']) {
      const page = await listMessages(t.db, { q, limit: 100 }, NOW);
      const like = await t.db
        .selectFrom('message_search')
        .innerJoin('messages', 'messages.id', 'message_search.message_id')
        .select('messages.id')
        .where(sql<boolean>`message_search.text like ${`%${q}%`}`)
        .where('messages.visibility', '=', 'public')
        .where('messages.status', 'in', ['pending', 'assigned', 'replied', 'closed'])
        .orderBy('messages.id', 'desc')
        .limit(100)
        .execute();
      assert.ok(like.length > 0, q);
      assert.deepEqual(
        page.items.map((i) => i.id),
        like.map((r) => r.id),
        q,
      );
    }
  });

  test('ids written after the load follow the loaded ones', async () => {
    const highest = await t.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const authorId = await createStaff(t.db, COMMAND_LINE, {
      phone: '13900000077',
      nickname: '事后',
      password: 'Bulk-Load-2026!',
      role: 'editor',
    });
    const users = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    assert.equal(authorId, Number(users.id));
    const { id } = await submitMessage(
      {
        db: t.db,
        secret: t.config.secret,
        store: new AttachmentStore(`${t.config.dataDir}/attachments`),
        sensitiveWords: new SensitiveWords([]),
        authorId,
        channel: 'api',
      },
      {
        boardId: 1100001,
        type: 'suggest',
        domain: 'transport',
        title: '批量导入之后的留言',
        body: '批量导入之后提交的留言应当排在导入的留言之后，编号不与之冲突。',
      },
    );
    assert.equal(id, Number(highest.id) + 1);
  });
});

describe('a load killed before it built its indexes again', () => {
  test('the next start builds what was set aside', async () => {
    const writer = openBulkWriter(t.db);
    try {
      await writer.begin({ setAside: true, reserve: { users: 0, messages: 0, replies: 0, supervisions: 0 } });
      assert.notDeepEqual(await listIndexes(t.db), indexes, 'the indexes were set aside');
      assert.ok(await setAsideMarker(t.db));
      await prepareDatabase(t.db, t.config, { info: () => {} });
      assert.deepEqual(await listIndexes(t.db), indexes);
      assert.equal(await setAsideMarker(t.db), undefined);
    } finally {
      await writer.close();
    }
    assert.deepEqual(await listIndexes(t.db), indexes);
  });
});

describe('a bulk load into a database that has messages', () => {
  test('keeps the indexes in place and adds to what is there', async () => {
    const before = await t.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.ok(Number(before.n) > SET_ASIDE_BELOW);
    const result = await generateMessages(t.db, { count: 200, seed: 9, now: NOW, figures: false });
    assert.equal(result.setAside, false);
    assert.deepEqual(await listIndexes(t.db), indexes);
    const report = await verifyAllChains(t.db);
    assert.equal(report.broken, null);
    assert.equal(report.checked, Number(before.n) + 200);
  });
});
