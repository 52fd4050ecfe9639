// Notices of workflow changes: an in-site notification, and for users who should hear at once an SMS via the outbox.
import type { Db } from '../db/kysely.ts';
import { createHash } from 'node:crypto';
import { type NoticeLanguage, noticeLanguage, type NoticeText, unitLanguage, writeNotice } from './notice-language.ts';
import { noticePreferencesRepository } from './notice-preferences.repository.ts';
import { type NoticeKind, noticeKindOf, type Preferences, recipientChoice } from './notice-preferences.ts';
import { notificationsRepository } from './notifications.repository.ts';
import { outboxRepository } from './outbox.repository.ts';

export interface Notice {
  userId?: number | null;
  unitId?: number | null;
  messageId?: number | null;
  /**
   * The text, written for the recipient in their language: a person's account language (users.locale; none is
   * Simplified Chinese), a unit's inbox by its region (Hong Kong and Macau: Traditional). Given the recipient's
   * translator and date format, e.g. `({ t, date }) => t('workflow.notice.accepted', { title, date: date(due) })`.
   */
  text: NoticeText;
  sms?: boolean;
  /** A shorter or more useful wording for the SMS (e.g. how to answer it); the site and e-mail use `text`. */
  smsText?: NoticeText;
  /** The kind of notice the person chose channels for; by default read from the dedupe key (see notice-preferences). */
  kind?: NoticeKind;
  dedupeKey: string;
}

/** The dedupe key of a notice's e-mail copy, within the column's length. */
export function emailDedupeKey(dedupeKey: string): string {
  const key = `${dedupeKey}#email`;
  return key.length <= DEDUPE_KEY_MAX ? key : `email#${createHash('sha256').update(dedupeKey).digest('hex')}`;
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
 *
 * The text is written here, for the recipient: in the account's language (users.locale, read with the choice of
 * channels), or for a unit's inbox in its region's (Hong Kong and Macau: Traditional Chinese); else Simplified.
 */
export async function notify(trx: Db, notice: Notice, now: Date = new Date()): Promise<void> {
  const userId = notice.userId ?? null;
  const unitId = notice.unitId ?? null;
  const messageId = notice.messageId ?? null;
  // Programming errors, not user input: they should fail the caller's transaction loudly.
  if (userId === null && unitId === null) throw new Error('notify: a notice needs a userId or a unitId');
  if (!notice.dedupeKey || notice.dedupeKey.length > DEDUPE_KEY_MAX)
    throw new Error(`notify: the dedupeKey must have 1 to ${DEDUPE_KEY_MAX} characters`);

  const at = now.toISOString();
  // A person's own choice of channels for this kind of notice, read with their language; unit notices go to the
  // unit's inbox as they are, in the language of the unit's region.
  const kind = notice.kind ?? noticeKindOf(notice.dedupeKey);
  let choice: Preferences | null = null;
  let lang: NoticeLanguage;
  if (userId !== null) {
    const recipient = await recipientChoice(trx, userId, kind);
    choice = recipient.channels;
    lang = noticeLanguage(recipient.locale);
  } else {
    lang = noticeLanguage(unitLanguage(await noticePreferencesRepository.unitRegion(trx, unitId!)));
  }
  // A sentence ending in an empty part (an assignment without an instruction) leaves no trailing space.
  const text = writeNotice(notice.text, lang).trim();
  if (!text) throw new Error('notify: a notice needs a text');
  const bySms = notice.sms === true && userId !== null && choice?.sms !== false;
  const first = await outboxRepository.insertOnce(trx, {
    channel: bySms ? 'sms' : 'site',
    userId,
    unitId,
    messageId,
    text: bySms && notice.smsText ? writeNotice(notice.smsText, lang) : text,
    dedupeKey: notice.dedupeKey,
    status: bySms ? 'pending' : 'sent',
    nextAttemptAt: at,
    sentAt: bySms ? null : at,
  });
  if (!first) return;
  if (choice?.site !== false) {
    await notificationsRepository.insert(trx, { userId, unitId, messageId, text, createdAt: at });
  }
  // The e-mail copy goes out only to a confirmed address; the worker reads the address again when it sends.
  if (userId !== null && choice?.email && (await noticePreferencesRepository.verifiedEmail(trx, userId))) {
    await outboxRepository.insertOnce(trx, {
      channel: 'email',
      userId,
      unitId,
      messageId,
      text,
      subject: emailSubject(text, lang),
      dedupeKey: emailDedupeKey(notice.dedupeKey),
      status: 'pending',
      nextAttemptAt: at,
      sentAt: null,
    });
  }
}

/** The notice's first sentence, short enough for a subject line, after the platform's name in the recipient's language. */
function emailSubject(text: string, lang: NoticeLanguage): string {
  // An English sentence ends at a full stop followed by a space and a capital (not inside 1.5 or a title's "e.g.").
  const first = text.split(lang.locale === 'en' ? /(?<=[.!?])\s+(?=[A-Z])/ : /(?<=[。！？])/)[0] ?? text;
  const chars = [...first.trim()];
  const short = chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : chars.join('');
  return lang.t('workflow.email.subject', { text: short });
}
