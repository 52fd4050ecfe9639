// Text that starts like a spreadsheet formula never runs as one in a download: CSV gets a leading quote, XLSX a text cell.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { hashPassword } from '../src/accounts/passwords.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { type DataTable, toCsv, toXlsx } from '../src/exports/table-export.ts';
import { runDailyDump } from '../src/open-data/open-data.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/** What an attacker types as a title or nickname, hoping a clerk opens the download in a spreadsheet. */
const FORMULAS = ['=HYPERLINK("http://evil","x")', '+SUM(1+1)', '-1+2', '@cmd', '\t=1+1', '＝1+1'];

async function readSheet(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

function formulaCells(sheet: ExcelJS.Worksheet): string[] {
  const found: string[] = [];
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) found.push(cell.address);
    }),
  );
  return found;
}

describe('table downloads', () => {
  const table: DataTable = {
    title: '测试表',
    columns: [
      { key: 'name', label: '姓名' },
      { key: 'score', label: '得分' },
    ],
    rows: [...FORMULAS.map((name) => ({ name, score: -5 })), { name: '张三-1', score: 3.5 }],
  };

  test('CSV: every formula-like text gets a leading quote; numbers, negative ones too, stay numbers', () => {
    const rows = parse(toCsv(table), { bom: true }) as string[][];
    assert.deepEqual(rows[0], ['姓名', '得分']);
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      [...FORMULAS.map((f) => `'${f}`), '张三-1'],
    );
    assert.ok(
      rows.slice(1).every((r) => r[1] === '-5' || r[1] === '3.5'),
      'numbers are not prefixed',
    );
  });

  test('XLSX: formula-like text is a text cell holding exactly what was typed, formatted as text; no formula cell', async () => {
    const sheet = await readSheet(await toXlsx(table));
    assert.deepEqual(formulaCells(sheet), []);
    for (const [i, text] of FORMULAS.entries()) {
      const cell = sheet.getRow(i + 2).getCell(1);
      assert.equal(cell.type, ExcelJS.ValueType.String, text);
      assert.equal(cell.value, text);
      assert.equal(cell.numFmt, '@', 'stays text even when edited in Excel');
      assert.equal(sheet.getRow(i + 2).getCell(2).value, -5);
    }
    const plain = sheet.getRow(FORMULAS.length + 2).getCell(1);
    assert.equal(plain.value, '张三-1');
    assert.notEqual(plain.numFmt, '@', 'ordinary text keeps the general format');
  });
});

describe('open data', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('message titles that start like formulas are written with a leading quote in messages.csv', async () => {
    const citizen = await t.db
      .insertInto('users')
      .values({ phone: '13600001001', nickname: '公式网友', is_staff: 0, password_hash: await hashPassword('x') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const editor = await t.db
      .insertInto('users')
      .values({ phone: '13600001002', nickname: '公式编辑', is_staff: 1, password_hash: await hashPassword('x') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('role_grants')
      .values({ user_id: editor.id, role: 'editor', scope_type: 'global', scope_id: '' })
      .execute();
    const bearer = async (id: number) => ({
      authorization: `Bearer ${(await issueToken(t.db, id, 'app', 'test')).token}`,
    });
    const citizenAuth = await bearer(citizen.id);
    const editorAuth = await bearer(editor.id);

    const titles = ['=HYPERLINK("http://evil","x") 供暖', '+SUM(1+1) 路灯不亮', '-1+2 噪音扰民', '@cmd 占道经营'];
    const ids: number[] = [];
    for (const [i, title] of titles.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/messages',
        remoteAddress: `10.60.0.${i + 1}`,
        headers: citizenAuth,
        payload: {
          boardId: 1301232,
          type: 'help',
          domain: 'urban',
          title,
          body: '小区门口的问题已经持续了一个多月，多次反映没有结果，请有关部门尽快处理。',
          visibility: 'public',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const id = (res.json() as { id: number }).id;
      ids.push(id);
      const approved = await t.app.inject({
        method: 'POST',
        url: `/api/v1/messages/${id}/actions/approve`,
        remoteAddress: '10.60.1.1',
        headers: editorAuth,
        payload: {},
      });
      assert.equal(approved.statusCode, 200, approved.body);
    }

    const dump = await runDailyDump(t.db, t.config, new Date());
    assert.equal(dump.done, true);
    const file = await t.app.inject('/open-data/latest/messages.csv');
    assert.equal(file.statusCode, 200);
    const rows = parse(file.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    const written = ids.map((id) => rows.find((r) => r.message_id === String(id))?.title);
    assert.deepEqual(
      written,
      titles.map((title) => `'${title}`),
    );
    assert.ok(
      rows.every((r) => !/^[=+\-@]/.test(r.title ?? '')),
      'no title in the file starts like a formula',
    );
  });
});
