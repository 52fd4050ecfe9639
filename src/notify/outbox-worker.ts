// Sends the SMS rows of the outbox: claims due rows, sends each at most once, retries failures with back-off.
import { usersRepository } from '../accounts/users.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { SmsSender } from '../sms/sms.ts';
import { outboxRepository } from './outbox.repository.ts';

/** Waits after the 1st, 2nd, … failed attempt; a failure after the last of them is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 12 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** A row left `sending` may or may not have reached the phone: a duplicate is worse than a missing notice. */
export const STALE_SENDING_ERROR = '发送状态不明，为避免重复发送不再重试';
export const NO_RECIPIENT_ERROR = '收件人已注销或没有手机号';

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
  options: { now?: Date; batch?: number; leaseMs?: number } = {},
): Promise<OutboxRun> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const run: OutboxRun = { claimed: 0, sent: 0, failed: 0, retried: 0 };

  run.failed += await outboxRepository.failStale(db, at, STALE_SENDING_ERROR);

  const claimedUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const rows = await outboxRepository.claimDue(db, { now: at, claimedUntil, batch: options.batch ?? DEFAULT_BATCH });
  run.claimed = rows.length;

  for (const row of rows) {
    const user = row.userId === null ? undefined : await usersRepository.findById(db, row.userId);
    if (!user?.phone) {
      await outboxRepository.close(db, row.id, 'skipped', NO_RECIPIENT_ERROR);
      continue;
    }
    try {
      await sms.send({ to: user.phone, text: row.text, purpose: 'notice' });
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

/** Runs the outbox every `intervalMs`, at once again while batches come back full; `stop()` waits for a run in flight. */
export function startOutboxWorker(
  db: Db,
  sms: SmsSender,
  log: { warn(obj: object, msg?: string): void },
  intervalMs: number = DEFAULT_INTERVAL_MS,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    let again = false;
    try {
      const run = await runOutboxOnce(db, sms, { batch: DEFAULT_BATCH });
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
