// SQL for bearer tokens of the mobile app and mini-program channels; only their digests are stored.
import type { Db } from '../db/kysely.ts';

export const tokensRepository = {
  async insert(db: Db, row: { userId: number; tokenHash: string; channel: string; name: string; expiresAt: string }) {
    const inserted = await db
      .insertInto('app_tokens')
      .values({
        user_id: row.userId,
        token_hash: row.tokenHash,
        channel: row.channel,
        name: row.name,
        expires_at: row.expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  findUsable(db: Db, tokenHash: string, now: string) {
    return db
      .selectFrom('app_tokens')
      .select(['id', 'user_id', 'last_used_at'])
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  },

  async touch(db: Db, id: number, now: string) {
    await db.updateTable('app_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  },

  listForUser(db: Db, userId: number) {
    return db
      .selectFrom('app_tokens')
      .select(['id', 'channel', 'name', 'created_at', 'last_used_at', 'expires_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute()
      .then((rows) =>
        rows.map((t) => ({
          id: t.id,
          channel: t.channel,
          name: t.name,
          createdAt: t.created_at,
          lastUsedAt: t.last_used_at,
          expiresAt: t.expires_at,
        })),
      );
  },

  async deleteOwned(db: Db, userId: number, id: number): Promise<boolean> {
    const result = await db
      .deleteFrom('app_tokens')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },

  async deleteForUser(db: Db, userId: number) {
    await db.deleteFrom('app_tokens').where('user_id', '=', userId).execute();
  },
};
