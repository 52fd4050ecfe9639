// SQL for in-site notifications: to one user or to every member of a handling unit.
import type { Db } from '../db/kysely.ts';

export interface Notification {
  id: number;
  userId: number | null;
  unitId: number | null;
  messageId: number | null;
  text: string;
  readAt: string | null;
  createdAt: string;
}

const COLUMNS = ['id', 'user_id', 'unit_id', 'message_id', 'text', 'read_at', 'created_at'] as const;

type Row = {
  id: number;
  user_id: number | null;
  unit_id: number | null;
  message_id: number | null;
  text: string;
  read_at: string | null;
  created_at: string;
};

const toNotification = (r: Row): Notification => ({
  id: r.id,
  userId: r.user_id,
  unitId: r.unit_id,
  messageId: r.message_id,
  text: r.text,
  readAt: r.read_at,
  createdAt: r.created_at,
});

/** The newest notifications addressed to any of these units, for the unit workbench. */
export async function listUnitNotifications(db: Db, unitIds: number[], limit: number): Promise<Notification[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('notifications')
    .select(COLUMNS)
    .where('unit_id', 'in', unitIds)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}

export const notificationsRepository = {
  async insert(
    db: Db,
    row: { userId: number | null; unitId: number | null; messageId: number | null; text: string; createdAt: string },
  ): Promise<void> {
    await db
      .insertInto('notifications')
      .values({
        user_id: row.userId,
        unit_id: row.unitId,
        message_id: row.messageId,
        text: row.text,
        created_at: row.createdAt,
      })
      .execute();
  },

  /** One page of a user's notifications, newest first; `beforeId` continues after the last one of a page. */
  async listForUser(db: Db, userId: number, opts: { beforeId?: number; limit: number }): Promise<Notification[]> {
    let query = db.selectFrom('notifications').select(COLUMNS).where('user_id', '=', userId);
    if (opts.beforeId !== undefined) query = query.where('id', '<', opts.beforeId);
    const rows = await query.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(toNotification);
  },

  async countUnread(db: Db, userId: number): Promise<number> {
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Marks every unread notification of the user as read; returns how many changed. */
  async markAllRead(db: Db, userId: number, now: string): Promise<number> {
    const result = await db
      .updateTable('notifications')
      .set({ read_at: now })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  listForUnits: listUnitNotifications,
};
