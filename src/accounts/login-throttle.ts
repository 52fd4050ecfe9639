// Locks logins for a phone number after repeated failures; keyed by the number typed, registered or not.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';
import { AppError } from '../web/app-error.ts';

export const MAX_FAILURES = 20;
export const LOCK_MINUTES = 15;

function lockedError(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  const hhmm = until.toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  });
  return new AppError('LOGIN_LOCKED', { until: hhmm, minutes });
}

/** Throws LOGIN_LOCKED while the number is locked. */
export async function assertNotLocked(db: Db, phone: string, now = new Date()): Promise<void> {
  const row = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (row?.locked_until && Date.parse(row.locked_until) > now.getTime())
    throw lockedError(new Date(row.locked_until), now);
}

/** Counts a failure; the MAX_FAILURES-th in a row locks the number for LOCK_MINUTES. */
export async function recordFailure(db: Db, phone: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const row = await db
    .insertInto('login_throttle')
    .values({ phone, failures: 1, locked_until: null, updated_at: at })
    .onConflict((oc) =>
      oc.column('phone').doUpdateSet({
        // A lock that has run out starts the count again.
        failures: sql`case when login_throttle.locked_until is not null and login_throttle.locked_until <= ${at} then 1 else login_throttle.failures + 1 end`,
        locked_until: sql`case when login_throttle.locked_until is not null and login_throttle.locked_until <= ${at} then null else login_throttle.locked_until end`,
        updated_at: at,
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  if (Number(row.failures) >= MAX_FAILURES) {
    const until = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
    await db
      .updateTable('login_throttle')
      .set({ locked_until: until, failures: 0, updated_at: at })
      .where('phone', '=', phone)
      .execute();
  }
}

export async function clearFailures(db: Db, phone: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('phone', '=', phone).execute();
}
