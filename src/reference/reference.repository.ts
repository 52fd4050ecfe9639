// SQL for writing reference data: inserts what is missing, updates what the seed owns and has changed.
import type { Transaction } from 'kysely';
import { insertInChunks } from '../db/batch.ts';
import { dbBool } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
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

/**
 * Brings one table in line with the wanted rows: columns the seed owns are written; columns set by
 * people (holder names, responsibilities, active flags) are left alone.
 */
async function sync<Key, Wanted, Existing>(
  trx: Trx,
  table: keyof Database,
  spec: {
    existing: Existing[];
    wanted: Wanted[];
    keyOfExisting: (row: Existing) => Key;
    keyOfWanted: (row: Wanted) => Key;
    /** The seed-owned columns of a wanted row, as stored. */
    owned: (row: Wanted) => Record<string, unknown>;
    /** Columns a new row needs besides the owned ones. */
    initial: (row: Wanted) => Record<string, unknown>;
    update: (row: Wanted, owned: Record<string, unknown>) => Promise<unknown>;
  },
): Promise<Change> {
  const existing = new Map(spec.existing.map((row) => [spec.keyOfExisting(row), row as Record<string, unknown>]));
  const missing: Record<string, unknown>[] = [];
  const changed: Wanted[] = [];
  for (const row of spec.wanted) {
    const current = existing.get(spec.keyOfWanted(row));
    const owned = spec.owned(row);
    if (!current) missing.push({ ...spec.initial(row), ...owned });
    else if (Object.entries(owned).some(([column, value]) => normalise(current[column]) !== normalise(value)))
      changed.push(row);
  }
  await insertInChunks(trx, table, missing);
  for (const row of changed) await spec.update(row, spec.owned(row));
  return { inserted: missing.length, updated: changed.length };
}

/** Booleans come back as 0/1 or false/true depending on the engine. */
const normalise = (value: unknown) => (typeof value === 'boolean' ? dbBool(value) : value);

export const referenceRepository = {
  async apply(trx: Trx, rows: ReferenceRows) {
    const now = () => new Date().toISOString();
    const regions = await sync(trx, 'regions', {
      existing: await trx.selectFrom('regions').selectAll().execute(),
      wanted: rows.regions,
      keyOfExisting: (r) => r.code,
      keyOfWanted: (r) => r.code,
      owned: (r) => ({
        name: r.name,
        level: r.level,
        kind: r.kind,
        parent_code: r.parentCode,
        has_boards: dbBool(r.hasBoards),
      }),
      initial: (r) => ({ code: r.code }),
      update: (r, owned) => trx.updateTable('regions').set(owned).where('code', '=', r.code).execute(),
    });
    const units = await sync(trx, 'handling_units', {
      existing: await trx.selectFrom('handling_units').selectAll().execute(),
      wanted: rows.units,
      keyOfExisting: (u) => u.id,
      keyOfWanted: (u) => u.id,
      owned: (u) => ({ name: u.name, region_code: u.regionCode, level: u.level, parent_id: u.parentId }),
      initial: (u) => ({ id: u.id, kind: u.kind, active: dbBool(true) }),
      update: (u, owned) =>
        trx
          .updateTable('handling_units')
          .set({ ...owned, updated_at: now() })
          .where('id', '=', u.id)
          .execute(),
    });
    const boards = await sync(trx, 'boards', {
      existing: await trx.selectFrom('boards').selectAll().execute(),
      wanted: rows.boards,
      keyOfExisting: (b) => b.id,
      keyOfWanted: (b) => b.id,
      owned: (b) => ({ title: b.title, post: b.post, region_code: b.regionCode, sort_order: b.sortOrder }),
      initial: (b) => ({ id: b.id, unit_id: b.unitId, active: dbBool(true) }),
      update: (b, owned) =>
        trx
          .updateTable('boards')
          .set({ ...owned, updated_at: now() })
          .where('id', '=', b.id)
          .execute(),
    });
    return { regions, units, boards };
  },
};
