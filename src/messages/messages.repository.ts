// SQL for messages and their attachments.
import type { Db } from '../db/kysely.ts';

export type MessageRow = NonNullable<Awaited<ReturnType<typeof messagesRepository.findById>>>;

export const messagesRepository = {
  findById(db: Db, id: number) {
    return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(
    db: Db,
    row: {
      boardId: number;
      regionCode: string;
      authorId: number;
      type: string;
      domain: string;
      title: string;
      body: string;
      originalSealed: string | null;
      remarksSealed: string | null;
      location: string | null;
      visibility: string;
      trackingCode: string;
      channel: string;
      flags: string;
      currentUnitId: number;
      submittedAt: string;
      reviewDueAt: string;
      clientKey?: string | null;
    },
  ): Promise<number> {
    const inserted = await db
      .insertInto('messages')
      .values({
        board_id: row.boardId,
        region_code: row.regionCode,
        author_id: row.authorId,
        type: row.type,
        domain: row.domain,
        title: row.title,
        body: row.body,
        original_sealed: row.originalSealed,
        remarks_sealed: row.remarksSealed,
        location: row.location,
        visibility: row.visibility,
        status: 'submitted',
        tracking_code: row.trackingCode,
        channel: row.channel,
        flags: row.flags,
        current_unit_id: row.currentUnitId,
        submitted_at: row.submittedAt,
        review_due_at: row.reviewDueAt,
        client_key: row.clientKey ?? null,
        updated_at: row.submittedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  trackingCodeTaken(db: Db, code: string) {
    return db.selectFrom('messages').select('id').where('tracking_code', '=', code).executeTakeFirst();
  },

  async insertAttachment(
    db: Db,
    row: {
      messageId: number;
      key: string;
      type: string;
      width: number;
      height: number;
      bytes: number;
      isPublic: boolean;
      position: number;
    },
  ) {
    await db
      .insertInto('message_attachments')
      .values({
        message_id: row.messageId,
        storage_key: row.key,
        media_type: row.type,
        width: row.width,
        height: row.height,
        bytes: row.bytes,
        is_public: row.isPublic ? 1 : 0,
        position: row.position,
      })
      .execute();
  },

  listAttachments(db: Db, messageId: number) {
    return db
      .selectFrom('message_attachments')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('position')
      .execute();
  },

  findAttachment(db: Db, id: number) {
    return db.selectFrom('message_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findIdempotent(db: Db, userId: number, key: string) {
    return db
      .selectFrom('idempotency_keys')
      .select('message_id')
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
  },

  async saveIdempotencyKey(db: Db, userId: number, key: string, messageId: number) {
    await db.insertInto('idempotency_keys').values({ user_id: userId, key, message_id: messageId }).execute();
  },

  /**
   * Moves a message from one status to another, only if it is still in the expected one: two people
   * acting at once cannot both succeed.
   */
  async transition(
    db: Db,
    id: number,
    from: string,
    to: string,
    changes: Record<string, unknown> = {},
  ): Promise<boolean> {
    const result = await db
      .updateTable('messages')
      .set({ ...changes, status: to, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  listByAuthor(db: Db, authorId: number) {
    return db
      .selectFrom('messages')
      .innerJoin('boards', 'boards.id', 'messages.board_id')
      .innerJoin('regions', 'regions.code', 'boards.region_code')
      .select([
        'messages.id',
        'messages.title',
        'messages.status',
        'messages.tracking_code',
        'messages.submitted_at',
        'messages.reject_reason',
        'boards.title as board_title',
        'regions.name as region_name',
      ])
      .where('messages.author_id', '=', authorId)
      .orderBy('messages.id', 'desc')
      .execute();
  },

  /** The review queue, oldest first: what has waited longest is reviewed first. */
  listForReview(db: Db, limit = 50) {
    return db
      .selectFrom('messages')
      .innerJoin('boards', 'boards.id', 'messages.board_id')
      .innerJoin('regions', 'regions.code', 'boards.region_code')
      .leftJoin('open311_requests', 'open311_requests.message_id', 'messages.id')
      .leftJoin('open311_keys', 'open311_keys.id', 'open311_requests.key_id')
      .select([
        'messages.id',
        'messages.title',
        'messages.body',
        'messages.type',
        'messages.domain',
        'messages.flags',
        'messages.visibility',
        'messages.channel',
        'messages.submitted_at',
        'messages.review_due_at',
        'boards.title as board_title',
        'regions.name as region_name',
        'open311_keys.organisation',
      ])
      .where('messages.status', '=', 'submitted')
      .orderBy('messages.id')
      .limit(limit)
      .execute();
  },
};
