// SQL for the notification outbox: one row per notice, written once per dedupe key, claimed by one worker at a time.
import { supportsSkipLocked } from '../db/dialect.ts';
import type { Db } from '../db/kysely.ts';

/** `sms` and `email` rows wait for the worker; `site` rows only record that an in-site notice was written (never claimed). */
export type OutboxChannel = 'sms' | 'email' | 'site';
/** The channels the worker sends. */
const SENT_CHANNELS: OutboxChannel[] = ['sms', 'email'];
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface OutboxInsert {
  channel: OutboxChannel;
  userId: number | null;
  unitId: number | null;
  messageId: number | null;
  text: string;
  dedupeKey: string;
  status: OutboxStatus;
  nextAttemptAt: string;
  sentAt: string | null;
  /** A phone number or e-mail address; absent: the user's own, read when the row is sent. */
  recipient?: string | null;
  /** The subject of an e-mail. */
  subject?: string | null;
}

/** An SMS or e-mail row this process has claimed: marked `sending`, its attempt already counted. */
export interface ClaimedSms {
  id: number;
  channel: 'sms' | 'email';
  userId: number | null;
  messageId: number | null;
  text: string;
  attempts: number;
  recipient: string | null;
  subject: string | null;
  dedupeKey: string;
}

const CLAIMED_COLUMNS = [
  'id',
  'channel',
  'user_id',
  'message_id',
  'text',
  'attempts',
  'recipient',
  'subject',
  'dedupe_key',
] as const;

const toClaimed = (row: {
  id: number;
  channel: string;
  user_id: number | null;
  message_id: number | null;
  text: string;
  attempts: number;
  recipient: string | null;
  subject: string | null;
  dedupe_key: string;
}): ClaimedSms => ({
  id: row.id,
  channel: row.channel === 'email' ? 'email' : 'sms',
  userId: row.user_id,
  messageId: row.message_id,
  text: row.text,
  attempts: row.attempts,
  recipient: row.recipient,
  subject: row.subject,
  dedupeKey: row.dedupe_key,
});

export const outboxRepository = {
  /** Inserts the row unless its dedupe key is taken; true when this call wrote it. */
  async insertOnce(db: Db, row: OutboxInsert): Promise<boolean> {
    const inserted = await db
      .insertInto('outbox')
      .values({
        channel: row.channel,
        user_id: row.userId,
        unit_id: row.unitId,
        message_id: row.messageId,
        text: row.text,
        dedupe_key: row.dedupeKey,
        status: row.status,
        next_attempt_at: row.nextAttemptAt,
        sent_at: row.sentAt,
        recipient: row.recipient ?? null,
        subject: row.subject ?? null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  /**
   * Rows still `sending` after their lease belong to a process that died mid-send: the SMS may have gone out,
   * so they are closed as failed rather than retried. Returns how many.
   */
  async failStale(db: Db, now: string, error: string): Promise<number> {
    const result = await db
      .updateTable('outbox')
      .set({ status: 'failed', claimed_until: null, last_error: error })
      .where('channel', 'in', SENT_CHANNELS)
      .where('status', '=', 'sending')
      .where('claimed_until', '<', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /**
   * Claims up to `batch` due SMS rows for this process: each comes back marked `sending` until `claimedUntil`
   * with its attempt counted, and no other process can claim it.
   */
  async claimDue(db: Db, opts: { now: string; claimedUntil: string; batch: number }): Promise<ClaimedSms[]> {
    const due = (q: Db) =>
      q
        .selectFrom('outbox')
        .select('id')
        .where('channel', 'in', SENT_CHANNELS)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', opts.now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(opts.batch);
    const claim = (q: Db) =>
      q
        .updateTable('outbox')
        .set((eb) => ({ status: 'sending', claimed_until: opts.claimedUntil, attempts: eb('attempts', '+', 1) }))
        .where('status', '=', 'pending');

    if (supportsSkipLocked(db)) {
      // Rows another worker has locked are skipped, not waited for; the status check is repeated on the locked row.
      return db.transaction().execute(async (trx) => {
        const ids = (await due(trx).forUpdate().skipLocked().execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await claim(trx).where('id', 'in', ids).returning(CLAIMED_COLUMNS).execute();
        return rows.map(toClaimed).sort((a, b) => a.id - b.id);
      });
    }

    // SQLite has one writer at a time: of several processes updating the same pending row, exactly one sees it change.
    const claimed: ClaimedSms[] = [];
    for (const { id } of await due(db).execute()) {
      const row = await claim(db).where('id', '=', id).returning(CLAIMED_COLUMNS).executeTakeFirst();
      if (row) claimed.push(toClaimed(row));
    }
    return claimed;
  },

  async markSent(db: Db, id: number, now: string): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: now, claimed_until: null, last_error: null })
      .where('id', '=', id)
      .execute();
  },

  /** Back to the queue after a failed send, to be tried again from `nextAttemptAt`. */
  async retryLater(db: Db, id: number, nextAttemptAt: string, error: string): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: nextAttemptAt, claimed_until: null, last_error: error })
      .where('id', '=', id)
      .execute();
  },

  /** A final state other than sent: `failed` (gave up) or `skipped` (nobody to send to). */
  async close(db: Db, id: number, status: 'failed' | 'skipped', error: string): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status, claimed_until: null, last_error: error })
      .where('id', '=', id)
      .execute();
  },
};
