// SQL for the published figures: per-message facts, monthly rollups per scope and the handling-time histograms.
import { sql } from 'kysely';
import type { Selectable, SqlBool } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { MessageFactsTable } from '../db/schema.ts';
import { insertInChunks } from '../db/batch.ts';
import {
  advisoryXactLocks,
  charCode,
  lockRowsForUpdate,
  maxParameters,
  timestampText,
  upsertRows,
  withLargeSqliteCache,
} from '../db/dialect.ts';
import { referenceData } from '../reference/reference-cache.ts';
import type { FactsEvent, FactsMessage, MessageFacts, Counters } from './message-facts.ts';
import { COUNTERS, FACT_EVENT_KINDS, KINDS_WITH_DATA, provinceAndCity } from './message-facts.ts';

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

/**
 * Writes the facts of many messages, many rows per statement (upsertRows). A message that has facts gets them replaced:
 * only the indexes over changed columns move.
 */
async function upsertFactRows(db: Db, rows: ReturnType<typeof factsRow>[]): Promise<void> {
  await upsertRows(db, 'message_facts', FACT_COLUMNS, 'message_id', rows);
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

const sumColumns = COUNTERS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c));

const NO_DATA: Record<string, unknown> = Object.freeze({});

type FactsMessageRow = {
  id: number;
  board_id: number;
  region_code: string;
  type: string;
  current_unit_id: number | null;
  board_unit_id: number;
  level: string;
  parent_code: string | null;
  parent_level: string | null;
  grandparent_code: string | null;
};

function factsMessagesQuery(db: Db) {
  return db
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
    ]);
}

function toFactsMessage(row: FactsMessageRow): FactsMessage {
  const { provinceCode, cityCode } = provinceAndCity({
    code: row.region_code,
    level: row.level,
    parentCode: row.parent_code,
    parentLevel: row.parent_level,
    grandparentCode: row.grandparent_code,
  });
  return {
    id: row.id,
    boardId: row.board_id,
    unitId: row.current_unit_id ?? row.board_unit_id,
    regionCode: row.region_code,
    provinceCode,
    cityCode,
    type: row.type,
  };
}

/** Events rows grouped by message, in the order read; data parsed only where deriveFacts reads it. */
function groupEvents(rows: { message_id: number; kind: string; created_at: string; data: string }[]) {
  const byMessage = new Map<number, FactsEvent[]>();
  for (const row of rows) {
    let list = byMessage.get(row.message_id);
    if (!list) byMessage.set(row.message_id, (list = []));
    const data = KINDS_WITH_DATA.has(row.kind) ? (JSON.parse(row.data) as Record<string, unknown>) : NO_DATA;
    list.push({ kind: row.kind, at: row.created_at, data });
  }
  return byMessage;
}

/** The columns of message_facts with their PostgreSQL types (factsRow's keys, in its order). */
const FACT_COLUMNS: Record<keyof ReturnType<typeof factsRow>, 'integer' | 'text' | 'timestamptz'> = {
  message_id: 'integer',
  board_id: 'integer',
  unit_id: 'integer',
  region_code: 'text',
  province_code: 'text',
  city_code: 'text',
  type: 'text',
  received_at: 'timestamptz',
  received_day: 'text',
  expected: 'integer',
  replied_at: 'timestamptz',
  due_at: 'timestamptz',
  on_time: 'integer',
  handling_days: 'integer',
  resolved: 'integer',
  overdue: 'integer',
  returned: 'integer',
  reopened: 'integer',
  signed: 'integer',
  rating_resolution: 'integer',
  rating_timeliness: 'integer',
  rating_attitude: 'integer',
};

/** A month as the two-integer key of PostgreSQL's advisory locks on its rollups: 202606 for '2026-06'. */
const STATS_LOCK_CLASS = 0x5354_4154; // 'STAT'
const monthLockKey = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));

/** SQL for a month's facts: the rollup scopes with their counters, or with their handling-time histograms. */
const RATED = sql`rating_resolution is not null and rating_timeliness is not null and rating_attitude is not null`;
const COUNTER_SQL: Record<(typeof COUNTERS)[number], ReturnType<typeof sql>> = {
  received: sql`count(*)`,
  expected: sql`sum(expected)`,
  replied: sql`count(replied_at)`,
  on_time: sql`coalesce(sum(on_time), 0)`,
  resolved: sql`sum(resolved)`,
  overdue: sql`sum(overdue)`,
  returned: sql`sum(returned)`,
  reopened: sql`sum(reopened)`,
  signed: sql`sum(signed)`,
  rated: sql`sum(case when ${RATED} then 1 else 0 end)`,
  resolution_sum: sql`sum(case when ${RATED} then rating_resolution else 0 end)`,
  timeliness_sum: sql`sum(case when ${RATED} then rating_timeliness else 0 end)`,
  attitude_sum: sql`sum(case when ${RATED} then rating_attitude else 0 end)`,
};
/**
 * Each kind of scope a fact counts in (scopesOf): its scope key, the condition for counting there and the grouping.
 * A region counts once however many of the fact's region, city and province it is.
 */
