// Notices of workflow changes: an in-site notification, and for users who should hear at once an SMS via the outbox.
import type { Db } from '../db/kysely.ts';
import { notificationsRepository } from './notifications.repository.ts';
import { outboxRepository } from './outbox.repository.ts';

export interface Notice {
  userId?: number | null;
  unitId?: number | null;
  messageId?: number | null;
  text: string;
  sms?: boolean;
  dedupeKey: string;
}

/** The outbox column is varchar(160). */
export const DEDUPE_KEY_MAX = 160;

/**
 * Called inside the transaction of a workflow change: writes the in-site notification and, for sms, an outbox row;
 * the same dedupeKey twice does nothing the second time.
 *
 * Every notice takes exactly one outbox row under its dedupe key, whose unique index is the only dedupe record:
 * `channel = 'sms'` (pending, for the worker) when an SMS goes to a user, otherwise `channel = 'site'` (already
 * `sent`, never claimed) as a mere marker. The notification row is written only when that insert won, so a key
 * used again — even with a different text or channel — changes nothing, and two transactions racing on one key
 * leave one notice. SMS needs a user: for a unit-only notice `sms` is ignored. The phone number is not copied
 * here; the worker reads it when it sends, so a user who deletes their account meanwhile gets nothing.
 */
export async function notify(trx: Db, notice: Notice, now: Date = new Date()): Promise<void> {
  const userId = notice.userId ?? null;
  const unitId = notice.unitId ?? null;
  const messageId = notice.messageId ?? null;
  // Programming errors, not user input: they should fail the caller's transaction loudly.
  if (userId === null && unitId === null) throw new Error('notify: a notice needs a userId or a unitId');
  if (!notice.text.trim()) throw new Error('notify: a notice needs a text');
  if (!notice.dedupeKey || notice.dedupeKey.length > DEDUPE_KEY_MAX)
    throw new Error(`notify: the dedupeKey must have 1 to ${DEDUPE_KEY_MAX} characters`);

  const at = now.toISOString();
  const bySms = notice.sms === true && userId !== null;
  const first = await outboxRepository.insertOnce(trx, {
    channel: bySms ? 'sms' : 'site',
    userId,
    unitId,
    messageId,
    text: notice.text,
    dedupeKey: notice.dedupeKey,
    status: bySms ? 'pending' : 'sent',
    nextAttemptAt: at,
    sentAt: bySms ? null : at,
  });
  if (!first) return;
  await notificationsRepository.insert(trx, { userId, unitId, messageId, text: notice.text, createdAt: at });
}
