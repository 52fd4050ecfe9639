// SQL for regions and what hangs off them.
import type { Db } from '../db/kysely.ts';

const regionColumns = ['code', 'name', 'level', 'kind', 'parent_code', 'has_boards'] as const;

export const regionsRepository = {
  findByCode(db: Db, code: string) {
    return db.selectFrom('regions').select(regionColumns).where('code', '=', code).executeTakeFirst();
  },

  findByCodes(db: Db, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('regions').select(regionColumns).where('code', 'in', codes).execute();
  },

  listChildren(db: Db, parentCode: string) {
    return db
      .selectFrom('regions')
      .select(regionColumns)
      .where('parent_code', '=', parentCode)
      .orderBy('code')
      .execute();
  },

  listTopLevel(db: Db) {
    return db.selectFrom('regions').select(regionColumns).where('parent_code', 'is', null).orderBy('code').execute();
  },

  async countTotals(db: Db) {
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
