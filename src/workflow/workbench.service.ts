// What a staff member's inbox holds, from their grants, and the filters they can apply.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { idFromText } from '../db/ids.ts';
import type { Db } from '../db/kysely.ts';
import { addWorkingDays, workingDaysBetween } from '../deadlines/working-days.ts';
import {
  DOMAINS,
  type Domain,
  MESSAGE_TYPES,
  type MessageStatus,
  type MessageType,
  STATUSES,
} from '../messages/message-kinds.ts';
import { inbox } from './workflow.repository.ts';

/** The part of a GB/T 2260 code shared by a region and everything below it. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export interface InboxQuery {
  status?: string;
  overdue?: string;
  dueSoon?: string;
  type?: string;
  domain?: string;
  board?: string;
}

export interface InboxRow {
  id: number;
  title: string;
  type: string;
  domain: string;
  status: { key: string; label: string };
  unit: string | null;
  board: string;
  dueAt: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
}

/** Messages due within this many working days count as "due soon". */
export const DUE_SOON_DAYS = 2;

export async function loadInbox(db: Db, user: CurrentUser, q: InboxQuery, now = new Date()): Promise<InboxRow[]> {
  const unitIds = user.grants
    .filter((g) => g.role === 'unit_staff' || g.role === 'unit_head')
    .map((g) => Number(g.scopeId));
  const boardIds = user.grants.filter((g) => g.role === 'leader').map((g) => Number(g.scopeId));
  const supervised = user.grants.filter((g) => g.role === 'supervisor');
  const regionPrefixes: string[] = [];
  for (const g of supervised) {
    if (g.scopeType === 'region') regionPrefixes.push(regionPrefix(g.scopeId));
    else {
      const unit = await db
        .selectFrom('handling_units')
        .select('region_code')
        .where('id', '=', Number(g.scopeId))
        .executeTakeFirst();
      if (unit) regionPrefixes.push(regionPrefix(unit.region_code));
    }
  }
  const rows = await inbox(db, {
    unitIds,
    boardIds,
    regionPrefixes,
    status: q.status && Object.hasOwn(STATUSES, q.status) ? q.status : undefined,
    overdue: q.overdue === '1',
    dueBefore: q.dueSoon === '1' ? addWorkingDays(now, DUE_SOON_DAYS).toISOString() : undefined,
    type: q.type && Object.hasOwn(MESSAGE_TYPES, q.type) ? q.type : undefined,
    domain: q.domain && Object.hasOwn(DOMAINS, q.domain) ? q.domain : undefined,
    board: idFromText(q.board) ?? undefined,
    now: now.toISOString(),
    limit: 200,
  });
  return rows.map((m) => {
    const dueAt = m.status === 'pending' ? m.accept_due_at : m.status === 'assigned' ? m.handle_due_at : null;
    const overdue = dueAt !== null && Date.parse(dueAt) < now.getTime();
    return {
      id: m.id,
      title: m.title,
      type: MESSAGE_TYPES[m.type as MessageType] ?? m.type,
      domain: DOMAINS[m.domain as Domain]?.label ?? m.domain,
      status: { key: m.status, label: STATUSES[m.status as MessageStatus] ?? m.status },
      unit: m.unit_name,
      board: `${m.region_name} · ${m.board_title}`,
      dueAt,
      workingDaysLeft: dueAt && !overdue ? workingDaysBetween(now, new Date(dueAt)) : null,
      overdue,
    };
  });
}
