// SQL for the admin-visible log of staff logins, permission changes and session revocations.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

export type AdminLogAction =
  | 'staff.login'
  | 'staff.create'
  | 'role.grant'
  | 'role.revoke'
  | 'session.revoke'
  | 'totp.enable'
  | 'totp.disable'
  | 'settings.change'
  | 'account.delete'
  | 'evaluation.config'
  | 'evaluation.run'
  | 'evaluation.award'
  | 'evaluation.confirm'
  | 'evaluation.publish'
  | 'story.create'
  | 'story.update'
  | 'story.video'
  | 'story.captions'
  | 'story.publish'
  | 'story.unpublish'
  | 'solicitation.create'
  | 'solicitation.edit'
  | 'solicitation.advance'
  | 'solicitation.entry.approve'
  | 'solicitation.entry.refuse'
  | 'solicitation.votes.void'
  | 'solicitation.announce'
  | 'article.create'
  | 'article.update'
  | 'article.publish'
  | 'article.unpublish'
  | 'article.delete'
  | 'article.image';

export const adminLogRepository = {
  async append(
    db: Db,
    entry: {
      actorId: number | null;
      action: AdminLogAction;
      targetUserId: number | null;
      detail?: object;
      ip?: string | null;
    },
  ) {
    await db
      .insertInto('admin_log')
      .values({
        actor_id: entry.actorId,
        action: entry.action,
        target_user_id: entry.targetUserId,
        detail: JSON.stringify(entry.detail ?? {}),
        ip: entry.ip ?? null,
      })
      .execute();
  },

  /**
   * One page of the log, newest first, narrowed by action (or an action family such as `evaluation.`), by the name
   * or number of the one who acted or was acted on, and by time; `beforeId` continues after a page.
   */
  search(db: Db, f: { action?: string; who?: string; from?: string; to?: string; beforeId?: number; limit: number }) {
    let query = db
      .selectFrom('admin_log as l')
      .leftJoin('users as a', 'a.id', 'l.actor_id')
      .leftJoin('users as t', 't.id', 'l.target_user_id')
      .select([
        'l.id',
        'l.action',
        'l.detail',
        'l.ip',
        'l.created_at',
        'l.actor_id',
        'a.nickname as actor_name',
        'l.target_user_id',
        't.nickname as target_name',
      ])
      .orderBy('l.id', 'desc')
      .limit(f.limit);
    if (f.action)
      query = f.action.endsWith('.')
        ? query.where('l.action', 'like', `${f.action}%`)
        : query.where('l.action', '=', f.action);
    if (f.who) {
      const who = f.who;
      // The same escape on both engines: SQLite has no default escape character for LIKE.
      const like = `%${who.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`a.nickname like ${like} escape '!'`,
          sql<boolean>`t.nickname like ${like} escape '!'`,
          eb('a.phone', '=', who),
          eb('t.phone', '=', who),
        ]),
      );
    }
    if (f.from) query = query.where('l.created_at', '>=', f.from);
    if (f.to) query = query.where('l.created_at', '<', f.to);
    if (f.beforeId) query = query.where('l.id', '<', f.beforeId);
    return query.execute();
  },

  listAboutUser(db: Db, userId: number) {
    return db
      .selectFrom('admin_log')
      .select(['action', 'detail', 'ip', 'created_at'])
      .where('target_user_id', '=', userId)
      .orderBy('id')
      .execute()
      .then((rows) =>
        rows.map((l) => ({ action: l.action, detail: JSON.parse(l.detail) as unknown, ip: l.ip, at: l.created_at })),
      );
  },
};
