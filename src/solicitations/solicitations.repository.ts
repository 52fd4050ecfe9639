// SQL for solicitations: the solicitations, their entries, each account's use of its allowances, and the votes.
import type { Selectable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import { dbBool } from '../db/dialect.ts';
import type { SolicitationEntriesTable, SolicitationsTable, SolicitationVotesTable } from '../db/schema.ts';
import type { Phase, Schedule } from './phases.ts';

export type SolicitationRow = Selectable<SolicitationsTable>;
export type EntryRow = Selectable<SolicitationEntriesTable>;
export type VoteRow = Selectable<SolicitationVotesTable>;

/** An entry with what is shown of its author. */
export type EntryListing = EntryRow & { author_nickname: string; author_deleted: boolean };

export interface SolicitationValues {
  title: string;
  rules: string;
  entriesPerUser: number;
  votesPerUser: number;
  schedule: Schedule;
}

function scheduleColumns(schedule: Schedule) {
  return {
    entries_start_at: schedule.entries.startAt,
    entries_end_at: schedule.entries.endAt,
    review_start_at: schedule.review.startAt,
    review_end_at: schedule.review.endAt,
    voting_start_at: schedule.voting.startAt,
    voting_end_at: schedule.voting.endAt,
    results_start_at: schedule.results.startAt,
    results_end_at: schedule.results.endAt,
  };
}

/** The schedule a row holds. */
export function scheduleOf(row: SolicitationRow): Schedule {
  return {
    entries: { startAt: row.entries_start_at, endAt: row.entries_end_at },
    review: { startAt: row.review_start_at, endAt: row.review_end_at },
    voting: { startAt: row.voting_start_at, endAt: row.voting_end_at },
    results: { startAt: row.results_start_at, endAt: row.results_end_at },
  };
}

const ENTRY_LISTING = [
  'e.id',
  'e.solicitation_id',
  'e.author_id',
  'e.title',
  'e.body',
  'e.credit',
  'e.status',
  'e.flags',
  'e.refuse_reason',
  'e.reviewed_by',
  'e.reviewed_at',
  'e.rank',
  'e.prize',
  'e.client_key',
  'e.submitted_at',
  'u.nickname as author_nickname',
  'u.deleted_at as author_deleted_at',
] as const;

const toListing = ({
  author_deleted_at,
  ...row
}: EntryRow & { author_nickname: string; author_deleted_at: string | null }) =>
  ({ ...row, author_deleted: author_deleted_at !== null }) satisfies EntryListing;

/** Per entry: the count of the votes that match. */
async function countPerEntry(
  db: Db,
  solicitationId: number,
  which: 'valid' | 'flagged' | 'voided',
): Promise<Map<number, number>> {
  let query = db
    .selectFrom('solicitation_votes')
    .select((eb) => ['entry_id', eb.fn.countAll<number>().as('n')])
    .where('solicitation_id', '=', solicitationId)
    .groupBy('entry_id');
  query = which === 'voided' ? query.where('voided_at', 'is not', null) : query.where('voided_at', 'is', null);
  if (which === 'flagged')
    query = query.where((eb) =>
      eb.or([eb('flag_burst', '=', dbBool(true)), eb('flag_new_account', '=', dbBool(true))]),
    );
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.entry_id, Number(r.n)]));
}

