// SQL for regions and what hangs off them.
import type { Db } from '../db/kysely.ts';
import { referenceData } from '../reference/reference-cache.ts';

const regionColumns = ['code', 'name', 'level', 'kind', 'parent_code', 'has_boards'] as const;

export const regionsRepository = {
  async findByCode(db: Db, code: string) {
    const reference = await referenceData(db);
    if (reference) return reference.region(code);
    return db.selectFrom('regions').select(regionColumns).where('code', '=', code).executeTakeFirst();
  },

  async findByCodes(db: Db, codes: string[]) {
    if (codes.length === 0) return [];
    const reference = await referenceData(db);
    if (reference) return [...new Set(codes)].flatMap((code) => reference.region(code) ?? []);
    return db.selectFrom('regions').select(regionColumns).where('code', 'in', codes).execute();
  },

  async listChildren(db: Db, parentCode: string) {
    const reference = await referenceData(db);
    if (reference) return reference.childRegions(parentCode);
    return db
      .selectFrom('regions')
      .select(regionColumns)
      .where('parent_code', '=', parentCode)
      .orderBy('code')
      .execute();
  },

  async listTopLevel(db: Db) {
    const reference = await referenceData(db);
    if (reference) return reference.childRegions(null);
    return db.selectFrom('regions').select(regionColumns).where('parent_code', 'is', null).orderBy('code').execute();
  },

  async countTotals(db: Db) {
    const reference = await referenceData(db);
    if (reference) {
      return reference.memo('regions.countTotals', () => {
        const groups = new Map<string, { level: string; has_boards: boolean | number; n: number }>();
        for (const r of reference.allRegions()) {
          const key = `${r.level} ${Number(r.has_boards)}`;
          const group = groups.get(key) ?? { level: r.level, has_boards: r.has_boards, n: 0 };
          group.n += 1;
          groups.set(key, group);
        }
        const active = (rows: Iterable<{ active: boolean | number }>) =>
          [...rows].filter((row) => Boolean(row.active)).length;
        return {
          regions: [...groups.values()],
          boards: active(reference.allBoards()),
          units: active(reference.allUnits()),
        };
      });
    }
    const [regions, boards, units] = await Promise.all([
      db
        .selectFrom('regions')
        .select(['level', 'has_boards', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['level', 'has_boards'])
        .execute(),
      db
        .selectFrom('boards')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('active', '=', 1)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('handling_units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('active', '=', 1)
        .executeTakeFirstOrThrow(),
    ]);
    return { regions, boards: Number(boards.n), units: Number(units.n) };
  },
};
