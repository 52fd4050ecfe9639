// SQL for the holders of each board over time and the replies they signed.
//
// A signed reply belongs to the holder whose term covered the moment it was signed (published): terms are only ever
// closed and opened, never moved, so a change of holder leaves every earlier reply with the earlier holder.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';
import { PUBLISHED } from '../messages/message-view.ts';

export interface Term {
  boardId: number;
  since: string | null;
  until: string | null;
}

/** A reply signed by the board's leader and published on a public message (`r` the reply, `m` its message). */
const signedInPublic = sql<boolean>`r.signer_id is not null and r.status = 'published' and r.published_at is not null
  and m.visibility = 'public' and m.status in (${sql.join([...PUBLISHED])})`;

const HOLDER_COLUMNS = [
  'h.id',
  'h.board_id',
  'h.name',
  'h.post',
  'h.since',
  'h.until',
  'b.title as board_title',
  'b.region_code',
  'g.name as region_name',
  'g.level',
] as const;

export const holdersRepository = {
  /** Ends the board's current term (if any) at `at` and, with a name, opens the next one there. */
  async changeHolder(db: Db, c: { boardId: number; name: string | null; post: string; at: string }): Promise<void> {
    await db
      .updateTable('board_holders')
      .set({ until: c.at })
      .where('board_id', '=', c.boardId)
      .where('until', 'is', null)
      .execute();
    if (c.name) {
      await db
        .insertInto('board_holders')
        .values({ board_id: c.boardId, name: c.name, post: c.post, since: c.at })
        .execute();
    }
  },

  findById(db: Db, id: number) {
    return db
      .selectFrom('board_holders as h')
      .innerJoin('boards as b', 'b.id', 'h.board_id')
      .innerJoin('regions as g', 'g.code', 'b.region_code')
      .select(HOLDER_COLUMNS)
      .where('h.id', '=', id)
      .executeTakeFirst();
  },

  /** The board's holders, the current one first, then back in time. */
  forBoard(db: Db, boardId: number) {
    return db
      .selectFrom('board_holders')
      .select(['id', 'name', 'post', 'since', 'until'])
      .where('board_id', '=', boardId)
      .orderBy('id', 'desc')
      .execute();
  },

  /** One page of the public replies signed during the term, newest first. */
  signedReplies(db: Db, term: Term, page: { limit: number; offset: number }) {
    let query = db
      .selectFrom('replies as r')
      .innerJoin('messages as m', 'm.id', 'r.message_id')
      .select([
        'r.id',
        'r.body',
        'r.published_at',
        'r.signer_name',
        'r.resolved',
        'm.id as message_id',
        'm.title',
        'm.type',
        'm.domain',
        'm.status',
      ])
      .where('m.board_id', '=', term.boardId)
      .where(signedInPublic)
      .orderBy('r.published_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(page.limit)
      .offset(page.offset);
    if (term.since) query = query.where('r.published_at', '>=', term.since);
    if (term.until) query = query.where('r.published_at', '<', term.until);
    return query.execute();
  },

  async countSigned(db: Db, term: Term): Promise<number> {
    let query = db
      .selectFrom('replies as r')
      .innerJoin('messages as m', 'm.id', 'r.message_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('m.board_id', '=', term.boardId)
      .where(signedInPublic);
    if (term.since) query = query.where('r.published_at', '>=', term.since);
    if (term.until) query = query.where('r.published_at', '<', term.until);
    return Number((await query.executeTakeFirstOrThrow()).n);
  },

  /** Every holder who signed at least one public reply during their term, with how many and the latest. */
  whoReplied(db: Db) {
    return db
      .selectFrom('replies as r')
      .innerJoin('messages as m', 'm.id', 'r.message_id')
      .innerJoin('board_holders as h', 'h.board_id', 'm.board_id')
      .innerJoin('boards as b', 'b.id', 'h.board_id')
      .innerJoin('regions as g', 'g.code', 'b.region_code')
      .select([
        ...HOLDER_COLUMNS,
        (eb) => eb.fn.countAll<number>().as('signed'),
        (eb) => eb.fn.max('r.published_at').as('last_signed_at'),
      ])
      .where(signedInPublic)
      .where((eb) =>
        eb.and([
          eb.or([eb('h.since', 'is', null), eb('r.published_at', '>=', eb.ref('h.since'))]),
          eb.or([eb('h.until', 'is', null), eb('r.published_at', '<', eb.ref('h.until'))]),
        ]),
      )
      .groupBy([
        'h.id',
        'h.board_id',
        'h.name',
        'h.post',
        'h.since',
        'h.until',
        'b.title',
        'b.region_code',
        'g.name',
        'g.level',
      ])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('h.id')
      .execute();
  },

  /** The current holder of each of these boards (an open term). */
  async current(db: Db, boardIds: number[]): Promise<Map<number, { id: number; name: string }>> {
    if (boardIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('board_holders')
      .select(['id', 'board_id', 'name'])
      .where('board_id', 'in', boardIds)
      .where('until', 'is', null)
      .execute();
    return new Map(rows.map((r) => [r.board_id, { id: r.id, name: r.name }]));
  },
};
