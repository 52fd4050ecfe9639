// SQL for feeds and the sitemap: only public, published messages and their published replies.
import type { Db } from '../db/kysely.ts';
import { PUBLISHED } from '../messages/message-view.ts';

/** Which messages a feed covers: one board's, or a region's and everything below it. */
export type FeedScope = { boardId: number } | { regionPrefix: string };

export interface FeedEntry {
  kind: 'message' | 'reply';
  messageId: number;
  /** The reply's id, for reply entries. */
  replyId: number | null;
  title: string;
  /** The public text: the message body as published (personal data masked) or the reply. */
  text: string;
  /** When it became public: the message's approval, the reply's publication. */
  at: string;
  authorId: number | null;
  unitName: string | null;
}

export interface SitemapRow {
  id: number;
  updatedAt: string;
}

export const feedsRepository = {
  /** The newest `limit` entries of the scope: messages and replies merged, newest first. */
  async latestEntries(db: Db, scope: FeedScope, limit: number): Promise<FeedEntry[]> {
    const inScope = 'boardId' in scope;
    let messages = db
      .selectFrom('messages')
      .select(['id', 'title', 'body', 'approved_at', 'author_id'])
      .where('visibility', '=', 'public')
      .where('status', 'in', PUBLISHED)
      .where('approved_at', 'is not', null)
      .orderBy('approved_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    messages = inScope
      ? messages.where('board_id', '=', scope.boardId)
      : messages.where('region_code', 'like', `${scope.regionPrefix}%`);

    let replies = db
      .selectFrom('replies')
      .innerJoin('messages as m', 'm.id', 'replies.message_id')
      .innerJoin('handling_units as u', 'u.id', 'replies.unit_id')
      .select(['replies.id', 'replies.message_id', 'replies.body', 'replies.published_at', 'm.title', 'u.name'])
      .where('replies.status', '=', 'published')
      .where('replies.published_at', 'is not', null)
      .where('m.visibility', '=', 'public')
      .where('m.status', 'in', PUBLISHED)
      .orderBy('replies.published_at', 'desc')
      .orderBy('replies.id', 'desc')
      .limit(limit);
    replies = inScope
      ? replies.where('m.board_id', '=', scope.boardId)
      : replies.where('m.region_code', 'like', `${scope.regionPrefix}%`);

    const [messageRows, replyRows] = await Promise.all([messages.execute(), replies.execute()]);
    const entries: FeedEntry[] = [
      ...messageRows.map((m) => ({
        kind: 'message' as const,
        messageId: m.id,
        replyId: null,
        title: m.title,
        text: m.body,
        at: m.approved_at!,
        authorId: m.author_id,
        unitName: null,
      })),
      ...replyRows.map((r) => ({
        kind: 'reply' as const,
        messageId: r.message_id,
        replyId: r.id,
        title: r.title,
        text: r.body,
        at: r.published_at!,
        authorId: null,
        unitName: r.name,
      })),
    ];
    return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.messageId - a.messageId).slice(0, limit);
  },

  async regionCodes(db: Db): Promise<string[]> {
    return (await db.selectFrom('regions').select('code').orderBy('code').execute()).map((r) => r.code);
  },

  async boards(db: Db): Promise<SitemapRow[]> {
    const rows = await db.selectFrom('boards').select(['id', 'updated_at']).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
  },

  /** The newest public published messages, by id. */
  async latestMessages(db: Db, limit: number): Promise<SitemapRow[]> {
    if (limit <= 0) return [];
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'updated_at'])
      .where('visibility', '=', 'public')
      .where('status', 'in', PUBLISHED)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
  },
};
