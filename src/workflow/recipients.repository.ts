// SQL that finds who a work notice goes to: a unit's staff, a board's leaders, a unit's supervisors, the editors,
// and the channels each of them chose for work notices.
import type { Db } from '../db/kysely.ts';

/** The kind of notice staff choose channels for in `notice_preferences`. */
export const WORK_NOTICE_KIND = 'work';

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

  /** Each listed account's choice for work notices; absent means the defaults (in the site only). */
  async workChannels(db: Db, userIds: number[]): Promise<Map<number, { sms: boolean; email: boolean }>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('notice_preferences')
      .select(['user_id', 'sms', 'email'])
      .where('kind', '=', WORK_NOTICE_KIND)
      .where('user_id', 'in', userIds)
      .execute();
    return new Map(rows.map((r) => [r.user_id, { sms: Boolean(r.sms), email: Boolean(r.email) }]));
  },

  async saveWorkChannels(db: Db, userId: number, choice: { sms: boolean }, now: string): Promise<void> {
    // The e-mail choice belongs to the e-mail settings: kept as it is.
    await db
      .insertInto('notice_preferences')
      .values({ user_id: userId, kind: WORK_NOTICE_KIND, site: 1, sms: choice.sms ? 1 : 0, email: 0, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['user_id', 'kind']).doUpdateSet({ site: 1, sms: choice.sms ? 1 : 0, updated_at: now }),
      )
      .execute();
  },
};
