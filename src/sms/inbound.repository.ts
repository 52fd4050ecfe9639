// SQL for inbound SMS: the stored texts (deduplicated per gateway id), their claim while acted on, the log staff read,
// accounts for senders, and the sender's messages a rating or follow-up applies to.
import type { Db } from '../db/kysely.ts';

export interface InboundRow {
  id: number;
  status: string;
  claimedUntil: string | null;
}

export interface InboundLogRow {
  id: number;
  provider: string;
  phone: string;
  text: string;
  receivedAt: string;
  status: string;
  outcome: string | null;
  messageId: number | null;
  reply: string | null;
  error: string | null;
}

export const inboundRepository = {
  /** Stores a text unless the gateway already pushed it; returns the row either way, and whether this call stored it. */
  async store(
    db: Db,
    row: {
      provider: string;
      providerId: string;
      phone: string;
      text: string;
      destCode: string | null;
      sentAt: string | null;
      clientIp: string;
      receivedAt: string;
    },
  ): Promise<{ row: InboundRow; fresh: boolean }> {
    const inserted = await db
      .insertInto('inbound_sms')
      .values({
        provider: row.provider,
        provider_id: row.providerId,
        phone: row.phone,
        text: row.text,
        dest_code: row.destCode,
        sent_at: row.sentAt,
        client_ip: row.clientIp,
        received_at: row.receivedAt,
        status: 'received',
      })
      .onConflict((oc) => oc.columns(['provider', 'provider_id']).doNothing())
      .returning(['id', 'status', 'claimed_until'])
      .executeTakeFirst();
    if (inserted) return { row: { id: inserted.id, status: inserted.status, claimedUntil: null }, fresh: true };
    const existing = await db
      .selectFrom('inbound_sms')
      .select(['id', 'status', 'claimed_until'])
      .where('provider', '=', row.provider)
      .where('provider_id', '=', row.providerId)
      .executeTakeFirstOrThrow();
    return { row: { id: existing.id, status: existing.status, claimedUntil: existing.claimed_until }, fresh: false };
  },

  /** Takes the text for acting on: only one request at a time, and again after a crashed attempt's claim ran out. */
  async claim(db: Db, id: number, now: string, until: string): Promise<boolean> {
    const result = await db
      .updateTable('inbound_sms')
      .set({ status: 'processing', claimed_until: until })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'received'),
          eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async finish(
    db: Db,
    id: number,
    done: { outcome: string; messageId: number | null; reply: string | null; at: string },
  ): Promise<void> {
    await db
      .updateTable('inbound_sms')
      .set({
        status: 'done',
        claimed_until: null,
        outcome: done.outcome,
        message_id: done.messageId,
        reply: done.reply,
        error: null,
        processed_at: done.at,
      })
      .where('id', '=', id)
      .execute();
  },

  /** Gives the text back after a failure, so the gateway's next push acts on it. */
  async release(db: Db, id: number, error: string): Promise<void> {
    await db
      .updateTable('inbound_sms')
      .set({ status: 'received', claimed_until: null, error: error.slice(0, 1000) })
      .where('id', '=', id)
      .execute();
  },

  /** Texts from one number since a moment, this one included. */
  async countFrom(db: Db, phone: string, since: string): Promise<number> {
    const row = await db
      .selectFrom('inbound_sms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phone', '=', phone)
      .where('received_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** The newest texts first, for the staff log; `beforeId` pages on. */
  async list(db: Db, opts: { beforeId?: number; limit: number; phone?: string }): Promise<InboundLogRow[]> {
    let query = db
      .selectFrom('inbound_sms')
      .select(['id', 'provider', 'phone', 'text', 'received_at', 'status', 'outcome', 'message_id', 'reply', 'error']);
    if (opts.beforeId !== undefined) query = query.where('id', '<', opts.beforeId);
    if (opts.phone) query = query.where('phone', '=', opts.phone);
    const rows = await query.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      phone: r.phone,
      text: r.text,
      receivedAt: r.received_at,
      status: r.status,
      outcome: r.outcome,
      messageId: r.message_id,
      reply: r.reply,
      error: r.error,
    }));
  },

  /** The account of a number the carrier vouched for: reused, or created without a password (SMS-code login works). */
  async accountFor(db: Db, phone: string, nickname: string): Promise<number> {
    const find = () =>
      db.selectFrom('users').select('id').where('phone', '=', phone).where('deleted_at', 'is', null).executeTakeFirst();
    const existing = await find();
    if (existing) return existing.id;
    const created = await db
      .insertInto('users')
      .values({ phone, password_hash: null, nickname, is_staff: 0 })
      .onConflict((oc) => oc.column('phone').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (created) return created.id;
    // Another text from the same new number won the race.
    return (await find())!.id;
  },

  /** The author's message that a rating or follow-up by text applies to: the newest answered one. */
  latestReplied(db: Db, authorId: number) {
    return db
      .selectFrom('messages')
      .select(['id', 'tracking_code'])
      .where('author_id', '=', authorId)
      .where('status', '=', 'replied')
      .orderBy('replied_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  },

  /** '正定县县长': the region's name and the post, as a text names the board. */
  /** A board's region and title (正定县, 县长), for naming it in the sender's language. */
  async boardName(db: Db, boardId: number): Promise<{ region: string; title: string } | null> {
    const row = await db
      .selectFrom('boards')
      .innerJoin('regions', 'regions.code', 'boards.region_code')
      .select(['boards.title', 'regions.name'])
      .where('boards.id', '=', boardId)
      .executeTakeFirst();
    return row ? { region: row.name, title: row.title } : null;
  },

  findByCode(db: Db, code: string) {
    return db
      .selectFrom('messages')
      .select(['id', 'tracking_code', 'author_id', 'status'])
      .where('tracking_code', '=', code)
      .executeTakeFirst();
  },
};
