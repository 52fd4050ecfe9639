// The editor's side of a solicitation — open it, change it, end a phase early, announce the winners, void suspicious
// votes — each one transaction with its admin-log entry; and what the public, an account and the editor see of it.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { adminLogRepository, type AdminLogAction } from '../accounts/admin-log.repository.ts';
import { can } from '../accounts/permissions.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { idFromText } from '../db/ids.ts';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { notify } from '../notify/notify.ts';
import { AppError } from '../web/app-error.ts';
import {
  DATE_FIELDS,
  type DateField,
  nextPhase,
  type Schedule,
  scheduleDates,
  scheduleFromDates,
  standingAt,
} from './phases.ts';
import {
  authorName,
  countsVisible,
  datesOf,
  type EditorDetail,
  type EditorEntry,
  entryStatusLabel,
  type EntryStatus,
  type FlaggedVote,
  type MyEntry,
  orderEntries,
  parseFlags,
  type Participation,
  type PublicEntry,
  type SolicitationDetail,
  type SolicitationSummary,
  summaryOf,
} from './solicitation-view.ts';
import {
  type EntryListing,
  scheduleOf,
  type SolicitationRow,
  solicitationsRepository,
} from './solicitations.repository.ts';

export const TITLE_MIN = 4;
export const TITLE_MAX = 60;
export const RULES_MIN = 10;
export const RULES_MAX = 5000;
export const ENTRIES_PER_USER_MAX = 10;
export const VOTES_PER_USER_MAX = 50;
export const NOTE_MAX = 2000;
export const PRIZE_MAX = 60;
export const RANK_MAX = 100;
export const VOID_REASON_MIN = 2;
export const VOID_REASON_MAX = 200;
/** The editor's page lists this many flagged votes, newest first. */
const FLAGGED_SHOWN = 500;

/** An editor acting, and the address they act from (for the admin log, as every staff action records it). */
export interface EditorActor {
  user: CurrentUser;
  ip?: string | null;
  /** The editor's language, for the words inside errors; the default language without one (the API's callers). */
  t?: Translate;
}

const zh = translator(DEFAULT_LOCALE);

