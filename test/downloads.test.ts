// Downloads hold numbers in their numeric columns and say "样本不足" in a column of its own; the open-data page's wide
// tables can be reached and scrolled by keyboard; `liuyan seed demo` leaves today's open-data dump behind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { chinaDate } from '../src/deadlines/working-days.ts';
import { dumpToday } from '../src/open-data/open-data.service.ts';
import { createEmptyDatabase, createDemoApp, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createDemoApp();
});
after(() => t.close());

/** Columns of words rather than figures. */
const TEXT_COLUMNS = new Set(['指标', '计算方法', '说明', '月份', '地区代码', '地区', '单位编号', '办理单位']);

describe('statistics downloads', () => {
  for (const [path, table] of [
    ['/stats', 'figures'],
    ['/stats', 'months'],
    ['/stats', 'ranking'],
    ['/stats/regions/130000', 'units'],
    ['/stats/units/130123001', 'figures'],
  ] as const) {
    test(`${path} ${table}: numeric columns hold numbers only, "样本不足" has a column of its own`, async () => {
      const res = await t.app.inject(`${path}?table=${table}&format=csv`);
      assert.equal(res.statusCode, 200, res.body);
      const rows = parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
      assert.ok(rows.length > 0);
      assert.ok(Object.keys(rows[0]!).includes('说明'), 'a note column');
      for (const row of rows) {
        for (const [column, cell] of Object.entries(row)) {
          if (TEXT_COLUMNS.has(column)) continue;
          assert.match(cell, /^(-?\d+(\.\d+)?)?$/, `${column}: "${cell}"`);
        }
      }
      // A rate left empty is one over too small a sample, and the note says so.
      for (const row of rows) {
        const emptyRate = Object.entries(row).some(
          ([column, cell]) =>
            cell === '' && (column.endsWith('（%）') || (column === '数值' && /率|满意度/.test(row['指标']!))),
        );
        if (emptyRate) assert.match(row['说明']!, /样本不足/, JSON.stringify(row));
      }
    });
  }

  test('XLSX cells of figures are numbers or empty, never text', async () => {
    const res = await t.app.inject('/stats/regions/130000?table=units&format=xlsx');
    assert.equal(res.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      (row.values as unknown[]).slice(1).forEach((value, i) => {
        if (TEXT_COLUMNS.has(headers[i]!)) return;
        assert.ok(
          value === null || value === undefined || typeof value === 'number',
          `${headers[i]}: ${String(value)}`,
        );
      });
    });
  });
});

describe('the open-data page', () => {
  test('each wide table is a labelled region the keyboard can reach and scroll', async () => {
    await dumpToday(t.db, t.config);
    const page = await t.app.inject('/open-data');
    assert.equal(page.statusCode, 200);
    const regions = page.body.match(/<div class="table-scroll"[^>]*>/g) ?? [];
    assert.ok(regions.length >= 2);
    for (const region of regions) {
      assert.match(region, /tabindex="0"/);
      assert.match(region, /role="region"/);
      const label = /aria-labelledby="([^"]+)"/.exec(region)?.[1];
      assert.ok(label && page.body.includes(`id="${label}"`), `${region} is labelled by a heading`);
    }
  });
});

describe('liuyan seed demo', () => {
  test('writes today’s open-data dump, so the open-data page shows the demo messages at once', async () => {
    const fresh = await createEmptyDatabase();
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [new URL('../bin/liuyan.js', import.meta.url).pathname, 'seed', 'demo', '--json'],
        { env: { PATH: process.env.PATH, ...fresh.env } },
      );
      assert.ok(JSON.parse(stdout).length > 5, 'the accounts as JSON, alone on stdout');
      const manifest = join(fresh.config.dataDir, 'open-data', chinaDate(new Date()), 'manifest.json');
      assert.ok(existsSync(manifest), manifest);
      const files = (JSON.parse(readFileSync(manifest, 'utf8')) as { files: { name: string; rows: number }[] }).files;
      assert.ok(files.find((f) => f.name === 'messages.csv')!.rows >= 30);
    } finally {
      await fresh.close();
    }
  });
});
