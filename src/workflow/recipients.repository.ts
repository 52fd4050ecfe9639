// SQL that finds who a work notice goes to: a unit's staff, a board's leaders, a unit's supervisors, the editors.
import type { Db } from '../db/kysely.ts';

const ids = (rows: { id: number }[]) => [...new Set(rows.map((r) => r.id))];

function holders(db: Db) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('u.id')
    .where('u.deleted_at', 'is', null)
    .orderBy('u.id');
}

export const recipientsRepository = {
  /** Accounts holding one of these roles on the unit. */
  async unitMembers(db: Db, unitId: number, roles: readonly string[] = ['unit_staff', 'unit_head']): Promise<number[]> {
    return ids(
      await holders(db)
        .where('g.scope_type', '=', 'unit')
        .where('g.scope_id', '=', String(unitId))
        .where('g.role', 'in', [...roles])
        .execute(),
    );
  },

  async boardLeaders(db: Db, boardId: number): Promise<number[]> {
    return ids(
      await holders(db)
        .where('g.role', '=', 'leader')
        .where('g.scope_type', '=', 'board')
        .where('g.scope_id', '=', String(boardId))
        .execute(),
    );
  },

  /** Supervisors granted on the unit itself or on its region. */
  async unitSupervisors(db: Db, unitId: number, regionCode: string): Promise<number[]> {
    return ids(
      await holders(db)
        .where('g.role', '=', 'supervisor')
        .where((eb) =>
          eb.or([
            eb.and([eb('g.scope_type', '=', 'unit'), eb('g.scope_id', '=', String(unitId))]),
            eb.and([eb('g.scope_type', '=', 'region'), eb('g.scope_id', '=', regionCode)]),
          ]),
        )
        .execute(),
    );
  },

  async editors(db: Db): Promise<number[]> {
    return ids(await holders(db).where('g.role', '=', 'editor').execute());
  },
};
