// SQL for the published figures: per-message facts, monthly rollups per scope and the handling-time histograms.
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { MessageFactsTable } from '../db/schema.ts';
import { insertInChunks } from '../db/batch.ts';
import { maxParameters } from '../db/dialect.ts';
import type { FactsEvent, FactsMessage, MessageFacts, Counters } from './message-facts.ts';
import { COUNTERS } from './message-facts.ts';

export interface RollupDelta {
  scope: string;
  month: string;
  counters: Counters;
}
export interface HistogramDelta {
  scope: string;
  month: string;
  days: number;
  count: number;
}

/** Which facts column a region of each level is found in. */
const REGION_COLUMN = { province: 'province_code', city: 'city_code', county: 'region_code' } as const;

function toFacts(row: Selectable<MessageFactsTable>): MessageFacts {
  return {
    messageId: row.message_id,
    boardId: row.board_id,
    unitId: row.unit_id,
    regionCode: row.region_code,
    provinceCode: row.province_code,
    cityCode: row.city_code,
    type: row.type,
    receivedAt: row.received_at,
    receivedDay: row.received_day,
    expected: row.expected,
    repliedAt: row.replied_at,
    dueAt: row.due_at,
    onTime: row.on_time,
    handlingDays: row.handling_days,
    resolved: row.resolved,
    overdue: row.overdue,
    returned: row.returned,
    reopened: row.reopened,
    signed: row.signed,
    ratingResolution: row.rating_resolution,
    ratingTimeliness: row.rating_timeliness,
    ratingAttitude: row.rating_attitude,
  };
}

export function factsRow(f: MessageFacts) {
  return {
    message_id: f.messageId,
    board_id: f.boardId,
    unit_id: f.unitId,
    region_code: f.regionCode,
    province_code: f.provinceCode,
    city_code: f.cityCode,
    type: f.type,
    received_at: f.receivedAt,
    received_day: f.receivedDay,
    expected: f.expected,
    replied_at: f.repliedAt,
    due_at: f.dueAt,
    on_time: f.onTime,
    handling_days: f.handlingDays,
    resolved: f.resolved,
    overdue: f.overdue,
    returned: f.returned,
    reopened: f.reopened,
    signed: f.signed,
    rating_resolution: f.ratingResolution,
    rating_timeliness: f.ratingTimeliness,
    rating_attitude: f.ratingAttitude,
  };
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

const sumColumns = COUNTERS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c));

