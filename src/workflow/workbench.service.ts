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
import { isPriority, type Priority } from './transitions.ts';
import {
  inbox,
  inboxCounts,
  type InboxCounts,
  type InboxScope,
  type InboxSort,
  workflowRepository,
} from './workflow.repository.ts';

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
  unit?: string;
  priority?: string;
  supervised?: string;
  awaiting?: string;
  sort?: string;
  page?: string;
}

export interface InboxRow {
  id: number;
  title: string;
  /** The type's and domain's Chinese names (the API's labels); the keys name them in the page's language. */
  type: string;
  domain: string;
  typeKey: string;
  domainKey: string;
  status: { key: string; label: string };
  priority: Priority;
  unit: string | null;
  /** "正定县 · 县长"; the region's name and the board's title name it in the page's language. */
  board: string;
  regionName: string;
  boardTitle: string;
  dueAt: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  /** Under supervision (督办); `dueAt` is the date a hand-issued notice asks the unit to act by. */
  supervision: { dueAt: string | null } | null;
  /** Where the current reply stands, when it waits for someone. */
  awaiting: 'approval' | 'signature' | null;
}

export interface Inbox {
  rows: InboxRow[];
  counts: InboxCounts;
  /** Messages matching the filters, over all pages. */
  total: number;
  page: number;
  pageSize: number;
  /** The filters as understood (unknown values dropped), for the links and the form. */
  query: InboxQuery;
}

/** Messages due within this many working days count as "due soon". */
export const DUE_SOON_DAYS = 2;
export const INBOX_PAGE_SIZE = 50;
const SORTS: readonly InboxSort[] = ['deadline', 'urgent', 'newest'];

/** The units, regions and boards a person's inbox covers. */
export async function inboxScope(db: Db, user: CurrentUser): Promise<InboxScope> {
  const unitIds = user.grants
    .filter((g) => g.role === 'unit_staff' || g.role === 'unit_head')
    .map((g) => Number(g.scopeId));
  const boardIds = user.grants.filter((g) => g.role === 'leader').map((g) => Number(g.scopeId));
  const regionPrefixes: string[] = [];
  for (const g of user.grants.filter((g) => g.role === 'supervisor')) {
    if (g.scopeType === 'region') regionPrefixes.push(regionPrefix(g.scopeId));
    else {
      const unit = await workflowRepository.unit(db, Number(g.scopeId));
      if (unit) regionPrefixes.push(regionPrefix(unit.region_code));
    }
  }
  return { unitIds, boardIds, regionPrefixes };
}

/** The query with only the values the inbox knows; anything else is dropped rather than refused. */
export function cleanInboxQuery(q: InboxQuery): InboxQuery {
  const keep = (value: string | undefined, ok: boolean) =>
    value !== undefined && value !== '' && ok ? value : undefined;
  const page = Number(q.page);
  const out: InboxQuery = {
    status: keep(q.status, ['pending', 'assigned', 'replied'].includes(q.status ?? '')),
    overdue: keep(q.overdue, q.overdue === '1'),
    dueSoon: keep(q.dueSoon, q.dueSoon === '1'),
    type: keep(q.type, Object.hasOwn(MESSAGE_TYPES, q.type ?? '')),
    domain: keep(q.domain, Object.hasOwn(DOMAINS, q.domain ?? '')),
    board: keep(q.board, idFromText(q.board) !== null),
    unit: keep(q.unit, idFromText(q.unit) !== null),
    priority: keep(q.priority, isPriority(q.priority)),
    supervised: keep(q.supervised, q.supervised === '1'),
    awaiting: keep(q.awaiting, q.awaiting === 'approval' || q.awaiting === 'signature'),
    sort: keep(q.sort, (SORTS as readonly string[]).includes(q.sort ?? '') && q.sort !== 'deadline'),
    page: keep(q.page, Number.isInteger(page) && page > 1 && page <= 10_000),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as InboxQuery;
}

export async function loadInbox(db: Db, user: CurrentUser, raw: InboxQuery, now = new Date()): Promise<Inbox> {
  const q = cleanInboxQuery(raw);
  const scope = await inboxScope(db, user);
  const page = Number(q.page ?? 1);
  const dueSoonBefore = addWorkingDays(now, DUE_SOON_DAYS).toISOString();
  const counts = await inboxCounts(
    db,
    { ...scope, unit: idFromText(q.unit) ?? undefined },
    now.toISOString(),
    dueSoonBefore,
  );
  // Without a filter that narrows the counts, they already say how many messages of each status the page runs over.
  const narrowed = Boolean(
    q.type || q.domain || q.board || q.priority || q.overdue || q.dueSoon || q.supervised || q.awaiting,
  );
  const { rows, total } = await inbox(
    db,
    {
      ...scope,
      status: q.status,
      overdue: q.overdue === '1',
      dueBefore: q.dueSoon === '1' ? dueSoonBefore : undefined,
      type: q.type,
      domain: q.domain,
      board: idFromText(q.board) ?? undefined,
      unit: idFromText(q.unit) ?? undefined,
      priority: q.priority,
      supervised: q.supervised === '1',
      awaiting: q.awaiting as 'approval' | 'signature' | undefined,
      sort: (q.sort as InboxSort | undefined) ?? 'deadline',
      now: now.toISOString(),
      limit: INBOX_PAGE_SIZE,
      offset: (page - 1) * INBOX_PAGE_SIZE,
    },
    narrowed ? undefined : { pending: counts.pending, assigned: counts.assigned, replied: counts.replied },
  );
  return {
    rows: rows.map((m) => {
      const dueAt = m.status === 'pending' ? m.accept_due_at : m.status === 'assigned' ? m.handle_due_at : null;
      const overdue = dueAt !== null && Date.parse(dueAt) < now.getTime();
      return {
        id: m.id,
        title: m.title,
        type: MESSAGE_TYPES[m.type as MessageType] ?? m.type,
        domain: DOMAINS[m.domain as Domain]?.label ?? m.domain,
        typeKey: m.type,
        domainKey: m.domain,
        status: { key: m.status, label: STATUSES[m.status as MessageStatus] ?? m.status },
        priority: isPriority(m.priority) ? m.priority : 'normal',
        unit: m.unit_name,
        board: `${m.region_name} · ${m.board_title}`,
        regionName: m.region_name,
        boardTitle: m.board_title,
        dueAt,
        workingDaysLeft: dueAt && !overdue ? workingDaysBetween(now, new Date(dueAt)) : null,
        overdue,
        supervision:
          Number(m.supervisions ?? 0) > 0 && m.status !== 'replied' ? { dueAt: m.supervision_due_at ?? null } : null,
        awaiting:
          m.reply_status === 'pending_approval' ? 'approval' : m.reply_status === 'pending_sign' ? 'signature' : null,
      };
    }),
    counts,
    total,
    page,
    pageSize: INBOX_PAGE_SIZE,
    query: q,
  };
}
