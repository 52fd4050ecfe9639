// SQL for each person's choice of notice channels and the language notices are written in, and the check that a
// number has unsubscribed from SMS.
import type { Db } from '../db/kysely.ts';

export interface PreferenceRow {
  kind: string;
  site: boolean;
  sms: boolean;
  email: boolean;
}

export const noticePreferencesRepository = {
  async list(db: Db, userId: number): Promise<PreferenceRow[]> {
    const rows = await db
      .selectFrom('notice_preferences')
      .select(['kind', 'site', 'sms', 'email'])
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ kind: r.kind, site: Boolean(r.site), sms: Boolean(r.sms), email: Boolean(r.email) }));
  },

  async find(db: Db, userId: number, kind: string): Promise<PreferenceRow | undefined> {
    const r = await db
      .selectFrom('notice_preferences')
      .select(['kind', 'site', 'sms', 'email'])
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r && { kind: r.kind, site: Boolean(r.site), sms: Boolean(r.sms), email: Boolean(r.email) };
  },

  /**
   * What notify() needs of a recipient in one query: the account's language and its saved choice for the kind (none
   * when it never chose). Undefined for an account that does not exist.
   */
  async recipient(
    db: Db,
    userId: number,
    kind: string,
  ): Promise<{ locale: string | null; saved: PreferenceRow | undefined } | undefined> {
    const r = await db
      .selectFrom('users as u')
      .leftJoin('notice_preferences as p', (join) => join.onRef('p.user_id', '=', 'u.id').on('p.kind', '=', kind))
      .select(['u.locale', 'p.kind', 'p.site', 'p.sms', 'p.email'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!r) return undefined;
    const saved =
      r.kind === null
        ? undefined
        : { kind: r.kind, site: Boolean(r.site), sms: Boolean(r.sms), email: Boolean(r.email) };
    return { locale: r.locale, saved };
  },

  /** The region of a unit, whose notices are written in the region's language. */
  async unitRegion(db: Db, unitId: number): Promise<string | null> {
    const row = await db.selectFrom('handling_units').select('region_code').where('id', '=', unitId).executeTakeFirst();
    return row?.region_code ?? null;
  },

  /** An account's stored language (null: none chosen). */
  async localeOf(db: Db, userId: number): Promise<string | null> {
    const row = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
    return row?.locale ?? null;
  },

  /** The account holding a number (not deleted), with its language: texts to the number are written in it. */
  async accountOfPhone(db: Db, phone: string): Promise<{ id: number; locale: string | null } | undefined> {
    return db
      .selectFrom('users')
      .select(['id', 'locale'])
      .where('phone', '=', phone)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  },

  async save(db: Db, userId: number, row: PreferenceRow, at: string): Promise<void> {
    const values = { site: row.site ? 1 : 0, sms: row.sms ? 1 : 0, email: row.email ? 1 : 0, updated_at: at };
    await db
      .insertInto('notice_preferences')
      .values({ user_id: userId, kind: row.kind, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet(values))
      .execute();
  },

  async isOptedOut(db: Db, phone: string): Promise<boolean> {
    return (
      (await db.selectFrom('sms_opt_outs').select('phone').where('phone', '=', phone).executeTakeFirst()) !== undefined
    );
  },

  async optOut(db: Db, phone: string): Promise<boolean> {
    const row = await db
      .insertInto('sms_opt_outs')
      .values({ phone })
      .onConflict((oc) => oc.column('phone').doNothing())
      .returning('phone')
      .executeTakeFirst();
    return row !== undefined;
  },

  async optIn(db: Db, phone: string): Promise<void> {
    await db.deleteFrom('sms_opt_outs').where('phone', '=', phone).execute();
  },

  /** The confirmed e-mail address of an account, if it has one. */
  async verifiedEmail(db: Db, userId: number): Promise<string | null> {
    const row = await db
      .selectFrom('email_addresses')
      .select('address')
      .where('user_id', '=', userId)
      .where('verified_at', 'is not', null)
      .executeTakeFirst();
    return row?.address ?? null;
  },
};
