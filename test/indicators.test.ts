// The yearly indicator table per region: downloaded as XLSX and CSV and read back, its rows equal the API's figures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { generateMessages } from '../src/demo/bulk-messages.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const HEADERS = [
  '地区代码',
  '地区',
  '收到留言',
  '应答复',
  '已答复',
  '答复率（%）',
  '按时答复率（%）',
  '办理用时中位数（工作日）',
  '90%留言办理用时（工作日）',
  '满意度（%）',
  '解决程度满意度（%）',
  '办理时间满意度（%）',
  '办理态度满意度（%）',
  '评价条数',
  '已解决',
  '超期',
  '退回',
  '追问',
  '领导签发',
  '说明',
];
/** Each column after 地区代码 and 地区, with the API figure it shows and how. */
const FIGURE_OF: [string, string, 'count' | 'rate' | 'percent' | 'days'][] = [
  ['收到留言', 'received', 'count'],
  ['应答复', 'expected', 'count'],
  ['已答复', 'replied', 'count'],
  ['答复率（%）', 'replyRate', 'rate'],
  ['按时答复率（%）', 'onTimeRate', 'rate'],
  ['办理用时中位数（工作日）', 'medianDays', 'days'],
  ['90%留言办理用时（工作日）', 'p90Days', 'days'],
  ['满意度（%）', 'satisfaction', 'percent'],
  ['解决程度满意度（%）', 'satisfactionResolution', 'percent'],
  ['办理时间满意度（%）', 'satisfactionTimeliness', 'percent'],
  ['办理态度满意度（%）', 'satisfactionAttitude', 'percent'],
  ['评价条数', 'ratings', 'count'],
  ['已解决', 'resolved', 'count'],
  ['超期', 'overdue', 'count'],
  ['退回', 'returned', 'count'],
  ['追问', 'reopened', 'count'],
  ['领导签发', 'signed', 'count'],
];
const COUNTS = FIGURE_OF.filter(([, , kind]) => kind === 'count').map(([label]) => label);

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await generateMessages(t.db, { count: 2000, now: new Date('2026-06-30T04:00:00Z') });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
type Row = Record<string, string | number>;

async function readXlsx(body: Buffer): Promise<{ headers: string[]; rows: Row[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as (string | undefined)[]).slice(1).map(String);
  const rows: Row[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as (string | number | null)[]).slice(1);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? ''])) as Row);
  });
  return { headers, rows };
}

