// Published figures: every figure on a province page equals an independent computation from the raw tables,
// incremental upkeep agrees with a full recomputation, downloads read back, and bad input gets Chinese errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import chineseDays from 'chinese-days';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { AttachmentStore } from '../src/attachments/attachment-store.ts';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { seedDemo } from '../src/demo/demo-seed.ts';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { FIGURES, formatFigure, type FigureKey } from '../src/stats/figures.ts';
import { statsService } from '../src/stats/stats.service.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { approveMessage } from '../src/messages/review.ts';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';

const PASSWORD = 'Stats-Test-Pass-2026!';
const PROVINCE = '130000'; // the demo's province (河北省)
const BULK_NOW = new Date('2026-06-15T02:00:00.000Z');
let t: TestDatabase;
let app: FastifyInstance;
let demoYear: string;

const chinaDay = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/** Working days after the China day of `from` up to and including that of `to`, by the calendar package itself. */
function workingDays(fromIso: string, toIso: string): number {
  const last = chinaDay(toIso);
  let n = 0;
  const d = new Date(`${chinaDay(fromIso)}T00:00:00Z`);
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.toISOString().slice(0, 10);
    if (day > last) return n;
    if (chineseDays.isWorkday(day)) n += 1;
  }
}

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

/** The figures computed straight from messages, replies, ratings, supervisions and case events. */
async function independentFigures(province: string | null, from: string, to: string) {
  const regions = await t.db.selectFrom('regions').select(['code', 'parent_code']).execute();
  const parent = new Map(regions.map((r) => [r.code, r.parent_code]));
  const inScope = (code: string) => {
    if (province === null) return true;
    for (let c: string | null | undefined = code; c; c = parent.get(c)) if (c === province) return true;
    return false;
  };
  const messages = (
    await t.db
      .selectFrom('messages')
      .select(['id', 'region_code', 'type', 'approved_at', 'handle_due_at', 'follow_ups'])
      .where('approved_at', 'is not', null)
      .execute()
  ).filter((m) => inScope(m.region_code) && chinaDay(m.approved_at!) >= from && chinaDay(m.approved_at!) <= to);
  const ids = new Set(messages.map((m) => m.id));
  const replies = (await t.db.selectFrom('replies').selectAll().orderBy('id').execute()).filter((r) =>
    ids.has(r.message_id),
  );
  const ratings = (await t.db.selectFrom('ratings').selectAll().orderBy('id').execute()).filter((r) =>
    ids.has(r.message_id),
  );
  // 超期 counts notices for a missed deadline; a 督办 a supervisor issued by hand is not one.
  const supervised = new Set(
    (await t.db.selectFrom('supervisions').select('message_id').where('deadline', '!=', 'manual').execute()).map(
      (s) => s.message_id,
    ),
  );
  const events = (
    await t.db
      .selectFrom('case_events')
      .select(['message_id', 'kind', 'data', 'created_at'])
      .orderBy('message_id')
      .orderBy('seq')
      .execute()
  ).filter((e) => ids.has(e.message_id));
  const returned = new Set(events.filter((e) => e.kind === 'return').map((e) => e.message_id));

  let replied = 0;
  let onTime = 0;
  let resolved = 0;
  let signed = 0;
  const days: number[] = [];
  const lastRating = new Map<number, { resolution: number; timeliness: number; attitude: number }>();
  for (const r of ratings) lastRating.set(r.message_id, r);
  for (const m of messages) {
    const published = replies
      .filter((r) => r.message_id === m.id && r.published_at)
      .sort((a, b) => a.published_at!.localeCompare(b.published_at!));
    if (replies.some((r) => r.message_id === m.id && r.signer_id !== null)) signed += 1;
    if (published.length === 0) continue;
    replied += 1;
    const first = published[0]!;
    if (published[published.length - 1]!.resolved) resolved += 1;
    // Without a follow-up the message's own deadline is the one the first reply was due by.
    let due = m.handle_due_at;
    if (m.follow_ups > 0) {
      due = null;
      for (const e of events.filter((x) => x.message_id === m.id && x.created_at <= first.published_at!)) {
        const data = JSON.parse(e.data) as { handleDueAt?: string };
        if (data.handleDueAt && e.kind !== 'follow-up') due = data.handleDueAt;
      }
    }
    if (due === null || Date.parse(first.published_at!) <= Date.parse(due)) onTime += 1;
    days.push(workingDays(m.approved_at!, first.published_at!));
  }
  const received = messages.length;
  const expected = messages.filter((m) => m.type !== 'thanks').length;
  const rated = [...lastRating.values()];
  const pct = (pick: (r: { resolution: number; timeliness: number; attitude: number }) => number) =>
    rated.length >= 5 ? (rated.reduce((s, r) => s + (pick(r) - 1) / 4, 0) / rated.length) * 100 : null;
  const rate = (a: number, b: number) => (b >= 5 ? a / b : null);
  const reopened = messages.filter((m) => m.follow_ups > 0).length;
  return {
    received,
    expected,
    replied,
    replyRate: rate(replied, expected),
    onTime,
    onTimeRate: rate(onTime, replied),
    medianDays: nearestRank(days, 0.5),
    p90Days: nearestRank(days, 0.9),
    ratings: rated.length,
    satisfaction:
      rated.length >= 5
        ? rated.reduce(
            (s, r) => s + (((r.resolution - 1) / 4) * 50 + ((r.timeliness - 1) / 4) * 25 + ((r.attitude - 1) / 4) * 25),
            0,
          ) / rated.length
        : null,
    satisfactionResolution: pct((r) => r.resolution),
    satisfactionTimeliness: pct((r) => r.timeliness),
    satisfactionAttitude: pct((r) => r.attitude),
    resolved,
    overdue: messages.filter((m) => supervised.has(m.id)).length,
    returned: messages.filter((m) => returned.has(m.id)).length,
    reopened,
    reopenedRate: rate(reopened, replied),
    signed,
  } satisfies Record<FigureKey, number | null>;
}

