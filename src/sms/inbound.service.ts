// Acts on texts pushed by an SMS gateway: each is stored first (once per gateway id), then claimed, acted on and
// answered by SMS through the outbox; a failure gives it back so the gateway's retry acts on it again.
import { loadCurrentUser } from '../accounts/accounts.service.ts';
import { normalizePhone } from '../accounts/phone.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Config, SmsInboundProvider } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LOCALE } from '../i18n/i18n.ts';
import { namesFor } from '../i18n/place-names.ts';
import { statusLabel } from '../messages/message-labels.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { submitMessage } from '../messages/submit-message.ts';
import { accountLanguage, type NoticeLanguage, noticeLanguage } from '../notify/notice-language.ts';
import { noticePreferencesRepository } from '../notify/notice-preferences.repository.ts';
import { outboxRepository } from '../notify/outbox.repository.ts';
import { trackMessage, type TrackResult } from '../tracking/tracking.service.ts';
import { AppError } from '../web/app-error.ts';
import { ACTIONS as WORKFLOW_ACTIONS } from '../workflow/transitions.ts';
import { findBoard } from './board-directory.ts';
import { clean, fit, type InboundCommand, parseCommand, SMS_CHARS } from './inbound-commands.ts';
import type { InboundText } from './inbound-formats.ts';
import { inboundRepository } from './inbound.repository.ts';

export interface InboundContext {
  db: Db;
  config: Pick<Config, 'secret' | 'limits' | 'publicUrl'>;
  store: AttachmentStore;
  sensitiveWords: SensitiveWords;
  now?: () => Date;
}

export type InboundOutcome =
  | 'message'
  | 'invalid'
  | 'ambiguous'
  | 'track'
  | 'track-unknown'
  | 'rate'
  | 'follow-up'
  | 'refused'
  | 'unsubscribe'
  | 'help'
  | 'flood'
  | 'ignored'
  | 'duplicate';

interface Handled {
  outcome: InboundOutcome;
  reply: string | null;
  messageId?: number | null;
  userId?: number | null;
}

/** How long one request may hold a text before another may act on it (the gateway retries after a minute). */
const CLAIM_MS = 2 * 60_000;
/** Title of a message written by text: its first line, this long at most. */
const SMS_TITLE_CHARS = 20;
/** A status with the reply's first lines may take two texts. */
const TWO_SMS = 2 * 67;

/** Two texts of plain Latin letters (GSM 7-bit: 153 characters each when joined). */
const TWO_LATIN_SMS = 2 * 153;

/** How long an answer may be: one text in Chinese; English says more, in up to two (longer ones when all Latin). */
const limitFor = (lang: NoticeLanguage, text = '') =>
  lang.locale !== 'en' ? SMS_CHARS : /^[\x20-\x7e]*$/.test(text) ? TWO_LATIN_SMS : TWO_SMS;

/** An answer cut to the length its language may take. */
const fitFor = (lang: NoticeLanguage, text: string) => fit(text, limitFor(lang, text));

/** The answers, in the sender's language (their account's; Simplified Chinese for a number without one). */
export function replies(lang: NoticeLanguage) {
  const { t } = lang;
  return {
    help: t('workflow.sms.help'),
    unsubscribed: t('workflow.sms.unsubscribed'),
    flood: t('workflow.sms.flood'),
    tooShort: t('workflow.sms.tooShort'),
    boardClosed: t('workflow.sms.boardClosed'),
    noAccount: t('workflow.sms.noAccount'),
    nothingToRate: t('workflow.sms.nothingToRate'),
    rateFormat: t('workflow.sms.rateFormat'),
    followUpShort: t('workflow.sms.followUpShort'),
    ambiguous: (name: string) => fitFor(lang, t('workflow.sms.ambiguous', { name })),
    received: (board: { region: string; title: string } | null, code: string) => {
      const names = namesFor(lang.locale);
      const full = board
        ? t('workflow.sms.received', {
            board: t('workflow.sms.board', { place: names.place(board.region), post: names.post(board.title) }),
            code,
          })
        : null;
      return full && [...full].length <= limitFor(lang, full) ? full : t('workflow.sms.receivedShort', { code });
    },
    unknownCode: (code: string) => t('workflow.sms.unknownCode', { code }),
    rated: (code: string, s: [number, number, number]) =>
      t('workflow.sms.rated', { code, resolution: s[0], timeliness: s[1], attitude: s[2] }),
    followedUp: (code: string, due: string | null) =>
      due ? t('workflow.sms.followedUpDue', { code, date: lang.day(due) }) : t('workflow.sms.followedUp', { code }),
    refused: (code: string, reason: string) => fitFor(lang, t('workflow.sms.refused', { code, reason })),
  };
}

