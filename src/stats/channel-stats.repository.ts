// SQL for the figures by channel: messages received in a period (as every figure counts them, by the day they reached
// the handling units), and how many of them have been answered, per channel and per Open311 organisation.
import type { Db } from '../db/kysely.ts';

export type ScopeColumn = 'province_code' | 'city_code' | 'region_code' | 'unit_id' | 'board_id';

export const channelStatsRepository = {
  async byChannel(
    db: Db,
    filter: { column: ScopeColumn | null; value: string | number | null; from: string; to: string },
  ) {
    let query = db
      .selectFrom('message_facts as f')
      .innerJoin('messages as m', 'm.id', 'f.message_id')
      .leftJoin('open311_requests as o', 'o.message_id', 'm.id')
      .leftJoin('open311_keys as k', 'k.id', 'o.key_id')
      .select((eb) => [
        'm.channel',
        'k.organisation',
        eb.fn.countAll<number>().as('received'),
        eb.fn.count<number>('f.replied_at').as('replied'),
      ])
      .where('f.received_day', '>=', filter.from)
      .where('f.received_day', '<=', filter.to);
    if (filter.column && filter.value !== null) query = query.where(`f.${filter.column}`, '=', filter.value as never);
    const rows = await query.groupBy(['m.channel', 'k.organisation']).orderBy('m.channel').execute();
    return rows.map((r) => ({
      channel: r.channel,
      organisation: r.organisation,
      received: Number(r.received),
      replied: Number(r.replied),
    }));
  },

  region(db: Db, code: string) {
    return db.selectFrom('regions').select(['code', 'level']).where('code', '=', code).executeTakeFirst();
  },
};
