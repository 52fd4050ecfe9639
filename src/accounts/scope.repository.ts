// SQL that resolves the things a grant can be bound to: units, regions and boards, with their ancestry.
import type { Db } from '../db/kysely.ts';
import { referenceData } from '../reference/reference-cache.ts';
import type { ScopeType } from './roles.ts';

export const scopeRepository = {
  async exists(db: Db, type: ScopeType, id: string): Promise<boolean> {
    const reference = await referenceData(db);
    if (type === 'region') {
      if (!/^\d{6}$/.test(id)) return false;
      if (reference) return reference.region(id) !== undefined;
      return Boolean(await db.selectFrom('regions').select('code').where('code', '=', id).executeTakeFirst());
    }
    if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2147483647) return false;
    if (reference && type === 'unit') return reference.unit(Number(id)) !== undefined;
    if (reference && type === 'board') return reference.board(Number(id)) !== undefined;
    if (type === 'unit')
      return Boolean(
        await db.selectFrom('handling_units').select('id').where('id', '=', Number(id)).executeTakeFirst(),
      );
    if (type === 'board')
      return Boolean(await db.selectFrom('boards').select('id').where('id', '=', Number(id)).executeTakeFirst());
    return false;
  },

  /** A unit and its ancestors, the unit first. */
  async unitPath(db: Db, unitId: number): Promise<number[]> {
    const reference = await referenceData(db);
    if (reference) return reference.unitPath(unitId);
    const path: number[] = [];
    let current: number | null = unitId;
    while (current !== null && path.length < 16) {
      const row: { parent_id: number | null } | undefined = await db
        .selectFrom('handling_units')
        .select('parent_id')
        .where('id', '=', current)
        .executeTakeFirst();
      if (!row) break;
      path.push(current);
      current = row.parent_id;
    }
    return path;
  },

  /** A region and its ancestors, the region first. */
  async regionPath(db: Db, code: string): Promise<string[]> {
    const reference = await referenceData(db);
    if (reference) return reference.regionPath(code);
    const path: string[] = [];
    let current: string | null = code;
    while (current !== null && path.length < 4) {
      const row: { parent_code: string | null } | undefined = await db
        .selectFrom('regions')
        .select('parent_code')
        .where('code', '=', current)
        .executeTakeFirst();
      if (!row) break;
      path.push(current);
      current = row.parent_code;
    }
    return path;
  },

  /** A readable name for a grant's scope: the unit's name, the region's name or the board's region and title. */
  async describe(db: Db, type: string, id: string): Promise<string> {
    if (type === 'unit' && /^\d+$/.test(id)) {
      const row = await db.selectFrom('handling_units').select('name').where('id', '=', Number(id)).executeTakeFirst();
      return row ? `${row.name}（${id}）` : id;
    }
    if (type === 'region') {
      const row = await db.selectFrom('regions').select('name').where('code', '=', id).executeTakeFirst();
      return row ? `${row.name}（${id}）` : id;
    }
    if (type === 'board' && /^\d+$/.test(id)) {
      const row = await db
        .selectFrom('boards')
        .innerJoin('regions', 'regions.code', 'boards.region_code')
        .select(['regions.name', 'boards.title'])
        .where('boards.id', '=', Number(id))
        .executeTakeFirst();
      return row ? `${row.name} · ${row.title}（${id}）` : id;
    }
    return '全平台';
  },

  async unitNames(db: Db, ids: number[]) {
    if (ids.length === 0) return [];
    const reference = await referenceData(db);
    if (reference) {
      return [...new Set(ids)]
        .sort((a, b) => a - b)
        .flatMap((id) => {
          const unit = reference.unit(id);
          return unit ? [{ id: unit.id, name: unit.name }] : [];
        });
    }
    return db.selectFrom('handling_units').select(['id', 'name']).where('id', 'in', ids).orderBy('id').execute();
  },
};
