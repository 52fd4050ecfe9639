import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importBoards } from '../src/boards/import-boards.ts';
import { importUnits } from '../src/units/import-units.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const holder = async (id: number) =>
  await t.db.selectFrom('boards').select(['holder_name', 'active']).where('id', '=', id).executeTakeFirstOrThrow();

describe('import boards', () => {
  test('sets holders by region and post key, by post title and by board id; BOM and CRLF are fine', async () => {
    const csv =
      '\uFEFFregion_code,post,holder_name,board_id\r\n130000,party,甲某,\r\n130000,省长,乙某,\r\n,,丙某,1301001\r\n';
    const outcome = await importBoards(t.db, csv);
    assert.deepEqual(outcome, { ok: true, updated: 3, unchanged: 0 });
    assert.equal((await holder(1300001)).holder_name, '甲某');
    assert.equal((await holder(1300002)).holder_name, '乙某');
    assert.equal((await holder(1301001)).holder_name, '丙某');
    const page = await t.app.inject('/boards/1300002');
    // The holder is named and linked to their leader's page (src/leaders).
    assert.match(page.body, /<dd><a href="\/leaders\/\d+" translate="no">乙某<\/a><\/dd>/);
    assert.deepEqual(
      await importBoards(t.db, csv),
      { ok: true, updated: 0, unchanged: 3 },
      'a second run changes nothing',
    );
  });

  test('can close a board and clear a holder', async () => {
    const outcome = await importBoards(t.db, 'board_id,holder_name,active\n1301001,,否\n');
    assert.deepEqual(outcome, { ok: true, updated: 1, unchanged: 0 });
    const row = await holder(1301001);
    assert.equal(row.holder_name, null);
    assert.equal(Boolean(row.active), false);
    assert.match((await t.app.inject('/boards/1301001')).body, /该留言板暂停接收留言/);
  });

  test('reports every bad row with its line number and imports nothing', async () => {
    const csv = [
      'region_code,post,holder_name,active',
      '130100,government,不应写入,', // line 2: fine on its own
      '999999,party,某甲,', // 3: no such region
      '130100,总督,某乙,', // 4: no such post
      `130100,party,${'长'.repeat(40)},`, // 5: too long
      '130100,市长,某丙,', // 6: same board as line 2
      '130100,party,某丁,也许', // 7: bad flag
      ',,某戊,', // 8: no board given
      '710000,party,某己,', // 9: Taiwan has no boards
    ].join('\n');
    const outcome = await importBoards(t.db, csv);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.deepEqual(
      outcome.errors.map((e) => e.line),
      [3, 4, 5, 6, 7, 8, 9],
    );
    assert.match(outcome.errors[0]!.message, /地区代码 999999 不存在/);
    assert.match(outcome.errors[1]!.message, /没有职务为 "总督" 的留言板，可选：party（市委书记）、government（市长）/);
    assert.match(outcome.errors[3]!.message, /与第 2 行是同一个留言板/);
    assert.equal((await holder(1301002)).holder_name, null, 'the good row was not imported');
  });

  test('a missing column, an unknown column, an empty file and broken quoting are errors, not crashes', async () => {
    const cases: [string, RegExp][] = [
      ['region_code,post\n130000,party\n', /缺少列：holder_name/],
      ['board_id,holder_name,age\n1300001,某,3\n', /无法识别的列：age/],
      ['', /缺少列/],
      ['board_id,holder_name\n', /没有数据行/],
      ['board_id,holder_name\n1300001,"未闭合\n', /CSV 格式错误/],
      ['board_id,holder_name\n1300001,a,b\n', /CSV 格式错误/],
    ];
    for (const [csv, message] of cases) {
      const outcome = await importBoards(t.db, csv);
      assert.equal(outcome.ok, false, csv);
      if (!outcome.ok) assert.match(outcome.errors[0]!.message, message);
    }
  });
});

describe('import units', () => {
  test('creates departments under the region’s unit and sets responsibilities of existing units', async () => {
    const csv = [
      'region_code,name,kind,parent,responsibilities',
      '130100,石家庄市住房和城乡建设局,department,,住房、物业、城市建设',
      '130100,石家庄市信访局,信访部门,石家庄市委市政府督查局,信访事项',
      '130100,石家庄市物业管理科,department,石家庄市住房和城乡建设局,物业纠纷',
      '130000,河北省委督查室,,,统筹全省网民留言办理',
    ].join('\n');
    const outcome = await importUnits(t.db, csv);
    assert.deepEqual(outcome, { ok: true, created: 3, updated: 1, unchanged: 0 });
    const units = await t.db
      .selectFrom('handling_units')
      .select(['id', 'name', 'kind', 'parent_id', 'responsibilities', 'level'])
      .where('region_code', '=', '130100')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      units.map((u) => [u.id, u.name, u.kind, u.parent_id]),
      [
        [130100001, '石家庄市委市政府督查局', 'dispatch', 130000001],
        [130100002, '石家庄市住房和城乡建设局', 'department', 130100001],
        [130100003, '石家庄市信访局', 'petition', 130100001],
        [130100004, '石家庄市物业管理科', 'department', 130100002],
      ],
    );
    assert.ok(units.every((u) => u.level === 'city'));
    const page = await t.app.inject('/regions/130100');
    assert.match(page.body, /石家庄市住房和城乡建设局/);
    assert.match((await t.app.inject('/boards/1300001')).body, /统筹全省网民留言办理/);
    assert.deepEqual(
      await importUnits(t.db, csv),
      { ok: true, created: 0, updated: 0, unchanged: 4 },
      'a second run changes nothing',
    );
  });

  test('reports every bad row with its line number and imports nothing', async () => {
    const csv = [
      'region_code,name,kind,parent,responsibilities',
      '130200,唐山市教育局,department,,教育', // 2: fine
      '130200,唐山市卫健委,警察,,', // 3: bad kind
      '130200,唐山市交通局,department,不存在的单位,', // 4: unknown parent
      '130200,唐,department,,', // 5: name too short
      '130200,唐山市教育局,department,,', // 6: duplicate of 2
      '710000,台北某局,department,,', // 7: Taiwan has no units
      `130200,唐山市文旅局,department,,${'职'.repeat(2001)}`, // 8: too long
      '130200,<b>唐山</b>,department,,', // 9: markup in a name
    ].join('\n');
    const outcome = await importUnits(t.db, csv);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.deepEqual(
      outcome.errors.map((e) => e.line),
      [3, 4, 5, 6, 7, 8, 9],
    );
    assert.match(outcome.errors[0]!.message, /单位类型 "警察" 无法识别/);
    assert.match(outcome.errors[1]!.message, /上级单位 "不存在的单位" 不在本地区或上一级地区/);
    const created = await t.db.selectFrom('handling_units').select('id').where('region_code', '=', '130200').execute();
    assert.equal(created.length, 1, 'only the seeded unit exists');
  });
});
