// SQL for user accounts and their role grants.
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';
import { prepared } from '../db/prepared.ts';

const USER_COLUMNS = [
  'id',
  'phone',
  'password_hash',
  'nickname',
  'is_staff',
  'totp_secret',
  'totp_enabled_at',
  'created_at',
  'last_login_at',
  'deleted_at',
] as const;

/** Read at every request of a signed-in person (see findSignedIn). */
const findSignedIn = prepared(
  (db: Db, id: number) =>
    db
      .selectFrom('users')
      .leftJoin('role_grants', 'role_grants.user_id', 'users.id')
      .select((eb) => [
        'users.id',
        'users.phone',
        'users.nickname',
        'users.is_staff',
        'users.totp_enabled_at',
        'role_grants.role',
        'role_grants.scope_type',
        'role_grants.scope_id',
        eb
          .selectFrom('notifications')
          .select((n) => n.fn.countAll<number>().as('n'))
          .whereRef('notifications.user_id', '=', 'users.id')
          .where('notifications.read_at', 'is', null)
          .as('unread'),
      ])
      .where('users.id', '=', id)
      .where('users.deleted_at', 'is', null)
      .orderBy('role_grants.id'),
  [-1],
);

export const usersRepository = {
  findById(db: Db, id: number) {
    return db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  },

  /**
   * The signed-in account as every request needs it, in one query: one row per role grant (a single row with null
   * grant columns when it has none), each with the count of its unread notifications.
   */
  findSignedIn(db: Db, id: number) {
    return findSignedIn(db, id);
  },

  findByPhone(db: Db, phone: string) {
    return db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('phone', '=', phone)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  },

  async insert(
    db: Db,
    user: { phone: string; passwordHash: string; nickname: string; isStaff: boolean },
  ): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({
        phone: user.phone,
        password_hash: user.passwordHash,
        nickname: user.nickname,
        is_staff: dbBool(user.isStaff),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async update(
    db: Db,
    id: number,
    changes: Partial<{
      passwordHash: string;
      nickname: string;
      isStaff: boolean;
      totpSecret: string | null;
      totpEnabledAt: string | null;
      lastLoginAt: string;
    }>,
  ) {
    await db
      .updateTable('users')
      .set({
        ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
        ...(changes.nickname === undefined ? {} : { nickname: changes.nickname }),
        ...(changes.isStaff === undefined ? {} : { is_staff: dbBool(changes.isStaff) }),
        ...(changes.totpSecret === undefined ? {} : { totp_secret: changes.totpSecret }),
        ...(changes.totpEnabledAt === undefined ? {} : { totp_enabled_at: changes.totpEnabledAt }),
        ...(changes.lastLoginAt === undefined ? {} : { last_login_at: changes.lastLoginAt }),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
  },

  /** Removes every link from the account to the person: the row stays so their public messages keep an author id. */
  async deidentify(db: Db, id: number, phone: string | null, at: string) {
    if (phone) await db.deleteFrom('sms_codes').where('phone', '=', phone).execute();
    await db
      .updateTable('users')
      .set({
        phone: null,
        password_hash: null,
        nickname: '已注销用户',
        totp_secret: null,
        totp_enabled_at: null,
        last_login_at: null,
        deleted_at: at,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
    await db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await db.deleteFrom('app_tokens').where('user_id', '=', id).execute();
    await db.deleteFrom('role_grants').where('user_id', '=', id).execute();
  },

  search(db: Db, query: string, limit = 50) {
    const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('phone', 'like', like), eb('nickname', 'like', like)]))
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  listGrants(db: Db, userId: number) {
    return db
      .selectFrom('role_grants')
      .select(['id', 'role', 'scope_type', 'scope_id', 'granted_by', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  },

  async addGrant(
    db: Db,
    grant: { userId: number; role: string; scopeType: string; scopeId: string; grantedBy: number | null },
  ) {
    const result = await db
      .insertInto('role_grants')
      .values({
        user_id: grant.userId,
        role: grant.role,
        scope_type: grant.scopeType,
        scope_id: grant.scopeId,
        granted_by: grant.grantedBy,
      })
      .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_type', 'scope_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  findGrant(db: Db, grantId: number) {
    return db
      .selectFrom('role_grants')
      .select(['id', 'user_id', 'role', 'scope_type', 'scope_id'])
      .where('id', '=', grantId)
      .executeTakeFirst();
  },

  async removeGrant(db: Db, grantId: number) {
    await db.deleteFrom('role_grants').where('id', '=', grantId).execute();
  },

  /** Staff whose grants name one of these units, for a unit head's list of their people. */
  listStaffOfUnit(db: Db, unitId: number) {
    return db
      .selectFrom('users')
      .innerJoin('role_grants as g', 'g.user_id', 'users.id')
      .select(['users.id', 'users.phone', 'users.nickname', 'g.role'])
      .where('g.scope_type', '=', 'unit')
      .where('g.scope_id', '=', String(unitId))
      .where('users.deleted_at', 'is', null)
      .orderBy('users.id')
      .execute();
  },
};
