// SQL for login sessions, shared by every app process through the database.
import type { Db } from '../db/kysely.ts';
import { prepared } from '../db/prepared.ts';

/** Read at every request that carries a session cookie. */
const findSession = prepared(
  (db: Db, sidHash: string, now: string) =>
    db.selectFrom('sessions').select(['data', 'user_id']).where('sid_hash', '=', sidHash).where('expires_at', '>', now),
  ['\u0000sid', '\u0000now'],
);

export const sessionsRepository = {
  async find(db: Db, sidHash: string, now: string) {
    const [row] = await findSession(db, sidHash, now);
    return row;
  },

  async save(
    db: Db,
    row: {
      sidHash: string;
      userId: number | null;
      data: string;
      expiresAt: string;
      ip: string | null;
      userAgent: string | null;
    },
  ) {
    await db
      .insertInto('sessions')
      .values({
        sid_hash: row.sidHash,
        user_id: row.userId,
        data: row.data,
        expires_at: row.expiresAt,
        ip: row.ip,
        user_agent: row.userAgent,
      })
      .onConflict((oc) =>
        oc.column('sid_hash').doUpdateSet({ user_id: row.userId, data: row.data, expires_at: row.expiresAt }),
      )
      .execute();
  },

  async delete(db: Db, sidHash: string) {
    await db.deleteFrom('sessions').where('sid_hash', '=', sidHash).execute();
  },

  async deleteForUser(db: Db, userId: number): Promise<number> {
    const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  listForUser(db: Db, userId: number) {
    return db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at', 'ip', 'user_agent'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute()
      .then((rows) =>
        rows.map((s) => ({ createdAt: s.created_at, expiresAt: s.expires_at, ip: s.ip, userAgent: s.user_agent })),
      );
  },
};