function assertFiguresEqual(
  actual: Record<string, number | null>,
  expected: Record<string, number | null>,
  what: string,
) {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (want === null || got === null) assert.equal(got, want, `${what}: ${key}`);
    else assert.ok(Math.abs(got! - want) < 1e-4, `${what}: ${key} = ${got}, expected ${want}`);
  }
}

interface StatsBody {
  scope: { name: string };
  period: { from: string; to: string };
  weights: Record<string, number>;
  figures: Record<string, number | null> & Record<'received' | 'replied' | 'resolved', number>;
  items: {
    rank: number | null;
    code: string;
    name: string;
    figures: Record<string, number | null> & { received: number };
  }[];
}

async function api(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<StatsBody>() };
}

before(async () => {
  t = await createTestDatabase();
  // Two years of generated messages (every status, ratings, supervision) and the demo driven through the workflow.
  await generateMessages(t.db, { count: 3000, seed: 7, now: BULK_NOW });
  await seedDemo(
    t.db,
    {
      secret: t.config.secret,
      store: new AttachmentStore(join(t.config.dataDir, 'attachments')),
      sensitiveWords: new SensitiveWords(loadSensitiveWords(t.config.sensitiveWordsFile)),
    },
    { password: PASSWORD },
  );
  demoYear = chinaDay(new Date().toISOString()).slice(0, 4);
  app = await buildApp({ config: t.config, db: t.db, logger: false });
  await app.ready();
});
after(async () => {
  await app.close();
  await t.close();
});

