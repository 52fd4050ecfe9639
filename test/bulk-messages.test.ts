// The bulk generator: every status, a power-law spread over boards, intact hash chains, a search entry per
// message that agrees with the tokenizer, the published figures a fresh derivation gives (facts made by the generator's
// thread on the same calendar as the main thread's), and the same data for the same seed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAllChains } from '../src/audit/case-events.ts';
import { matchesAllTokens } from '../src/db/dialect.ts';
import { calendarRepository } from '../src/deadlines/calendar.service.ts';
import { calendarCoverage, useOfficialSchedule } from '../src/deadlines/working-days.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { STATUSES } from '../src/messages/message-kinds.ts';
import { indexTokens, queryTokens, searchableText } from '../src/search/tokenize.ts';
import { statsService } from '../src/stats/stats.service.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const COUNT = 2000;
const SEED = 42;
const NOW = new Date('2026-06-15T02:00:00.000Z');

let t: TestDatabase;
let result: { inserted: number; ms: number };
const progress: number[] = [];

before(async () => {
  t = await createTestDatabase();
  result = await generateMessages(t.db, {
    count: COUNT,
    seed: SEED,
    now: NOW,
    batchSize: 700,
    onProgress: (done, total) => {
      assert.equal(total, COUNT);
      progress.push(done);
    },
  });
});

after(async () => {
  await t.close();
});

