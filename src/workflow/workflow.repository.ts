// SQL for handling: replies, ratings, extensions, supervision notices, working rules and unit trees.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';

export const workflowRepository = {
  async setMessage(db: Db, id: number, changes: Record<string, unknown>) {
    await db
      .updateTable('messages')
      .set({ ...changes, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  },

  unit(db: Db, id: number) {
    return db
      .selectFrom('handling_units')
      .select(['id', 'name', 'parent_id', 'region_code'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Units whose chain of parents passes through `ancestorId`: the subtree below it (not itself). */
  async isBelow(db: Db, unitId: number, ancestorId: number): Promise<boolean> {
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

  rulesOverrides(db: Db, regionCodes: string[]) {
    if (regionCodes.length === 0) return Promise.resolve([]);
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
    row: { messageId: number; deadline: string; dueAt: string; level: number; unitId: number },
  ) {
    const inserted = await db
      .insertInto('supervisions')
      .values({
        message_id: row.messageId,
        deadline: row.deadline,
        due_at: row.dueAt,
        level: row.level,
        unit_id: row.unitId,
      })
      .onConflict((oc) => oc.columns(['message_id', 'deadline', 'due_at', 'level']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted?.id ?? null;
  },

  supervisions(db: Db, messageId: number) {
    return db.selectFrom('supervisions').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
  },

  /** Open messages whose current deadline has passed. */
  overdue(db: Db, now: string, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id', 'status', 'current_unit_id', 'accept_due_at', 'handle_due_at', 'region_code'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('accept_due_at', '<', now)]),
          eb.and([eb('status', '=', 'assigned'), eb('handle_due_at', '<', now)]),
        ]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Open messages whose deadline falls between now and `until`: their units get a reminder. */
  dueSoon(db: Db, now: string, until: string, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id', 'title', 'status', 'current_unit_id', 'accept_due_at', 'handle_due_at'])
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

  /** Level-0 notices old enough to escalate, with no escalation yet. */
  toEscalate(db: Db, before: string) {
    return db
      .selectFrom('supervisions as s')
      .innerJoin('messages as m', 'm.id', 's.message_id')
      .select(['s.message_id', 's.deadline', 's.due_at', 's.level', 's.unit_id', 'm.status'])
      .where('s.created_at', '<', before)
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

  /** Replied messages whose rating window has closed. */
  ratingWindowClosed(db: Db, now: string, limit = 500) {
    return db
      .selectFrom('messages')
      .select(['id'])
      .where('status', '=', 'replied')
      .where('rating_due_at', '<', now)
      .orderBy('id')
      .limit(limit)
      .execute();
  },
};

export interface InboxFilter {
  unitIds: number[];
  regionPrefixes: string[];
  boardIds: number[];
  status?: string;
  overdue?: boolean;
  dueBefore?: string;
  type?: string;
  domain?: string;
  board?: number;
  now: string;
  limit: number;
}

/** The workbench inbox: messages a person's units handle or assigned, their regions (supervisors) or boards (leaders). */
export function inbox(db: Db, f: InboxFilter) {
  let query = db
    .selectFrom('messages')
    .innerJoin('boards', 'boards.id', 'messages.board_id')
    .innerJoin('regions', 'regions.code', 'boards.region_code')
    .leftJoin('handling_units as u', 'u.id', 'messages.current_unit_id')
    .select([
      'messages.id',
      'messages.title',
      'messages.type',
      'messages.domain',
      'messages.status',
      'messages.accept_due_at',
      'messages.handle_due_at',
      'messages.submitted_at',
      'messages.current_unit_id',
      'u.name as unit_name',
      'boards.title as board_title',
      'regions.name as region_name',
    ])
    .where('messages.status', 'in', ['pending', 'assigned', 'replied'])
    .where((eb) =>
      eb.or([
        ...(f.unitIds.length > 0
          ? [eb('messages.current_unit_id', 'in', f.unitIds), eb('messages.assigned_by_unit_id', 'in', f.unitIds)]
          : []),
        ...(f.boardIds.length > 0 ? [eb('messages.board_id', 'in', f.boardIds)] : []),
        ...f.regionPrefixes.map((p) => eb('messages.region_code', 'like', `${p}%`)),
        // Someone with none of these grants sees nothing.
        sql<boolean>`1 = 0`,
      ]),
    );
  if (f.status) query = query.where('messages.status', '=', f.status);
  if (f.type) query = query.where('messages.type', '=', f.type);
  if (f.domain) query = query.where('messages.domain', '=', f.domain);
  if (f.board) query = query.where('messages.board_id', '=', f.board);
  // The deadline that runs depends on the status: acceptance while pending, handling once accepted.
  for (const [op, value] of [
    ['<', f.overdue ? f.now : undefined],
    ['<=', f.dueBefore],
  ] as const) {
    if (!value) continue;
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('messages.status', '=', 'pending'), eb('messages.accept_due_at', op, value)]),
        eb.and([eb('messages.status', '=', 'assigned'), eb('messages.handle_due_at', op, value)]),
      ]),
    );
  }
  return query.orderBy('messages.id').limit(f.limit).execute();
}

export const unitsRepositoryForWorkflow = {
  children(db: Db, unitId: number) {
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
