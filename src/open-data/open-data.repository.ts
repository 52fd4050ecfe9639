// SQL for the open-data dump: the facts of every message that reached the handling units with the public text,
// published replies, reference tables, and the once-a-day claim that keeps several processes from dumping twice.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

/** The run row that marks a day's dump, in the statistics runs table. */
const runId = (date: string) => `open-data:${date}`;

export interface ClaimState {
  state: 'running' | 'done';
  by: string;
}

export const openDataRepository = {
  /** The next batch of messages with facts, by id; private ones come with their text, which the caller withholds. */
  async messagesAfter(db: Db, after: number, limit: number) {
    return db
      .selectFrom('message_facts as f')
      .innerJoin('messages as m', 'm.id', 'f.message_id')
      .select([
        'f.message_id',
        'f.board_id',
        'f.unit_id',
        'f.region_code',
        'f.province_code',
        'f.city_code',
        'f.type',
        'm.domain',
        'm.visibility',
        'm.channel',
        'm.status',
        'f.received_at',
        'f.received_day',
        'f.expected',
        'f.replied_at',
        'f.due_at',
        'f.on_time',
        'f.handling_days',
        'f.resolved',
        'f.overdue',
        'f.returned',
        'f.reopened',
        'f.signed',
        'f.rating_resolution',
        'f.rating_timeliness',
        'f.rating_attitude',
        'm.title',
        'm.body',
      ])
      .where('f.message_id', '>', after)
      .orderBy('f.message_id')
      .limit(limit)
      .execute();
  },

  /** Published replies of the given messages, in order of message and round. */
  async publishedReplies(db: Db, messageIds: number[]) {
    if (messageIds.length === 0) return [];
    return db
      .selectFrom('replies as r')
      .innerJoin('handling_units as u', 'u.id', 'r.unit_id')
      .select([
        'r.id as reply_id',
        'r.message_id',
        'r.round',
        'r.unit_id',
        'u.name as unit_name',
        'r.body',
        'r.resolved',
        'r.published_at',
        'r.signer_name',
      ])
      .where('r.message_id', 'in', messageIds)
      .where('r.status', '=', 'published')
      .where('r.published_at', 'is not', null)
      .orderBy('r.message_id')
      .orderBy('r.round')
      .orderBy('r.id')
      .execute();
  },

  async regions(db: Db) {
    return db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).orderBy('code').execute();
  },

  async units(db: Db) {
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'level', 'region_code', 'parent_id'])
      .orderBy('id')
      .execute();
  },

  async boards(db: Db) {
    return db
      .selectFrom('boards')
      .select(['id', 'region_code', 'title', 'holder_name', 'unit_id'])
      .orderBy('id')
      .execute();
  },

  /**
   * Takes the day's dump for this process: true when its insert took effect, or when it took over a claim left
   * 'running' for longer than `staleMs` by a process that died. The run row's time is when the claim was made.
   */
  async claimDay(db: Db, date: string, by: string, now: Date, staleMs: number): Promise<boolean> {
    const detail = JSON.stringify({ state: 'running', by } satisfies ClaimState);
    const inserted = await db
      .insertInto('stats_runs')
      .values({ id: runId(date), detail, finished_at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
    const existing = await db
      .selectFrom('stats_runs')
      .select(['detail', 'finished_at'])
      .where('id', '=', runId(date))
      .executeTakeFirst();
    if (!existing) return false;
    const state = JSON.parse(existing.detail) as ClaimState;
    if (state.state !== 'running' || Date.parse(existing.finished_at) > now.getTime() - staleMs) return false;
    // Compare-and-set on the row as read: of several processes taking over, one wins.
    const taken = await db
      .updateTable('stats_runs')
      .set({ detail, finished_at: now.toISOString() })
      .where('id', '=', runId(date))
      .where('detail', '=', existing.detail)
      .where(sql`finished_at`, '=', existing.finished_at)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) > 0;
  },

  async finishDay(db: Db, date: string, detail: Record<string, unknown>): Promise<void> {
    await db
      .updateTable('stats_runs')
      .set({ detail: JSON.stringify({ state: 'done', ...detail }), finished_at: new Date().toISOString() })
      .where('id', '=', runId(date))
      .execute();
  },

  /** Gives up a claim after a failed dump, so that a later pass (here or elsewhere) tries again. */
  async releaseDay(db: Db, date: string, by: string): Promise<void> {
    await db
      .deleteFrom('stats_runs')
      .where('id', '=', runId(date))
      .where('detail', '=', JSON.stringify({ state: 'running', by } satisfies ClaimState))
      .execute();
  },

  async dayState(db: Db, date: string): Promise<ClaimState['state'] | null> {
    const row = await db.selectFrom('stats_runs').select('detail').where('id', '=', runId(date)).executeTakeFirst();
    return row ? (JSON.parse(row.detail) as ClaimState).state : null;
  },
};
