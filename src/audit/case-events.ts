// The case history: every change to a message as an append-only event, hash-chained per message.
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/kysely.ts';
import type { CaseEventsTable } from '../db/schema.ts';
import { statsService } from '../stats/stats.service.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface NewEvent {
  messageId: number;
  kind: string;
  actorId: number | null;
  actorUnitId?: number | null;
  fromStatus: string | null;
  toStatus: string | null;
  note?: string;
  data?: Record<string, unknown>;
  at: string;
  /**
   * The message was created in this same transaction, so it has no earlier event to read: the chain starts here. (Were
   * it wrong, the unique (message, seq) key would fail the transaction rather than fork the chain.)
   */
  first?: boolean;
}

export interface CaseEvent extends Required<Omit<NewEvent, 'data' | 'first'>> {
  id: number;
  seq: number;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The hash covers every field a reader relies on, and the previous event's hash. */
export function eventHash(e: Omit<CaseEvent, 'id' | 'hash'>): string {
  const canonical = JSON.stringify([
    e.messageId,
    e.seq,
    e.kind,
    e.actorId,
    e.actorUnitId,
    e.fromStatus,
    e.toStatus,
    e.note,
    e.data,
    e.at,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A row as an event; `prevHash` is the hash of the event before it in the chain (not stored twice). */
function toEvent(row: Selectable<CaseEventsTable>, prevHash: string): CaseEvent {
  return {
    id: row.id,
    messageId: row.message_id,
    seq: row.seq,
    kind: row.kind,
    actorId: row.actor_id,
    actorUnitId: row.actor_unit_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    note: row.note,
    data: JSON.parse(row.data) as Record<string, unknown>,
    at: row.created_at,
    prevHash,
    hash: hexOf(row.hash),
  };
}

/** A stored hash (32 bytes) as the hex text eventHash gives. */
const hexOf = (hash: Uint8Array): string => Buffer.from(hash).toString('hex');

/** Rows of one or more messages in chain order (message, then seq) as events, each knowing its predecessor's hash. */
function toEvents(rows: Selectable<CaseEventsTable>[]): CaseEvent[] {
  let prev: { messageId: number; hash: string } | null = null;
  return rows.map((row) => {
    const event = toEvent(row, prev?.messageId === row.message_id ? prev.hash : GENESIS_HASH);
    prev = { messageId: row.message_id, hash: event.hash };
    return event;
  });
}

export const caseEventsRepository = {
  /**
   * Appends an event. Call it inside the transaction that makes the change: the unique (message, seq)
   * key turns a concurrent append into a failed transaction rather than a fork in the chain.
   */
  async append(trx: Db, event: NewEvent): Promise<CaseEvent> {
    const last = event.first
      ? undefined
      : await trx
          .selectFrom('case_events')
          .select(['seq', 'hash'])
          .where('message_id', '=', event.messageId)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
    const draft = {
      messageId: event.messageId,
      seq: (last?.seq ?? 0) + 1,
      kind: event.kind,
      actorId: event.actorId,
      actorUnitId: event.actorUnitId ?? null,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      note: event.note ?? '',
      data: event.data ?? {},
      at: event.at,
      prevHash: last ? hexOf(last.hash) : GENESIS_HASH,
    };
    const hash = eventHash(draft);
    const row = await trx
      .insertInto('case_events')
      .values({
        message_id: draft.messageId,
        seq: draft.seq,
        kind: draft.kind,
        actor_id: draft.actorId,
        actor_unit_id: draft.actorUnitId,
        from_status: draft.fromStatus,
        to_status: draft.toStatus,
        note: draft.note,
        data: JSON.stringify(draft.data),
        created_at: draft.at,
        hash: Buffer.from(hash, 'hex'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The published figures move with the history, in the same transaction. A message's opening submit event leaves
    // them as they were: figures count a message from the editor's approval on (stats/message-facts.ts), and a message
    // with no earlier event has no facts to take back.
    if (draft.seq > 1 || draft.kind !== 'submit') await statsService.refresh(trx, event.messageId);
    return { ...draft, id: row.id, hash };
  },

  async listForMessage(db: Db, messageId: number): Promise<CaseEvent[]> {
    const rows = await db
      .selectFrom('case_events')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('seq')
      .execute();
    return toEvents(rows);
  },

  /** Events of a range of messages in chain order, for verification in batches. */
  async listForMessages(db: Db, fromMessageId: number, toMessageId: number): Promise<CaseEvent[]> {
    const rows = await db
      .selectFrom('case_events')
      .selectAll()
      .where('message_id', '>=', fromMessageId)
      .where('message_id', '<=', toMessageId)
      .orderBy('message_id')
      .orderBy('seq')
      .execute();
    return toEvents(rows);
  },
};

export interface ChainBreak {
  messageId: number;
  eventId: number | null;
  seq: number;
  reason: string;
}

/** Checks one message's chain; the first break, or null when it is intact. */
export function checkChain(messageId: number, events: CaseEvent[], currentStatus: string | null): ChainBreak | null {
  let prev = GENESIS_HASH;
  for (const [index, e] of events.entries()) {
    const seq = index + 1;
    if (e.seq !== seq) return { messageId, eventId: e.id, seq: e.seq, reason: `序号应为 ${seq}（有记录被删除或插入）` };
    // Each hash covers the event and the previous event's hash: an event altered, removed or slipped in before this
    // one shows here, if the sequence numbers were mended to hide it.
    const { hash, id: _id, ...rest } = e;
    if (eventHash({ ...rest, prevHash: prev }) !== hash) {
      const reason =
        e.prevHash === prev
          ? '内容与哈希不符（本条记录被修改，或在它之前有记录被删除或插入）'
          : '与前一条记录的哈希不连续（有记录被删除、插入或修改）';
      return { messageId, eventId: e.id, seq, reason };
    }
    prev = hash;
  }
  if (events.length === 0) return { messageId, eventId: null, seq: 0, reason: '留言没有任何办理记录' };
  const last = events[events.length - 1]!;
  if (currentStatus !== null && last.toStatus !== null && last.toStatus !== currentStatus) {
    return {
      messageId,
      eventId: last.id,
      seq: last.seq,
      reason: `留言状态为 ${currentStatus}，但最后一条记录是 ${last.toStatus}（状态被绕过记录修改）`,
    };
  }
  return null;
}

/** Verifies every message's chain, in batches; returns the first break and how many messages were checked. */
export async function verifyAllChains(
  db: Db,
  batch = 500,
): Promise<{ checked: number; events: number; broken: ChainBreak | null }> {
  let checked = 0;
  let events = 0;
  let after = 0;
  for (;;) {
    const messages = await db
      .selectFrom('messages')
      .select(['id', 'status'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (messages.length === 0) break;
    const from = messages[0]!.id;
    const to = messages[messages.length - 1]!.id;
    const all = await caseEventsRepository.listForMessages(db, from, to);
    const byMessage = new Map<number, CaseEvent[]>();
    for (const e of all) {
      const list = byMessage.get(e.messageId);
      if (list) list.push(e);
      else byMessage.set(e.messageId, [e]);
    }
    for (const m of messages) {
      const chain = byMessage.get(m.id) ?? [];
      events += chain.length;
      checked += 1;
      const broken = checkChain(m.id, chain, m.status);
      if (broken) return { checked, events, broken };
    }
    after = to;
  }
  return { checked, events, broken: null };
}