const SCOPE_KINDS = [
  { key: sql`'p'`, where: sql`1 = 1`, group: null },
  { key: sql`'b:' || board_id`, where: sql`1 = 1`, group: sql`board_id` },
  { key: sql`'u:' || unit_id`, where: sql`1 = 1`, group: sql`unit_id` },
  { key: sql`'r:' || province_code`, where: sql`1 = 1`, group: sql`province_code` },
  {
    key: sql`'r:' || city_code`,
    where: sql`city_code is not null and city_code <> province_code`,
    group: sql`city_code`,
  },
  {
    key: sql`'r:' || region_code`,
    where: sql`region_code <> province_code and (city_code is null or region_code <> city_code)`,
    group: sql`region_code`,
  },
];

function monthRange(month: string) {
  return sql`received_day >= ${`${month}-01`} and received_day <= ${`${month}-31`}`;
}

/**
 * The families of scope keys, each rebuilt in a transaction of its own ('p', boards, units, regions of every level), and
 * what falls in none of them (a key no family makes, which a rebuild only deletes).
 */
export const SCOPE_FAMILIES = ['p', 'b:', 'u:', 'r:', 'other'] as const;
export type ScopeFamily = (typeof SCOPE_FAMILIES)[number];
const FAMILY_KINDS: Record<ScopeFamily, typeof SCOPE_KINDS> = {
  p: SCOPE_KINDS.slice(0, 1),
  'b:': SCOPE_KINDS.slice(1, 2),
  'u:': SCOPE_KINDS.slice(2, 3),
  'r:': SCOPE_KINDS.slice(3),
  other: [],
};
function familyFilter(family: ScopeFamily) {
  if (family === 'p') return sql<SqlBool>`scope = 'p'`;
  if (family === 'other') return sql<SqlBool>`scope <> 'p' and substr(scope, 1, 2) not in ('b:', 'u:', 'r:')`;
  return sql<SqlBool>`substr(scope, 1, 2) = ${family}`;
}

/** (scope, counters…) of every scope with facts in the month, one row per scope kind and scope. */
function monthCountersSql(month: string, kinds = SCOPE_KINDS) {
  const counters = sql.join(COUNTERS.map((c) => sql`${COUNTER_SQL[c]} as ${sql.ref(c)}`));
  return sql.join(
    kinds.map(
      (k) =>
        sql`select ${k.key} as scope, ${counters} from message_facts where ${monthRange(month)} and ${k.where}${
          // Without a grouping an aggregate gives a row even for no facts at all; that row is no rollup.
          k.group ? sql` group by ${k.group}` : sql` having count(*) > 0`
        }`,
    ),
    sql` union all `,
  );
}

/** (scope, days, count) of every scope with replied facts in the month. */
function monthHistogramSql(month: string, kinds = SCOPE_KINDS) {
  return sql.join(
    kinds.map(
      (k) =>
        sql`select ${k.key} as scope, handling_days as days, count(*) as count from message_facts where ${monthRange(
          month,
        )} and handling_days is not null and ${k.where} group by ${k.group ? sql`${k.group}, ` : sql``}handling_days`,
    ),
    sql` union all `,
  );
}

