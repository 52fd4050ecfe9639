// Sends the SMS rows of the outbox: claims due rows, sends each at most once, retries failures with back-off.
import { usersRepository } from '../accounts/users.repository.ts';
import type { Db } from '../db/kysely.ts';
import { type FaultLogger, faultLog } from '../db/faults.ts';
import type { SmsSender } from '../sms/sms.ts';
import type { Mailer } from '../mail/mailer.ts';
import { unsubscribePath } from '../mail/links.ts';
import { accountLanguage, noticeLanguage } from './notice-language.ts';
import { noticePreferencesRepository } from './notice-preferences.repository.ts';
import { noticeKindLabel, noticeKindOf } from './notice-preferences.ts';
import { type ClaimedSms, outboxRepository } from './outbox.repository.ts';

/** Waits after the 1st, 2nd, … failed attempt; a failure after the last of them is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 12 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Noted on a row taken back from a process that stopped mid-send; the row is sent again. */
export const RECLAIMED_NOTE = '上次发送时进程中断，已重新排队';
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
 * How long a claim lasts without being renewed (OUTBOX_CLAIM_SECONDS). The row being sent has its claim renewed every
 * third of this, however long the gateway takes, so the lease only bounds how soon the rows of a process that died
 * are sent by another (or by the same one after a restart).
 */
export const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_INTERVAL_MS = 5_000;
const ERROR_MAX = 1000;
/** Waits before each further try to record an accepted send, so a database blip does not make it go twice. */
const RECORD_RETRY_MS = [250, 1000, 3000];

export interface OutboxRun {
  /** Rows this run claimed. */
  claimed: number;
  sent: number;
  /** Rows closed as failed: attempts used up. */
  failed: number;
  /** Rows put back to `pending` for a later attempt. */
  retried: number;
  /** Rows taken back from a process whose claim ran out (it died or lost the database), to be sent again. */
  reclaimed: number;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runOutboxOnce(
  db: Db,
  sms: SmsSender,
  options: { now?: Date; batch?: number; leaseMs?: number; mail?: MailContext; signal?: AbortSignal } = {},
): Promise<OutboxRun> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  // A given `now` (tests) runs on from there at the pace of the real clock.
  const started = Date.now();
  const clock = () => new Date(now.getTime() + (Date.now() - started));
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const leaseEnd = () => new Date(clock().getTime() + leaseMs).toISOString();
  const run: OutboxRun = { claimed: 0, sent: 0, failed: 0, retried: 0, reclaimed: 0 };

  run.reclaimed = await outboxRepository.reclaimStale(db, at, RECLAIMED_NOTE);

  const rows = await outboxRepository.claimDue(db, {
    now: at,
    claimedUntil: leaseEnd(),
    batch: options.batch ?? DEFAULT_BATCH,
  });
  run.claimed = rows.length;

  for (const [index, row] of rows.entries()) {
    if (options.signal?.aborted) {
      // Shutting down: the rows not tried go back as they were, for any process to send.
      for (const rest of rows.slice(index)) await outboxRepository.release(db, rest);
      break;
    }
    // The claim may have run out while earlier rows were sent; then another process has the row.
    if (!(await outboxRepository.renewClaim(db, row, leaseEnd()))) continue;
    let send: () => Promise<void>;
    if (row.channel === 'email') {
      const mail = await emailFor(db, row, options.mail);
      if (!mail.ok) {
        await outboxRepository.close(db, row, 'skipped', mail.error);
        continue;
      }
      send = mail.send;
    } else {
      // A row addressed to a number answers a text from it; a notice goes to the account's number unless it opted out.
      const user = row.userId === null ? undefined : await usersRepository.findById(db, row.userId);
      const phone = row.recipient ?? user?.phone;
      if (!phone) {
        await outboxRepository.close(db, row, 'skipped', NO_RECIPIENT_ERROR);
        continue;
      }
      if (!row.recipient && (await noticePreferencesRepository.isOptedOut(db, phone))) {
        await outboxRepository.close(db, row, 'skipped', OPTED_OUT_ERROR);
        continue;
      }
      send = () => sms.send({ to: phone, text: row.text, purpose: 'notice' });
    }
    const heartbeat = setInterval(() => {
      outboxRepository.renewClaim(db, row, leaseEnd()).catch(() => {});
    }, leaseMs / 3);
    heartbeat.unref();
    try {
      await send();
    } catch (err) {
      const delay = RETRY_DELAYS_MS[row.attempts - 1];
      if (delay === undefined || row.attempts >= MAX_ATTEMPTS) {
        await outboxRepository.close(db, row, 'failed', errorText(err));
        run.failed++;
      } else {
        await outboxRepository.retryLater(db, row, new Date(now.getTime() + delay).toISOString(), errorText(err));
        run.retried++;
      }
      continue;
    } finally {
      clearInterval(heartbeat);
    }
    // Recorded before anything else: between the provider's acceptance and this write a crash means a second send.
    await recordSent(db, row.id, clock);
    run.sent++;
  }
  return run;
}

