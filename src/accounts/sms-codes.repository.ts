// SQL for one-time SMS verification codes.
import type { Db } from '../db/kysely.ts';

export const smsCodesRepository = {
  async insert(
    db: Db,
    row: { phone: string; purpose: string; codeHash: string; ip: string; createdAt: string; expiresAt: string },
  ) {
    await db
      .insertInto('sms_codes')
      .values({
        phone: row.phone,
        purpose: row.purpose,
        code_hash: row.codeHash,
        ip: row.ip,
        created_at: row.createdAt,
        expires_at: row.expiresAt,
      })
      .execute();
  },

  latestFor(db: Db, phone: string) {
    return db
      .selectFrom('sms_codes')
      .select(['created_at'])
      .where('phone', '=', phone)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  async countSince(db: Db, column: 'phone' | 'ip', value: string, since: string): Promise<number> {
    const row = await db
      .selectFrom('sms_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', value)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** The newest code still usable for this phone and purpose. */
  findUsable(db: Db, phone: string, purpose: string, now: string) {
    return db
      .selectFrom('sms_codes')
      .select(['id', 'code_hash', 'attempts'])
      .where('phone', '=', phone)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /**
   * Takes one of the code's `max` tries in a single statement, so that guesses arriving together cannot all read the
   * same count; false when none is left.
   */
  async claimAttempt(db: Db, id: number, max: number): Promise<boolean> {
    const result = await db
      .updateTable('sms_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('attempts', '<', max)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Marks the code used; false when another request used it first. */
  async consume(db: Db, id: number, now: string): Promise<boolean> {
    const result = await db
      .updateTable('sms_codes')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