export interface SolicitationInput extends Partial<Record<DateField, unknown>> {
  title?: unknown;
  rules?: unknown;
  entriesPerUser?: unknown;
  votesPerUser?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const length = (value: string) => [...value].length;

function requireEditor(editor: EditorActor): void {
  if (!can(editor.user.grants, 'solicitation.edit')) throw new AppError('FORBIDDEN');
}

export async function loadSolicitation(db: Db, id: number): Promise<SolicitationRow> {
  const row = await solicitationsRepository.findById(db, id);
  if (!row) throw new AppError('SOLICITATION_NOT_FOUND', { id });
  return row;
}

async function log(
  db: Db,
  editor: EditorActor,
  action: AdminLogAction,
  detail: object,
  targetUserId: number | null = null,
): Promise<void> {
  await adminLogRepository.append(db, { actorId: editor.user.id, action, targetUserId, detail, ip: editor.ip ?? null });
}

function allowance(value: unknown, what: string, max: number, field: string, problems: AppError[]): number {
  const n = typeof value === 'number' ? value : Number(text(value));
  if (!Number.isInteger(n) || n < 1 || n > max) {
    problems.push(new AppError('ALLOWANCE_INVALID', { what, min: 1, max }, field));
    return 0;
  }
  return n;
}

/** Checks every field and reports all problems at once, each against its field. */
function validate(input: SolicitationInput, t: Translate, current?: Schedule) {
  const problems: AppError[] = [];
  const title = text(input.title);
  if (length(title) < TITLE_MIN || length(title) > TITLE_MAX)
    problems.push(new AppError('SOLICITATION_TITLE_LENGTH', { min: TITLE_MIN, max: TITLE_MAX }, 'title'));
  const rules = text(input.rules);
  if (length(rules) < RULES_MIN || length(rules) > RULES_MAX)
    problems.push(
      new AppError('SOLICITATION_RULES_LENGTH', { min: RULES_MIN, max: RULES_MAX, length: length(rules) }, 'rules'),
    );
  const entriesPerUser = allowance(
    input.entriesPerUser,
    t('sol.allowance.entries'),
    ENTRIES_PER_USER_MAX,
    'entriesPerUser',
    problems,
  );
  const votesPerUser = allowance(
    input.votesPerUser,
    t('sol.allowance.votes'),
    VOTES_PER_USER_MAX,
    'votesPerUser',
    problems,
  );
  const dates: Partial<Record<DateField, unknown>> = {};
  for (const field of DATE_FIELDS) dates[field] = input[field];
  const { schedule, problems: dateProblems } = scheduleFromDates(dates, current, t);
  problems.push(...dateProblems);
  if (problems.length > 0 || !schedule) {
    const summary = [...new Set(problems.map((p) => p.field))].join(t('log.listSeparator'));
    throw new AppError('FORM_INVALID', { summary }, undefined, problems);
  }
  return { title, rules, entriesPerUser, votesPerUser, schedule };
}

export async function createSolicitation(
  db: Db,
  editor: EditorActor,
  input: SolicitationInput,
  now = new Date(),
): Promise<number> {
  requireEditor(editor);
  const values = validate(input, editor.t ?? zh);
  return db.transaction().execute(async (trx) => {
    const id = await solicitationsRepository.insert(trx, {
      ...values,
      createdBy: editor.user.id,
      at: now.toISOString(),
    });
    await log(trx, editor, 'solicitation.create', { solicitationId: id, title: values.title });
    return id;
  });
}

export async function updateSolicitation(
  db: Db,
  editor: EditorActor,
  id: number,
  input: SolicitationInput,
  now = new Date(),
): Promise<void> {
  requireEditor(editor);
  const row = await loadSolicitation(db, id);
  const before = scheduleOf(row);
  const values = validate(input, editor.t ?? zh, before);
  const oldDates = scheduleDates(before);
  const newDates = scheduleDates(values.schedule);
  const changed = [
    ...(values.title !== row.title ? ['title'] : []),
    ...(values.rules !== row.rules ? ['rules'] : []),
    ...(values.entriesPerUser !== row.entries_per_user ? ['entriesPerUser'] : []),
    ...(values.votesPerUser !== row.votes_per_user ? ['votesPerUser'] : []),
    ...DATE_FIELDS.filter((f) => oldDates[f] !== newDates[f]),
  ];
  // Once the winners are out, nothing may reopen an earlier phase or change what the votes meant.
  if (row.announced_at && changed.some((f) => f !== 'title' && f !== 'rules' && f !== 'resultsEnd'))
    throw new AppError('RESULTS_LOCKED');
  if (changed.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await solicitationsRepository.update(trx, id, values, now.toISOString());
    await log(trx, editor, 'solicitation.edit', {
      solicitationId: id,
      title: values.title,
      changed,
      ...Object.fromEntries(
        changed
          .filter((f): f is DateField => (DATE_FIELDS as readonly string[]).includes(f))
          .map((f) => [f, newDates[f]]),
      ),
    });
  });
}

/**
 * Ends the current phase now and starts the next one now (the other dates stay): opening entries early, closing them
 * for review, starting the vote, ending the vote so the results can be announced, or closing the solicitation. In
 * the gap after a phase has ended, the next one starts now.
 */
export async function advancePhase(db: Db, editor: EditorActor, id: number, now = new Date()): Promise<void> {
  requireEditor(editor);
  const row = await loadSolicitation(db, id);
  const schedule = scheduleOf(row);
  const { stage, running } = standingAt(schedule, now);
  if (stage === 'closed') throw new AppError('NOTHING_TO_ADVANCE');
  const at = now.toISOString();
  const ending = stage !== 'upcoming' && running ? stage : undefined;
  const following = stage === 'upcoming' ? 'entries' : nextPhase(stage);
  const starting = following && Date.parse(schedule[following].startAt) > now.getTime() ? following : undefined;
  await db.transaction().execute(async (trx) => {
    await solicitationsRepository.moveBoundary(trx, id, {
      ...(ending ? { ending } : {}),
      ...(starting ? { starting } : {}),
      at,
    });
    await log(trx, editor, 'solicitation.advance', {
      solicitationId: id,
      title: row.title,
      ended: ending ?? null,
      started: starting ?? null,
    });
  });
}