export const statsRepository = {
  /** The message fields the facts need, for a batch of ids, with the province and city its region lies in. */
  async factsMessages(db: Db, ids: number[]): Promise<FactsMessage[]> {
    if (ids.length === 0) return [];
    const rows = await factsMessagesQuery(db).where('m.id', 'in', ids).execute();
    return rows.map(toFactsMessage);
  },

  /** The same for the next `limit` messages after id `after`, in id order. */
  async factsMessagesAfter(db: Db, after: number, limit: number): Promise<FactsMessage[]> {
    const rows = await factsMessagesQuery(db).where('m.id', '>', after).orderBy('m.id').limit(limit).execute();
    return rows.map(toFactsMessage);
  },

  /** The events that matter to the figures, per message, in chain order. */
  async factsEvents(db: Db, ids: number[]): Promise<Map<number, FactsEvent[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('case_events')
      .select(['message_id', 'kind', 'created_at', 'data'])
      .where('message_id', 'in', ids)
      .where('kind', 'in', FACT_EVENT_KINDS)
      .orderBy('message_id')
      .orderBy('seq')
      .execute();
    return groupEvents(rows);
  },

  /** The same for the messages with ids in (after, last]. */
  async factsEventsBetween(db: Db, after: number, last: number): Promise<Map<number, FactsEvent[]>> {
    const rows = await db
      .selectFrom('case_events')
      .select([
        'message_id',
        'kind',
        'created_at',
        // Only what deriveFacts reads: most events' data is never looked at.
        sql<string>`case when kind in (${sql.join([...KINDS_WITH_DATA])}) then data else '{}' end`.as('data'),
      ])
      .where('message_id', '>', after)
      .where('message_id', '<=', last)
      .where('kind', 'in', FACT_EVENT_KINDS)
      .orderBy('message_id')
      .orderBy('seq')
      .execute();
    return groupEvents(rows);
  },

  /** How many of those events each message in (after, last] has: they are only ever appended. */
  async factsEventCounts(db: Db, after: number, last: number): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('case_events')
      .select(['message_id', sql<number>`count(*)`.as('n')])
      .where('message_id', '>', after)
      .where('message_id', '<=', last)
      .where('kind', 'in', FACT_EVENT_KINDS)
      .groupBy('message_id')
      .execute();
    return new Map(rows.map((r) => [r.message_id, Number(r.n)]));
  },

  /**
   * The stored facts of the messages with ids in (after, last] as their `factsSignature`, written out by the database
   * (one string a row instead of 22 values: reading a million rows of facts is most of a recomputation's reading), with
   * the month each was received in.
   */
  async factSignaturesBetween(
    db: Db,
    after: number,
    last: number,
  ): Promise<Map<number, { signature: string; month: string }>> {
    const separator = charCode(db, 31);
    const none = charCode(db, 30);
    const parts = Object.entries(FACT_COLUMNS)
      .filter(([column]) => column !== 'message_id')
      .map(([column, type]) => {
        const ref = sql.ref(column);
        const text = type === 'timestamptz' ? timestampText(db, ref) : sql`cast(${ref} as text)`;
        return sql`coalesce(${text}, ${none})`;
      });
    const rows = await db
      .selectFrom('message_facts')
      .select([
        'message_id',
        'received_day',
        sql<string>`${sql.join(parts, sql` || ${separator} || `)}`.as('signature'),
      ])
      .where('message_id', '>', after)
      .where('message_id', '<=', last)
      .execute();
    return new Map(
      rows.map((row) => [row.message_id, { signature: row.signature, month: row.received_day.slice(0, 7) }]),
    );
  },

  /**
   * PostgreSQL: holds the messages' rows until the transaction ends. Every case event is appended while its message's
   * row is held (a guarded step or hold), so nothing can be added to these histories meanwhile. SQLite: the
   * transaction's write lock already keeps every other writer out.
   */
  async lockMessages(trx: Db, ids: number[]): Promise<void> {
    await lockRowsForUpdate(trx, 'messages', ids);
  },

  /**
   * PostgreSQL: a shared lock on each month's rollups for whoever adds to them, an exclusive one for a recomputation
   * of the month, held until the transaction ends (SQLite's write lock does the same for every transaction).
   */
  async lockMonths(trx: Db, months: Iterable<string>, mode: 'shared' | 'exclusive'): Promise<void> {
    await advisoryXactLocks(trx, STATS_LOCK_CLASS, [...months].map(monthLockKey), mode);
  },

  /** Writes facts and deletes those of `remove`, many rows per statement. */
  async writeFacts(db: Db, upsert: MessageFacts[], remove: number[]): Promise<void> {
    const idChunk = Math.floor(maxParameters(db) / 4);
    for (let i = 0; i < remove.length; i += idChunk) {
      await db
        .deleteFrom('message_facts')
        .where('message_id', 'in', remove.slice(i, i + idChunk))
        .execute();
    }
    await upsertFactRows(db, upsert.map(factsRow));
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
    await statsRepository.lockMonths(
      db,
      [...rollups, ...histograms].map((d) => d.month),
      'shared',
    );
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

  /** Facts left by messages that no longer exist (with ids above `after`). */
  async deleteOrphanFacts(db: Db, after = 0): Promise<void> {
    await db
      .deleteFrom('message_facts')
      .where('message_id', '>', after)
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

  /**
   * Whether the month's stored rollups or histograms differ from sums over its facts, compared by the database in one
   * statement each (one snapshot): scopes whose stored counters minus the facts' do not all come to 0.
   */
  async monthDiffers(db: Db, month: string): Promise<boolean> {
    const stored = sql.join(COUNTERS.map((c) => sql`-${sql.ref(c)}`));
    const differs = sql.join(
      COUNTERS.map((c) => sql`sum(${sql.ref(c)}) <> 0`),
      sql` or `,
    );
    const rollups = await sql<{ scope: string }>`
      select scope from (${monthCountersSql(month)}
        union all select scope, ${stored} from stats_rollups where month = ${month}) d
      group by scope having ${differs} limit 1`.execute(db);
    if (rollups.rows.length > 0) return true;
    const histograms = await sql<{ scope: string }>`
      select scope from (${monthHistogramSql(month)}
        union all select scope, days, -count from stats_handling_days where month = ${month}) d
      group by scope, days having sum(count) <> 0 limit 1`.execute(db);
    return histograms.rows.length > 0;
  },

  /**
   * Moves the counters of months ('YYYY-MM') whose facts, rollups or histograms the transaction changes, so that figures
   * kept by any process for those months are read again. In key order, after the rollups (the order every writer keeps).
   */
  async touchMonths(db: Db, months: Iterable<string>): Promise<void> {
    const sorted = [...new Set(months)].sort();
    if (sorted.length === 0) return;
    await db
      .insertInto('stats_versions')
      .values(sorted.map((month) => ({ month, version: 1 })))
      .onConflict((oc) =>
        oc.column('month').doUpdateSet((eb) => ({ version: eb(eb.ref('stats_versions.version'), '+', 1) })),
      )
      .execute();
  },

  async countRollups(db: Db): Promise<number> {
    const row = await db
      .selectFrom('stats_rollups')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /**
   * SQLite: runs `work` with a page cache of 256 MB on the connection (put back after), so that a recomputation writing
   * hundreds of thousands of facts finds the pages of their eight indexes in memory rather than reading them again from
   * the file for every batch. Nothing to do on PostgreSQL.
   */
  async withLargePageCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
    return withLargeSqliteCache(db, work);
  },

  /** Every month's counter. */
  async versions(db: Db): Promise<Map<string, number>> {
    const rows = await db.selectFrom('stats_versions').select(['month', 'version']).execute();
    return new Map(rows.map((r) => [r.month, Number(r.version)]));
  },

  /**
   * Replaces one family of a month's rollups and histograms (see SCOPE_FAMILIES) by sums over its facts, set-based: a
   * transaction per family keeps the write lock short.
   */
  async rebuildMonth(db: Db, month: string, family: ScopeFamily): Promise<void> {
    await db.deleteFrom('stats_handling_days').where('month', '=', month).where(familyFilter(family)).execute();
    await db.deleteFrom('stats_rollups').where('month', '=', month).where(familyFilter(family)).execute();
    const kinds = FAMILY_KINDS[family];
    if (kinds.length > 0) {
      const columns = sql.join(COUNTERS.map((c) => sql.ref(c)));
      const sums = sql.join(COUNTERS.map((c) => sql`sum(${sql.ref(c)})`));
      await sql`
        insert into stats_rollups (scope, month, ${columns})
        select scope, cast(${month} as text), ${sums} from (${monthCountersSql(month, kinds)}) d
        group by scope`.execute(db);
      await sql`
        insert into stats_handling_days (scope, month, days, count)
        select scope, cast(${month} as text), days, sum(count) from (${monthHistogramSql(month, kinds)}) d
        group by scope, days`.execute(db);
    }
    await statsRepository.touchMonths(db, [month]);
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
    const reference = await referenceData(db);
    if (reference) {
      const u = reference.unit(id);
      return u && { id: u.id, name: u.name, level: u.level, region_code: u.region_code, parent_id: u.parent_id };
    }
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'level', 'region_code', 'parent_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** The active units seated in a region, by id (from the reference data the app keeps, when it keeps it). */
  async unitsOfRegion(db: Db, code: string): Promise<{ id: number; name: string; level: string }[]> {
    const reference = await referenceData(db);
    if (reference) {
      return reference
        .regionUnits(code)
        .filter((u) => Boolean(u.active))
        .map((u) => ({ id: u.id, name: u.name, level: u.level }));
    }
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'level'])
      .where('region_code', '=', code)
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
  },

  async board(db: Db, id: number) {
    const reference = await referenceData(db);
    if (reference) {
      const b = reference.board(id);
      return b && { id: b.id, title: b.title, region_code: b.region_code, unit_id: b.unit_id };
    }
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
