// SQL for handling: replies, ratings, extensions, supervision notices, working rules and unit trees.
import { type RawBuilder, sql } from 'kysely';
import { FLAGGED_OPEN } from '../db/migrations/0022-inbox-flagged.ts';
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';
import { referenceData } from '../reference/reference-cache.ts';

/** A reply not yet published; one per message and round (unique index replies_one_open). */
const OPEN_REPLY = ['draft', 'pending_approval', 'pending_sign'];

export const workflowRepository = {
  async unit(db: Db, id: number) {
    const reference = await referenceData(db);
    if (reference) {
      const unit = reference.unit(id);
      return unit && { id: unit.id, name: unit.name, parent_id: unit.parent_id, region_code: unit.region_code };
    }
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'parent_id', 'region_code'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Units whose chain of parents passes through `ancestorId`: the subtree below it (not itself). */
  async isBelow(db: Db, unitId: number, ancestorId: number): Promise<boolean> {
    const reference = await referenceData(db);
    if (reference) return reference.unitPath(unitId).slice(1).includes(ancestorId);
    let current: number | null = unitId;
    for (let depth = 0; current !== null && depth < 16; depth++) {
      const row: { parent_id: number | null } | undefined = await db
        .selectFrom('handling_units')
        .select('parent_id')
        .where('id', '=', current)
        .executeTakeFirst();
      current = row?.parent_id ?? null;
      if (current === ancestorId) return true;
    }
    return false;
  },

  async rulesOverrides(db: Db, regionCodes: string[]) {
    if (regionCodes.length === 0) return [];
    const reference = await referenceData(db);
    if (reference) {
      return [...new Set(regionCodes)].flatMap((code) => {
        const override = reference.rulesOverride(code);
        return override === undefined ? [] : [{ region_code: code, override }];
      });
    }
    return db
      .selectFrom('working_rules')
      .select(['region_code', 'override'])
      .where('region_code', 'in', regionCodes)
      .execute();
  },

  async saveRulesOverride(db: Db, regionCode: string, override: string, userId: number | null) {
    const now = new Date().toISOString();
    await db
      .insertInto('working_rules')
      .values({ region_code: regionCode, override, updated_by: userId, updated_at: now })
      .onConflict((oc) => oc.column('region_code').doUpdateSet({ override, updated_by: userId, updated_at: now }))
      .execute();
  },

  /** The round's reply not yet published (a draft, or waiting for approval or signature): at most one. */
  openReply(db: Db, messageId: number, round: number) {
    return db
      .selectFrom('replies')
      .selectAll()
      .where('message_id', '=', messageId)
      .where('round', '=', round)
      .where('status', 'in', OPEN_REPLY)
      .executeTakeFirst();
  },

  latestReply(db: Db, messageId: number) {
    return db
      .selectFrom('replies')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  publishedReplies(db: Db, messageId: number) {
    return db
      .selectFrom('replies')
      .innerJoin('handling_units as u', 'u.id', 'replies.unit_id')
      .select([
        'replies.id',
        'replies.body',
        'replies.resolved',
        'replies.signer_name',
        'replies.published_at',
        'replies.round',
        'u.name as unit_name',
      ])
      .where('replies.message_id', '=', messageId)
      .where('replies.status', '=', 'published')
      .orderBy('replies.id')
      .execute();
  },

  async insertReply(
    db: Db,
    row: {
      messageId: number;
      unitId: number;
      authorId: number;
      body: string;
      resolved: boolean;
      status: string;
      round: number;
    },
  ): Promise<number> {
    const inserted = await db
      .insertInto('replies')
      .values({
        message_id: row.messageId,
        unit_id: row.unitId,
        author_id: row.authorId,
        body: row.body,
        resolved: dbBool(row.resolved),
        status: row.status,
        round: row.round,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  /**
   * Moves a reply from one status to another only if it is still in the first (and at `version`, when given: the text
   * the approver read): two people cannot both move it, nor approve a text changed after they read it.
   */
  async moveReply(
    db: Db,
    id: number,
    from: string,
    to: string,
    changes: Record<string, unknown> = {},
    version?: number,
  ) {
    let query = db
      .updateTable('replies')
      .set({ ...changes, status: to, version: sql<number>`version + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', from);
    if (version !== undefined) query = query.where('version', '=', version);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Saves a new text over an unpublished reply only if it is still the version its writer started from. */
  async saveReply(db: Db, id: number, version: number, changes: Record<string, unknown>): Promise<boolean> {
    const result = await db
      .updateTable('replies')
      .set({ ...changes, version: sql<number>`version + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', 'in', OPEN_REPLY)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async updateReply(db: Db, id: number, changes: Record<string, unknown>) {
    await db
      .updateTable('replies')
      .set({ ...changes, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  },

  ratings(db: Db, messageId: number) {
    return db.selectFrom('ratings').selectAll().where('message_id', '=', messageId).orderBy('round').execute();
  },

  async insertRating(
    db: Db,
    row: {
      messageId: number;
      round: number;
      authorId: number;
      resolution: number;
      timeliness: number;
      attitude: number;
      comment: string | null;
    },
  ) {
    await db
      .insertInto('ratings')
      .values({
        message_id: row.messageId,
        round: row.round,
        author_id: row.authorId,
        resolution: row.resolution,
        timeliness: row.timeliness,
        attitude: row.attitude,
        comment: row.comment,
      })
      .execute();
  },

  extensions(db: Db, messageId: number) {
    return db.selectFrom('extensions').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
  },

  async insertExtension(
    db: Db,
    row: { messageId: number; unitId: number; requestedBy: number; days: number; reason: string },
  ) {
    const inserted = await db
      .insertInto('extensions')
      .values({
        message_id: row.messageId,
        unit_id: row.unitId,
        requested_by: row.requestedBy,
        days: row.days,
        reason: row.reason,
        status: 'pending',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  async decideExtension(db: Db, id: number, status: 'granted' | 'refused', by: number) {
    const result = await db
      .updateTable('extensions')
      .set({ status, decided_by: by, decided_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async insertTemplate(db: Db, unitId: number, title: string, body: string) {
    await db.insertInto('reply_templates').values({ unit_id: unitId, title, body }).execute();
  },

  async deleteTemplate(db: Db, unitId: number, id: number): Promise<boolean> {
    const result = await db
      .deleteFrom('reply_templates')
      .where('id', '=', id)
      .where('unit_id', '=', unitId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },

  templates(db: Db, unitId: number) {
    return db
      .selectFrom('reply_templates')
      .select(['id', 'title', 'body'])
      .where('unit_id', '=', unitId)
      .orderBy('id')
      .execute();
  },

  /** Inserts a supervision notice once: a second process trying the same notice gets null. */
  async insertSupervisionOnce(
    db: Db,
    row: {
      messageId: number;
      deadline: string;
      dueAt: string;
      level: number;
      unitId: number;
      note?: string;
      issuedBy?: number | null;
    },
  ) {
    const inserted = await db
      .insertInto('supervisions')
      .values({
        message_id: row.messageId,
        deadline: row.deadline,
        due_at: row.dueAt,
        level: row.level,
        unit_id: row.unitId,
        note: row.note ?? '',
        issued_by: row.issuedBy ?? null,
      })
      .onConflict((oc) => oc.columns(['message_id', 'deadline', 'due_at', 'level']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted?.id ?? null;
  },

  supervisions(db: Db, messageId: number) {
    return db.selectFrom('supervisions').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
  },

  /** A message's supervision notices with the name of the unit that supervises. */
  supervisionsWithUnits(db: Db, messageId: number) {
    return db
      .selectFrom('supervisions as s')
      .innerJoin('handling_units as u', 'u.id', 's.unit_id')
      .select(['s.id', 's.deadline', 's.due_at', 's.level', 's.note', 's.created_at', 'u.name as unit_name'])
      .where('s.message_id', '=', messageId)
      .orderBy('s.id')
      .execute();
  },

  /** Nicknames of the listed accounts (deleted ones left out). */
  async userNames(db: Db, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'nickname'])
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute();
    return new Map(rows.map((r) => [r.id, r.nickname]));
  },

  /**
   * Open messages whose current deadline has passed and that have no 督办 for it yet, in id order after `afterId`:
   * the scheduler pages through all of them, so a backlog of any size gets its notices.
   */
  overdue(db: Db, now: string, afterId = 0, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id', 'status', 'current_unit_id', 'accept_due_at', 'handle_due_at', 'region_code'])
      .where('id', '>', afterId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('accept_due_at', '<', now)]),
          eb.and([eb('status', '=', 'assigned'), eb('handle_due_at', '<', now)]),
        ]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('supervisions as s')
              .select('s.id')
              .whereRef('s.message_id', '=', 'messages.id')
              .where('s.level', '=', 0)
              .where((inner) =>
                inner.or([
                  inner.and([
                    inner('messages.status', '=', 'pending'),
                    inner('s.deadline', '=', 'accept'),
                    inner('s.due_at', '=', inner.ref('messages.accept_due_at')),
                  ]),
                  inner.and([
                    inner('messages.status', '=', 'assigned'),
                    inner('s.deadline', '=', 'handle'),
                    inner('s.due_at', '=', inner.ref('messages.handle_due_at')),
                  ]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Open messages whose deadline falls between now and `until`, in id order after `afterId`: a reminder each. */
  dueSoon(db: Db, now: string, until: string, afterId = 0, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id', 'title', 'status', 'current_unit_id', 'accept_due_at', 'handle_due_at'])
      .where('id', '>', afterId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('accept_due_at', '>=', now), eb('accept_due_at', '<=', until)]),
          eb.and([eb('status', '=', 'assigned'), eb('handle_due_at', '>=', now), eb('handle_due_at', '<=', until)]),
        ]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Notices for a missed deadline old enough to escalate, with no escalation yet (hand-issued ones are not escalated). */
  toEscalate(db: Db, before: string) {
    return db
      .selectFrom('supervisions as s')
      .innerJoin('messages as m', 'm.id', 's.message_id')
      .select(['s.message_id', 's.deadline', 's.due_at', 's.level', 's.unit_id', 'm.status'])
      .where('s.created_at', '<', before)
      .where('s.deadline', '!=', 'manual')
      .where('m.status', 'in', ['pending', 'assigned'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('supervisions as e')
              .select('e.id')
              .whereRef('e.message_id', '=', 's.message_id')
              .whereRef('e.deadline', '=', 's.deadline')
              .whereRef('e.due_at', '=', 's.due_at')
              .where('e.level', '>', eb.ref('s.level')),
          ),
        ),
      )
      .execute();
  },

  /** Messages waiting for review past their review deadline whose editors have not been told yet, after `afterId`. */
  reviewOverdue(db: Db, now: string, afterId = 0, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id', 'title', 'review_due_at'])
      .where('id', '>', afterId)
      .where('status', '=', 'submitted')
      .where('review_due_at', '<', now)
      .where('review_overdue_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Marks that the editors are told; only the process whose update took effect tells them. */
  async claimReviewOverdue(db: Db, id: number, at: string): Promise<boolean> {
    const result = await db
      .updateTable('messages')
      .set({ review_overdue_at: at })
      .where('id', '=', id)
      .where('status', '=', 'submitted')
      .where('review_overdue_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Replied messages whose rating window has closed, in id order after `afterId`. */
  ratingWindowClosed(db: Db, now: string, afterId = 0, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id'])
      .where('id', '>', afterId)
      .where('status', '=', 'replied')
      .where('rating_due_at', '<', now)
      .orderBy('id')
      .limit(limit)
      .execute();
  },
};

/** Who sees what: a person's units (handled or assigned by them), supervised regions and boards (leaders). */
export interface InboxScope {
  unitIds: number[];
  regionPrefixes: string[];
  boardIds: number[];
}

export type InboxSort = 'deadline' | 'urgent' | 'newest';

export interface InboxFilter extends InboxScope {
  status?: string;
  overdue?: boolean;
  dueBefore?: string;
  type?: string;
  domain?: string;
  board?: number;
  /** Only messages this unit handles now. */
  unit?: number;
  priority?: string;
  supervised?: boolean;
  /** Messages whose reply waits for the unit head's approval, or for the leader's signature. */
  awaiting?: 'approval' | 'signature';
  sort: InboxSort;
  now: string;
  limit: number;
  offset: number;
}

/**
 * The running deadline word for word as the unit indexes of migration 0021 hold it (that file is frozen, so the text
 * is repeated here), for counting their ranges: either engine uses an expression index only for the same expression.
 */
const RUNNING_DUE = sql.raw(
  "(case when status = 'pending' then accept_due_at when status = 'assigned' then handle_due_at end)",
);
/** The deadline that runs for an open message: acceptance while pending, handling once accepted; none after. */
const runningDue = sql<
  string | null
>`(case when messages.status = 'pending' then messages.accept_due_at when messages.status = 'assigned' then messages.handle_due_at end)`;

const REPLY_STATUS = { approval: 'pending_approval', signature: 'pending_sign' } as const;

/** Open messages within a person's reach, before any filter. */
function inboxBase(db: Db, f: InboxScope) {
  return db
    .selectFrom('messages')
    .where('messages.status', 'in', ['pending', 'assigned', 'replied'])
    .where((eb) => {
      const reach = [
        ...(f.unitIds.length > 0
          ? [eb('messages.current_unit_id', 'in', f.unitIds), eb('messages.assigned_by_unit_id', 'in', f.unitIds)]
          : []),
        ...(f.boardIds.length > 0 ? [eb('messages.board_id', 'in', f.boardIds)] : []),
        // A range rather than LIKE: LIKE reads no index (SQLite's is case-insensitive, PostgreSQL's needs a C collation).
        ...f.regionPrefixes.map((p) =>
          eb.and([
            eb('messages.region_code', '>=', p.padEnd(6, '0')),
            eb('messages.region_code', '<=', p.padEnd(6, '9')),
          ]),
        ),
      ];
      // Someone with none of these grants sees nothing. A constant among the terms would stop SQLite from reading
      // each term through its own index (and scan every open message instead).
      return reach.length > 0 ? eb.or(reach) : sql<boolean>`1 = 0`;
    });
}

type InboxQueryBuilder = ReturnType<typeof inboxBase>;

function withFilters(query: InboxQueryBuilder, f: InboxFilter): InboxQueryBuilder {
  let q = query;
  if (f.status) q = q.where('messages.status', '=', f.status);
  if (f.type) q = q.where('messages.type', '=', f.type);
  if (f.domain) q = q.where('messages.domain', '=', f.domain);
  if (f.board) q = q.where('messages.board_id', '=', f.board);
  if (f.unit) q = q.where('messages.current_unit_id', '=', f.unit);
  if (f.priority) q = q.where('messages.priority', '=', f.priority);
  if (f.overdue) q = q.where(runningDue, '<', f.now);
  if (f.dueBefore) q = q.where(runningDue, '<=', f.dueBefore);
  // Both kept on the message by triggers (migration 0021).
  if (f.supervised) q = q.where('messages.supervised', '=', 1);
  if (f.awaiting) q = q.where('messages.waiting_reply', '=', REPLY_STATUS[f.awaiting]);
  return q;
}

/** The statuses an inbox holds. */
const INBOX_STATUSES = ['pending', 'assigned', 'replied'] as const;
type InboxStatus = (typeof INBOX_STATUSES)[number];

/**
 * A person whose reach is their units only (unit staff and heads: the busiest inboxes). Their inbox is read from the
 * index ranges of migration 0017, one per unit column and status, in the order the page shows, instead of sorting and
 * counting every message within reach: a page of a unit with 8,000 open messages reads about a page of index entries.
 */
function byUnitsOnly(f: InboxScope): boolean {
  return f.unitIds.length > 0 && f.boardIds.length === 0 && f.regionPrefixes.length === 0;
}

/**
 * The messages of one status within reach of the units: those a unit handles now, and those it assigned to a unit
 * outside them (each message once). Equality for one unit, so that the index gives its rows in order.
 */
function unitReach(db: Db, units: number[], status: InboxStatus | readonly InboxStatus[]): InboxQueryBuilder[] {
  const one = units.length === 1 ? units[0]! : null;
  const base = () => {
    const q = db.selectFrom('messages');
    return typeof status === 'string'
      ? q.where('messages.status', '=', status)
      : q.where('messages.status', 'in', status);
  };
  const handling = base().where('messages.current_unit_id', one === null ? 'in' : '=', one ?? units);
  const assigned = base()
    .where('messages.assigned_by_unit_id', one === null ? 'in' : '=', one ?? units)
    .where((eb) =>
      eb.or([
        eb('messages.current_unit_id', 'is', null),
        eb('messages.current_unit_id', one === null ? 'not in' : '<>', one ?? units),
      ]),
    );
  return [handling, assigned];
}

/** One page of a units-only inbox (any sort but `urgent`), as ids in order, and how many match in all. */
async function unitInboxPage(db: Db, f: InboxFilter, known?: StatusCounts): Promise<{ ids: number[]; total: number }> {
  const statuses = INBOX_STATUSES.filter((s) => !f.status || f.status === s);
  const branches = (status: InboxStatus) => unitReach(db, f.unitIds, status).map((q) => withFilters(q, f));
  const count = new Map<string, number>();
  if (known) {
    for (const s of statuses) count.set(s, known[s]);
  } else {
    const counted = await Promise.all(
      unitReach(db, f.unitIds, statuses).map((q) =>
        withFilters(q, f)
          .select(['messages.status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('messages.status')
          .execute(),
      ),
    );
    for (const r of counted.flat()) count.set(r.status, (count.get(r.status) ?? 0) + Number(r.n));
  }
  const total = [...count.values()].reduce((a, b) => a + b, 0);
  const union = <T>(queries: T[]) =>
    (queries as unknown as InboxQueryBuilder[]).reduce((all, q) => all.unionAll(q)) as unknown as T;

  if (f.sort === 'newest') {
    const rows = await union(statuses.flatMap((s) => branches(s).map((q) => q.select('messages.id'))))
      .orderBy('id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    return { ids: rows.map((r) => r.id), total };
  }
  // The nearest deadline first among pending and assigned messages (each branch in its index's order, merged), then
  // the replied ones, oldest first.
  const ids: number[] = [];
  const open = statuses.filter((s) => s !== 'replied');
  const openCount = open.reduce((n, s) => n + (count.get(s) ?? 0), 0);
  if (open.length > 0 && f.offset < openCount) {
    const rows = await union(
      open.flatMap((s) => branches(s).map((q) => q.select(['messages.id', runningDue.as('due')]))),
    )
      .orderBy('due')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  if (statuses.includes('replied') && ids.length < f.limit && (count.get('replied') ?? 0) > 0) {
    const rows = await union(branches('replied').map((q) => q.select('messages.id')))
      .orderBy('id')
      .limit(f.limit - ids.length)
      .offset(Math.max(0, f.offset - openCount))
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return { ids, total };
}

/** How many messages of each status a query matches. */
export type StatusCounts = Record<InboxStatus, number>;

/**
 * The workbench inbox: one page of messages within reach, filtered and sorted, with how many match in all. `known`:
 * the counts by status of exactly these filters, when the caller has them (inboxCounts without a narrowing filter).
 */
export async function inbox(db: Db, f: InboxFilter, known?: StatusCounts) {
  const page = byUnitsOnly(f) && f.sort !== 'urgent' ? await unitInboxPage(db, f, known) : null;
  if (page && page.ids.length === 0) return { rows: [], total: page.total };
  const filtered = page
    ? db.selectFrom('messages').where('messages.id', 'in', page.ids)
    : withFilters(inboxBase(db, f), f);
  let query = filtered
    .innerJoin('boards', 'boards.id', 'messages.board_id')
    .innerJoin('regions', 'regions.code', 'boards.region_code')
    .leftJoin('handling_units as u', 'u.id', 'messages.current_unit_id')
    .select((eb) => [
      'messages.id',
      'messages.title',
      'messages.type',
      'messages.domain',
      'messages.status',
      'messages.priority',
      'messages.accept_due_at',
      'messages.handle_due_at',
      'messages.submitted_at',
      'messages.current_unit_id',
      'messages.sign_requested',
      'messages.version',
      'u.name as unit_name',
      'boards.title as board_title',
      'regions.name as region_name',
      eb
        .selectFrom('replies as r')
        .select('r.status')
        .whereRef('r.message_id', '=', 'messages.id')
        .orderBy('r.id', 'desc')
        .limit(1)
        .as('reply_status'),
      eb
        .selectFrom('supervisions as s')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('s.message_id', '=', 'messages.id')
        .as('supervisions'),
      eb
        .selectFrom('supervisions as s')
        .select((s) => s.fn.max('s.due_at').as('due'))
        .whereRef('s.message_id', '=', 'messages.id')
        .where('s.deadline', '=', 'manual')
        .as('supervision_due_at'),
    ]);
  if (f.sort === 'newest') query = query.orderBy('messages.id', 'desc');
  else {
    if (f.sort === 'urgent') query = query.orderBy(sql`case when messages.priority = 'urgent' then 0 else 1 end`);
    // Messages with a running deadline first, the nearest first; replied ones (no deadline) after them.
    query = query
      .orderBy(sql`case when messages.status in ('pending', 'assigned') then 0 else 1 end`)
      .orderBy(runningDue)
      .orderBy('messages.id');
  }
  if (page) {
    const rows = await query.execute();
    const at = new Map(page.ids.map((id, i) => [id, i]));
    return { rows: rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!), total: page.total };
  }
  const [rows, total] = await Promise.all([
    query.limit(f.limit).offset(f.offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export interface InboxCounts {
  all: number;
  pending: number;
  assigned: number;
  replied: number;
  overdue: number;
  dueSoon: number;
  urgent: number;
  supervised: number;
  awaitingApproval: number;
  awaitingSignature: number;
}

/**
 * The counts of a units-only inbox, one statement for each of its two reaches (see `unitReach`): each status's index
 * range counted, the overdue and soon-due parts of the running deadlines' ranges counted, and the flags summed over the
 * few flagged open messages of the partial indexes (migration 0022). No expression is evaluated for every open
 * message, so a unit with thousands of them is counted in about a millisecond.
 */
async function unitInboxCounts(
  db: Db,
  units: number[],
  unit: number | undefined,
  now: string,
  dueSoonBefore: string,
): Promise<InboxCounts> {
  const among = (column: string) =>
    units.length === 1 ? sql`${sql.ref(column)} = ${units[0]}` : sql`${sql.ref(column)} in (${sql.join(units)})`;
  const chosen = unit === undefined ? sql`` : sql` and current_unit_id = ${unit}`;
  const reaches = [
    sql`${among('current_unit_id')}${chosen}`,
    sql`${among('assigned_by_unit_id')} and (current_unit_id is null or not ${among('current_unit_id')})${chosen}`,
  ];
  const counts: InboxCounts = {
    all: 0,
    pending: 0,
    assigned: 0,
    replied: 0,
    overdue: 0,
    dueSoon: 0,
    urgent: 0,
    supervised: 0,
    awaitingApproval: 0,
    awaitingSignature: 0,
  };
  const rows = await Promise.all(
    reaches.map((reach) => {
      const inStatus = (status: InboxStatus, more = sql``) =>
        sql`(select count(*) from messages where ${reach} and status = ${status}${more})`;
      const running = (bound: RawBuilder<unknown>) =>
        sql`${inStatus('pending', sql` and ${RUNNING_DUE} ${bound}`)} + ${inStatus('assigned', sql` and ${RUNNING_DUE} ${bound}`)}`;
      return sql<Record<keyof InboxCounts, number | string | null>>`select
          ${inStatus('pending')} as pending, ${inStatus('assigned')} as assigned, ${inStatus('replied')} as replied,
          ${running(sql`< ${now}`)} as overdue, ${running(sql`<= ${dueSoonBefore}`)} as "dueSoon",
          sum(case when priority = 'urgent' then 1 else 0 end) as urgent, sum(supervised) as supervised,
          sum(case when waiting_reply = 'pending_approval' then 1 else 0 end) as "awaitingApproval",
          sum(case when waiting_reply = 'pending_sign' then 1 else 0 end) as "awaitingSignature"
        from messages where ${reach} and ${FLAGGED_OPEN}`
        .execute(db)
        .then((r) => r.rows[0]!);
    }),
  );
  for (const row of rows) {
    for (const key of Object.keys(counts) as (keyof InboxCounts)[]) {
      if (key !== 'all') counts[key] += Number(row[key] ?? 0);
    }
  }
  counts.all = counts.pending + counts.assigned + counts.replied;
  return counts;
}

/** How many messages within reach each quick filter holds, in one pass. */
export async function inboxCounts(
  db: Db,
  scope: InboxScope & { unit?: number },
  now: string,
  dueSoonBefore: string,
): Promise<InboxCounts> {
  if (byUnitsOnly(scope)) return unitInboxCounts(db, scope.unitIds, scope.unit, now, dueSoonBefore);
  let base = inboxBase(db, scope);
  if (scope.unit) base = base.where('messages.current_unit_id', '=', scope.unit);
  const row = await base
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      sql<number>`sum(case when messages.status = 'pending' then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when messages.status = 'assigned' then 1 else 0 end)`.as('assigned'),
      sql<number>`sum(case when messages.status = 'replied' then 1 else 0 end)`.as('replied'),
      sql<number>`sum(case when ${runningDue} < ${now} then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when ${runningDue} <= ${dueSoonBefore} then 1 else 0 end)`.as('dueSoon'),
      sql<number>`sum(case when messages.priority = 'urgent' then 1 else 0 end)`.as('urgent'),
      sql<number>`sum(messages.supervised)`.as('supervised'),
      sql<number>`sum(case when messages.waiting_reply = 'pending_approval' then 1 else 0 end)`.as('awaitingApproval'),
      sql<number>`sum(case when messages.waiting_reply = 'pending_sign' then 1 else 0 end)`.as('awaitingSignature'),
    ])
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as InboxCounts;
}

export const unitsRepositoryForWorkflow = {
  async children(db: Db, unitId: number) {
    const reference = await referenceData(db);
    if (reference) {
      return reference
        .childUnits(unitId)
        .filter((u) => Boolean(u.active))
        .map((u) => ({ id: u.id, name: u.name }));
    }
    return db
      .selectFrom('handling_units')
      .select(['id', 'name'])
      .where('parent_id', '=', unitId)
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
  },
};

export async function logPrivateRead(db: Db, messageId: number, userId: number, what: string) {
  await db.insertInto('private_reads').values({ message_id: messageId, user_id: userId, what }).execute();
}
