// SQL for the review queue beyond the list itself: how long it is, who sent each item, and what else they sent lately.
import type { Db } from '../db/kysely.ts';

export const reviewRepository = {
  /** Messages waiting for review, and how many of them are past their review deadline. */
  async queueSize(db: Db, now: string): Promise<{ total: number; overdue: number }> {
    const row = await db
      .selectFrom('messages')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('review_due_at', '<', now).then(1).else(0).end()).as('overdue'),
      ])
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), overdue: Number(row.overdue ?? 0) };
  },

  /** The author and network digest of each listed message. */
  senders(db: Db, ids: number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('messages').select(['id', 'author_id', 'client_key']).where('id', 'in', ids).execute();
  },

  /** Messages sent since `since` by one of these accounts or from one of these networks, newest first. */
  recentFrom(db: Db, authorIds: number[], clientKeys: string[], since: string, limit: number) {
    if (authorIds.length === 0 && clientKeys.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('messages')
      .select(['id', 'author_id', 'client_key', 'title', 'body', 'status'])
      .where('submitted_at', '>=', since)
      .where((eb) =>
        eb.or([
          ...(authorIds.length > 0 ? [eb('author_id', 'in', authorIds)] : []),
          ...(clientKeys.length > 0 ? [eb('client_key', 'in', clientKeys)] : []),
        ]),
      )
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  },
};
