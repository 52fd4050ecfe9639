// The statistics made fast: a recomputation gives exactly the figures the upkeep gave (from consistent tables, from
// empty ones, after damage, and while case events are appended), charts and page contents are kept by their data
// within a bound, and figures kept by their months' counters move as soon as a case event moves them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { caseEventsRepository } from '../src/audit/case-events.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { messagesRepository } from '../src/messages/messages.repository.ts';
import { chartMemo, type Series } from '../src/stats/charts.ts';
import { contentMemo, contentMemoStats, frozenDigest } from '../src/stats/content-memo.ts';
import { calendarMemo, zeroCounters } from '../src/stats/message-facts.ts';
import { statsRepository } from '../src/stats/stats.repository.ts';
import { statsService } from '../src/stats/stats.service.ts';
import { workingDaysBetween, chinaDate } from '../src/deadlines/working-days.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const PROVINCE = '130000';
const NOW = new Date('2026-06-15T02:00:00.000Z');
let t: TestDatabase;
let app: FastifyInstance;

/** Every row of the three statistics tables, in key order (rollups and histograms that count nothing left out). */
async function statsTables(): Promise<unknown> {
  const facts = await t.db.selectFrom('message_facts').selectAll().orderBy('message_id').execute();
  const rollups = (await t.db.selectFrom('stats_rollups').selectAll().orderBy('scope').orderBy('month').execute())
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
    .filter((r) => Object.entries(r).some(([k, v]) => k !== 'scope' && k !== 'month' && v !== 0));
  const histograms = (
    await t.db.selectFrom('stats_handling_days').selectAll().orderBy('scope').orderBy('month').orderBy('days').execute()
  )
    .map((h) => ({ ...h, count: Number(h.count) }))
    .filter((h) => h.count !== 0);
  return { facts, rollups, histograms };
}

/** Appends a supervision notice to a message as the scheduler does: under a hold on its row, figures moving with it. */
async function supervise(id: number): Promise<void> {
  await t.db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(await messagesRepository.hold(trx, id));
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'supervise',
      actorId: null,
      fromStatus: m.status,
      toStatus: m.status,
      note: '测试：超过办理时限',
      data: { level: 0 },
      at: new Date().toISOString(),
    });
  });
}

/** Messages that count in the figures and have no supervision notice yet. */
async function notOverdue(limit: number, province?: string): Promise<{ id: number; month: string }[]> {
  let query = t.db
    .selectFrom('message_facts')
    .select(['message_id', 'received_day'])
    .where('overdue', '=', 0)
    .orderBy('message_id')
    .limit(limit);
  if (province) query = query.where('province_code', '=', province);
  return (await query.execute()).map((r) => ({ id: r.message_id, month: r.received_day.slice(0, 7) }));
}

before(async () => {
  t = await createTestDatabase();
  await generateMessages(t.db, { count: 1500, seed: 11, now: NOW });
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  await app.ready();
});
after(async () => {
  await app.close();
  await t.close();
});