/** The status by text: what /track shows, in one or two texts; the reply's first lines when there is one. */
export function statusText(r: TrackResult, lang: NoticeLanguage = noticeLanguage(DEFAULT_LOCALE)): string {
  const { t } = lang;
  const names = namesFor(lang.locale);
  const head = t('workflow.sms.status', { code: r.code, status: statusLabel(t, r.status) });
  const detailed = r.published !== null || r.byAuthor;
  if (!detailed) {
    return r.status === 'submitted'
      ? t('workflow.sms.status.inReview', { head })
      : t('workflow.sms.status.plain', { head });
  }
  if (r.status === 'submitted') return t('workflow.sms.status.inReview', { head });
  if (r.status === 'rejected') return t('workflow.sms.status.rejected', { head });
  const unit = r.published?.unit ? t('workflow.sms.status.unit', { unit: names.unit(r.published.unit) }) : '';
  const due = r.published?.dueAt ? t('workflow.sms.status.due', { date: lang.day(r.published.dueAt) }) : '';
  if (!r.reply || r.status === 'pending') return fitFor(lang, t('workflow.sms.status.open', { head, unit, due }));
  const invite = r.status === 'replied' && r.byAuthor ? t('workflow.sms.status.invite') : '';
  const room = TWO_SMS - [...t('workflow.sms.status.reply', { head, reply: '', invite })].length;
  // The reply's first lines, as its unit wrote them.
  const body = r.reply.body.replace(/\s+/g, ' ').trim();
  return t('workflow.sms.status.reply', { head, reply: fit(body, Math.max(10, room)), invite });
}

