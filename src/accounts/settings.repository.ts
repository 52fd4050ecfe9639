// SQL for platform settings an admin changes at run time (stored as JSON values).
import type { Db } from '../db/kysely.ts';
import { referenceData } from '../reference/reference-cache.ts';

export const settingsRepository = {
  async get<T>(db: Db, key: string, fallback: T): Promise<T> {
    const reference = await referenceData(db);
    if (reference) {
      const value = reference.setting(key);
      return value === undefined ? fallback : (JSON.parse(value) as T);
    }
    const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : fallback;
  },

  async set(db: Db, key: string, value: unknown) {
    const json = JSON.stringify(value);
    const now = new Date().toISOString();
    await db
      .insertInto('settings')
      .values({ key, value: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
      .execute();
  },
};