async function apiFigures(query: string): Promise<Record<string, number | null>> {
  const res = await get(`/api/v1/stats?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().figures;
}

function assertRowMatches(row: Row, figures: Record<string, number | null>, label: string) {
  for (const [column, key, kind] of FIGURE_OF) {
    const cell = row[column];
    const value = figures[key]!;
    if (value === null) {
      // Numeric columns hold numbers only: the cell is empty, and the note column says the sample was too small.
      assert.equal(cell, '', `${label} ${column}`);
      if (kind !== 'days') assert.match(String(row['说明']), /^样本不足：/, `${label} ${column}`);
    } else if (kind === 'rate' || kind === 'percent') {
      const expected = kind === 'rate' ? value * 100 : value;
      assert.equal(typeof cell, 'number', `${label} ${column} is a number`);
      // One decimal, from a value the API gives to 4 decimals.
      assert.ok(Math.abs((cell as number) - expected) <= 0.0501, `${label} ${column}: ${cell} vs ${expected}`);
      assert.equal(cell, Number((cell as number).toFixed(1)));
    } else {
      assert.equal(cell, value, `${label} ${column}`);
    }
  }
}

function assertCountsAddUp(rows: Row[], label: string) {
  const total = rows.at(-1)!;
  for (const column of COUNTS) {
    const sum = rows.slice(0, -1).reduce((n, r) => n + Number(r[column]), 0);
    assert.equal(sum, total[column], `${label}: ${column} of the rows adds up to 合计`);
  }
}

describe('the yearly indicator table', () => {
  test('the same table as JSON, with the API figures; bad input is a JSON error in Chinese', async () => {
    const res = await get('/api/v1/stats/indicators?year=2025&region=130000');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      region: { code: string };
      rows: { code: string; kind: string; figures: Record<string, number | null> }[];
    };
    assert.equal(body.region.code, '130000');
    assert.equal(body.rows.at(-1)!.kind, 'total');
    assert.deepEqual(body.rows.at(-1)!.figures, await apiFigures('region=130000&period=2025'));
    const city = body.rows.find((r) => r.kind === 'child')!;
    assert.deepEqual(city.figures, await apiFigures(`region=${city.code}&period=2025`));
    const bad = await get('/api/v1/stats/indicators?year=abc');
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /application\/json/);
    assert.equal(bad.json().error.code, 'VALIDATION');
    assert.match(bad.json().error.message, /年份应为/);
    const missing = await get('/api/v1/stats/indicators?region=999999');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'REGION_NOT_FOUND');
  });

  test('XLSX for all provinces: Chinese headers, one row per province and 合计, equal to the API', async () => {
    const res = await get('/stats/indicators?year=2025&format=xlsx');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.match(String(res.headers['content-disposition']), /filename\*=UTF-8''2025/);
    const { headers, rows } = await readXlsx(res.rawPayload);
    assert.deepEqual(headers, HEADERS);
    const provinces = await t.db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('parent_code', 'is', null)
      .execute();
    assert.equal(rows.length, provinces.length + 1);
    assert.deepEqual(
      rows.slice(0, -1).map((r) => r['地区']),
      provinces.sort((a, b) => a.code.localeCompare(b.code)).map((p) => p.name),
    );
    assert.equal(rows.at(-1)!['地区'], '合计');
    for (const row of rows.slice(0, -1))
      assertRowMatches(row, await apiFigures(`region=${row['地区代码']}&period=2025`), String(row['地区']));
    assertRowMatches(rows.at(-1)!, await apiFigures('period=2025'), '合计');
    assertCountsAddUp(rows, '各省');
    assert.ok(Number(rows.at(-1)!['收到留言']) > 500);
    assert.ok(rows.some((r) => typeof r['答复率（%）'] === 'number' && typeof r['满意度（%）'] === 'number'));
  });

  test('CSV for one province: BOM, Chinese headers, a row per city (and 本级), the same values as the API', async () => {
    const busiest = await t.db
      .selectFrom('message_facts')
      .select(['province_code', (eb) => eb.fn.countAll().as('n')])
      .where('received_day', '>=', '2025-01-01')
      .where('received_day', '<=', '2025-12-31')
      .groupBy('province_code')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const province = busiest.province_code;
    const res = await get(`/stats/indicators?year=2025&region=${province}&format=csv`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /text\/csv; charset=utf-8/);
    const body = res.rawPayload;
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(body.toString('utf8').slice(1).split(/\r?\n/)[0], HEADERS.join(','));
    const rows = (parse(body, { bom: true, columns: true }) as Record<string, string>[]).map(
      (r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, /^-?\d+(\.\d+)?$/.test(v) && k !== '地区代码' ? Number(v) : v]),
        ) as Row,
    );
    const children = await t.db.selectFrom('regions').select('code').where('parent_code', '=', province).execute();
    const own = rows.filter((r) => String(r['地区']).endsWith('本级'));
    assert.equal(own.length, 1, "the province's own boards have messages: a 本级 row");
    assert.equal(own[0]!['地区代码'], province);
    assert.equal(rows.length, children.length + own.length + 1);
    for (const row of rows.slice(0, children.length))
      assertRowMatches(row, await apiFigures(`region=${row['地区代码']}&period=2025`), String(row['地区']));
    assertRowMatches(rows.at(-1)!, await apiFigures(`region=${province}&period=2025`), '合计');
    assertCountsAddUp(rows, province);
  });

  test('the preview page shows the table, the download links and the formulas', async () => {
    const res = await get('/stats/indicators?year=2025');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /2025年各省网民留言办理指标/);
    assert.match(res.body, /href="\/stats\/indicators\?year=2025&(amp;)?region=&(amp;)?format=xlsx"/);
    assert.match(res.body, /href="\/stats\/indicators\?year=2025&(amp;)?region=&(amp;)?format=csv"/);
    for (const h of ['答复率（%）', '领导签发', '合计', '指标说明', '样本不足']) assert.ok(res.body.includes(h), h);
    const hebei = await get('/stats/indicators?year=2025&region=130000');
    assert.equal(hebei.statusCode, 200);
    assert.match(hebei.body, /石家庄市/);
  });

  test('bad input is answered with a clear Chinese message, never a crash', async () => {
    const county = await t.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'county')
      .executeTakeFirstOrThrow();
    const cases: [string, number, RegExp][] = [
      ['year=abc', 400, /年份应为/],
      ['year=1999', 400, /年份应为/],
      ['year=20255', 400, /请求参数有误/],
      ['region=12', 400, /地区代码应为 6 位数字/],
      ['region=999999', 404, /没有代码为 999999 的地区/],
      [`region=${county.code}`, 400, /县级地区/],
      ['format=pdf', 400, /下载格式应为 csv 或 xlsx/],
      ['region=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 400, /请求参数有误/],
    ];
    for (const [query, status, message] of cases) {
      const res = await get(`/stats/indicators?${query}`);
      assert.equal(res.statusCode, status, `${query}: ${res.body.slice(0, 200)}`);
      assert.match(res.body, message, query);
      assert.ok(!res.body.includes('<script>alert'), `${query} is not reflected unescaped`);
    }
  });
});
