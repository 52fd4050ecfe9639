// Entries to a solicitation: a netizen sends one while entries are taken (checked, personal data masked, sensitive
// words flagged, within the account's limit), and the editor approves it or refuses it with a reason the author sees.
import type { Translate } from '../i18n/i18n.ts';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import { can } from '../accounts/permissions.ts';
import type { Db } from '../db/kysely.ts';
import { clientDigest } from '../messages/flooding.ts';
import { maskPersonalData } from '../messages/personal-data.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { notify } from '../notify/notify.ts';
import { AppError } from '../web/app-error.ts';
import { standingAt, standingLabel } from './phases.ts';
import { entryStatusLabel, type EntryFlags } from './solicitation-view.ts';
import { type EditorActor, loadSolicitation, VOID_REASON_MAX } from './solicitations.service.ts';
import { scheduleOf, solicitationsRepository } from './solicitations.repository.ts';

export const ENTRY_TITLE_MIN = 2;
export const ENTRY_TITLE_MAX = 60;
export const ENTRY_BODY_MAX = 2000;
export const REFUSE_REASON_MIN = 2;
export const REFUSE_REASON_MAX = 500;

export interface EntryInput {
  title?: unknown;
  body?: unknown;
  /** Credit the author as "网友" and a tag instead of their nickname. */
  anonymous?: unknown;
}

export interface SubmitEntryContext {
  db: Db;
  secret: string;
  sensitiveWords: SensitiveWords;
  /** The sender's address: kept only as a keyed digest, as for messages. */
  clientAddress?: string;
  now?: Date;
  /** The author's language, for the words inside errors. */
  t?: Translate;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const length = (value: string) => [...value].length;
const ticked = (value: unknown) => value === true || value === '1' || value === 'on' || value === 'true';

/** Sends an entry; it waits for the editor's review. */
export async function submitEntry(
  ctx: SubmitEntryContext,
  author: CurrentUser,
  solicitationId: number,
  input: EntryInput,
): Promise<{ id: number; status: 'submitted' }> {
  const { db } = ctx;
  const now = ctx.now ?? new Date();
  const row = await loadSolicitation(db, solicitationId);
  const standing = standingAt(scheduleOf(row), now);
  if (standing.stage !== 'entries' || !standing.running)
    throw new AppError('ENTRIES_CLOSED', { stage: standingLabel(standing, ctx.t) });
  const problems: AppError[] = [];
  const title = text(input.title);
  if (length(title) < ENTRY_TITLE_MIN || length(title) > ENTRY_TITLE_MAX)
    problems.push(new AppError('ENTRY_TITLE_LENGTH', { min: ENTRY_TITLE_MIN, max: ENTRY_TITLE_MAX }, 'title'));
  const body = text(input.body);
  if (length(body) > ENTRY_BODY_MAX)
    problems.push(new AppError('ENTRY_BODY_LENGTH', { max: ENTRY_BODY_MAX, length: length(body) }, 'body'));
  if (problems.length > 0) {
    const summary = [...new Set(problems.map((p) => p.field))].join('、');
    throw new AppError('FORM_INVALID', { summary }, undefined, problems);
  }
  const maskedTitle = maskPersonalData(title);
  const maskedBody = maskPersonalData(body);
  const flags: EntryFlags = {
    personalData: [...new Set([...maskedTitle.hits, ...maskedBody.hits].map((h) => h.kind))],
    sensitiveWords: [
      ...new Set([...ctx.sensitiveWords.find(title), ...ctx.sensitiveWords.find(body)].map((h) => h.word)),
    ],
  };
  return db.transaction().execute(async (trx) => {
    await solicitationsRepository.ensureParticipant(trx, solicitationId, author.id);
    if (!(await solicitationsRepository.take(trx, solicitationId, author.id, 'entries_used', row.entries_per_user)))
      throw new AppError('ENTRY_LIMIT', { max: row.entries_per_user });
    const id = await solicitationsRepository.insertEntry(trx, {
      solicitationId,
      authorId: author.id,
      title: maskedTitle.text,
      body: maskedBody.text,
      credit: ticked(input.anonymous) ? 'tag' : 'nickname',
      flags: JSON.stringify(flags),
      clientKey: ctx.clientAddress ? clientDigest(ctx.secret, ctx.clientAddress) : null,
      at: now.toISOString(),
    });
    return { id, status: 'submitted' as const };
  });
}

async function loadEntry(db: Db, editor: EditorActor, solicitationId: number, entryId: number) {
  if (!can(editor.user.grants, 'solicitation.edit')) throw new AppError('FORBIDDEN');
  const row = await loadSolicitation(db, solicitationId);
  const entry = await solicitationsRepository.findEntry(db, entryId);
  if (!entry || entry.solicitation_id !== solicitationId) throw new AppError('ENTRY_NOT_FOUND', { id: entryId });
  if (row.announced_at) throw new AppError('RESULTS_LOCKED');
  return { row, entry };
}

/** Publishes an entry (also one refused before, which then counts against its author's limit again). */
export async function approveEntry(
  db: Db,
  editor: EditorActor,
  solicitationId: number,
  entryId: number,
  now = new Date(),
): Promise<void> {
  const { row, entry } = await loadEntry(db, editor, solicitationId, entryId);
  if (entry.status === 'approved')
    throw new AppError('ENTRY_STATUS', { status: entryStatusLabel('approved', editor.t) });
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const moved = await solicitationsRepository.setEntryStatus(trx, entryId, [entry.status], {
      status: 'approved',
      refuseReason: null,
      reviewedBy: editor.user.id,
      at,
    });
    if (!moved) throw new AppError('ENTRY_STATUS', { status: entryStatusLabel('approved', editor.t) });
    if (entry.status === 'refused')
      await solicitationsRepository.adjustEntries(trx, solicitationId, entry.author_id, 1);
    await adminLogRepository.append(trx, {
      actorId: editor.user.id,
      action: 'solicitation.entry.approve',
      targetUserId: entry.author_id,
      detail: { solicitationId, entryId, title: entry.title },
      ip: editor.ip ?? null,
    });
    await notify(
      trx,
      {
        userId: entry.author_id,
        text: ({ t }) => t('workflow.notice.entryApproved', { solicitation: row.title, entry: entry.title }),
        dedupeKey: `solicitation:${solicitationId}:approved:${entryId}:${at}`,
      },
      now,
    );
  });
}

