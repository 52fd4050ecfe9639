// SQL for the notification outbox: one row per notice, written once per dedupe key, claimed by one worker at a time.
import { supportsSkipLocked } from '../db/dialect.ts';
import type { UpdateQueryBuilder, UpdateResult } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { Database } from '../db/schema.ts';

type OutboxUpdate = UpdateQueryBuilder<Database, 'outbox', 'outbox', UpdateResult>;

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

/** One claim on a row: every claim counts an attempt, so the row's id and attempt number name it. */
export type ClaimRef = Pick<ClaimedSms, 'id' | 'attempts'>;

/** Narrows an update to the row while it is still `sending` under this claim. */
function ownClaim(query: OutboxUpdate, row: ClaimRef): OutboxUpdate {
  return query.where('id', '=', row.id).where('status', '=', 'sending').where('attempts', '=', row.attempts);
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
   * Rows still `sending` after their lease belong to a process that died (or lost its database) mid-batch: they go
   * back to the queue, due at once, keeping the attempt their claim counted. Returns how many.
   */
  async reclaimStale(db: Db, now: string, note: string): Promise<number> {
    const result = await db
      .updateTable('outbox')
      .set({ status: 'pending', claimed_until: null, next_attempt_at: now, last_error: note })
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

  /**
   * Extends this process's claim on a row; false when the claim is gone (its lease ran out and another process took
   * the row back), and the row must then be left alone. A claim is told apart by its attempt number.
   */
  async renewClaim(db: Db, row: ClaimRef, claimedUntil: string): Promise<boolean> {
    const result = await ownClaim(
      db.updateTable('outbox').set({ claimed_until: claimedUntil }),
      row,
    ).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /**
   * Records a send the provider accepted, whoever holds the row now: a process that took it back after a lost lease
   * then finds it sent and does not send it again.
   */
  async markSent(db: Db, id: number, now: string): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: now, claimed_until: null, last_error: null })
      .where('id', '=', id)
      .execute();
  },

  /** Back to the queue untried (the process is stopping): the claim's attempt is not counted. */
  async release(db: Db, row: ClaimRef): Promise<void> {
    await ownClaim(
      db
        .updateTable('outbox')
        .set((eb) => ({ status: 'pending', claimed_until: null, attempts: eb('attempts', '-', 1) })),
      row,
    ).execute();
  },

  /** Back to the queue after a failed send, to be tried again from `nextAttemptAt`; only while the claim is ours. */
  async retryLater(db: Db, row: ClaimRef, nextAttemptAt: string, error: string): Promise<void> {
    await ownClaim(
      db
        .updateTable('outbox')
        .set({ status: 'pending', next_attempt_at: nextAttemptAt, claimed_until: null, last_error: error }),
      row,
    ).execute();
  },

  /** A final state other than sent: `failed` (gave up) or `skipped` (nobody to send to); only while the claim is ours. */
  async close(db: Db, row: ClaimRef, status: 'failed' | 'skipped', error: string): Promise<void> {
    await ownClaim(db.updateTable('outbox').set({ status, claimed_until: null, last_error: error }), row).execute();
  },
};
