// The figures in three languages: statistics pages, their charts and downloads, the indicator table, the annual
// evaluation, honours and certificates, and the open-data page, in English and in Hong Kong Traditional Chinese.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { chinaDate } from '../src/deadlines/working-days.ts';
import { DEMO_PASSWORD_DEFAULT } from '../src/demo/demo-seed.ts';
import { dumpToday } from '../src/open-data/open-data.service.ts';
import { chartDataUri } from '../src/stats/charts.ts';
import { parsePeriod } from '../src/stats/periods.ts';
import { statsService } from '../src/stats/stats.service.ts';
import { createDemoApp, EVALUATION_SETTINGS, type TestApp } from './helpers.ts';
import { untranslated } from './untranslated.ts';
import { WebClient } from './web-client.ts';

const YEAR = Number(chinaDate(new Date()).slice(0, 4));
const HEBEI = '130000';
const ADMIN = '19900000001';
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

let t: TestApp;
let ip = 0;

/** A visitor (or, with a phone, a signed-in account) who reads the site in `locale`. */
async function reader(locale: string, phone?: string): Promise<WebClient> {
  const web = new WebClient(t.app, `10.6.0.${++ip}`);
  if (phone) await web.signIn(phone, DEMO_PASSWORD_DEFAULT);
  web.cookies.set('lang', locale);
  return web;
}