describe('recomputation', () => {
  test('over figures that agree it writes nothing and changes nothing', async () => {
    assert.deepEqual((await statsService.check(t.db)).differences, []);
    const before = await statsTables();
    const report = await statsService.recompute(t.db, undefined, 97);
    assert.ok(report.messages >= 1500 && report.facts > 500, JSON.stringify(report));
    assert.equal(report.factsWritten, 0);
    assert.equal(report.monthsRebuilt, 0);
    assert.ok(report.rollups > 1000);
    assert.deepEqual(await statsTables(), before);
  });

  test('from empty tables it gives exactly what the upkeep gave', async () => {
    const before = await statsTables();
    await t.db.deleteFrom('stats_handling_days').execute();
    await t.db.deleteFrom('stats_rollups').execute();
    await t.db.deleteFrom('message_facts').execute();
    const report = await statsService.recompute(t.db, undefined, 256);
    assert.equal(report.factsWritten, report.facts);
    assert.ok(report.monthsRebuilt! >= 12);
    assert.deepEqual(await statsTables(), before);
    assert.deepEqual((await statsService.check(t.db)).differences, []);
  });

  test('after damage to facts, rollups and histograms it puts exactly those right', async () => {
    const before = await statsTables();
    const [a, b] = await t.db
      .selectFrom('message_facts')
      .select(['message_id', 'received_day'])
      .orderBy('message_id', 'desc')
      .limit(2)
      .execute();
    await t.db
      .updateTable('message_facts')
      .set((eb) => ({ resolved: eb(eb.val(1), '-', eb.ref('resolved')) }))
      .where('message_id', '=', a!.message_id)
      .execute();
    await t.db.deleteFrom('message_facts').where('message_id', '=', b!.message_id).execute();
    const month = a!.received_day.slice(0, 7);
    await t.db
      .updateTable('stats_rollups')
      .set((eb) => ({ replied: eb(eb.ref('replied'), '+', 5) }))
      .where('scope', '=', 'p')
      .where('month', '=', month)
      .execute();
    const hist = await t.db.selectFrom('stats_handling_days').selectAll().limit(1).executeTakeFirstOrThrow();
    await t.db
      .deleteFrom('stats_handling_days')
      .where('scope', '=', hist.scope)
      .where('month', '=', hist.month)
      .where('days', '=', hist.days)
      .execute();
    // A rollup for a month without a single message, and one under a key no scope has: summed again to nothing.
    await t.db
      .insertInto('stats_rollups')
      .values([
        { scope: 'b:1100001', month: '2001-01', ...zeroCounters(), received: 3 },
        { scope: 'x:1', month, ...zeroCounters(), replied: 2 },
      ])
      .execute();
    assert.ok((await statsService.check(t.db)).differences.length >= 3);

    const report = await statsService.recompute(t.db);
    assert.equal(report.factsWritten, 2);
    assert.ok(report.monthsRebuilt! >= 2 && report.monthsRebuilt! <= 5, `${report.monthsRebuilt} months rebuilt`);
    assert.deepEqual(await statsTables(), before);
    assert.deepEqual((await statsService.check(t.db)).differences, []);
  });

  test('case events appended during a recomputation are counted exactly once', async () => {
    // Damaged facts make the recomputation write while the events move the same messages.
    const targets = await notOverdue(120);
    await t.db
      .updateTable('message_facts')
      .set((eb) => ({ resolved: eb(eb.val(1), '-', eb.ref('resolved')) }))
      .where(
        'message_id',
        'in',
        targets.map((x) => x.id),
      )
      .execute();
    let done = false;
    const running = statsService.recompute(t.db, undefined, 50).finally(() => (done = true));
    let appended = 0;
    for (const target of targets) {
      if (done && appended >= 10) break;
      await supervise(target.id);
      appended += 1;
    }
    const report = await running;
    assert.ok(report.factsWritten! > 0);
    assert.ok(appended >= 10);
    assert.deepEqual((await statsService.check(t.db)).differences, []);
    const overdue = await t.db
      .selectFrom('message_facts')
      .select('message_id')
      .where(
        'message_id',
        'in',
        targets.slice(0, appended).map((x) => x.id),
      )
      .where('overdue', '=', 1)
      .execute();
    assert.equal(overdue.length, appended);
  });
});

describe('working days kept by their days', () => {
  test('the calendar memo agrees with the calendar for spans across years, backwards and on one day', () => {
    const memo = calendarMemo();
    const base = Date.parse('2023-12-20T16:30:00.000Z');
    for (let i = 0; i < 3000; i++) {
      const from = base + ((i * 7919) % 1200) * 3_600_000 * 7;
      const to = from + (((i * 104729) % 900) - 60) * 3_600_000 * 9;
      const [a, b] = [new Date(from).toISOString(), new Date(to).toISOString()];
      assert.equal(memo.workingDaysBetween(a, b), workingDaysBetween(new Date(a), new Date(b)), `${a} → ${b}`);
      assert.equal(memo.chinaDate(a), chinaDate(new Date(a)));
    }
  });
});