export interface WinnerInput {
  entryId?: unknown;
  rank?: unknown;
  prize?: unknown;
}

/**
 * Announces the results once voting has ended: ranks and prizes for the winning entries, and a note. The results
 * phase starts now if its date is still to come. May be repeated to correct the list; each time is logged.
 */
export async function announceResults(
  db: Db,
  editor: EditorActor,
  id: number,
  input: { winners?: WinnerInput[]; note?: unknown },
  now = new Date(),
): Promise<void> {
  requireEditor(editor);
  const t = editor.t ?? zh;
  const row = await loadSolicitation(db, id);
  const schedule = scheduleOf(row);
  if (now.getTime() < Date.parse(schedule.voting.endAt))
    throw new AppError('ANNOUNCE_TOO_EARLY', { end: chinaDate(new Date(Date.parse(schedule.voting.endAt) - 1)) });
  const approved = new Map(
    (await solicitationsRepository.entriesOf(db, id, ['approved'])).map((e) => [e.id, e] as const),
  );
  const winners: { entryId: number; rank: number; prize: string | null; entry: EntryListing }[] = [];
  const seen = new Set<number>();
  for (const w of input.winners ?? []) {
    const entryId = idFromText(w.entryId) ?? 0;
    const entry = approved.get(entryId);
    if (!entry)
      throw new AppError(
        'WINNERS_INVALID',
        { detail: t('sol.error.notApproved', { id: String(w.entryId) }) },
        'winners',
      );
    if (seen.has(entryId))
      throw new AppError('WINNERS_INVALID', { detail: t('sol.error.twice', { id: entryId }) }, 'winners');
    seen.add(entryId);
    const rank = typeof w.rank === 'number' ? w.rank : Number(text(w.rank));
    if (!Number.isInteger(rank) || rank < 1 || rank > RANK_MAX)
      throw new AppError(
        'WINNERS_INVALID',
        { detail: t('sol.error.rank', { max: RANK_MAX, title: entry.title }) },
        'winners',
      );
    const prize = text(w.prize);
    if (length(prize) > PRIZE_MAX)
      throw new AppError(
        'WINNERS_INVALID',
        { detail: t('sol.error.prize', { max: PRIZE_MAX, title: entry.title }) },
        'winners',
      );
    winners.push({ entryId, rank, prize: prize || null, entry });
  }
  if (winners.length === 0) throw new AppError('WINNERS_INVALID', { detail: t('sol.error.noWinner') }, 'winners');
  const note = text(input.note);
  if (length(note) > NOTE_MAX)
    throw new AppError('WINNERS_INVALID', { detail: t('sol.error.note', { max: NOTE_MAX }) }, 'note');
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await solicitationsRepository.clearRanks(trx, id);
    for (const w of winners) await solicitationsRepository.setRank(trx, w.entryId, w.rank, w.prize);
    if (Date.parse(schedule.results.startAt) > now.getTime())
      await solicitationsRepository.moveBoundary(trx, id, { starting: 'results', at });
    await solicitationsRepository.announce(trx, id, note, at);
    await log(trx, editor, 'solicitation.announce', {
      solicitationId: id,
      title: row.title,
      winners: winners.map((w) => ({ entryId: w.entryId, rank: w.rank, prize: w.prize })),
    });
    for (const w of winners) {
      await notify(
        trx,
        {
          userId: w.entry.author_id,
          text: ({ t }) =>
            w.prize
              ? t('workflow.notice.entryWinnerPrize', {
                  solicitation: row.title,
                  entry: w.entry.title,
                  rank: w.rank,
                  prize: w.prize,
                })
              : t('workflow.notice.entryWinner', { solicitation: row.title, entry: w.entry.title, rank: w.rank }),
          dedupeKey: `solicitation:${id}:winner:${w.entryId}:${at}`,
        },
        now,
      );
    }
  });
}