export const solicitationsRepository = {
  async insert(db: Db, values: SolicitationValues & { createdBy: number | null; at: string }): Promise<number> {
    const row = await db
      .insertInto('solicitations')
      .values({
        title: values.title,
        rules: values.rules,
        entries_per_user: values.entriesPerUser,
        votes_per_user: values.votesPerUser,
        ...scheduleColumns(values.schedule),
        created_by: values.createdBy,
        created_at: values.at,
        updated_at: values.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async update(db: Db, id: number, values: SolicitationValues, at: string): Promise<void> {
    await db
      .updateTable('solicitations')
      .set({
        title: values.title,
        rules: values.rules,
        entries_per_user: values.entriesPerUser,
        votes_per_user: values.votesPerUser,
        ...scheduleColumns(values.schedule),
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  },

  /** Moves one boundary: the end of `ending` and the start of `starting` (either may be absent). */
  async moveBoundary(db: Db, id: number, change: { ending?: Phase; starting?: Phase; at: string }): Promise<void> {
    await db
      .updateTable('solicitations')
      .set({
        ...(change.ending ? { [`${change.ending}_end_at`]: change.at } : {}),
        ...(change.starting ? { [`${change.starting}_start_at`]: change.at } : {}),
        updated_at: change.at,
      })
      .where('id', '=', id)
      .execute();
  },

  async announce(db: Db, id: number, note: string, at: string): Promise<void> {
    await db
      .updateTable('solicitations')
      .set({ announcement: note || null, announced_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
  },

  findById(db: Db, id: number): Promise<SolicitationRow | undefined> {
    return db.selectFrom('solicitations').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Every solicitation, the latest to open first. */
  list(db: Db): Promise<SolicitationRow[]> {
    return db
      .selectFrom('solicitations')
      .selectAll()
      .orderBy('entries_start_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  },

  /** Per solicitation: entries waiting for review. */
  async waitingCounts(db: Db): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('solicitation_entries')
      .select((eb) => ['solicitation_id', eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'submitted')
      .groupBy('solicitation_id')
      .execute();
    return new Map(rows.map((r) => [r.solicitation_id, Number(r.n)]));
  },

  /** Per solicitation: flagged votes not yet void. */
  async flaggedCounts(db: Db): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('solicitation_votes')
      .select((eb) => ['solicitation_id', eb.fn.countAll<number>().as('n')])
      .where('voided_at', 'is', null)
      .where((eb) => eb.or([eb('flag_burst', '=', dbBool(true)), eb('flag_new_account', '=', dbBool(true))]))
      .groupBy('solicitation_id')
      .execute();
    return new Map(rows.map((r) => [r.solicitation_id, Number(r.n)]));
  },

  // ── Entries ──────────────────────────────────────────────────────────────────────────────────────────────

  async insertEntry(
    db: Db,
    entry: {
      solicitationId: number;
      authorId: number;
      title: string;
      body: string;
      credit: 'nickname' | 'tag';
      flags: string;
      clientKey: string | null;
      at: string;
    },
  ): Promise<number> {
    const row = await db
      .insertInto('solicitation_entries')
      .values({
        solicitation_id: entry.solicitationId,
        author_id: entry.authorId,
        title: entry.title,
        body: entry.body,
        credit: entry.credit,
        status: 'submitted',
        flags: entry.flags,
        client_key: entry.clientKey,
        submitted_at: entry.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async findEntry(db: Db, id: number): Promise<EntryListing | undefined> {
    const row = await db
      .selectFrom('solicitation_entries as e')
      .innerJoin('users as u', 'u.id', 'e.author_id')
      .select(ENTRY_LISTING)
      .where('e.id', '=', id)
      .executeTakeFirst();
    return row ? toListing(row) : undefined;
  },

  /** The solicitation's entries in these states, in the order they came. */
  async entriesOf(db: Db, solicitationId: number, statuses: readonly string[]): Promise<EntryListing[]> {
    if (statuses.length === 0) return [];
    const rows = await db
      .selectFrom('solicitation_entries as e')
      .innerJoin('users as u', 'u.id', 'e.author_id')
      .select(ENTRY_LISTING)
      .where('e.solicitation_id', '=', solicitationId)
      .where('e.status', 'in', statuses)
      .orderBy('e.id')
      .execute();
    return rows.map(toListing);
  },

  /** An author's entries, newest first: in one solicitation, or in all of them. */
  entriesByAuthor(db: Db, authorId: number, solicitationId?: number) {
    let query = db
      .selectFrom('solicitation_entries as e')
      .innerJoin('solicitations as s', 's.id', 'e.solicitation_id')
      .select([
        'e.id',
        'e.solicitation_id',
        's.title as solicitation_title',
        'e.title',
        'e.body',
        'e.credit',
        'e.status',
        'e.refuse_reason',
        'e.reviewed_at',
        'e.rank',
        'e.prize',
        'e.submitted_at',
      ])
      .where('e.author_id', '=', authorId)
      .orderBy('e.id', 'desc');
    if (solicitationId !== undefined) query = query.where('e.solicitation_id', '=', solicitationId);
    return query.execute();
  },

  /** Moves an entry from one of `from` to `to`; false when it was in none of them (someone else got there first). */
  async setEntryStatus(
    db: Db,
    id: number,
    from: readonly string[],
    change: { status: string; refuseReason: string | null; reviewedBy: number; at: string },
  ): Promise<boolean> {
    const result = await db
      .updateTable('solicitation_entries')
      .set({
        status: change.status,
        refuse_reason: change.refuseReason,
        reviewed_by: change.reviewedBy,
        reviewed_at: change.at,
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async clearRanks(db: Db, solicitationId: number): Promise<void> {
    await db
      .updateTable('solicitation_entries')
      .set({ rank: null, prize: null })
      .where('solicitation_id', '=', solicitationId)
      .execute();
  },

  async setRank(db: Db, entryId: number, rank: number, prize: string | null): Promise<void> {
    await db.updateTable('solicitation_entries').set({ rank, prize }).where('id', '=', entryId).execute();
  },

  // ── Each account's allowances ───────────────────────────────────────────────────────────────────────────

  /** The account's row of counters in the solicitation, made on first use. */
  async ensureParticipant(db: Db, solicitationId: number, userId: number): Promise<void> {
    await db
      .insertInto('solicitation_participants')
      .values({ solicitation_id: solicitationId, user_id: userId })
      .onConflict((oc) => oc.columns(['solicitation_id', 'user_id']).doNothing())
      .execute();
  },

  async participant(db: Db, solicitationId: number, userId: number) {
    const row = await db
      .selectFrom('solicitation_participants')
      .select(['entries_used', 'votes_used'])
      .where('solicitation_id', '=', solicitationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return { entriesUsed: Number(row?.entries_used ?? 0), votesUsed: Number(row?.votes_used ?? 0) };
  },

  /**
   * Takes one of the account's entries or votes if it has one left: a single conditional UPDATE, so of two requests
   * at once only as many succeed as the allowance has room for (PostgreSQL re-checks the condition on the row it
   * waited for; SQLite has one writer at a time).
   */
  async take(
    db: Db,
    solicitationId: number,
    userId: number,
    what: 'entries_used' | 'votes_used',
    max: number,
  ): Promise<boolean> {
    const result = await db
      .updateTable('solicitation_participants')
      .set((eb) => ({ [what]: eb(what, '+', 1) }))
      .where('solicitation_id', '=', solicitationId)
      .where('user_id', '=', userId)
      .where(what, '<', max)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Gives an entry back (it was refused) or takes one whatever the limit (a refused entry approved after all). */
  async adjustEntries(db: Db, solicitationId: number, userId: number, by: 1 | -1): Promise<void> {
    await db
      .updateTable('solicitation_participants')
      .set((eb) => ({ entries_used: eb('entries_used', '+', by) }))
      .where('solicitation_id', '=', solicitationId)
      .where('user_id', '=', userId)
      .where('entries_used', '>=', by < 0 ? 1 : 0)
      .execute();
  },

  // ── Votes ───────────────────────────────────────────────────────────────────────────────────────────────

  /** The vote's id, or undefined when this account already voted for this entry (the unique key decides). */
  async insertVote(
    db: Db,
    vote: {
      solicitationId: number;
      entryId: number;
      userId: number;
      clientKey: string | null;
      newAccount: boolean;
      at: string;
    },
  ): Promise<number | undefined> {
    const row = await db
      .insertInto('solicitation_votes')
      .values({
        solicitation_id: vote.solicitationId,
        entry_id: vote.entryId,
        user_id: vote.userId,
        client_key: vote.clientKey,
        flag_new_account: dbBool(vote.newAccount),
        created_at: vote.at,
      })
      .onConflict((oc) => oc.columns(['solicitation_id', 'entry_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  },

  /** Votes in the solicitation from one network since a moment. */
  async fromNetworkSince(db: Db, solicitationId: number, clientKey: string, since: string): Promise<number[]> {
    const rows = await db
      .selectFrom('solicitation_votes')
      .select('id')
      .where('solicitation_id', '=', solicitationId)
      .where('client_key', '=', clientKey)
      .where('created_at', '>=', since)
      .execute();
    return rows.map((r) => r.id);
  },

  async flagBurst(db: Db, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('solicitation_votes')
      .set({ flag_burst: dbBool(true) })
      .where('id', 'in', ids)
      .execute();
  },

  /** Per entry: valid votes, valid votes that are flagged, and void votes. */
  async counts(db: Db, solicitationId: number) {
    return {
      valid: await countPerEntry(db, solicitationId, 'valid'),
      flagged: await countPerEntry(db, solicitationId, 'flagged'),
      voided: await countPerEntry(db, solicitationId, 'voided'),
    };
  },

  async votedEntryIds(db: Db, solicitationId: number, userId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('solicitation_votes')
      .select('entry_id')
      .where('solicitation_id', '=', solicitationId)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => r.entry_id);
  },

  /** Flagged votes, void ones included, newest first, with the voter's nickname and registration time. */
  flaggedVotes(db: Db, solicitationId: number, limit: number) {
    return db
      .selectFrom('solicitation_votes as v')
      .innerJoin('users as u', 'u.id', 'v.user_id')
      .innerJoin('solicitation_entries as e', 'e.id', 'v.entry_id')
      .select([
        'v.id',
        'v.entry_id',
        'e.title as entry_title',
        'v.user_id',
        'u.nickname as voter_nickname',
        'u.created_at as voter_created_at',
        'v.client_key',
        'v.flag_burst',
        'v.flag_new_account',
        'v.voided_at',
        'v.void_reason',
        'v.created_at',
      ])
      .where('v.solicitation_id', '=', solicitationId)
      .where((eb) => eb.or([eb('v.flag_burst', '=', dbBool(true)), eb('v.flag_new_account', '=', dbBool(true))]))
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute();
  },

  /** Of these votes, those of the solicitation that are flagged and not void yet. */
  async voidable(db: Db, solicitationId: number, ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('solicitation_votes')
      .select('id')
      .where('solicitation_id', '=', solicitationId)
      .where('id', 'in', ids)
      .where('voided_at', 'is', null)
      .where((eb) => eb.or([eb('flag_burst', '=', dbBool(true)), eb('flag_new_account', '=', dbBool(true))]))
      .execute();
    return rows.map((r) => r.id);
  },

  async voidVotes(db: Db, ids: number[], change: { by: number; reason: string; at: string }): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await db
      .updateTable('solicitation_votes')
      .set({ voided_at: change.at, voided_by: change.by, void_reason: change.reason })
      .where('id', 'in', ids)
      .where('voided_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /** The votes of an entry that still count, with their voters. */
  validVotesOf(db: Db, entryId: number) {
    return db
      .selectFrom('solicitation_votes')
      .select(['id', 'user_id'])
      .where('entry_id', '=', entryId)
      .where('voided_at', 'is', null)
      .execute();
  },

  /** Gives each of these accounts one vote back. */
  async giveBackVotes(db: Db, solicitationId: number, userIds: number[]): Promise<void> {
    if (userIds.length === 0) return;
    await db
      .updateTable('solicitation_participants')
      .set((eb) => ({ votes_used: eb('votes_used', '-', 1) }))
      .where('solicitation_id', '=', solicitationId)
      .where('user_id', 'in', userIds)
      .where('votes_used', '>=', 1)
      .execute();
  },

  /** An account's votes, newest first, for its data export. */
  votesBy(db: Db, userId: number) {
    return db
      .selectFrom('solicitation_votes as v')
      .innerJoin('solicitations as s', 's.id', 'v.solicitation_id')
      .innerJoin('solicitation_entries as e', 'e.id', 'v.entry_id')
      .select([
        'v.id',
        'v.solicitation_id',
        's.title as solicitation_title',
        'v.entry_id',
        'e.title as entry_title',
        'v.created_at',
        'v.voided_at',
      ])
      .where('v.user_id', '=', userId)
      .orderBy('v.id', 'desc')
      .execute();
  },

  async userCreatedAt(db: Db, userId: number): Promise<string | null> {
    const row = await db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirst();
    return row?.created_at ?? null;
  },
};