export const statsRepository = {
  /** The message fields the facts need, for a batch of ids, with the province and city its region lies in. */
  async factsMessages(db: Db, ids: number[]): Promise<FactsMessage[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('messages as m')
      .innerJoin('boards as b', 'b.id', 'm.board_id')
      .innerJoin('regions as r', 'r.code', 'm.region_code')
      .leftJoin('regions as up', 'up.code', 'r.parent_code')
      .select([
        'm.id',
        'm.board_id',
        'm.region_code',
        'm.type',
        'm.current_unit_id',
        'b.unit_id as board_unit_id',
        'r.level',
        'r.parent_code',
        'up.level as parent_level',
        'up.parent_code as grandparent_code',
      ])
      .where('m.id', 'in', ids)
      .execute();
    return rows.map((row) => {
      const province =
        row.level === 'province'
          ? row.region_code
          : row.parent_level === 'province'
            ? row.parent_code!
            : (row.grandparent_code ?? row.parent_code ?? row.region_code);
      const city = row.level === 'city' ? row.region_code : row.parent_level === 'city' ? row.parent_code : null;
      return {
        id: row.id,
        boardId: row.board_id,
        unitId: row.current_unit_id ?? row.board_unit_id,
        regionCode: row.region_code,
        provinceCode: province,
        cityCode: city,
        type: row.type,
      };
    });
  },

  /** The events that matter to the figures, per message, in chain order. */
  async factsEvents(db: Db, ids: number[]): Promise<Map<number, FactsEvent[]>> {
    const byMessage = new Map<number, FactsEvent[]>();
    if (ids.length === 0) return byMessage;
    const rows = await db
      .selectFrom('case_events')
      .select(['message_id', 'kind', 'created_at', 'data'])
      .where('message_id', 'in', ids)
      .where('kind', 'in', [
        'approve',
        'accept',
        'grant-extension',
        'follow-up',
        'publish-reply',
        'supervise',
        'return',
        'sign-reply',
        'rate',
      ])
      .orderBy('message_id')
      .orderBy('seq')
      .execute();
    for (const row of rows) {
      let list = byMessage.get(row.message_id);
      if (!list) byMessage.set(row.message_id, (list = []));
      list.push({ kind: row.kind, at: row.created_at, data: JSON.parse(row.data) as Record<string, unknown> });
    }
    return byMessage;
  },

  async facts(db: Db, messageId: number): Promise<MessageFacts | null> {
    const row = await db.selectFrom('message_facts').selectAll().where('message_id', '=', messageId).executeTakeFirst();
    return row ? toFacts(row) : null;
  },

  /** The stored facts of a batch of messages, by message id. */
  async factsOf(db: Db, ids: number[]): Promise<Map<number, MessageFacts>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('message_facts').selectAll().where('message_id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.message_id, toFacts(row)]));
  },

  async putFacts(db: Db, f: MessageFacts): Promise<void> {
    const row = factsRow(f);
    const { message_id: _id, ...rest } = row;
    await db
      .insertInto('message_facts')
      .values(row)
      .onConflict((oc) => oc.column('message_id').doUpdateSet(rest))
      .execute();
  },

  async deleteFacts(db: Db, messageId: number): Promise<void> {
    await db.deleteFrom('message_facts').where('message_id', '=', messageId).execute();
  },

  /**
   * Adds (or with negative counts, removes) contributions, many rows per statement, in key order so
   * concurrent writers cannot deadlock.
   */
  async applyDeltas(db: Db, rollups: RollupDelta[], histograms: HistogramDelta[]): Promise<void> {
    const sorted = [...rollups].sort((a, b) => compareKeys([a.scope, a.month], [b.scope, b.month]));
    const size = Math.max(1, Math.floor(maxParameters(db) / (COUNTERS.length + 2) / 4));
    for (let i = 0; i < sorted.length; i += size) {
      await db
        .insertInto('stats_rollups')
        .values(sorted.slice(i, i + size).map((d) => ({ scope: d.scope, month: d.month, ...d.counters })))
        .onConflict((oc) =>
          oc
            .columns(['scope', 'month'])
            .doUpdateSet((eb) =>
              Object.fromEntries(
                COUNTERS.map((c) => [c, eb(eb.ref(`stats_rollups.${c}`), '+', eb.ref(`excluded.${c}`))]),
              ),
            ),
        )
        .execute();
    }
    const hist = [...histograms].sort((a, b) => compareKeys([a.scope, a.month, a.days], [b.scope, b.month, b.days]));
    const hsize = Math.max(1, Math.floor(maxParameters(db) / 4 / 4));
    for (let i = 0; i < hist.length; i += hsize) {
      await db
        .insertInto('stats_handling_days')
        .values(hist.slice(i, i + hsize))
        .onConflict((oc) =>
          oc
            .columns(['scope', 'month', 'days'])
            .doUpdateSet((eb) => ({ count: eb(eb.ref('stats_handling_days.count'), '+', eb.ref('excluded.count')) })),
        )
        .execute();
    }
  },

  /** Replaces the facts of a batch of messages by `facts` (those that have none lose theirs). */
  async replaceFacts(db: Db, ids: number[], facts: MessageFacts[]): Promise<void> {
    if (ids.length > 0) await db.deleteFrom('message_facts').where('message_id', 'in', ids).execute();
    await insertInChunks(db, 'message_facts', facts.map(factsRow));
  },

  /** Facts left by messages that no longer exist. */
  async deleteOrphanFacts(db: Db): Promise<void> {
    await db
      .deleteFrom('message_facts')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('messages').select('id').whereRef('messages.id', '=', 'message_facts.message_id'))),
      )
      .execute();
  },

  /** Every month ('YYYY-MM') that has facts or rollups. */
  async statsMonths(db: Db): Promise<string[]> {
    const { rows } = await sql<{ month: string }>`
      select month from stats_rollups
      union select month from stats_handling_days
      union select substr(received_day, 1, 7) from message_facts
      order by 1`.execute(db);
    return rows.map((r) => r.month);
  },

  /** Empties one month's rollups and histograms, before they are summed again from its facts. */
  async clearMonth(db: Db, month: string): Promise<void> {
    await db.deleteFrom('stats_handling_days').where('month', '=', month).execute();
    await db.deleteFrom('stats_rollups').where('month', '=', month).execute();
  },

  async factsOfMonth(db: Db, month: string): Promise<MessageFacts[]> {
    const rows = await db
      .selectFrom('message_facts')
      .selectAll()
      .where('received_day', '>=', `${month}-01`)
      .where('received_day', '<=', `${month}-31`)
      .execute();
    return rows.map(toFacts);
  },

  async insertFacts(db: Db, facts: MessageFacts[]): Promise<void> {
    await insertInChunks(db, 'message_facts', facts.map(factsRow));
  },

  /** Boards whose leader has signed at least one reply. */
  async boardsWithSignedReplies(db: Db): Promise<number> {
    const row = await db
      .selectFrom('message_facts')
      .select(sql<number>`count(distinct board_id)`.as('n'))
      .where('signed', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async unit(db: Db, id: number) {
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'level', 'region_code', 'parent_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async unitsOfRegion(db: Db, code: string) {
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'level'])
      .where('region_code', '=', code)
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
  },

  async board(db: Db, id: number) {
    return db
      .selectFrom('boards')
      .select(['id', 'title', 'region_code', 'unit_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async anyMessage(db: Db): Promise<boolean> {
    return Boolean(await db.selectFrom('messages').select('id').limit(1).executeTakeFirst());
  },

  async allRollups(db: Db) {
    return db.selectFrom('stats_rollups').selectAll().execute();
  },

  async allHistograms(db: Db) {
    return db.selectFrom('stats_handling_days').selectAll().execute();
  },

  async messageIdsAfter(db: Db, after: number, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('messages')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },

  /** Summed counters per scope over months [from, to] ('YYYY-MM'). */
  async sumRollups(db: Db, scopes: string[], fromMonth: string, toMonth: string) {
    if (scopes.length === 0) return [];
    return db
      .selectFrom('stats_rollups')
      .select(['scope', ...sumColumns])
      .where('scope', 'in', scopes)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .groupBy('scope')
      .execute() as Promise<({ scope: string } & Counters)[]>;
  },

  /** Counters of one scope month by month. */
  async monthlyRollups(db: Db, scope: string, fromMonth: string, toMonth: string) {
    return db
      .selectFrom('stats_rollups')
      .selectAll()
      .where('scope', '=', scope)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .orderBy('month')
      .execute();
  },

  async sumHistograms(db: Db, scopes: string[], fromMonth: string, toMonth: string) {
    if (scopes.length === 0) return [];
    return db
      .selectFrom('stats_handling_days')
      .select(['scope', 'days', sql<number>`sum(count)`.as('count')])
      .where('scope', 'in', scopes)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .groupBy(['scope', 'days'])
      .execute();
  },

  async monthlyHistograms(db: Db, scope: string, fromMonth: string, toMonth: string) {
    return db
      .selectFrom('stats_handling_days')
      .select(['month', 'days', 'count'])
      .where('scope', '=', scope)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .execute();
  },

  /** Counters and the handling-time histogram straight from the facts, for periods that are not whole months. */
  async aggregateFacts(
    db: Db,
    filter: {
      column: 'board_id' | 'unit_id' | 'province_code' | 'city_code' | 'region_code';
      value: string | number;
    } | null,
    fromDay: string,
    toDay: string,
  ): Promise<{ counters: Counters; histogram: { days: number; count: number }[] }> {
    let base = db.selectFrom('message_facts').where('received_day', '>=', fromDay).where('received_day', '<=', toDay);
    if (filter) base = base.where(filter.column, '=', filter.value as never);
    const totals = await base
      .select([
        sql<number>`count(*)`.as('received'),
        sql<number>`coalesce(sum(expected), 0)`.as('expected'),
        sql<number>`count(replied_at)`.as('replied'),
        sql<number>`coalesce(sum(on_time), 0)`.as('on_time'),
        sql<number>`coalesce(sum(resolved), 0)`.as('resolved'),
        sql<number>`coalesce(sum(overdue), 0)`.as('overdue'),
        sql<number>`coalesce(sum(returned), 0)`.as('returned'),
        sql<number>`coalesce(sum(reopened), 0)`.as('reopened'),
        sql<number>`coalesce(sum(signed), 0)`.as('signed'),
        sql<number>`count(rating_resolution)`.as('rated'),
        sql<number>`coalesce(sum(rating_resolution), 0)`.as('resolution_sum'),
        sql<number>`coalesce(sum(rating_timeliness), 0)`.as('timeliness_sum'),
        sql<number>`coalesce(sum(rating_attitude), 0)`.as('attitude_sum'),
      ])
      .executeTakeFirstOrThrow();
    const histogram = await base
      .select(['handling_days as days', sql<number>`count(*)`.as('count')])
      .where('handling_days', 'is not', null)
      .groupBy('handling_days')
      .execute();
    const counters = Object.fromEntries(COUNTERS.map((c) => [c, Number(totals[c])])) as Counters;
    return { counters, histogram: histogram.map((h) => ({ days: h.days!, count: Number(h.count) })) };
  },

  regionColumn(level: string): (typeof REGION_COLUMN)[keyof typeof REGION_COLUMN] {
    return REGION_COLUMN[level as keyof typeof REGION_COLUMN] ?? 'region_code';
  },

  async recordRun(db: Db, id: string, detail: unknown): Promise<void> {
    const json = JSON.stringify(detail);
    await db
      .insertInto('stats_runs')
      .values({ id, detail: json })
      .onConflict((oc) => oc.column('id').doUpdateSet({ detail: json, finished_at: new Date().toISOString() }))
      .execute();
  },

  async lastRun(db: Db, id: string): Promise<{ finishedAt: string; detail: unknown } | null> {
    const row = await db.selectFrom('stats_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { finishedAt: row.finished_at, detail: JSON.parse(row.detail) as unknown } : null;
  },
};
