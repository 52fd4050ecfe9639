// Editorial review: publish a submitted message, decline it with a published reason, or link it as a duplicate.
import { caseEventsRepository } from '../audit/case-events.ts';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { can } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';
import { DOMAINS, MESSAGE_TYPES, parseKey, REJECT_REASONS, STATUSES, type MessageStatus } from './message-kinds.ts';
import { messagesRepository } from './messages.repository.ts';
import { deadlineFor } from '../deadlines/working-rules.ts';
import { notify } from '../notify/notify.ts';
import { rulesForRegion } from '../workflow/rules.service.ts';
import { conflict, stepTransaction } from '../workflow/conflicts.ts';
import { notifyStaff } from '../workflow/staff-notices.ts';
import { rejectReasonLabel } from './message-labels.ts';

export const NOTE_MAX = 1000;

async function loadForReview(
  db: Db,
  editor: CurrentUser,
  messageId: number,
  action: 'message.review' | 'message.link-duplicate',
) {
  const message = await messagesRepository.findById(db, messageId);
  // Editors act anywhere; a unit links duplicates among the messages it handles.
  const target = message?.current_unit_id
    ? { unitPath: await scopeRepository.unitPath(db, message.current_unit_id) }
    : {};
  if (!can(editor.grants, action, target)) throw new AppError('FORBIDDEN');
  if (!message) throw new AppError('MESSAGE_NOT_FOUND', { id: messageId });
  return message;
}

function wrongStatus(status: string): AppError {
  return new AppError('WRONG_STATUS', { status: STATUSES[status as MessageStatus] ?? status });
}

/** The editor's type and domain: a text message comes without them and gets both here; any other may be corrected. */
export interface Classification {
  type?: unknown;
  domain?: unknown;
}

function classify(message: { channel: string; type: string; domain: string }, input: Classification) {
  const given = (value: unknown) => value !== undefined && value !== null && value !== '';
  const type = given(input.type) ? parseKey(MESSAGE_TYPES, input.type) : undefined;
  if (given(input.type) && !type) throw new AppError('TYPE_INVALID', {}, 'type');
  const domain = given(input.domain) ? parseKey(DOMAINS, input.domain) : undefined;
  if (given(input.domain) && !domain) throw new AppError('DOMAIN_INVALID', {}, 'domain');
  if (message.channel === 'sms' && (!type || !domain)) {
    throw new AppError('VALIDATION', { detail: '短信留言须由编辑选定类型和领域后才能通过' }, type ? 'domain' : 'type');
  }
  return {
    ...(type && type !== message.type ? { type } : {}),
    ...(domain && domain !== message.domain ? { domain } : {}),
  };
}

/** Publishes the message: it goes to the board's unit, whose acceptance clock starts now. */
export async function approveMessage(
  db: Db,
  editor: CurrentUser,
  messageId: number,
  note = '',
  classification: Classification = {},
): Promise<void> {
  const message = await loadForReview(db, editor, messageId, 'message.review');
  if (message.status !== 'submitted') throw wrongStatus(message.status);
  const classified = classify(message, classification);
  const now = new Date();
  const at = now.toISOString();
  const rules = await rulesForRegion(db, message.region_code);
  const acceptDue = deadlineFor(now, rules.acceptDays, rules).toISOString();
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.transition(trx, messageId, 'submitted', 'pending', {
      approved_at: at,
      accept_due_at: acceptDue,
      ...classified,
    });
    // Another editor decided on it a moment ago.
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId,
      kind: 'approve',
      actorId: editor.id,
      fromStatus: 'submitted',
      toStatus: 'pending',
      note: note.slice(0, NOTE_MAX),
      data: { acceptDueAt: acceptDue, ...(Object.keys(classified).length > 0 ? { classified } : {}) },
      at,
    });
    await notify(trx, {
      userId: message.author_id,
      messageId,
      text: ({ t }) => t('workflow.notice.approved', { title: message.title, code: message.tracking_code }),
      sms: true,
      dedupeKey: `approved:${messageId}`,
    });
    if (message.current_unit_id !== null)
      await notifyStaff(trx, {
        to: [{ unit: message.current_unit_id }],
        messageId,
        text: ({ t, date }) => t('workflow.notice.newMessage', { title: message.title, date: date(acceptDue) }),
        dedupeKey: `new:${messageId}`,
      });
  });
}

export async function rejectMessage(
  db: Db,
  editor: CurrentUser,
  messageId: number,
  input: { reason?: unknown; note?: unknown },
): Promise<void> {
  const message = await loadForReview(db, editor, messageId, 'message.review');
  const reason = parseKey(REJECT_REASONS, input.reason);
  if (!reason) throw new AppError('REJECT_REASON_INVALID', {}, 'reason');
  if (message.status !== 'submitted') throw wrongStatus(message.status);
  const note = typeof input.note === 'string' ? input.note.trim().slice(0, NOTE_MAX) : '';
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.transition(trx, messageId, 'submitted', 'rejected', {
      reject_reason: reason,
      reject_note: note || null,
      closed_at: at,
    });
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId,
      kind: 'reject',
      actorId: editor.id,
      fromStatus: 'submitted',
      toStatus: 'rejected',
      note,
      data: { reason },
      at,
    });
    await notify(trx, {
      userId: message.author_id,
      messageId,
      text: ({ t }) => t('workflow.notice.rejected', { title: message.title, reason: rejectReasonLabel(t, reason) }),
      sms: true,
      dedupeKey: `rejected:${messageId}`,
    });
  });
}

/** Marks a message as a duplicate of an earlier one; it follows the original's reply. */
export async function linkDuplicate(
  db: Db,
  editor: CurrentUser,
  messageId: number,
  originalId: unknown,
): Promise<void> {
  const message = await loadForReview(db, editor, messageId, 'message.link-duplicate');
  const target = Number(originalId);
  if (!Number.isInteger(target) || target <= 0 || target >= messageId)
    throw new AppError('DUPLICATE_INVALID', {}, 'original');
  const original = await messagesRepository.findById(db, target);
  if (!original || original.status === 'rejected' || original.duplicate_of !== null)
    throw new AppError('DUPLICATE_INVALID', {}, 'original');
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    // On the message as read: two links made at once to different originals cannot both be recorded.
    if (!(await messagesRepository.step(trx, messageId, { version: message.version }, { duplicate_of: target })))
      throw conflict();
    await caseEventsRepository.append(trx, {
      messageId,
      kind: 'link-duplicate',
      actorId: editor.id,
      fromStatus: message.status,
      toStatus: message.status,
      data: { original: target },
      at,
    });
  });
}
