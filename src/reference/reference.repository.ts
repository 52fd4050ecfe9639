// SQL for writing reference data: inserts what is missing, updates what the seed owns and has changed.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertInChunks } from '../db/batch.ts';
import { dbBool } from '../db/dialect.ts';
import type { RegionLevel } from '../regions/region-kinds.ts';

export interface ReferenceRows {
  regions: {
    code: string;
    name: string;
    level: RegionLevel;
    kind: string;
    parentCode: string | null;
    hasBoards: boolean;
  }[];
  units: { id: number; regionCode: string; parentId: number | null; name: string; kind: string; level: RegionLevel }[];
  boards: { id: number; regionCode: string; post: string; title: string; unitId: number; sortOrder: number }[];
}

interface Change {
  inserted: number;
  updated: number;
}

type Trx = Transaction<Database>;

async function applyRegions(trx: Trx, rows: ReferenceRows['regions']): Promise<Change> {
  const existing = new Map((await trx.selectFrom('regions').selectAll().execute()).map((r) => [r.code, r]));
  const missing = rows.filter((r) => !existing.has(r.code));
  const changed = rows.filter((r) => {
    const e = existing.get(r.code);
    return (
      e &&
      (e.name !== r.name ||
        e.level !== r.level ||
        e.kind !== r.kind ||
        e.parent_code !== r.parentCode ||
        Boolean(e.has_boards) !== r.hasBoards)
    );
  });
  await insertInChunks(
    trx,
    'regions',
    missing.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      kind: r.kind,
      parent_code: r.parentCode,
      has_boards: dbBool(r.hasBoards),
    })),
  );
  for (const r of changed) {
    await trx
      .updateTable('regions')
      .set({ name: r.name, level: r.level, kind: r.kind, parent_code: r.parentCode, has_boards: dbBool(r.hasBoards) })
      .where('code', '=', r.code)
      .execute();
  }
  return { inserted: missing.length, updated: changed.length };
}

async function applyUnits(trx: Trx, rows: ReferenceRows['units']): Promise<Change> {
  const existing = new Map((await trx.selectFrom('handling_units').selectAll().execute()).map((u) => [u.id, u]));
  const missing = rows.filter((u) => !existing.has(u.id));
  const changed = rows.filter((u) => {
    const e = existing.get(u.id);
    return (
      e && (e.name !== u.name || e.region_code !== u.regionCode || e.level !== u.level || e.parent_id !== u.parentId)
    );
  });
  await insertInChunks(
    trx,
    'handling_units',
    missing.map((u) => ({
      id: u.id,
      region_code: u.regionCode,
      parent_id: u.parentId,
      name: u.name,
      kind: u.kind,
      level: u.level,
      active: dbBool(true),
    })),
  );
  for (const u of changed) {
    await trx
      .updateTable('handling_units')
      .set({
        name: u.name,
        region_code: u.regionCode,
        level: u.level,
        parent_id: u.parentId,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', u.id)
      .execute();
  }
  return { inserted: missing.length, updated: changed.length };
}

async function applyBoards(trx: Trx, rows: ReferenceRows['boards']): Promise<Change> {
  const existing = new Map((await trx.selectFrom('boards').selectAll().execute()).map((b) => [b.id, b]));
  const missing = rows.filter((b) => !existing.has(b.id));
  const changed = rows.filter((b) => {
    const e = existing.get(b.id);
    return (
      e && (e.title !== b.title || e.post !== b.post || e.region_code !== b.regionCode || e.sort_order !== b.sortOrder)
    );
  });
  await insertInChunks(
    trx,
    'boards',
    missing.map((b) => ({
      id: b.id,
      region_code: b.regionCode,
      post: b.post,
      title: b.title,
      unit_id: b.unitId,
      active: dbBool(true),
      sort_order: b.sortOrder,
    })),
  );
  for (const b of changed) {
    await trx
      .updateTable('boards')
      .set({
        title: b.title,
        post: b.post,
        region_code: b.regionCode,
        sort_order: b.sortOrder,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', b.id)
      .execute();
  }
  return { inserted: missing.length, updated: changed.length };
}

export const referenceRepository = {
  async apply(trx: Trx, rows: ReferenceRows) {
    const regions = await applyRegions(trx, rows.regions);
    const units = await applyUnits(trx, rows.units);
    const boards = await applyBoards(trx, rows.boards);
    return { regions, units, boards };
  },
};