describe('generateMessages', () => {
  test('inserts the messages in batches and reports progress', async () => {
    assert.equal(result.inserted, COUNT);
    assert.ok(result.ms >= 0);
    assert.deepEqual(progress, [700, 1400, 2000]);
    const row = await t.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.n), COUNT);
  });

  test('writes the facts and monthly figures that a fresh derivation from the histories gives', async () => {
    const { messages, differences } = await statsService.check(t.db);
    assert.equal(messages, COUNT);
    assert.deepEqual(differences, []);
    // Every message that reached the handling units counts, and the rollups cover the two years.
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) =>
      Number((await query.executeTakeFirstOrThrow()).n);
    const approved = await count(
      t.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('approved_at', 'is not', null),
    );
    const facts = await count(t.db.selectFrom('message_facts').select((eb) => eb.fn.countAll<number>().as('n')));
    assert.equal(facts, approved);
    assert.ok(facts > COUNT / 2, `${facts} facts`);
    const months = await t.db.selectFrom('stats_rollups').select('month').where('scope', '=', 'p').execute();
    assert.ok(months.length >= 24, `${months.length} months`);
    // A recomputation finds nothing to write: the facts and every month's rollups and histograms agree.
    const report = await statsService.recompute(t.db);
    assert.equal(report.facts, facts);
    assert.equal(report.factsWritten, 0);
    assert.equal(report.monthsRebuilt, 0);
  });

  test('every status is present, with the fields that status has', async () => {
    const rows = await t.db
      .selectFrom('messages')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    for (const status of Object.keys(STATUSES)) assert.ok((counts[status] ?? 0) > 0, `no ${status} message`);
    assert.ok(counts.closed! > COUNT / 2, 'most messages are closed');

    const messages = await t.db.selectFrom('messages').selectAll().execute();
    const latest = new Date(NOW).toISOString();
    for (const m of messages) {
      assert.ok(m.submitted_at <= latest && m.updated_at <= latest, `message ${m.id} is dated after now`);
      assert.ok(m.submitted_at >= new Date(NOW.getTime() - 731 * 86400_000).toISOString());
      if (m.status !== 'submitted' && m.status !== 'rejected') assert.ok(m.approved_at && m.accept_due_at);
      if (m.status === 'rejected') assert.ok(m.reject_reason && m.closed_at);
      if (m.status === 'assigned') assert.ok(m.accepted_at && m.handle_due_at);
      if (m.status === 'replied') assert.ok(m.replied_at && m.rating_due_at && m.rating_due_at > latest);
      if (m.status === 'closed') assert.ok(m.closed_at);
    }

    // Replied and closed messages (thanks aside) have a published reply; some replies are signed by the leader.
    const unanswered = await t.db
      .selectFrom('messages')
      .select('id')
      .where('status', 'in', ['replied', 'closed'])
      .where('type', '!=', 'thanks')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('replies')
              .select('replies.id')
              .whereRef('replies.message_id', '=', 'messages.id')
              .where('replies.status', '=', 'published'),
          ),
        ),
      )
      .execute();
    assert.deepEqual(unanswered, []);
    const signed = await t.db
      .selectFrom('replies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('signer_id', 'is not', null)
      .executeTakeFirstOrThrow();
    assert.ok(Number(signed.n) > 0, 'some replies are signed');
    const ratings = await t.db
      .selectFrom('ratings')
      .innerJoin('messages', 'messages.id', 'ratings.message_id')
      .select(['messages.status'])
      .execute();
    assert.ok(ratings.length > 0);
    assert.ok(ratings.every((r) => r.status === 'closed'));
  });

  test('messages spread over boards by a power law, written by a pool of accounts', async () => {
    const boards = await t.db
      .selectFrom('boards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const perBoard = await t.db
      .selectFrom('messages')
      .select(['board_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('board_id')
      .execute();
    const counts = perBoard.map((b) => Number(b.n)).sort((a, b) => b - a);
    const top = Math.ceil(Number(boards.n) * 0.01);
    const topShare = counts.slice(0, top).reduce((s, n) => s + n, 0) / COUNT;
    // The busiest 1% of boards would hold 1% under an even spread.
    assert.ok(topShare > 0.2, `the busiest 1% of boards hold ${(topShare * 100).toFixed(1)}%`);
    assert.ok(perBoard.length > 500, `only ${perBoard.length} boards have messages`);

    const authors = await t.db
      .selectFrom('messages')
      .select(['author_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('author_id')
      .execute();
    assert.ok(authors.length > 300, `only ${authors.length} authors`);
    const netizens = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_staff', '=', 0)
      .executeTakeFirstOrThrow();
    assert.ok(Number(netizens.n) >= authors.length);
  });

  test('every hash chain is intact and ends in the message status', async () => {
    const report = await verifyAllChains(t.db);
    assert.equal(report.broken, null);
    assert.equal(report.checked, COUNT);
    assert.ok(report.events > COUNT * 3, `only ${report.events} events`);
  });

  test('every message has the search entry the tokenizer makes of its public text', async () => {
    const entries = await t.db.selectFrom('message_search').select(['message_id', 'text']).execute();
    assert.equal(entries.length, COUNT);
    const messages = await t.db.selectFrom('messages').select(['id', 'title', 'body']).execute();
    const replies = await t.db
      .selectFrom('replies')
      .select(['message_id', 'body'])
      .where('status', '=', 'published')
      .orderBy('id')
      .execute();
    const byMessage = new Map<number, string[]>();
    for (const r of replies) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r.body]);
    const entryOf = new Map(entries.map((e) => [e.message_id, e]));
    for (const m of messages) {
      const texts = [m.title, m.body, ...(byMessage.get(m.id) ?? [])];
      const entry = entryOf.get(m.id);
      assert.ok(entry, `message ${m.id} has no search entry`);
      assert.equal(entry.text, searchableText(texts));
    }
    // The engine's index holds every message's tokens: a sample, each by three of its tokens, finds its message.
    const sample = messages.filter((m) => m.id % 37 === 0);
    assert.ok(sample.length > 40);
    for (const m of sample) {
      const tokens = indexTokens(entryOf.get(m.id)!.text);
      const probe = [tokens[0]!, tokens[Math.floor(tokens.length / 2)]!, tokens[tokens.length - 1]!];
      const found = await t.db
        .selectFrom('message_search')
        .select('message_id')
        .where(matchesAllTokens(t.db, probe))
        .execute();
      assert.ok(
        found.some((f) => f.message_id === m.id),
        `message ${m.id} by ${probe.join(' ')}`,
      );
    }
  });

  test('a two-character term finds the same messages by LIKE and by the full-text index', async () => {
    for (const term of ['路灯', '小区', '物业', '公交', '幸福', '补贴']) {
      const { tokens } = queryTokens(term);
      const viaIndex = await t.db
        .selectFrom('message_search')
        .select('message_id')
        .where(matchesAllTokens(t.db, tokens))
        .orderBy('message_id')
        .execute();
      const viaLike = await t.db
        .selectFrom('message_search')
        .select('message_id')
        .where(sql<boolean>`message_search.text like ${`%${term}%`}`)
        .orderBy('message_id')
        .execute();
      assert.deepEqual(viaIndex, viaLike, term);
      assert.ok(viaLike.length > 0 && viaLike.length < COUNT / 2, `${term}: ${viaLike.length} of ${COUNT}`);
    }
  });

  test('the same seed gives the same data; another seed different data', async () => {
    const snapshot = async (db: TestDatabase['db']) => ({
      messages: await db.selectFrom('messages').selectAll().orderBy('id').execute(),
      events: await db.selectFrom('case_events').select(['message_id', 'seq', 'hash']).orderBy('id').execute(),
      replies: await db.selectFrom('replies').selectAll().orderBy('id').execute(),
      ratings: await db.selectFrom('ratings').selectAll().orderBy('id').execute(),
      users: await db.selectFrom('users').select(['id', 'nickname', 'is_staff']).orderBy('id').execute(),
    });
    const expected = await snapshot(t.db);
    const again = await createTestDatabase();
    const other = await createTestDatabase();
    try {
      await generateMessages(again.db, { count: COUNT, seed: SEED, now: NOW, batchSize: 1000 });
      assert.deepEqual(await snapshot(again.db), expected);
      await generateMessages(other.db, { count: 50, seed: SEED + 1, now: NOW });
      const titles = (await snapshot(other.db)).messages.map((m) => m.title);
      assert.notDeepEqual(
        titles,
        expected.messages.slice(0, 50).map((m) => m.title),
      );
    } finally {
      await again.close();
      await other.close();
    }
  });

  test('a second run adds new messages to the first, with chains intact', async () => {
    const first = await t.db.selectFrom('messages').select('body').orderBy('id').limit(300).execute();
    const more = await generateMessages(t.db, { count: 300, seed: SEED, now: NOW });
    assert.equal(more.inserted, 300);
    const added = await t.db.selectFrom('messages').select('body').where('id', '>', COUNT).orderBy('id').execute();
    assert.equal(added.length, 300);
    assert.notDeepEqual(added, first);
    const report = await verifyAllChains(t.db);
    assert.equal(report.broken, null);
    assert.equal(report.checked, COUNT + 300);
    // The second load's facts joined the first's, its months summed again over both.
    const figures = await statsService.check(t.db);
    assert.equal(figures.messages, COUNT + 300);
    assert.deepEqual(figures.differences, []);
  });
});

describe('a load into messages whose figures were never built', () => {
  test('falls back to a full recomputation, which builds the earlier messages’ facts too', async () => {
    const s = await createTestDatabase();
    try {
      // Messages without facts and no baseline run, as in a database from before the statistics.
      await generateMessages(s.db, { count: 200, seed: 8, now: NOW, figures: false });
      assert.equal((await s.db.selectFrom('message_facts').select('message_id').execute()).length, 0);
      await generateMessages(s.db, { count: 100, seed: 8, now: NOW });
      const { messages, differences } = await statsService.check(s.db);
      assert.equal(messages, 300);
      assert.deepEqual(differences, []);
    } finally {
      await s.close();
    }
  });
});

describe('a load past the calendar package, on the schedule an admin loaded', () => {
  test("the generator's thread counts handling times on the same working days as the main thread", async () => {
    const year = calendarCoverage().to + 1;
    // Every Wednesday of the year a day off: handling times across one count a day less than on the provisional rule.
    const wednesdays = [];
    for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86400_000) {
      const date = new Date(day);
      if (date.getUTCDay() === 3)
        wednesdays.push({ date: date.toISOString().slice(0, 10), kind: 'holiday' as const, name: '测试' });
    }
    const s = await createTestDatabase();
    try {
      await calendarRepository.replaceYears(s.db, [year], wednesdays, new Date().toISOString());
      await generateMessages(s.db, { count: 600, seed: 5, now: new Date(`${year}-09-15T02:00:00.000Z`) });
      assert.deepEqual((await statsService.check(s.db)).differences, []);
      // The schedule mattered: on the provisional rule alone the same histories give other handling times.
      useOfficialSchedule([]);
      assert.notDeepEqual((await statsService.check(s.db)).differences, []);
    } finally {
      useOfficialSchedule([]);
      await s.close();
    }
  });
});
