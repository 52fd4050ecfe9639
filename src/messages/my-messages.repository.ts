// SQL for an author's own messages as the app lists them: status, tracking code and what awaits the author.
import type { Db } from '../db/kysely.ts';

export const myMessagesRepository = {
  list(db: Db, authorId: number, opts: { beforeId?: number; limit: number }) {
    let query = db
      .selectFrom('messages')
      .innerJoin('boards', 'boards.id', 'messages.board_id')
      .innerJoin('regions', 'regions.code', 'boards.region_code')
      .select([
        'messages.id',
        'messages.title',
        'messages.status',
        'messages.visibility',
        'messages.channel',
        'messages.tracking_code',
        'messages.submitted_at',
        'messages.updated_at',
        'messages.rating_due_at',
        'messages.follow_ups',
        'messages.reject_reason',
        'boards.id as board_id',
        'boards.title as board_title',
        'regions.name as region_name',
      ])
      .where('messages.author_id', '=', authorId);
    if (opts.beforeId !== undefined) query = query.where('messages.id', '<', opts.beforeId);
    return query.orderBy('messages.id', 'desc').limit(opts.limit).execute();
  },
};
