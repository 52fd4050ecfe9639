// Finds the region whose outline holds a WGS-84 point, from the committed outlines (seeds/region-shapes.topojson).
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { RegionShapeSeed } from './region-shapes-source.ts';

export const REGION_SHAPES_FILE = new URL('../../seeds/region-shapes.topojson', import.meta.url);

/**
 * How far outside every outline a point may lie and still count for the nearest one. The outlines are simplified
 * (about 60 m a step, and the source dropped the smallest islets), so piers, reclaimed land and islets such as
 * 鼓浪屿 fall a few hundred metres outside; farther out is the open sea or another country.
 */
export const NEAREST_MAX_KM = 5;

/** Mainland China, Hainan and the South China Sea islands, with a margin: points outside are not looked up. */
const CHINA = { west: 73, south: 3, east: 136, north: 54 };

export type Located =
  | { found: true; code: string; how: 'inside' | 'nearest'; km: number }
  | { found: false; reason: 'outside_china' | 'no_region' };

interface Outline {
  code: string;
  /** [west, south, east north] */
  bbox: [number, number, number, number];
  shape: Feature<Polygon | MultiPolygon>;
}

let outlines: Outline[] | null = null;

function load(): Outline[] {
  if (outlines) return outlines;
  const seed = JSON.parse(readFileSync(REGION_SHAPES_FILE, 'utf8')) as RegionShapeSeed;
  const collection = feature(seed, seed.objects.regions);
  outlines = collection.features.map((f) => {
    const shape = f as Feature<Polygon | MultiPolygon>;
    const bbox: Outline['bbox'] = [180, 90, -180, -90];
    const rings = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
    for (const [x, y] of rings.flat(2) as [number, number][]) {
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    }
    return { code: String(f.id), bbox, shape };
  });
  return outlines;
}

const near = (b: Outline['bbox'], long: number, lat: number, dx = 0, dy = 0) =>
  long >= b[0] - dx && long <= b[2] + dx && lat >= b[1] - dy && lat <= b[3] + dy;

/**
 * The region (most often a county) whose outline holds the point; else the one whose outline is nearest, within
 * NEAREST_MAX_KM. Coordinates are WGS-84, as Open311 and GPS give them; the outlines are WGS-84 too (天地图).
 */
export function locateRegion(lat: number, long: number): Located {
  if (lat < CHINA.south || lat > CHINA.north || long < CHINA.west || long > CHINA.east) {
    return { found: false, reason: 'outside_china' };
  }
  const all = load();
  const point = [long, lat];
  const inside = all.find((o) => near(o.bbox, long, lat) && booleanPointInPolygon(point, o.shape));
  if (inside) return { found: true, code: inside.code, how: 'inside', km: 0 };
  // Degrees that NEAREST_MAX_KM spans here, to skip outlines that cannot be close enough.
  const dy = NEAREST_MAX_KM / 111;
  const dx = dy / Math.max(Math.cos((lat * Math.PI) / 180), 0.1);
  let best: { code: string; km: number } | null = null;
  for (const o of all) {
    if (!near(o.bbox, long, lat, dx, dy)) continue;
    const km = pointToPolygonDistance(point, o.shape, { units: 'kilometers' });
    if (km <= NEAREST_MAX_KM && (!best || km < best.km)) best = { code: o.code, km };
  }
  return best ? { found: true, code: best.code, how: 'nearest', km: best.km } : { found: false, reason: 'no_region' };
}
