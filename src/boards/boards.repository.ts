// SQL for leaders' boards.
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';
import { type BoardRow, referenceData, type ReferenceSnapshot } from '../reference/reference-cache.ts';

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

/** A board with its unit, as BOARD_COLUMNS reads it; undefined when the unit is missing (the inner join). */
function withUnit(reference: ReferenceSnapshot, board: BoardRow | undefined) {
  const unit = board && reference.unit(board.unit_id);
  if (!board || !unit) return undefined;
  return {
    id: board.id,
    region_code: board.region_code,
    post: board.post,
    title: board.title,
    holder_name: board.holder_name,
    active: board.active,
    unit_id: unit.id,
    unit_name: unit.name,
    unit_responsibilities: unit.responsibilities,
  };
}

export const boardsRepository = {
  async findById(db: Db, id: number) {
    const reference = await referenceData(db);
    if (reference) return withUnit(reference, reference.board(id));
    return db
      .selectFrom('boards')
      .innerJoin('handling_units as u', 'u.id', 'boards.unit_id')
      .select(BOARD_COLUMNS)
      .where('boards.id', '=', id)
      .executeTakeFirst();
  },

  async listByRegion(db: Db, regionCode: string) {
    const reference = await referenceData(db);
    if (reference) return reference.regionBoards(regionCode).flatMap((b) => withUnit(reference, b) ?? []);
    return db
      .selectFrom('boards')
      .innerJoin('handling_units as u', 'u.id', 'boards.unit_id')
      .select(BOARD_COLUMNS)
      .where('boards.region_code', '=', regionCode)
      .orderBy('boards.sort_order')
      .execute();
  },

  async listAll(db: Db) {
    const reference = await referenceData(db);
    if (reference) {
      return [...reference.allBoards()]
        .sort((a, b) => a.id - b.id)
        .map(({ id, region_code, post, title, holder_name, active }) => ({
          id,
          region_code,
          post,
          title,
          holder_name,
          active,
        }));
    }
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
  async essentials(db: Db, id: number) {
    const reference = await referenceData(db);
    if (reference) {
      const board = reference.board(id);
      if (!board) return undefined;
      const { region_code, unit_id, active, title, holder_name } = board;
      return { id: board.id, region_code, unit_id, active, title, holder_name };
    }
    return db
      .selectFrom('boards')
      .select(['id', 'region_code', 'unit_id', 'active', 'title', 'holder_name'])
      .where('id', '=', id)
      .executeTakeFirst();
  },
};