async function recordSent(db: Db, id: number, clock: () => Date): Promise<void> {
  for (let tried = 0; ; tried++) {
    try {
      await outboxRepository.markSent(db, id, clock().toISOString());
      return;
    } catch (err) {
      const delay = RECORD_RETRY_MS[tried];
      if (delay === undefined) throw err;
      await sleep(delay);
    }
  }
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
  // The lines around the text (written in the recipient's language when it was queued) are in that language too.
  const { t } = noticeLanguage(accountLanguage(user ? await noticePreferencesRepository.localeOf(db, user.id) : null));
  const lines = [row.text];
  const headers: Record<string, string> = {};
  if (row.messageId !== null)
    lines.push('', t('workflow.email.viewMessage', { url: `${mail.siteBase}/messages/${row.messageId}` }));
  if (!row.recipient && user) {
    const kind = noticeKindOf(row.dedupeKey);
    const link = `${mail.siteBase}${unsubscribePath(mail.secret, user.id, kind)}`;
    lines.push(
      '',
      '——',
      t('workflow.email.unsubscribe', { kind: noticeKindLabel(t, kind), url: link }),
      t('workflow.email.manage', { url: `${mail.siteBase}/account/notices` }),
    );
    headers['List-Unsubscribe'] = `<${link}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const subject = row.subject ?? t('workflow.email.subjectDefault');
  return { ok: true, send: () => mailer.send({ to, subject, text: lines.join('\n'), headers }) };
}

/** Runs the outbox every `intervalMs`, at once again while batches come back full; `stop()` waits for a run in flight. */
export function startOutboxWorker(
  db: Db,
  sms: SmsSender,
  log: FaultLogger,
  intervalMs: number = DEFAULT_INTERVAL_MS,
  mail?: MailContext,
  leaseMs: number = DEFAULT_LEASE_MS,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Stopping lets the row being sent finish and puts the rest of the batch back at once.
  const stopping = new AbortController();

  // A database outage fails every run alike (every few seconds): logged when it starts and when it ends.
  const faults = faultLog(log, '通知队列的数据库连接');
  const tick = async () => {
    let again = false;
    try {
      const run = await runOutboxOnce(db, sms, {
        batch: DEFAULT_BATCH,
        leaseMs,
        signal: stopping.signal,
        ...(mail ? { mail } : {}),
      });
      if (run.reclaimed > 0) log.warn({ outbox: run }, `收回 ${run.reclaimed} 条发送中断的通知，重新发送`);
      if (run.failed > 0 || run.retried > 0) log.warn({ outbox: run }, '部分短信通知未能发送');
      again = run.claimed === DEFAULT_BATCH;
      faults.ok();
    } catch (err) {
      faults.failed(err, '短信通知队列处理出错，稍后重试');
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
      stopping.abort();
      await running;
    },
  };
}
