// SQL for looking a message up by its tracking code: the message, its board, its unit and its latest public reply.
import type { Db } from '../db/kysely.ts';

export const trackingRepository = {
  findByCode(db: Db, code: string) {
    return db
      .selectFrom('messages')
      .innerJoin('boards', 'boards.id', 'messages.board_id')
      .innerJoin('regions', 'regions.code', 'boards.region_code')
      .leftJoin('handling_units', 'handling_units.id', 'messages.current_unit_id')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .select([
        'messages.id',
        'messages.title',
        'messages.status',
        'messages.visibility',
        'messages.tracking_code',
        'messages.duplicate_of',
        'messages.submitted_at',
        'messages.accept_due_at',
        'messages.handle_due_at',
        'messages.rating_due_at',
        'messages.updated_at',
        'messages.author_id',
        'users.phone as author_phone',
        'boards.title as board_title',
        'regions.name as region_name',
        'handling_units.name as unit_name',
      ])
      .where('messages.tracking_code', '=', code)
      .executeTakeFirst();
  },

  /** The newest published reply of a message, with the unit that gave it. */
  latestPublishedReply(db: Db, messageId: number) {
    return db
      .selectFrom('replies')
      .innerJoin('handling_units', 'handling_units.id', 'replies.unit_id')
      .select(['replies.body', 'replies.published_at', 'handling_units.name as unit_name'])
      .where('replies.message_id', '=', messageId)
      .where('replies.status', '=', 'published')
      .orderBy('replies.id', 'desc')
      .executeTakeFirst();
  },
};
