// SQL for leaders' boards.
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';

const BOARD_COLUMNS = [
  'boards.id',
  'boards.region_code',
  'boards.post',
  'boards.title',
  'boards.holder_name',
  'boards.active',
  'u.id as unit_id',
  'u.name as unit_name',
  'u.responsibilities as unit_responsibilities',
] as const;

export const boardsRepository = {
  findById(db: Db, id: number) {
    return db
      .selectFrom('boards')
      .innerJoin('handling_units as u', 'u.id', 'boards.unit_id')
      .select(BOARD_COLUMNS)
      .where('boards.id', '=', id)
      .executeTakeFirst();
  },

  listByRegion(db: Db, regionCode: string) {
    return db
      .selectFrom('boards')
      .innerJoin('handling_units as u', 'u.id', 'boards.unit_id')
      .select(BOARD_COLUMNS)
      .where('boards.region_code', '=', regionCode)
      .orderBy('boards.sort_order')
      .execute();
  },

  listAll(db: Db) {
    return db
      .selectFrom('boards')
      .select(['id', 'region_code', 'post', 'title', 'holder_name', 'active'])
      .orderBy('id')
      .execute();
  },

  async updateHolder(db: Db, id: number, holderName: string | null, active: boolean | undefined) {
    await db
      .updateTable('boards')
      .set({
        holder_name: holderName,
        updated_at: new Date().toISOString(),
        ...(active === undefined ? {} : { active: dbBool(active) }),
      })
      .where('id', '=', id)
      .execute();
  },

  /** The few columns the workflow needs: where the board is, who handles it, who holds it. */
  essentials(db: Db, id: number) {
    return db
      .selectFrom('boards')
      .select(['id', 'region_code', 'unit_id', 'active', 'title', 'holder_name'])
      .where('id', '=', id)
      .executeTakeFirst();
  },
};
