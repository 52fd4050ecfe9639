// SQL for messages and their attachments.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

/** The columns a step may expect to be unchanged since the message was read. */
type StepColumn = 'status' | 'version' | 'current_unit_id' | 'accept_due_at' | 'handle_due_at' | 'follow_ups';

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
  ): Promise<number | undefined> {
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
      // The tracking code is drawn at random: one already taken gives no row (undefined), and the caller draws again.
      .onConflict((oc) => oc.column('tracking_code').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted?.id;
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
    return messagesRepository.step(db, id, { status: from }, { ...changes, status: to });
  },

  /**
   * One handling step on a message, only if it is still as the caller read it: every listed column (status,
   * version, current unit, …) still holds the value read, a null one still null. The version goes up by one, so a
   * step read before this one can no longer take effect. Of two people acting at once exactly one succeeds: the
   * other gets false (on PostgreSQL the second update waits for the first to commit, then finds the row changed).
   * Call it first in the step's transaction: the row stays locked until the commit, so the case event, the
   * notifications and any other write of the step happen for the winner only, one step after another.
   */
  async step(
    db: Db,
    id: number,
    expected: Partial<Record<StepColumn, string | number | null>>,
    changes: Record<string, unknown> = {},
  ): Promise<boolean> {
    let query = db
      .updateTable('messages')
      .set({ ...changes, version: sql<number>`version + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', id);
    for (const [column, value] of Object.entries(expected) as [StepColumn, string | number | null][]) {
      query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /**
   * Holds the message for the rest of the transaction without changing it, if it is still as read (see `step`):
   * for writes that must not race a step (a draft saved, a 督办 and its case event) but that leave the pages
   * others have open valid.
   */
  async hold(db: Db, id: number, expected: Partial<Record<StepColumn, string | number | null>> = {}): Promise<boolean> {
    let query = db
      .updateTable('messages')
      .set({ version: sql<number>`version` })
      .where('id', '=', id);
    for (const [column, value] of Object.entries(expected) as [StepColumn, string | number | null][]) {
      query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
    }
    const result = await query.executeTakeFirst();
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