/**
 * Refuses an entry with a reason its author sees; the entry no longer counts against the author's limit. Refusing
 * an entry already approved (found out during the vote) voids the votes it had and gives each voter that vote back.
 */
export async function refuseEntry(
  db: Db,
  editor: EditorActor,
  solicitationId: number,
  entryId: number,
  input: { reason?: unknown },
  now = new Date(),
): Promise<void> {
  const reason = text(input.reason);
  const { row, entry } = await loadEntry(db, editor, solicitationId, entryId);
  if (length(reason) < REFUSE_REASON_MIN || length(reason) > REFUSE_REASON_MAX)
    throw new AppError('REFUSE_REASON_LENGTH', { min: REFUSE_REASON_MIN, max: REFUSE_REASON_MAX }, 'reason');
  if (entry.status === 'refused') throw new AppError('ENTRY_STATUS', { status: entryStatusLabel('refused', editor.t) });
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const moved = await solicitationsRepository.setEntryStatus(trx, entryId, [entry.status], {
      status: 'refused',
      refuseReason: reason,
      reviewedBy: editor.user.id,
      at,
    });
    if (!moved) throw new AppError('ENTRY_STATUS', { status: entryStatusLabel('refused', editor.t) });
    await solicitationsRepository.adjustEntries(trx, solicitationId, entry.author_id, -1);
    const votes = await solicitationsRepository.validVotesOf(trx, entryId);
    if (votes.length > 0) {
      await solicitationsRepository.voidVotes(
        trx,
        votes.map((v) => v.id),
        { by: editor.user.id, reason: [...`作品未采用：${reason}`].slice(0, VOID_REASON_MAX).join(''), at },
      );
      await solicitationsRepository.giveBackVotes(
        trx,
        solicitationId,
        votes.map((v) => v.user_id),
      );
    }
    await adminLogRepository.append(trx, {
      actorId: editor.user.id,
      action: 'solicitation.entry.refuse',
      targetUserId: entry.author_id,
      detail: { solicitationId, entryId, title: entry.title, reason, votesVoided: votes.length },
      ip: editor.ip ?? null,
    });
    await notify(
      trx,
      {
        userId: entry.author_id,
        text: ({ t }) => t('workflow.notice.entryRefused', { solicitation: row.title, entry: entry.title, reason }),
        dedupeKey: `solicitation:${solicitationId}:refused:${entryId}:${at}`,
      },
      now,
    );
  });
}