async function page(web: WebClient, url: string, status = 200): Promise<string> {
  const res = await web.get(url);
  assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 300)}`);
  return res.body;
}

/** The SVG documents of a page's server-drawn charts. */
function charts(html: string): string[] {
  return [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([^"]+)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString('utf8'),
  );
}

/** The text an SVG shows (its <text> elements). */
const svgText = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

const csvRows = (body: Buffer) => parse(body, { bom: true }) as string[][];

before(async () => {
  t = await createDemoApp();
});
after(() => t.close());

describe('statistics', () => {
  test('the province page in English: Hebei Province, English figure names, Intl numbers, no Chinese', async () => {
    const en = await reader('en');
    const html = await page(en, `/stats/regions/${HEBEI}`);
    assert.match(html, /<html lang="en">/);
    assert.ok(html.includes('<h1>Message handling statistics: Hebei Province</h1>'));
    assert.ok(html.includes('<th scope="row">Reply rate</th>'));
    assert.ok(html.includes('<th scope="row">Median handling time</th>'));
    assert.ok(html.includes('Shijiazhuang City'), 'the cities ranked by their English names');
    const figures = await statsService.figures(
      t.db,
      { kind: 'region', code: HEBEI, level: 'province' },
      parsePeriod({ period: String(YEAR) }),
    );
    assert.ok(figures.received > 0 && figures.replyRate !== null, 'the demo year has messages and a reply rate');
    const row = (label: string) => new RegExp(`<th scope="row">${label}</th><td>([^<]*)</td>`).exec(html)?.[1];
    assert.equal(row('Received'), new Intl.NumberFormat('en').format(figures.received));
    assert.equal(
      row('Reply rate'),
      new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(figures.replyRate!),
    );
    assert.deepEqual(untranslated(html, 'en'), []);

    // Counts of thousands are grouped as English writes them.
    const platform = await page(en, '/stats');
    const boards = await t.db
      .selectFrom('boards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    assert.ok(Number(boards.n) >= 1000);
    assert.ok(
      platform.includes(`<dt>Boards</dt><dd>${new Intl.NumberFormat('en').format(Number(boards.n))}</dd>`),
      'the number of boards, grouped',
    );
    assert.deepEqual(untranslated(platform, 'en'), []);
  });

  test('the province page in Hong Kong Traditional Chinese', async () => {
    const hk = await reader('zh-HK');
    const html = await page(hk, `/stats/regions/${HEBEI}`);
    assert.match(html, /<html lang="zh-HK">/);
    assert.ok(html.includes('<h1>河北省留言辦理統計</h1>'));
    assert.ok(html.includes('<th scope="row">答覆率</th>'));
    assert.ok(html.includes('石家莊市'));
    assert.deepEqual(untranslated(html, 'zh-HK'), []);
  });

  test('the unit and board pages name them in English', async () => {
    const en = await reader('en');
    const unit = await page(en, '/stats/units/130123001');
    assert.ok(unit.includes('<h1>Message handling statistics: Supervision Office of Zhengding County</h1>'));
    assert.deepEqual(untranslated(unit, 'en'), []);
    // A unit named by people keeps its name as written, marked so, on an English page.
    const bureau = await t.db
      .selectFrom('handling_units')
      .select('id')
      .where('name', '=', '正定县住房和城乡建设局')
      .executeTakeFirstOrThrow();
    const named = await page(en, `/stats/units/${bureau.id}`);
    assert.ok(
      named.includes('<h1>Message handling statistics: <span translate="no">正定县住房和城乡建设局</span></h1>'),
    );
    assert.deepEqual(untranslated(named, 'en'), []);
    const board = await page(en, '/stats/boards/1301232');
    assert.ok(board.includes('Zhengding County · County Head'));
    assert.deepEqual(untranslated(board, 'en'), []);
  });

  test("a chart's text follows the page's language, and each language keeps its own drawing", async () => {
    const url = `/stats/regions/${HEBEI}`;
    const [zhTrend, zhRanking] = charts(await page(await reader('zh-CN'), url));
    const [hkTrend, hkRanking] = charts(await page(await reader('zh-HK'), url));
    const [enTrend, enRanking] = charts(await page(await reader('en'), url));
    for (const svg of [zhTrend, zhRanking, hkTrend, hkRanking, enTrend, enRanking]) assert.ok(svg?.includes('<svg'));

    assert.ok(svgText(enTrend!).includes('Received'), 'the legend in English');
    assert.ok(svgText(enTrend!).includes('Reply rate (%)'));
    assert.ok(svgText(enRanking!).includes('Shijiazhuang City'), 'the regions in English');
    for (const text of [...svgText(enTrend!), ...svgText(enRanking!)]) assert.doesNotMatch(text, CJK, text);
    assert.match(enTrend!, /font-family[^>]*Noto Sans'/);

    assert.ok(svgText(hkTrend!).includes('已答覆'), 'the legend in Traditional characters');
    assert.ok(svgText(hkRanking!).includes('石家莊市'));
    assert.ok(svgText(zhTrend!).includes('已答复'));
    assert.ok(svgText(zhRanking!).includes('石家庄市'));
    // 收到留言 is written alike in both scripts: the font still differs, so the drawings are kept apart.
    assert.ok(svgText(zhTrend!).includes('收到留言') && svgText(hkTrend!).includes('收到留言'));
    assert.match(hkTrend!, /Noto Sans CJK HK/);
    assert.doesNotMatch(zhTrend!, /Noto Sans CJK HK/);

    // The same labels in two languages are two drawings: the kept pictures are told apart by language.
    const same = (locale: 'zh-CN' | 'zh-HK') =>
      Buffer.from(
        chartDataUri(['2026-01'], [{ name: '收到留言', type: 'bar', values: [3] }], { locale }).split(',')[1]!,
        'base64',
      ).toString('utf8');
    assert.match(same('zh-CN'), /Noto Sans CJK SC/);
    assert.match(same('zh-HK'), /Noto Sans CJK HK/);
    assert.match(same('zh-CN'), /Noto Sans CJK SC/);
  });

  test('downloads are made per request, in the requester’s language', async () => {
    const en = await reader('en');
    const res = await en.get(`/stats/regions/${HEBEI}?table=ranking&format=csv`);
    assert.equal(res.statusCode, 200);
    const rows = csvRows(res.rawPayload);
    assert.deepEqual(rows[0]!.slice(0, 6), ['Rank', 'Region code', 'Region', 'Received', 'Replied', 'Reply rate (%)']);
    assert.equal(rows[0]!.at(-1), 'Note');
    assert.ok(rows.some((r) => r[2] === 'Shijiazhuang City'));
    for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, CJK, cell);
    assert.match(String(res.headers['content-disposition']), /filename\*=UTF-8''Regions%20ranked%20by%20Reply%20rate/);

    const zh = await (await reader('zh-CN')).get(`/stats/regions/${HEBEI}?table=ranking&format=csv`);
    assert.deepEqual(csvRows(zh.rawPayload)[0]!.slice(0, 3), ['名次', '地区代码', '地区']);
  });

  test('the indicator table and its download in English', async () => {
    const en = await reader('en');
    const html = await page(en, `/stats/indicators?year=${YEAR}&region=${HEBEI}`);
    assert.ok(html.includes(`<h1>Message handling indicators ${YEAR}: Hebei Province</h1>`));
    assert.match(html, /<span>Total<\/span>/);
    assert.deepEqual(untranslated(html, 'en'), []);
    const csv = await en.get(`/stats/indicators?year=${YEAR}&region=${HEBEI}&format=csv`);
    const rows = csvRows(csv.rawPayload);
    assert.deepEqual(rows[0]!.slice(0, 4), ['Region code', 'Region', 'Received', 'To be answered']);
    assert.equal(rows.at(-1)![1], 'Total');
    assert.ok(rows.some((r) => r[1] === 'Hebei Province (own boards)'));
  });

  test('a wrong period is answered in the reader’s language, on the page and by the API', async () => {
    const en = await reader('en');
    const html = await page(en, '/stats?period=20x6', 400);
    assert.ok(html.includes('The period must be YYYY'));
    assert.deepEqual(untranslated(html, 'en'), []);
    const api = await en.get('/api/v1/stats?from=2026-03-01&to=2026-02-01');
    assert.equal(api.statusCode, 400);
    assert.match(api.json().error.message, /The start date cannot be later than the end date/);
    const zh = await (await reader('zh-CN')).get('/api/v1/stats?from=2026-03-01&to=2026-02-01');
    assert.match(zh.json().error.message, /开始日期不能晚于结束日期/);
    const county = await en.get('/stats/indicators?region=130123');
    assert.equal(county.statusCode, 400);
    assert.ok(county.body.includes('Zhengding County is a county-level region'));
  });
});

describe('the annual evaluation, honours and certificates', () => {
  let admin: WebClient;

  test('the admin pages in English, and a form error in English beside its field', async () => {
    admin = await reader('en', ADMIN);
    const index = await page(admin, '/admin/evaluation');
    assert.ok(index.includes('<h1>Annual evaluation of message handling</h1>'));
    assert.deepEqual(untranslated(index, 'en'), []);
    await page(admin, `/admin/evaluation/${YEAR}`);
    const wrong = await admin.post(`/admin/evaluation/${YEAR}/config`, {
      ...EVALUATION_SETTINGS,
      weight_volume: '11',
      topUnits: 'x',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(
      wrong.body,
      /id="f-topUnits-error" role="alert">Outstanding units per level \(N\): a whole number from 0 to 100/,
    );
    assert.deepEqual(untranslated(wrong.body, 'en'), []);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/config`, EVALUATION_SETTINGS)).statusCode, 303);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/run`, {})).statusCode, 303);
    const run = await page(admin, `/admin/evaluation/${YEAR}?done=run`);
    assert.ok(run.includes('The evaluation has run'));
    assert.ok(run.includes('Supervision Office of Zhengding County'));
    assert.deepEqual(untranslated(run, 'en'), []);
    const confirmEarly = await admin.post(`/admin/evaluation/${YEAR}/publish`, {});
    assert.match(confirmEarly.body, /The lists are not confirmed/);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/confirm`, {})).statusCode, 303);
    assert.equal((await admin.post(`/admin/evaluation/${YEAR}/publish`, {})).statusCode, 303);
  });

  test('the honours pages in English: English headings and unit names, people’s names as written', async () => {
    const en = await reader('en');
    const index = await page(en, '/honours');
    assert.ok(index.includes('<h1>Honours</h1>'));
    assert.ok(index.includes('Outstanding units ('));
    assert.ok(index.includes('View the certificate'));
    assert.ok(index.includes('<td>Supervision Office of Zhengding County</td>'));
    const workers = await t.db
      .selectFrom('evaluation_awards as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select('u.nickname')
      .where('a.year', '=', YEAR)
      .where('a.kind', '=', 'worker')
      .execute();
    assert.ok(workers.length > 0);
    for (const w of workers) assert.ok(index.includes(`<td translate="no">${w.nickname}</td>`), w.nickname);
    assert.deepEqual(untranslated(index, 'en'), []);

    const year = await page(en, `/honours/${YEAR}`);
    assert.ok(year.includes(`Outstanding units and workers in handling messages, ${YEAR}`));
    assert.ok(year.includes('How the composite score is computed'));
    assert.ok(year.includes('Composite score = Reply rate × 25'));
    assert.deepEqual(untranslated(year, 'en'), []);
    const results = await page(en, `/honours/${YEAR}/results`);
    assert.ok(results.includes(`<h1>Evaluation results ${YEAR}</h1>`));
    assert.deepEqual(untranslated(results, 'en'), []);

    const hk = await page(await reader('zh-HK'), `/honours/${YEAR}`);
    assert.ok(hk.includes('先進單位'));
    assert.deepEqual(untranslated(hk, 'zh-HK'), []);
  });

  test('a certificate reads as an English certificate, the names on it as written', async () => {
    const award = await t.db
      .selectFrom('evaluation_awards as a')
      .innerJoin('handling_units as h', 'h.id', 'a.unit_id')
      .select(['a.id', 'h.name'])
      .where('a.year', '=', YEAR)
      .where('h.name', '=', '正定县委县政府督查室')
      .executeTakeFirstOrThrow();
    const html = await page(await reader('en'), `/honours/${YEAR}/certificates/${award.id}`);
    assert.ok(html.includes('<h1>Certificate of Honour</h1>'));
    assert.ok(html.includes('<p class="recipient" translate="no">Supervision Office of Zhengding County</p>'));
    assert.ok(html.includes(`<p class="honour">Outstanding Unit in Handling Online Messages ${YEAR}</p>`));
    assert.match(
      html,
      new RegExp(
        `<span>\\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) ${YEAR}</span>`,
      ),
    );
    assert.ok(
      html.includes('<span translate="no">河北省网民留言办理工作领导小组办公室</span>'),
      'the issuer as written',
    );
    assert.deepEqual(untranslated(html, 'en'), []);
  });

  test('evaluation downloads have their headings in the requester’s language', async () => {
    const en = await reader('en');
    const units = await en.get(`/honours/${YEAR}?list=units&format=csv`);
    assert.equal(units.statusCode, 200);
    const rows = csvRows(units.rawPayload);
    assert.deepEqual(rows[0], [
      'Honour',
      'Level',
      'Unit',
      'Rank',
      'Received',
      'Replied',
      'Reply rate (%)',
      'On-time rate (%)',
      'Satisfaction (%)',
      'Ratings',
      'Resolved',
      'Resolution rate (%)',
      'Volume (%)',
      'Composite score',
      'Note',
    ]);
    assert.ok(rows.slice(1).every((r) => r[0] === 'Outstanding unit'));
    assert.ok(rows.some((r) => r[2] === 'Supervision Office of Zhengding County' && r[1] === 'County'));

    const workbook = new ExcelJS.Workbook();
    const xlsx = await admin.get(`/admin/evaluation/${YEAR}/workers?format=xlsx`);
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const header = (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(header, ['Rank', 'Name', 'Unit', 'Published replies', 'Ratings', 'Satisfaction (%)', 'Note']);
    assert.equal(workbook.worksheets[0]!.name, `Replies by staff member ${YEAR}`);

    const hk = await (await reader('zh-HK')).get(`/honours/${YEAR}?list=units&format=csv`);
    assert.deepEqual(csvRows(hk.rawPayload)[0]!.slice(0, 4), ['稱號', '層級', '單位', '排名']);
    const zh = await new WebClient(t.app, '10.6.1.1').get(`/honours/${YEAR}?list=units&format=csv`);
    assert.deepEqual(csvRows(zh.rawPayload)[0]!.slice(0, 4), ['称号', '层级', '单位', '排名']);
  });
});

describe('open data', () => {
  test('the files are the same for everyone; the page is their data dictionary in the reader’s language', async () => {
    const { dir } = await dumpToday(t.db, t.config);
    const en = await reader('en');
    const html = await page(en, '/open-data');
    assert.ok(html.includes('<h1>Open data</h1>'));
    assert.match(
      html,
      /<th scope="row"><code>message_id<\/code><\/th><td><code>Whole number<\/code><\/td><td>Message number/,
    );
    assert.ok(html.includes('The tables below describe every column in English.'));
    assert.deepEqual(untranslated(html, 'en'), []);
    const hk = await page(await reader('zh-HK'), '/open-data');
    assert.deepEqual(untranslated(hk, 'zh-HK'), []);

    // One file for every language: ASCII column names, Chinese values as stored, schema.json in Chinese.
    const file = await en.get('/open-data/latest/messages.csv');
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, readFileSync(join(dir, 'messages.csv')));
    const header = csvRows(file.rawPayload)[0]!;
    for (const column of header) assert.match(column, /^[a-z_]+$/);
    const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')) as {
      files: { columns: { description: string }[] }[];
    };
    assert.match(schema.files[0]!.columns[0]!.description, /^留言编号/);
  });
});
