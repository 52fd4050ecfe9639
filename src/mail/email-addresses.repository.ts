// SQL for each account's e-mail address: the confirmed one, and one waiting for its confirmation link.
import type { Db } from '../db/kysely.ts';

export interface EmailState {
  address: string | null;
  verifiedAt: string | null;
  pendingAddress: string | null;
  tokenExpiresAt: string | null;
  updatedAt: string;
}

export const emailAddressesRepository = {
  async find(db: Db, userId: number): Promise<EmailState | null> {
    const row = await db
      .selectFrom('email_addresses')
      .select(['address', 'verified_at', 'pending_address', 'token_expires_at', 'updated_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row
      ? {
          address: row.address,
          verifiedAt: row.verified_at,
          pendingAddress: row.pending_address,
          tokenExpiresAt: row.token_expires_at,
          updatedAt: row.updated_at,
        }
      : null;
  },

  async savePending(
    db: Db,
    userId: number,
    pending: { address: string; tokenHash: string; expiresAt: string; at: string },
  ) {
    const values = {
      pending_address: pending.address,
      token_hash: pending.tokenHash,
      token_expires_at: pending.expiresAt,
      updated_at: pending.at,
    };
    await db
      .insertInto('email_addresses')
      .values({ user_id: userId, address: null, verified_at: null, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  },

  /** Confirms the address waiting under this token, if it has not expired; returns its account. */
  async confirm(db: Db, tokenHash: string, now: string): Promise<number | null> {
    const row = await db
      .selectFrom('email_addresses')
      .select(['user_id', 'pending_address'])
      .where('token_hash', '=', tokenHash)
      .where('token_expires_at', '>', now)
      .executeTakeFirst();
    if (!row?.pending_address) return null;
    const result = await db
      .updateTable('email_addresses')
      .set({
        address: row.pending_address,
        verified_at: now,
        pending_address: null,
        token_hash: null,
        token_expires_at: null,
        updated_at: now,
      })
      .where('user_id', '=', row.user_id)
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? row.user_id : null;
  },

  async remove(db: Db, userId: number): Promise<void> {
    await db.deleteFrom('email_addresses').where('user_id', '=', userId).execute();
  },
};