describe('charts kept by their data', () => {
  const series = (values: number[]): Series[] => [{ name: '收到留言', type: 'bar', values }];

  test('the same numbers give the same drawing, drawn once; other numbers another; the memo is bounded', () => {
    const memo = chartMemo(60_000);
    const first = memo.chart(['2026-01', '2026-02'], series([3, 5]));
    assert.match(first, /^data:image\/svg\+xml;base64,/);
    assert.equal(memo.chart(['2026-01', '2026-02'], series([3, 5])), first);
    assert.equal(memo.stats().draws, 1);
    const other = memo.chart(['2026-01', '2026-02'], series([3, 6]));
    assert.notEqual(other, first);
    assert.notEqual(memo.chart(['2026-01', '2026-02'], series([3, 5]), { locale: 'en' }), first, 'per language');
    assert.equal(memo.stats().draws, 3);
    for (let i = 0; i < 12; i++) memo.chart(['2026-01', '2026-02'], series([i, 100 + i]));
    const { entries, bytes, draws } = memo.stats();
    assert.equal(draws, 15);
    assert.ok(bytes <= 60_000, `${bytes} bytes kept`);
    assert.ok(entries < 15, `${entries} drawings kept`);
    // The least recently used went first: the first chart is drawn again.
    assert.match(memo.chart(['2026-01', '2026-02'], series([3, 5])), /^data:image\/svg\+xml;base64,/);
    assert.equal(memo.stats().draws, 16);
  });
});

describe('page contents kept by their data', () => {
  test('the same input renders once, another input again, within the bound', () => {
    const memo = contentMemo(1000);
    let renders = 0;
    const render = (text: string) => () => {
      renders += 1;
      return `<p>${text}</p>`.padEnd(300, ' ');
    };
    const a = memo.get(['page', 'zh-CN', { received: 1 }], render('a'));
    assert.equal(memo.get(['page', 'zh-CN', { received: 1 }], render('a')), a);
    assert.equal(renders, 1);
    assert.notEqual(memo.get(['page', 'zh-CN', { received: 2 }], render('b')), a);
    memo.get(['page', 'en', { received: 1 }], render('c'));
    assert.equal(renders, 3);
    for (let i = 0; i < 5; i++) memo.get(['page', i], render(String(i)));
    assert.ok(memo.stats().chars <= 1000 && memo.stats().entries <= 3);
  });

  test('figures kept once are digested once, by their JSON', () => {
    const figures = { received: 3, replyRate: 0.5, medianDays: null };
    const digest = frozenDigest(figures);
    assert.equal(frozenDigest(figures), digest);
    assert.equal(frozenDigest({ received: 3, replyRate: 0.5, medianDays: null }), digest, 'the same figures');
    assert.notEqual(frozenDigest({ received: 3, replyRate: 0.6, medianDays: null }), digest, 'other figures');
  });
});

describe('figures kept by the counters of their months', () => {
  test('a page drawn twice renders once; a case event moves its month, and the next page shows it', async () => {
    const [target] = await notOverdue(1, PROVINCE);
    assert.ok(target, 'a message of the province not yet overdue');
    const year = target.month.slice(0, 4);
    const url = `/stats/regions/${PROVINCE}?period=${year}`;
    const overdue = (html: string) => {
      const m = /<th scope="row">超期<\/th><td>([\d,]+)<\/td>/.exec(html);
      assert.ok(m, 'the overdue row');
      return Number(m[1]!.replace(/,/g, ''));
    };
    const first = await app.inject({ url, cookies: { sid: 'not-a-session' } });
    assert.equal(first.statusCode, 200);
    const rendered = contentMemoStats().renders;
    const again = await app.inject({ url, cookies: { sid: 'another-visitor' } });
    assert.equal(contentMemoStats().renders, rendered, 'the second visitor gets the kept content');
    const main = (html: string) => html.slice(html.indexOf('<h1'), html.indexOf('</main>'));
    assert.equal(main(again.body), main(first.body));

    const versions = await statsRepository.versions(t.db);
    await supervise(target.id);
    const moved = await statsRepository.versions(t.db);
    assert.equal(moved.get(target.month), (versions.get(target.month) ?? 0) + 1);
    const after = await app.inject({ url, cookies: { sid: 'not-a-session' } });
    assert.equal(contentMemoStats().renders, rendered + 1);
    assert.equal(overdue(after.body), overdue(first.body) + 1);
    const api = await app.inject(`/api/v1/stats?region=${PROVINCE}&period=${year}`);
    assert.equal(api.json<{ figures: { overdue: number } }>().figures.overdue, overdue(after.body));
  });
});
