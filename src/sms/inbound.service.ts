// Acts on texts pushed by an SMS gateway: each is stored first (once per gateway id), then claimed, acted on and
// answered by SMS through the outbox; a failure gives it back so the gateway's retry acts on it again.
import { loadCurrentUser } from '../accounts/accounts.service.ts';
import { normalizePhone } from '../accounts/phone.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Config, SmsInboundProvider } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { translator } from '../i18n/i18n.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { submitMessage } from '../messages/submit-message.ts';
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

const t = translator('zh-CN');

export const REPLIES = {
  help: '写留言：发“地名+领导 内容”，如“正定县长 路灯坏了”，或“留言板短信代码 内容”；查进度：发“查 查询码”；退订回TD。',
  unsubscribed: '已退订：本号码不再收到留言进展短信（验证码和您查询的回复除外）。恢复请登录网站“通知设置”。',
  flood: '您发送的短信过多，请一小时后再发。',
  tooShort: '留言内容太短，请写明地点、事情和诉求，如“正定县长 XX小区门口路灯坏了两个月”。',
  boardClosed: '该留言板暂停接收留言，请改写给其他领导。',
  noAccount: '本号码还没有留言。写留言请发“地名+领导 内容”。',
  nothingToRate: '您没有待评价的留言。查进度请发“查 查询码”。',
  rateFormat: '评价格式：满意 5 5 5（解决 时效 态度，各1–5分），或回复“满意”“基本满意”“不满意”。',
  followUpShort: '追问内容太短，请写明还有什么问题，如“追问 路灯修了又坏了”。',
  ambiguous: (name: string) => fit(`“${name}”有多处，请改用留言板页面上的7位短信代码，如“1301232 留言内容”。`),
  received: (board: string, code: string) => {
    const full = `致${board}的留言已收到，查询码${code}，审核后转交办理。发“查${code}”查进度。`;
    return [...full].length <= SMS_CHARS ? full : `留言已收到，查询码${code}，审核后转交办理。发“查${code}”查进度。`;
  },
  unknownCode: (code: string) => `没有查到查询码${code}的留言，请核对后再发。`,
  rated: (code: string, s: [number, number, number]) =>
    `已评价留言${code}（解决${s[0]} 时效${s[1]} 态度${s[2]}），谢谢！`,
  followedUp: (code: string, due: string | null) =>
    `追问已收到，留言${code}已转回办理单位${due ? `，办理时限${chinaDay(due)}` : ''}。`,
  refused: (code: string, reason: string) => fit(`留言${code}：${reason}`),
};

/** 2026-05-20T… → 5月20日, in Beijing time. */
function chinaDay(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The status by text: what /track shows, in one or two texts; the reply's first lines when there is one. */
export function statusText(r: TrackResult): string {
  const head = `留言${r.code}：${r.statusLabel}`;
  const detailed = r.published !== null || r.byAuthor;
  if (!detailed) {
    return r.status === 'submitted' ? `${head}，审核通过后转交办理。` : `${head}。`;
  }
  if (r.status === 'submitted') return `${head}，审核通过后转交办理。`;
  if (r.status === 'rejected') return `${head}，详情请登录网站“我的留言”查看。`;
  const unit = r.published?.unit ? `（${r.published.unit}）` : '';
  const due = r.published?.dueAt ? `，时限${chinaDay(r.published.dueAt)}` : '';
  if (!r.reply || r.status === 'pending') return fit(`${head}${unit}${due}。`);
  const invite = r.status === 'replied' && r.byAuthor ? '回复“满意 5 5 5”评价或“追问 内容”。' : '';
  const start = `${head}。答复：`;
  const room = TWO_SMS - [...start].length - [...invite].length;
  const body = r.reply.body.replace(/\s+/g, ' ').trim();
  return `${start}${fit(body, Math.max(10, room))}${invite}`;
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

async function act(ctx: InboundContext, inboundId: number, text: InboundText, now: Date): Promise<Handled> {
  const phone = normalizePhone(text.phone);
  // Only mainland mobile numbers can hold an account and get answers.
  if (!phone) return { outcome: 'ignored', reply: null };
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const recent = await inboundRepository.countFrom(ctx.db, phone, hourAgo);
  const limit = ctx.config.limits.smsInboundPerNumberPerHour;
  if (recent > limit) {
    // Said once, on the first text over the limit; after that, silence.
    return { outcome: 'flood', reply: recent === limit + 1 ? REPLIES.flood : null };
  }
  const command = parseCommand(text.text);
  return handle(ctx, inboundId, phone, command);
}

async function handle(
  ctx: InboundContext,
  inboundId: number,
  phone: string,
  command: InboundCommand,
): Promise<Handled> {
  const { db } = ctx;
  switch (command.kind) {
    case 'unsubscribe': {
      const account = await inboundRepository.findAccount(db, phone);
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
        reply: statusText(result),
        messageId: result.published?.messageId ?? (result.byAuthor ? await idOf(db, command.code) : null),
      };
    }
    case 'rate':
    case 'follow-up':
      return authorAction(ctx, phone, command);
    case 'message':
      return newMessage(ctx, inboundId, phone, command.text);
  }
}

async function idOf(db: Db, code: string): Promise<number | null> {
  return (await inboundRepository.findByCode(db, code))?.id ?? null;
}

/** A rating or the one follow-up, by the author's number, on the message named or the newest answered one. */
async function authorAction(
  ctx: InboundContext,
  phone: string,
  command: Extract<InboundCommand, { kind: 'rate' | 'follow-up' }>,
): Promise<Handled> {
  const { db } = ctx;
  const account = await inboundRepository.findAccount(db, phone);
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
    const reason = t(err.messageKey, err.params).replace(/。$/, '');
    return { outcome: 'refused', reply: REPLIES.refused(target.tracking_code, `${reason}。`), ...base };
  }
}

/** A new message to the board the text names, from the sender's account (the carrier vouched for the number). */
async function newMessage(ctx: InboundContext, inboundId: number, phone: string, text: string): Promise<Handled> {
  const { db } = ctx;
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
    const name = (await inboundRepository.boardName(db, match.boardId)) ?? '领导';
    return {
      outcome: 'message',
      reply: REPLIES.received(name, result.trackingCode),
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