describe('the province page', () => {
  test('every figure equals an independent computation, for the year, a quarter and a range of days', async () => {
    for (const [query, from, to] of [
      [`period=${demoYear}`, `${demoYear}-01-01`, `${demoYear}-12-31`],
      ['period=2025', '2025-01-01', '2025-12-31'],
      ['period=2026-Q2', '2026-04-01', '2026-06-30'],
      ['from=2025-03-17&to=2026-02-03', '2025-03-17', '2026-02-03'],
    ] as const) {
      const expected = await independentFigures(PROVINCE, from, to);
      assert.ok(expected.received >= 10, `enough messages in ${query}`);
      const { status, body } = await api(`/api/v1/stats?region=${PROVINCE}&${query}`);
      assert.equal(status, 200);
      assert.equal(body.scope.name, '河北省');
      assert.deepEqual([body.period.from, body.period.to], [from, to]);
      assertFiguresEqual(body.figures, expected, query);
    }
  });

  test('ranges inside one month and across partial months agree too (platform)', async () => {
    for (const [from, to] of [
      ['2025-06-03', '2025-06-21'],
      ['2025-06-20', '2025-07-09'],
      ['2025-01-01', '2025-02-14'],
    ] as const) {
      const expected = await independentFigures(null, from, to);
      assert.ok(expected.received >= 10, `enough messages in ${from}–${to}`);
      const { body } = await api(`/api/v1/stats?from=${from}&to=${to}`);
      assertFiguresEqual(body.figures, expected, `${from}–${to}`);
    }
  });

  test('the page prints the same figures, each with its formula, and a chart with a table of its numbers', async () => {
    const expected = await independentFigures(PROVINCE, `${demoYear}-01-01`, `${demoYear}-12-31`);
    const res = await app.inject(`/stats/regions/${PROVINCE}?period=${demoYear}`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const table = html.slice(html.indexOf('id="figures"'), html.indexOf('</table>', html.indexOf('id="figures"')));
    for (const key of Object.keys(FIGURES) as FigureKey[]) {
      const row = new RegExp(`<th scope="row">${FIGURES[key].label}</th><td>([^<]*)</td>`).exec(table);
      assert.ok(row, `row for ${key}`);
      assert.equal(row[1], formatFigure(key, expected[key]).replace(/&/g, '&amp;'), key);
    }
    assert.ok(html.includes('<img src="data:image/svg+xml;base64,'), 'a server-drawn chart');
    assert.ok(html.includes('id="months"'), 'the chart numbers as a table');
    assert.ok(html.includes('怎么算'), 'formulas');
  });

  test('cities within the province are ranked, with "样本不足" where the sample is too small', async () => {
    const { body } = await api(`/api/v1/stats/rankings?region=${PROVINCE}&period=2025&by=replyRate`);
    assert.ok(body.items.length >= 11);
    for (const item of body.items.slice(0, 4)) {
      const expected = await independentFigures(item.code, '2025-01-01', '2025-12-31');
      assertFiguresEqual(item.figures, expected, item.name);
    }
    const ranked = body.items.filter((i) => i.rank !== null);
    for (let i = 1; i < ranked.length; i++)
      assert.ok(ranked[i - 1]!.figures.replyRate! >= ranked[i]!.figures.replyRate!, 'best first');
    for (const item of body.items.filter((i) => i.rank === null)) assert.equal(item.figures.replyRate, null);
    const small = await app.inject(`/stats/regions/${PROVINCE}?period=2024-02`);
    assert.ok(small.body.includes('样本不足'));
  });

  test('provinces are ranked on the platform page, which shows the platform totals', async () => {
    const { body } = await api('/api/v1/stats/rankings?period=2025&by=received');
    assert.equal(body.items.length, 33);
    assert.ok(body.items[0]!.figures.received >= body.items[1]!.figures.received);
    const res = await app.inject('/stats');
    assert.equal(res.statusCode, 200);
    const all = await independentFigures(null, '2000-01-01', '2100-12-31');
    assert.ok(res.body.includes(`<dt>累计收到留言</dt><dd>${all.received.toLocaleString('zh-CN')}</dd>`));
    assert.ok(res.body.includes(`<dt>累计解决问题</dt><dd>${all.resolved.toLocaleString('zh-CN')}</dd>`));
  });
});

describe('in English', () => {
  test("the statistics pages speak the visitor's language, with the same numbers", async () => {
    const zh = await app.inject(`/stats/regions/${PROVINCE}?period=2024-02`);
    const en = await app.inject({ url: `/stats/regions/${PROVINCE}?period=2024-02`, cookies: { lang: 'en' } });
    assert.equal(en.statusCode, 200);
    assert.ok(en.body.includes('<h1>Message handling statistics: Hebei Province</h1>'));
    assert.ok(en.body.includes('<th scope="row">Reply rate</th>'));
    assert.ok(en.body.includes('Replied ÷ to be answered.'));
    assert.ok(en.body.includes('too few'), 'a small sample says so in English');
    assert.ok(!en.body.includes('样本不足'));
    const numbers = (html: string) => [...html.matchAll(/<td>([\d.,%]+)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(numbers(en.body), numbers(zh.body));
    const platform = await app.inject({ url: '/stats?period=2025', cookies: { lang: 'en' } });
    assert.ok(platform.body.includes('Message handling statistics: the whole platform'));
    assert.ok(platform.body.includes('<option value="2025-Q3">Q3 2025</option>'));
  });
});

describe('upkeep', () => {
  test('incremental upkeep agrees with a full recomputation, which changes nothing', async () => {
    assert.deepEqual((await statsService.check(t.db)).differences, []);
    const before = await api(`/api/v1/stats?region=${PROVINCE}&period=2025`);
    const report = await statsService.recompute(t.db);
    assert.ok(report.messages > 3000 && report.facts > 1000);
    assert.deepEqual((await api(`/api/v1/stats?region=${PROVINCE}&period=2025`)).body, before.body);
    assert.deepEqual((await statsService.check(t.db)).differences, []);
  });

  test('a changed rollup is caught by the check and put right by a recomputation', async () => {
    await t.db.updateTable('stats_rollups').set({ replied: 999 }).where('scope', '=', `r:${PROVINCE}`).execute();
    const { differences } = await statsService.check(t.db);
    assert.ok(differences.some((d) => d.includes(`r:${PROVINCE}`)));
    await statsService.recompute(t.db);
    assert.deepEqual((await statsService.check(t.db)).differences, []);
  });
});

describe('figures move with the workflow', () => {
  test('approving, accepting and replying to a message changes the figures at once, in every scope', async () => {
    const message = await t.db
      .selectFrom('messages')
      .select(['id', 'region_code', 'board_id'])
      .where('status', '=', 'submitted')
      .where('region_code', 'like', '13%')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const period = `period=${demoYear}`;
    const scopes = [`region=${PROVINCE}`, `region=${message.region_code}`, `board=${message.board_id}`, ''];
    const before = await Promise.all(scopes.map((q) => api(`/api/v1/stats?${q}&${period}`)));
    const editorId = (
      await t.db.selectFrom('users').select('id').where('phone', '=', '19900000002').executeTakeFirstOrThrow()
    ).id;
    await approveMessage(t.db, (await loadCurrentUser(t.db, editorId))!, message.id);
    const afterApproval = await Promise.all(scopes.map((q) => api(`/api/v1/stats?${q}&${period}`)));
    scopes.forEach((q, i) => {
      assert.equal(afterApproval[i]!.body.figures.received, before[i]!.body.figures.received + 1, q);
      assert.equal(afterApproval[i]!.body.figures.replied, before[i]!.body.figures.replied, q);
    });
    const expected = await independentFigures(PROVINCE, `${demoYear}-01-01`, `${demoYear}-12-31`);
    assertFiguresEqual(afterApproval[0]!.body.figures, expected, 'after approval');
    assert.deepEqual((await statsService.check(t.db)).differences, []);
  });
});

describe('satisfaction weights', () => {
  test('an admin changes the published weights; a wrong sum is refused beside the field; others may not', async () => {
    const web = new WebClient(app, '10.9.0.1');
    await web.get('/login');
    assert.equal((await web.post('/login', { phone: '19900000001', password: PASSWORD })).statusCode, 303);
    const page = await web.get('/admin/settings');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('满意度权重'));

    const wrong = await web.post('/admin/settings/weights', { resolution: '60', timeliness: '30', attitude: '30' });
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.body.includes('三项权重之和应为 100'));
    assert.ok(wrong.body.includes('value="60"'), 'what was typed is kept');
    assert.deepEqual(await statsService.weights(t.db), { resolution: 50, timeliness: 25, attitude: 25 });

    const before = await api(`/api/v1/stats?region=${PROVINCE}&period=2025`);
    const ok = await web.post('/admin/settings/weights', { resolution: '40', timeliness: '30', attitude: '30' });
    assert.equal(ok.statusCode, 303);
    const after = await api(`/api/v1/stats?region=${PROVINCE}&period=2025`);
    assert.deepEqual(after.body.weights, { resolution: 40, timeliness: 30, attitude: 30 });
    const f = before.body.figures;
    const want = (f.satisfactionResolution! * 40 + f.satisfactionTimeliness! * 30 + f.satisfactionAttitude! * 30) / 100;
    assert.ok(Math.abs(after.body.figures.satisfaction! - want) < 1e-3);
    const log = await t.db.selectFrom('admin_log').select('detail').where('action', '=', 'settings.change').execute();
    assert.ok(log.some((l) => l.detail.includes('satisfactionWeights')));
    await statsService.setWeights(t.db, { resolution: 50, timeliness: 25, attitude: 25 });

    const editor = new WebClient(app, '10.9.0.2');
    await editor.get('/login');
    await editor.post('/login', { phone: '19900000002', password: PASSWORD });
    const refused = await editor.post('/admin/settings/weights', { resolution: '100', timeliness: '0', attitude: '0' });
    assert.equal(refused.statusCode, 403);
    const forged = await web.post(
      '/admin/settings/weights',
      { resolution: '100', timeliness: '0', attitude: '0' },
      { csrf: false },
    );
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await statsService.weights(t.db), { resolution: 50, timeliness: 25, attitude: 25 });
  });
});