/** Voids flagged votes the editor judged not genuine; they stop counting but stay on record. */
export async function voidVotes(
  db: Db,
  editor: EditorActor,
  id: number,
  input: { voteIds?: unknown[]; reason?: unknown },
  now = new Date(),
): Promise<number> {
  requireEditor(editor);
  const t = editor.t ?? zh;
  const row = await loadSolicitation(db, id);
  if (row.announced_at) throw new AppError('RESULTS_LOCKED');
  const given = (input.voteIds ?? []).map(idFromText);
  if (given.length === 0 || given.some((v) => v === null))
    throw new AppError('VOID_INVALID', { detail: t('sol.error.noVotes') }, 'voteIds');
  const ids = [...new Set(given as number[])];
  const reason = text(input.reason);
  if (length(reason) < VOID_REASON_MIN || length(reason) > VOID_REASON_MAX)
    throw new AppError('VOID_REASON_LENGTH', { min: VOID_REASON_MIN, max: VOID_REASON_MAX }, 'reason');
  const voidable = new Set(await solicitationsRepository.voidable(db, id, ids));
  const refused = ids.filter((v) => !voidable.has(v));
  if (refused.length > 0)
    throw new AppError(
      'VOID_INVALID',
      { detail: t('sol.error.voteIds', { ids: refused.join(t('log.listSeparator')) }) },
      'voteIds',
    );
  return db.transaction().execute(async (trx) => {
    const n = await solicitationsRepository.voidVotes(trx, ids, { by: editor.user.id, reason, at: now.toISOString() });
    await log(trx, editor, 'solicitation.votes.void', { solicitationId: id, title: row.title, voteIds: ids, reason });
    return n;
  });
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────────────────

export async function listSolicitations(db: Db, now = new Date()): Promise<SolicitationSummary[]> {
  return (await solicitationsRepository.list(db)).map((row) => summaryOf(row, now));
}

function publicEntry(secret: string, e: EntryListing, votes: Map<number, number>, counted: boolean): PublicEntry {
  return {
    id: e.id,
    title: e.title,
    body: e.body,
    author: authorName(secret, e),
    votes: counted ? (votes.get(e.id) ?? 0) : null,
    rank: e.rank,
    prize: e.prize,
  };
}

/** The public page's solicitation: approved entries only, counts once voting has ended, winners once announced. */
export async function solicitationDetail(
  db: Db,
  secret: string,
  id: number,
  now = new Date(),
): Promise<SolicitationDetail> {
  const row = await loadSolicitation(db, id);
  const summary = summaryOf(row, now);
  const counted = countsVisible(summary);
  const votes = counted ? (await solicitationsRepository.counts(db, id)).valid : new Map<number, number>();
  const announced = row.announced_at !== null;
  const entries = orderEntries(
    (await solicitationsRepository.entriesOf(db, id, ['approved'])).map((e) => publicEntry(secret, e, votes, counted)),
    announced,
    counted,
  );
  return {
    ...summary,
    rules: row.rules,
    announcement: row.announcement,
    entries,
    winners: announced ? entries.filter((e) => e.rank !== null) : [],
    countsVisible: counted,
    acceptingEntries: summary.stage === 'entries' && summary.running,
    votingOpen: summary.stage === 'voting' && summary.running,
  };
}

function myEntry(e: Awaited<ReturnType<typeof solicitationsRepository.entriesByAuthor>>[number]): MyEntry {
  return {
    id: e.id,
    solicitationId: e.solicitation_id,
    solicitationTitle: e.solicitation_title,
    title: e.title,
    body: e.body,
    status: e.status as EntryStatus,
    statusLabel: entryStatusLabel(e.status),
    refuseReason: e.status === 'refused' ? e.refuse_reason : null,
    submittedAt: e.submitted_at,
    reviewedAt: e.reviewed_at,
    rank: e.rank,
    prize: e.prize,
  };
}

/** The account's entries in every solicitation, newest first ("我的征集作品"). */
export async function myEntries(db: Db, userId: number): Promise<MyEntry[]> {
  return (await solicitationsRepository.entriesByAuthor(db, userId)).map(myEntry);
}

/** What the platform holds of an account in solicitations, for its data export (PIPL Art. 45). */
export async function solicitationDataOf(db: Db, userId: number) {
  return {
    entries: await myEntries(db, userId),
    votes: (await solicitationsRepository.votesBy(db, userId)).map((v) => ({
      id: v.id,
      solicitationId: v.solicitation_id,
      solicitation: v.solicitation_title,
      entryId: v.entry_id,
      entry: v.entry_title,
      votedAt: v.created_at,
      voidedAt: v.voided_at,
    })),
  };
}

/** The account's part in one solicitation: its entries with their state, its votes, what it may still do. */
export async function participation(db: Db, detail: SolicitationDetail, userId: number): Promise<Participation> {
  const entries = (await solicitationsRepository.entriesByAuthor(db, userId, detail.id)).map(myEntry);
  const used = await solicitationsRepository.participant(db, detail.id, userId);
  return {
    entries,
    entriesUsed: used.entriesUsed,
    votesUsed: used.votesUsed,
    votesLeft: Math.max(0, detail.votesPerUser - used.votesUsed),
    votedEntryIds: await solicitationsRepository.votedEntryIds(db, detail.id, userId),
    canSubmit: detail.acceptingEntries && used.entriesUsed < detail.entriesPerUser,
  };
}

/** Everything the editor's page shows: entries in every state with their flags and votes, and the flagged votes. */
export async function editorDetail(db: Db, secret: string, id: number, now = new Date()): Promise<EditorDetail> {
  const row = await loadSolicitation(db, id);
  const solicitation = await solicitationDetail(db, secret, id, now);
  const counts = await solicitationsRepository.counts(db, id);
  const all = await solicitationsRepository.entriesOf(db, id, ['submitted', 'approved', 'refused']);
  const entries: EditorEntry[] = orderEntries(
    all.map((e) => ({
      ...publicEntry(secret, e, counts.valid, true),
      status: e.status as EntryStatus,
      statusLabel: entryStatusLabel(e.status),
      authorId: e.author_id,
      flags: parseFlags(e.flags),
      refuseReason: e.refuse_reason,
      submittedAt: e.submitted_at,
      validVotes: counts.valid.get(e.id) ?? 0,
      flaggedVotes: counts.flagged.get(e.id) ?? 0,
      voidedVotes: counts.voided.get(e.id) ?? 0,
    })),
    row.announced_at !== null,
    true,
  );
  const flagged: FlaggedVote[] = (await solicitationsRepository.flaggedVotes(db, id, FLAGGED_SHOWN)).map((v) => ({
    id: v.id,
    entryId: v.entry_id,
    entryTitle: v.entry_title,
    voterId: v.user_id,
    voterNickname: v.voter_nickname,
    voterRegisteredAt: v.voter_created_at,
    network: v.client_key ? v.client_key.slice(0, 8) : null,
    burst: Boolean(v.flag_burst),
    newAccount: Boolean(v.flag_new_account),
    votedAt: v.created_at,
    voidedAt: v.voided_at,
    voidReason: v.void_reason,
  }));
  return {
    solicitation,
    dates: datesOf(row),
    waiting: entries.filter((e) => e.status === 'submitted').sort((a, b) => a.id - b.id),
    entries,
    flagged,
    canAnnounce: now.getTime() >= Date.parse(scheduleOf(row).voting.endAt),
    canAdvance: solicitation.stage !== 'closed',
  };
}

/** The editors' list: each solicitation with the entries waiting for review and the flagged votes not yet void. */
export async function editorList(db: Db, now = new Date()) {
  const waiting = await solicitationsRepository.waitingCounts(db);
  const flagged = await solicitationsRepository.flaggedCounts(db);
  return (await listSolicitations(db, now)).map((s) => ({
    ...s,
    waiting: waiting.get(s.id) ?? 0,
    flagged: flagged.get(s.id) ?? 0,
  }));
}
