// Loads regions, leaders' boards and dispatching units from the committed seed file; idempotent.
import { readFileSync } from 'node:fs';
import type { Db } from '../db/kysely.ts';
import { REGION_KINDS, type RegionKind, type RegionLevel } from '../regions/region-kinds.ts';
import { boardId, unitId } from './reference-ids.ts';
import type { RegionSeed } from './region-source.ts';
import { referenceRepository, type ReferenceRows } from './reference.repository.ts';

export const REGION_SEED_FILE = new URL('../../seeds/regions.json', import.meta.url);

export function readRegionSeed(): RegionSeed {
  return JSON.parse(readFileSync(REGION_SEED_FILE, 'utf8')) as RegionSeed;
}

export interface TableChange {
  inserted: number;
  updated: number;
  total: number;
}

export interface SeedReport {
  source: string;
  regionsByLevel: Record<RegionLevel, number>;
  regionsWithBoards: Record<RegionLevel, number>;
  regions: TableChange;
  boards: TableChange;
  units: TableChange;
}

/** The rows the seed file describes: what the database should hold for reference data. */
export function expectedReferenceRows(seed: RegionSeed): ReferenceRows {
  const rows: ReferenceRows = { regions: [], units: [], boards: [] };
  const dispatchUnit = new Map<string, number>();
  for (const [code, name, level, kind, parentCode] of seed.regions) {
    const rule = REGION_KINDS[kind as RegionKind];
    if (!rule) throw new Error(`种子文件中地区 ${code} 的类型 "${kind}" 未知`);
    rows.regions.push({ code, name, level, kind, parentCode, hasBoards: rule.posts.length > 0 });
    if (!rule.unitName || rule.posts.length === 0) continue;
    const id = unitId(code, 1);
    dispatchUnit.set(code, id);
    rows.units.push({
      id,
      regionCode: code,
      parentId: parentCode ? (dispatchUnit.get(parentCode) ?? null) : null,
      name: rule.unitName(name),
      kind: 'dispatch',
      level,
    });
    rule.posts.forEach(({ post, title }, index) => {
      rows.boards.push({
        id: boardId(code, index + 1),
        regionCode: code,
        post,
        title,
        unitId: id,
        sortOrder: index + 1,
      });
    });
  }
  return rows;
}

export async function seedReference(db: Db, seed: RegionSeed = readRegionSeed()): Promise<SeedReport> {
  const expected = expectedReferenceRows(seed);
  const changes = await db.transaction().execute((trx) => referenceRepository.apply(trx, expected));
  const count = (pick: (level: RegionLevel) => number) => ({
    province: pick('province'),
    city: pick('city'),
    county: pick('county'),
  });
  return {
    source: seed.source,
    regionsByLevel: count((l) => expected.regions.filter((r) => r.level === l).length),
    regionsWithBoards: count((l) => expected.regions.filter((r) => r.level === l && r.hasBoards).length),
    regions: { ...changes.regions, total: expected.regions.length },
    boards: { ...changes.boards, total: expected.boards.length },
    units: { ...changes.units, total: expected.units.length },
  };
}
