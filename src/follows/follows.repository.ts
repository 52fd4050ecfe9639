// SQL for follows: who follows which message or board, and who is to hear of a change.
import type { Db } from '../db/kysely.ts';

export type FollowKind = 'message' | 'board';

export interface FollowTarget {
  kind: FollowKind;
  id: number;
}

export interface FollowRecord {
  id: number;
  userId: number;
  target: FollowTarget;
  sms: boolean;
  createdAt: string;
}

/** A follow with what the list pages show of its target. */
export interface FollowListing extends FollowRecord {
  /** The message title or the board's name; null when the message is no longer public. */
  title: string | null;
  /** A followed board's region and leader's post, as stored, for pages to name in their language. */
  board?: { regionName: string; title: string } | null;
}

export interface Follower {
  userId: number;
  sms: boolean;
}

const COLUMNS = [
  'follows.id',
  'follows.user_id',
  'follows.message_id',
  'follows.board_id',
  'follows.sms',
  'follows.created_at',
] as const;

type Row = {
  id: number;
  user_id: number;
  message_id: number | null;
  board_id: number | null;
  sms: number;
  created_at: string;
};

const toRecord = (r: Row): FollowRecord => ({
  id: r.id,
  userId: r.user_id,
  target: r.message_id !== null ? { kind: 'message', id: r.message_id } : { kind: 'board', id: r.board_id ?? 0 },
  sms: Boolean(r.sms),
  createdAt: r.created_at,
});

const column = (kind: FollowKind) => (kind === 'message' ? 'follows.message_id' : 'follows.board_id');

export const followsRepository = {
  /**
   * The user's follow of this target, the oldest if a race left two: the table's unique key has a NULL in every
   * row, so it cannot stop duplicates; the service and notifyFollowers cope with them instead.
   */
  async find(db: Db, userId: number, target: FollowTarget): Promise<FollowRecord | undefined> {
    const row = await db
      .selectFrom('follows')
      .select(COLUMNS)
      .where('follows.user_id', '=', userId)
      .where(column(target.kind), '=', target.id)
      .orderBy('follows.id')
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  },

  async findById(db: Db, id: number): Promise<FollowRecord | undefined> {
    const row = await db.selectFrom('follows').select(COLUMNS).where('follows.id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  },

  async insert(db: Db, userId: number, target: FollowTarget, sms: boolean, createdAt: string): Promise<number> {
    const row = await db
      .insertInto('follows')
      .values({
        user_id: userId,
        message_id: target.kind === 'message' ? target.id : null,
        board_id: target.kind === 'board' ? target.id : null,
        sms: sms ? 1 : 0,
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async setSms(db: Db, id: number, sms: boolean): Promise<void> {
    await db
      .updateTable('follows')
      .set({ sms: sms ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  },

  /** Ends every follow of the user on this target; returns how many there were. */
  async deleteFor(db: Db, userId: number, target: FollowTarget): Promise<number> {
    const result = await db
      .deleteFrom('follows')
      .where('user_id', '=', userId)
      .where(target.kind === 'message' ? 'message_id' : 'board_id', '=', target.id)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** Deletes one follow if it is the user's; true when it was. */
  async deleteOwned(db: Db, userId: number, id: number): Promise<boolean> {
    const result = await db.deleteFrom('follows').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async deleteForUser(db: Db, userId: number): Promise<void> {
    await db.deleteFrom('follows').where('user_id', '=', userId).execute();
  },

  /**
   * The user's follows, newest first, with the message title (only while the message is public and published)
   * or the board's region and title.
   */
  async listForUser(db: Db, userId: number, publishedStatuses: readonly string[]): Promise<FollowListing[]> {
    const rows = await db
      .selectFrom('follows')
      .leftJoin('messages as m', 'm.id', 'follows.message_id')
      .leftJoin('boards as b', 'b.id', 'follows.board_id')
      .leftJoin('regions as r', 'r.code', 'b.region_code')
      .select(COLUMNS)
      .select([
        'm.title as message_title',
        'm.visibility',
        'm.status',
        'b.title as board_title',
        'r.name as region_name',
      ])
      .where('follows.user_id', '=', userId)
      .orderBy('follows.id', 'desc')
      .execute();
    return rows.map((r) => {
      const visible = r.visibility === 'public' && publishedStatuses.includes(r.status ?? '');
      const title =
        r.message_id !== null
          ? visible
            ? r.message_title
            : null
          : r.board_title
            ? `${r.region_name ?? ''} · ${r.board_title}`
            : null;
      const board = r.board_title ? { regionName: r.region_name ?? '', title: r.board_title } : null;
      return { ...toRecord(r), title, board };
    });
  },

  /**
   * Everyone who follows the message or the board, once each (SMS if any of their follows asks for it), leaving
   * out one user (the author) and closed accounts.
   */
  async followersOf(
    db: Db,
    targets: { messageId: number; boardId: number },
    exceptUserId: number,
  ): Promise<Follower[]> {
    const rows = await db
      .selectFrom('follows')
      .innerJoin('users as u', 'u.id', 'follows.user_id')
      .select(['follows.user_id', (eb) => eb.fn.max('follows.sms').as('sms')])
      .where((eb) =>
        eb.or([eb('follows.message_id', '=', targets.messageId), eb('follows.board_id', '=', targets.boardId)]),
      )
      .where('follows.user_id', '<>', exceptUserId)
      .where('u.deleted_at', 'is', null)
      .groupBy('follows.user_id')
      .orderBy('follows.user_id')
      .execute();
    return rows.map((r) => ({ userId: r.user_id, sms: Number(r.sms) > 0 }));
  },
};
