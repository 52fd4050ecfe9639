// SQL for a unit's overview: the messages it handles now by where they stand, and each staff member's replies.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

const runningDue = sql<
  string | null
>`(case when messages.status = 'pending' then messages.accept_due_at when messages.status = 'assigned' then messages.handle_due_at end)`;

export const dashboardRepository = {
  /** Messages the unit handles now (pending or assigned to it), counted by where they stand. */
  async openCounts(db: Db, unitId: number, now: string, dueSoonBefore: string) {
    const replyIs = (status: string) =>
      sql<number>`sum(case when exists (select 1 from replies r where r.message_id = messages.id and r.status = ${status}) then 1 else 0 end)`;
    const row = await db
      .selectFrom('messages')
      .where('messages.current_unit_id', '=', unitId)
      .where('messages.status', 'in', ['pending', 'assigned'])
      .select((eb) => [
        eb.fn.countAll<number>().as('open'),
        sql<number>`sum(case when messages.status = 'pending' then 1 else 0 end)`.as('pending'),
        sql<number>`sum(case when ${runningDue} < ${now} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when ${runningDue} >= ${now} and ${runningDue} <= ${dueSoonBefore} then 1 else 0 end)`.as(
          'dueSoon',
        ),
        sql<number>`sum(case when messages.priority = 'urgent' then 1 else 0 end)`.as('urgent'),
        sql<number>`sum(case when exists (select 1 from supervisions s where s.message_id = messages.id) then 1 else 0 end)`.as(
          'supervised',
        ),
        replyIs('pending_approval').as('awaitingApproval'),
        replyIs('pending_sign').as('awaitingSignature'),
      ])
      .executeTakeFirstOrThrow();
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)])) as Record<
      keyof typeof row,
      number
    >;
  },

  /** Open messages the unit assigned to units below it. */
  async assignedOut(db: Db, unitId: number): Promise<number> {
    const row = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assigned_by_unit_id', '=', unitId)
      .where('status', 'in', ['pending', 'assigned'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** The unit's open messages past their deadline, the longest overdue first. */
  overdueList(db: Db, unitId: number, now: string, limit: number) {
    return db
      .selectFrom('messages')
      .select(['id', 'title', 'status', 'priority', runningDue.as('due_at')])
      .where('current_unit_id', '=', unitId)
      .where('status', 'in', ['pending', 'assigned'])
      .where(runningDue, '<', now)
      .orderBy(runningDue)
      .limit(limit)
      .execute();
  },

  /** The unit's staff and heads, one row per grant. */
  staff(db: Db, unitId: number) {
    return db
      .selectFrom('role_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.id', 'u.nickname', 'u.last_login_at', 'g.role'])
      .where('g.scope_type', '=', 'unit')
      .where('g.scope_id', '=', String(unitId))
      .where('g.role', 'in', ['unit_staff', 'unit_head'])
      .where('u.deleted_at', 'is', null)
      .orderBy('u.id')
      .execute();
  },

  /** Replies of the unit not yet published, by author and status. */
  unpublishedByAuthor(db: Db, unitId: number) {
    return db
      .selectFrom('replies')
      .select(['author_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('unit_id', '=', unitId)
      .where('status', 'in', ['draft', 'pending_approval', 'pending_sign'])
      .groupBy(['author_id', 'status'])
      .execute();
  },

  /** Replies of the unit published since `since`, by author. */
  publishedByAuthor(db: Db, unitId: number, since: string) {
    return db
      .selectFrom('replies')
      .select(['author_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('unit_id', '=', unitId)
      .where('status', '=', 'published')
      .where('published_at', '>=', since)
      .groupBy('author_id')
      .execute();
  },
};
