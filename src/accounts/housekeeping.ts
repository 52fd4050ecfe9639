// Removes what has run out: expired sessions and app tokens, old SMS codes, finished login locks.
import type { Db } from '../db/kysely.ts';

const DAY_MS = 24 * 3600_000;

export async function sweepExpired(db: Db, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  await db.deleteFrom('sessions').where('expires_at', '<=', at).execute();
  await db.deleteFrom('app_tokens').where('expires_at', '<=', at).execute();
  // Codes are kept a day after they expire: the hourly limits count them.
  await db.deleteFrom('sms_codes').where('expires_at', '<=', dayAgo).execute();
  // A day without a wrong password, or a day after a lock ended, forgets the address's count and its back-off.
  await db.deleteFrom('login_failures').where('updated_at', '<=', dayAgo).where('locked_until', 'is', null).execute();
  await db.deleteFrom('login_failures').where('locked_until', '<=', dayAgo).execute();
}
