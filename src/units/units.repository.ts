// SQL for handling units.
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';
import { referenceData } from '../reference/reference-cache.ts';
import type { RegionLevel } from '../regions/region-kinds.ts';

export const unitsRepository = {
  async listByRegion(db: Db, regionCode: string) {
    const reference = await referenceData(db);
    if (reference) {
      return reference
        .regionUnits(regionCode)
        .filter((u) => Boolean(u.active))
        .map(({ id, name, kind, level, responsibilities, parent_id, region_code }) => ({
          id,
          name,
          kind,
          level,
          responsibilities,
          parent_id,
          region_code,
        }));
    }
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'kind', 'level', 'responsibilities', 'parent_id', 'region_code'])
      .where('region_code', '=', regionCode)
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
  },

  listAll(db: Db) {
    return db
      .selectFrom('handling_units')
      .select(['id', 'region_code', 'name', 'kind', 'parent_id', 'responsibilities'])
      .orderBy('id')
      .execute();
  },

  listRegionsWithBoards(db: Db) {
    return db.selectFrom('regions').select(['code', 'parent_code', 'level']).where('has_boards', '=', 1).execute();
  },

  async insert(
    db: Db,
    unit: {
      id: number;
      regionCode: string;
      name: string;
      kind: string;
      level: RegionLevel;
      parentId: number | null;
      responsibilities: string;
    },
  ) {
    await db
      .insertInto('handling_units')
      .values({
        id: unit.id,
        region_code: unit.regionCode,
        name: unit.name,
        kind: unit.kind,
        level: unit.level,
        parent_id: unit.parentId,
        responsibilities: unit.responsibilities,
        active: dbBool(true),
      })
      .execute();
  },

  async update(db: Db, id: number, changes: { kind: string; parentId: number | null; responsibilities: string }) {
    await db
      .updateTable('handling_units')
      .set({
        kind: changes.kind,
        parent_id: changes.parentId,
        responsibilities: changes.responsibilities,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
  },
};