/** Stores and acts on each text of one push; duplicates of texts already acted on are stored once and skipped. */
export async function receiveTexts(
  ctx: InboundContext,
  provider: SmsInboundProvider,
  texts: InboundText[],
  clientIp: string,
): Promise<{ stored: number; acted: number; duplicates: number }> {
  const tally = { stored: 0, acted: 0, duplicates: 0 };
  for (const text of texts) {
    const now = ctx.now?.() ?? new Date();
    const { row, fresh } = await inboundRepository.store(ctx.db, {
      provider,
      providerId: text.providerId,
      phone: text.phone.trim(),
      text: text.text,
      destCode: text.destCode,
      sentAt: text.sentAt,
      clientIp,
      receivedAt: now.toISOString(),
    });
    if (fresh) tally.stored++;
    if (row.status === 'done') {
      tally.duplicates++;
      continue;
    }
    const claimed = await inboundRepository.claim(
      ctx.db,
      row.id,
      now.toISOString(),
      new Date(now.getTime() + CLAIM_MS).toISOString(),
    );
    if (!claimed) {
      // Another request is acting on this very text right now.
      tally.duplicates++;
      continue;
    }
    try {
      const handled = await act(ctx, row.id, text, now);
      if (handled.reply) {
        await outboxRepository.insertOnce(ctx.db, {
          channel: 'sms',
          userId: handled.userId ?? null,
          unitId: null,
          messageId: handled.messageId ?? null,
          text: handled.reply,
          recipient: normalizePhone(text.phone) ?? text.phone,
          dedupeKey: `sms-in:${row.id}`,
          status: 'pending',
          nextAttemptAt: now.toISOString(),
          sentAt: null,
        });
      }
      await inboundRepository.finish(ctx.db, row.id, {
        outcome: handled.outcome,
        messageId: handled.messageId ?? null,
        reply: handled.reply,
        at: new Date().toISOString(),
      });
      tally.acted++;
    } catch (err) {
      await inboundRepository.release(ctx.db, row.id, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
  return tally;
}

/** Who sent a text: the account holding the number (if any) and the language the answers are written in. */
interface Sender {
  phone: string;
  account: { id: number } | undefined;
  lang: NoticeLanguage;
  replies: ReturnType<typeof replies>;
}

async function act(ctx: InboundContext, inboundId: number, text: InboundText, now: Date): Promise<Handled> {
  const phone = normalizePhone(text.phone);
  // Only mainland mobile numbers can hold an account and get answers.
  if (!phone) return { outcome: 'ignored', reply: null };
  const account = await noticePreferencesRepository.accountOfPhone(ctx.db, phone);
  const lang = noticeLanguage(accountLanguage(account?.locale));
  const sender: Sender = { phone, account, lang, replies: replies(lang) };
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const recent = await inboundRepository.countFrom(ctx.db, phone, hourAgo);
  const limit = ctx.config.limits.smsInboundPerNumberPerHour;
  if (recent > limit) {
    // Said once, on the first text over the limit; after that, silence.
    return { outcome: 'flood', reply: recent === limit + 1 ? sender.replies.flood : null };
  }
  const command = parseCommand(text.text);
  return handle(ctx, inboundId, sender, command);
}

async function handle(
  ctx: InboundContext,
  inboundId: number,
  sender: Sender,
  command: InboundCommand,
): Promise<Handled> {
  const { db } = ctx;
  const { phone, account, replies: REPLIES } = sender;
  switch (command.kind) {
    case 'unsubscribe': {
      const first = await noticePreferencesRepository.optOut(db, phone);
      return { outcome: 'unsubscribe', reply: first ? REPLIES.unsubscribed : null, userId: account?.id ?? null };
    }
    case 'help':
      return { outcome: 'help', reply: REPLIES.help };
    case 'track': {
      const result = await trackMessage(db, command.code, { phone });
      if (!result) return { outcome: 'track-unknown', reply: REPLIES.unknownCode(command.code) };
      return {
        outcome: 'track',
        reply: statusText(result, sender.lang),
        messageId: result.published?.messageId ?? (result.byAuthor ? await idOf(db, command.code) : null),
      };
    }
    case 'rate':
    case 'follow-up':
      return authorAction(ctx, sender, command);
    case 'message':
      return newMessage(ctx, inboundId, sender, command.text);
  }
}

async function idOf(db: Db, code: string): Promise<number | null> {
  return (await inboundRepository.findByCode(db, code))?.id ?? null;
}

/** A rating or the one follow-up, by the author's number, on the message named or the newest answered one. */
async function authorAction(
  ctx: InboundContext,
  sender: Sender,
  command: Extract<InboundCommand, { kind: 'rate' | 'follow-up' }>,
): Promise<Handled> {
  const { db } = ctx;
  const { phone, account, replies: REPLIES } = sender;
  if (!account) return { outcome: 'refused', reply: REPLIES.noAccount };
  const user = await loadCurrentUser(db, account.id);
  if (!user) return { outcome: 'refused', reply: REPLIES.noAccount };
  let target: { id: number; tracking_code: string } | undefined;
  if (command.code) {
    const named = await inboundRepository.findByCode(db, command.code);
    // Someone else's code reads like an unknown one: a text never tells whose a message is.
    if (!named || named.author_id !== account.id) {
      return { outcome: 'refused', reply: REPLIES.unknownCode(command.code), userId: account.id };
    }
    target = named;
  } else {
    target = await inboundRepository.latestReplied(db, account.id);
  }
  if (!target) return { outcome: 'refused', reply: REPLIES.nothingToRate, userId: account.id };
  const base = { userId: account.id, messageId: target.id };
  if (command.kind === 'rate' && !command.scores) return { outcome: 'refused', reply: REPLIES.rateFormat, ...base };
  if (command.kind === 'follow-up' && [...command.question].length < 5) {
    return { outcome: 'refused', reply: REPLIES.followUpShort, ...base };
  }
  try {
    if (command.kind === 'rate') {
      const [resolution, timeliness, attitude] = command.scores!;
      await WORKFLOW_ACTIONS.get('rate')!(db, user, target.id, {
        resolution,
        timeliness,
        attitude,
        comment: command.comment,
      });
      return { outcome: 'rate', reply: REPLIES.rated(target.tracking_code, command.scores!), ...base };
    }
    await WORKFLOW_ACTIONS.get('follow-up')!(db, user, target.id, { question: command.question });
    const after = await trackMessage(db, target.tracking_code, { phone });
    return {
      outcome: 'follow-up',
      reply: REPLIES.followedUp(target.tracking_code, after?.published?.dueAt ?? null),
      ...base,
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The error as the sender's language says it, one full stop at the end.
    const reason = sender.lang.t(err.messageKey, err.params).replace(/[。.]$/, '');
    const stop = sender.lang.locale === 'en' ? '.' : '。';
    return { outcome: 'refused', reply: REPLIES.refused(target.tracking_code, `${reason}${stop}`), ...base };
  }
}

/** A new message to the board the text names, from the sender's account (the carrier vouched for the number). */
async function newMessage(ctx: InboundContext, inboundId: number, sender: Sender, text: string): Promise<Handled> {
  const { db } = ctx;
  const { phone, replies: REPLIES } = sender;
  const match = await findBoard(db, text);
  if (match.kind === 'none') return { outcome: 'help', reply: REPLIES.help };
  if (match.kind === 'ambiguous') return { outcome: 'ambiguous', reply: REPLIES.ambiguous(match.name) };
  const body = clean(match.rest);
  const authorId = await inboundRepository.accountFor(db, phone, `短信网友${phone.slice(-4)}`);
  const firstLine = body.split('\n')[0]!.trim();
  const title = [...firstLine]
    .slice(0, SMS_TITLE_CHARS)
    .join('')
    .replace(/[，,。.；;：:、\s]+$/u, '');
  try {
    const result = await submitMessage(
      {
        db,
        secret: ctx.config.secret,
        store: ctx.store,
        sensitiveWords: ctx.sensitiveWords,
        authorId,
        channel: 'sms',
        // A retried push that gets this far again returns the same message.
        idempotencyKey: `sms-inbound-${inboundId}`,
      },
      // Type and domain are placeholders: the editor sets both when reviewing a text (see messages/review.ts).
      { boardId: match.boardId, type: 'consult', domain: 'government', title, body, visibility: 'public' },
    );
    return {
      outcome: 'message',
      reply: REPLIES.received(await inboundRepository.boardName(db, match.boardId), result.trackingCode),
      messageId: result.id,
      userId: authorId,
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const codes = new Set([err.code, ...err.fields.map((f) => f.code)]);
    const reply = codes.has('BOARD_CLOSED')
      ? REPLIES.boardClosed
      : codes.has('BODY_LENGTH') || codes.has('TITLE_LENGTH')
        ? REPLIES.tooShort
        : REPLIES.help;
    return { outcome: 'invalid', reply, userId: authorId };
  }
}
