// Locks password logins for a phone number from one client address after repeated failures, longer each time; keyed
// by the number typed, registered or not. Other addresses and SMS-code login stay open, so no one can shut the owner out.
import { sql } from 'kysely';
import type { Limits } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { clientKey } from '../security/client-address.ts';
import { AppError } from '../web/app-error.ts';

export type LockPolicy = Pick<Limits, 'loginLockFailures' | 'loginLockMinutes'>;
/** However often a lock comes back, it lasts at most a day. */
const MAX_LOCK_MINUTES = 24 * 60;

/** The n-th lock (from 1) of a number from one address lasts twice as long as the one before. */
export function lockMinutes(policy: LockPolicy, lock: number): number {
  const doubled = policy.loginLockMinutes * 2 ** Math.min(Math.max(lock, 1) - 1, 16);
  return Math.min(Math.max(MAX_LOCK_MINUTES, policy.loginLockMinutes), doubled);
}

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

/** Throws LOGIN_LOCKED while password logins to this number from this address are locked. */
export async function assertNotLocked(db: Db, phone: string, ip: string, now = new Date()): Promise<void> {
  const row = await db
    .selectFrom('login_failures')
    .select('locked_until')
    .where('phone', '=', phone)
    .where('client', '=', clientKey(ip))
    .executeTakeFirst();
  if (row?.locked_until && Date.parse(row.locked_until) > now.getTime())
    throw lockedError(new Date(row.locked_until), now);
}

/** Counts a wrong password; the policy's number in a row locks this number for this address, longer each time. */
export async function recordFailure(
  db: Db,
  phone: string,
  ip: string,
  policy: LockPolicy,
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  const client = clientKey(ip);
  const row = await db
    .insertInto('login_failures')
    .values({ phone, client, failures: 1, locks: 0, locked_until: null, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['phone', 'client']).doUpdateSet({
        // A lock that has run out starts the count again; the number of locks stays, for the next one's length.
        failures: sql`case when login_failures.locked_until is not null and login_failures.locked_until <= ${at} then 1 else login_failures.failures + 1 end`,
        locked_until: sql`case when login_failures.locked_until is not null and login_failures.locked_until <= ${at} then null else login_failures.locked_until end`,
        updated_at: at,
      }),
    )
    .returning(['failures', 'locks'])
    .executeTakeFirstOrThrow();
  if (Number(row.failures) < policy.loginLockFailures) return;
  const locks = Number(row.locks) + 1;
  const until = new Date(now.getTime() + lockMinutes(policy, locks) * 60_000).toISOString();
  // Only one of several failures arriving together at the threshold sets the lock.
  await db
    .updateTable('login_failures')
    .set({ locked_until: until, failures: 0, locks, updated_at: at })
    .where('phone', '=', phone)
    .where('client', '=', client)
    .where('failures', '>=', policy.loginLockFailures)
    .execute();
}

/** After a successful login from this address: its count and back-off start again. */
export async function clearFailures(db: Db, phone: string, ip: string): Promise<void> {
  await db.deleteFrom('login_failures').where('phone', '=', phone).where('client', '=', clientKey(ip)).execute();
}

/** After a new password: every guess at the old one, from anywhere, no longer counts. */
export async function clearAllFailures(db: Db, phone: string): Promise<void> {
  await db.deleteFrom('login_failures').where('phone', '=', phone).execute();
}
