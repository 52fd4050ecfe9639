// SQL for the staff digest: who gets one (unit staff and heads with a confirmed address), and each unit's counts.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

export interface DigestRecipient {
  userId: number;
  units: { id: number; name: string; head: boolean }[];
}

export interface UnitCounts {
  fresh: number;
  dueSoon: number;
  overdue: number;
  awaitingApproval: number;
}

export const digestRepository = {
  async recipients(db: Db): Promise<DigestRecipient[]> {
    const rows = await db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .innerJoin('email_addresses', 'email_addresses.user_id', 'users.id')
      .innerJoin('handling_units', (join) =>
        join.on(sql`cast(handling_units.id as varchar(20))`, '=', sql.ref('role_grants.scope_id')),
      )
      .select(['users.id as user_id', 'role_grants.role', 'handling_units.id as unit_id', 'handling_units.name'])
      .where('role_grants.role', 'in', ['unit_staff', 'unit_head'])
      .where('role_grants.scope_type', '=', 'unit')
      .where('users.deleted_at', 'is', null)
      .where('email_addresses.verified_at', 'is not', null)
      .orderBy('users.id')
      .orderBy('handling_units.id')
      .execute();
    const byUser = new Map<number, DigestRecipient>();
    for (const r of rows) {
      let entry = byUser.get(r.user_id);
      if (!entry) byUser.set(r.user_id, (entry = { userId: r.user_id, units: [] }));
      const known = entry.units.find((u) => u.id === r.unit_id);
      if (known) known.head ||= r.role === 'unit_head';
      else entry.units.push({ id: r.unit_id, name: r.name, head: r.role === 'unit_head' });
    }
    return [...byUser.values()];
  },

  async counts(db: Db, unitId: number, now: string, soon: string): Promise<UnitCounts> {
    const open = db
      .selectFrom('messages')
      .where('current_unit_id', '=', unitId)
      .where('status', 'in', ['pending', 'assigned']);
    const due = sql<string>`case when messages.status = 'pending' then messages.accept_due_at else messages.handle_due_at end`;
    const count = async (q: typeof open) =>
      Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const awaiting = await db
      .selectFrom('replies')
      .innerJoin('messages', 'messages.id', 'replies.message_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('replies.status', '=', 'pending_approval')
      .where('messages.current_unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    return {
      fresh: await count(
        db.selectFrom('messages').where('current_unit_id', '=', unitId).where('status', '=', 'pending'),
      ),
      dueSoon: await count(open.where(due, '>=', now).where(due, '<', soon)),
      overdue: await count(open.where(due, '<', now)),
      awaitingApproval: Number(awaiting.n),
    };
  },
};
