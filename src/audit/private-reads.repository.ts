// SQL for the log of staff reads of private data (private messages, remarks, private photos), for the admin's screen.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

export const privateReadsRepository = {
  /** One page of reads, newest first, narrowed by reader (name or phone), message and time. */
  search(
    db: Db,
    f: {
      who?: string;
      messageId?: number;
      what?: string;
      from?: string;
      to?: string;
      beforeId?: number;
      limit: number;
    },
  ) {
    let query = db
      .selectFrom('private_reads as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .innerJoin('messages as m', 'm.id', 'r.message_id')
      .select([
        'r.id',
        'r.what',
        'r.created_at',
        'r.message_id',
        'r.user_id',
        'u.nickname as reader_name',
        'm.title as message_title',
        'm.visibility',
      ])
      .orderBy('r.id', 'desc')
      .limit(f.limit);
    if (f.who) {
      const who = f.who;
      const like = `%${who.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      query = query.where((eb) => eb.or([sql<boolean>`u.nickname like ${like} escape '!'`, eb('u.phone', '=', who)]));
    }
    if (f.messageId) query = query.where('r.message_id', '=', f.messageId);
    if (f.what) query = query.where('r.what', '=', f.what);
    if (f.from) query = query.where('r.created_at', '>=', f.from);
    if (f.to) query = query.where('r.created_at', '<', f.to);
    if (f.beforeId) query = query.where('r.id', '<', f.beforeId);
    return query.execute();
  },

  /** The units each listed reader works in (staff, head or supervisor), for saying who they read as. */
  async readerUnits(db: Db, userIds: number[]): Promise<Map<number, string[]>> {
    if (userIds.length === 0) return new Map();
    const grants = await db
      .selectFrom('role_grants')
      .select(['user_id', 'scope_id'])
      .where('scope_type', '=', 'unit')
      .where('user_id', 'in', userIds)
      .execute();
    const unitIds = [...new Set(grants.map((g) => Number(g.scope_id)).filter((id) => Number.isInteger(id) && id > 0))];
    const names =
      unitIds.length === 0
        ? new Map<number, string>()
        : new Map(
            (await db.selectFrom('handling_units').select(['id', 'name']).where('id', 'in', unitIds).execute()).map(
              (u) => [u.id, u.name],
            ),
          );
    const out = new Map<number, string[]>();
    for (const g of grants) {
      const name = names.get(Number(g.scope_id));
      if (name) out.set(g.user_id, [...new Set([...(out.get(g.user_id) ?? []), name])]);
    }
    return out;
  },
};
