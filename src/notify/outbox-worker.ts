// Sends the SMS rows of the outbox: claims due rows, sends each at most once, retries failures with back-off.
import { usersRepository } from '../accounts/users.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { SmsSender } from '../sms/sms.ts';
import type { Mailer } from '../mail/mailer.ts';
import { unsubscribePath } from '../mail/links.ts';
import { noticePreferencesRepository } from './notice-preferences.repository.ts';
import { NOTICE_KINDS, noticeKindOf } from './notice-preferences.ts';
import { type ClaimedSms, outboxRepository } from './outbox.repository.ts';

/** Waits after the 1st, 2nd, … failed attempt; a failure after the last of them is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 12 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** A row left `sending` may or may not have reached the phone: a duplicate is worse than a missing notice. */
export const STALE_SENDING_ERROR = '发送状态不明，为避免重复发送不再重试';
export const NO_RECIPIENT_ERROR = '收件人已注销或没有手机号';
export const OPTED_OUT_ERROR = '该号码已回复 TD 退订通知短信';
export const NO_MAILER_ERROR = '未配置发信服务器（SMTP_URL）';
export const NO_EMAIL_ERROR = '收件人已注销或没有已确认的邮箱';

/** What sending e-mail needs: the SMTP mailer (null without SMTP_URL), the site's address and the link secret. */
export interface MailContext {
  mailer: Mailer | null;
  siteBase: string;
  secret: string;
}

const DEFAULT_BATCH = 20;
/**
 * How long a claim lasts. It only has to outlive one batch (an http send can take about a minute with its own
 * retries); a longer lease merely delays marking a crashed process's rows as failed.
 */
const DEFAULT_LEASE_MS = 30 * 60_000;
const DEFAULT_INTERVAL_MS = 5_000;
const ERROR_MAX = 1000;

export interface OutboxRun {
  /** Rows this run claimed. */
  claimed: number;
  sent: number;
  /** Rows closed as failed: attempts used up, or left `sending` by a crashed process past its lease. */
  failed: number;
  /** Rows put back to `pending` for a later attempt. */
  retried: number;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);

export async function runOutboxOnce(
  db: Db,
  sms: SmsSender,
  options: { now?: Date; batch?: number; leaseMs?: number; mail?: MailContext } = {},
): Promise<OutboxRun> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const run: OutboxRun = { claimed: 0, sent: 0, failed: 0, retried: 0 };

  run.failed += await outboxRepository.failStale(db, at, STALE_SENDING_ERROR);

  const claimedUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const rows = await outboxRepository.claimDue(db, { now: at, claimedUntil, batch: options.batch ?? DEFAULT_BATCH });
  run.claimed = rows.length;

  for (const row of rows) {
    let send: () => Promise<void>;
    if (row.channel === 'email') {
      const mail = await emailFor(db, row, options.mail);
      if (!mail.ok) {
        await outboxRepository.close(db, row.id, 'skipped', mail.error);
        continue;
      }
      send = mail.send;
    } else {
      // A row addressed to a number answers a text from it; a notice goes to the account's number unless it opted out.
      const user = row.userId === null ? undefined : await usersRepository.findById(db, row.userId);
      const phone = row.recipient ?? user?.phone;
      if (!phone) {
        await outboxRepository.close(db, row.id, 'skipped', NO_RECIPIENT_ERROR);
        continue;
      }
      if (!row.recipient && (await noticePreferencesRepository.isOptedOut(db, phone))) {
        await outboxRepository.close(db, row.id, 'skipped', OPTED_OUT_ERROR);
        continue;
      }
      send = () => sms.send({ to: phone, text: row.text, purpose: 'notice' });
    }
    try {
      await send();
    } catch (err) {
      const delay = RETRY_DELAYS_MS[row.attempts - 1];
      if (delay === undefined || row.attempts >= MAX_ATTEMPTS) {
        await outboxRepository.close(db, row.id, 'failed', errorText(err));
        run.failed++;
      } else {
        await outboxRepository.retryLater(db, row.id, new Date(now.getTime() + delay).toISOString(), errorText(err));
        run.retried++;
      }
      continue;
    }
    await outboxRepository.markSent(db, row.id, at);
    run.sent++;
  }
  return run;
}

/** The e-mail a claimed row becomes: to its own address (a confirmation) or the account's confirmed one (a notice). */
async function emailFor(
  db: Db,
  row: ClaimedSms,
  mail: MailContext | undefined,
): Promise<{ ok: true; send: () => Promise<void> } | { ok: false; error: string }> {
  const mailer = mail?.mailer;
  if (!mail || !mailer) return { ok: false, error: NO_MAILER_ERROR };
  const user = row.userId === null ? undefined : await usersRepository.findById(db, row.userId);
  const to = row.recipient ?? (user ? await noticePreferencesRepository.verifiedEmail(db, user.id) : null);
  if (!to) return { ok: false, error: NO_EMAIL_ERROR };
  const lines = [row.text];
  const headers: Record<string, string> = {};
  if (row.messageId !== null) lines.push('', `查看留言：${mail.siteBase}/messages/${row.messageId}`);
  if (!row.recipient && user) {
    const kind = noticeKindOf(row.dedupeKey);
    const link = `${mail.siteBase}${unsubscribePath(mail.secret, user.id, kind)}`;
    lines.push(
      '',
      '——',
      `不想再收到“${NOTICE_KINDS[kind].label}”的邮件？退订：${link}`,
      `管理全部通知方式：${mail.siteBase}/account/notices`,
    );
    headers['List-Unsubscribe'] = `<${link}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const subject = row.subject ?? '留言平台通知';
  return { ok: true, send: () => mailer.send({ to, subject, text: lines.join('\n'), headers }) };
}

/** Runs the outbox every `intervalMs`, at once again while batches come back full; `stop()` waits for a run in flight. */
export function startOutboxWorker(
  db: Db,
  sms: SmsSender,
  log: { warn(obj: object, msg?: string): void },
  intervalMs: number = DEFAULT_INTERVAL_MS,
  mail?: MailContext,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    let again = false;
    try {
      const run = await runOutboxOnce(db, sms, { batch: DEFAULT_BATCH, ...(mail ? { mail } : {}) });
      if (run.failed > 0 || run.retried > 0) log.warn({ outbox: run }, '部分短信通知未能发送');
      again = run.claimed === DEFAULT_BATCH;
    } catch (err) {
      log.warn({ err }, '短信通知队列处理出错，稍后重试');
    }
    schedule(again ? 0 : intervalMs);
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick();
    }, delay);
    // The worker alone must not keep a process alive (tests, CLI commands that build the app).
    timer.unref();
  };

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