describe('downloads', () => {
  test('CSV has a byte-order mark and Chinese headers; XLSX reads back with the same rows', async () => {
    const csv = await app.inject(`/stats/regions/${PROVINCE}?period=2025&table=ranking&format=csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /filename\*=UTF-8''/);
    assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trim().split(/\r?\n/);
    assert.ok(lines[0]!.startsWith('名次,地区代码,地区,收到留言,已答复,答复率（%）'));

    const xlsx = await app.inject(`/stats/regions/${PROVINCE}?period=2025&table=ranking&format=xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(header.slice(0, 5), ['名次', '地区代码', '地区', '收到留言', '已答复']);
    const { body } = await api(`/api/v1/stats/rankings?region=${PROVINCE}&period=2025`);
    assert.equal(sheet.rowCount, body.items.length + 1);
    const second = (sheet.getRow(2).values as unknown[]).slice(1);
    assert.equal(second[1], body.items[0]!.code);
    assert.equal(second[3], body.items[0]!.figures.received);
    assert.equal(lines.length, body.items.length + 1);
  });

  test('the figures, months and units tables download too', async () => {
    for (const table of ['figures', 'months', 'units']) {
      const res = await app.inject(`/stats/regions/${PROVINCE}?period=2025&table=${table}&format=csv`);
      assert.equal(res.statusCode, 200, table);
    }
  });
});

describe('bad input', () => {
  test('the API answers with a coded Chinese error', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/stats?period=2026-13', 400, '统计期'],
      ['/api/v1/stats?from=2026-02-30&to=2026-03-01', 400, '开始日期'],
      ['/api/v1/stats?from=2026-03-01&to=2026-02-01', 400, '不能晚于'],
      ['/api/v1/stats?from=2026-03-01', 400, '结束日期'],
      ['/api/v1/stats?region=130000&unit=1', 400, '只能选一个'],
      ['/api/v1/stats?region=999999', 404, ''],
      ['/api/v1/stats?unit=abc', 400, '编号'],
      ['/api/v1/stats/rankings?by=nothing', 400, '排名指标'],
    ];
    for (const [url, status, text] of cases) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, status, url);
      const body = res.json() as { error: { code: string; message: string } };
      assert.ok(body.error.code, url);
      assert.ok(body.error.message.includes(text), `${url}: ${body.error.message}`);
    }
  });

  test("the page shows the error beside the period and this year's figures, never an error page", async () => {
    const res = await app.inject('/stats?period=20x6');
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('全平台留言办理统计'));
    assert.ok(res.body.includes('统计期应为'));
    const bad = await app.inject(`/stats/regions/${PROVINCE}?table=ranking&format=pdf`);
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes('csv 或 xlsx'));
    const table = await app.inject(`/stats/regions/${PROVINCE}?table=nothing&format=csv`);
    assert.equal(table.statusCode, 400);
  });
});
