// SQL for Open311: API keys and their service accounts, the requests each key filed, and the messages served as
// service requests.
import { sql } from 'kysely';
import type { Db } from '../db/kysely.ts';

export interface KeyRow {
  id: number;
  organisation: string;
  keyPrefix: string;
  keyHash: string;
  userId: number;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  requests: number;
}

const REQUEST_COLUMNS = [
  'messages.id',
  'messages.status',
  'messages.domain',
  'messages.title',
  'messages.body',
  'messages.location',
  'messages.visibility',
  'messages.tracking_code',
  'messages.submitted_at',
  'messages.updated_at',
  'messages.closed_at',
  'messages.accept_due_at',
  'messages.handle_due_at',
  'messages.region_code',
  'messages.author_id',
  'handling_units.name as unit_name',
  'open311_requests.key_id',
  'open311_requests.lat',
  'open311_requests.long',
  'open311_requests.address_id',
] as const;

/** The messages served as service requests, with their unit and what Open311 told us of them. */
function requestQuery(db: Db) {
  return db
    .selectFrom('messages')
    .leftJoin('handling_units', 'handling_units.id', 'messages.current_unit_id')
    .leftJoin('open311_requests', 'open311_requests.message_id', 'messages.id')
    .select(REQUEST_COLUMNS);
}

export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['execute']>>[number];

export const open311Repository = {
  async insertKey(
    db: Db,
    row: { organisation: string; keyPrefix: string; keyHash: string; userId: number; createdBy: number | null },
  ): Promise<number> {
    const inserted = await db
      .insertInto('open311_keys')
      .values({
        organisation: row.organisation,
        key_prefix: row.keyPrefix,
        key_hash: row.keyHash,
        user_id: row.userId,
        created_by: row.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  },

  /** The account that authors a key's requests: no phone, no password, never signs in. */
  async insertServiceAccount(db: Db, nickname: string): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({ phone: null, password_hash: null, nickname, is_staff: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async listKeys(db: Db): Promise<KeyRow[]> {
    const rows = await db
      .selectFrom('open311_keys')
      .select([
        'open311_keys.id',
        'open311_keys.organisation',
        'open311_keys.key_prefix',
        'open311_keys.key_hash',
        'open311_keys.user_id',
        'open311_keys.created_at',
        'open311_keys.revoked_at',
        'open311_keys.last_used_at',
        (eb) =>
          eb
            .selectFrom('open311_requests')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('open311_requests.key_id', '=', 'open311_keys.id')
            .as('requests'),
      ])
      .orderBy('open311_keys.id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      organisation: r.organisation,
      keyPrefix: r.key_prefix,
      keyHash: r.key_hash,
      userId: r.user_id,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
      requests: Number(r.requests ?? 0),
    }));
  },

  findKeyByPrefix(db: Db, prefix: string) {
    return db
      .selectFrom('open311_keys')
      .select(['id', 'organisation', 'key_hash', 'user_id', 'revoked_at'])
      .where('key_prefix', '=', prefix)
      .executeTakeFirst();
  },

  async revokeKey(db: Db, id: number, at: string): Promise<boolean> {
    const result = await db
      .updateTable('open311_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async touchKey(db: Db, id: number, at: string): Promise<void> {
    await db.updateTable('open311_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  },

  async countRecent(db: Db, keyId: number, since: string): Promise<number> {
    const row = await db
      .selectFrom('open311_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', '=', keyId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async insertRequest(
    db: Db,
    row: {
      messageId: number;
      keyId: number;
      lat: number | null;
      long: number | null;
      addressString: string | null;
      addressId: string | null;
      deviceId: string | null;
      accountId: string | null;
      mediaUrl: string | null;
      createdAt: string;
    },
  ): Promise<void> {
    await db
      .insertInto('open311_requests')
      .values({
        message_id: row.messageId,
        key_id: row.keyId,
        lat: row.lat,
        long: row.long,
        address_string: row.addressString,
        address_id: row.addressId,
        device_id: row.deviceId,
        account_id: row.accountId,
        media_url: row.mediaUrl,
        created_at: row.createdAt,
      })
      .execute();
  },

  /** A region with boards, for jurisdiction_id. */
  regionWithBoards(db: Db, code: string) {
    return db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'parent_code'])
      .where('code', '=', code)
      .where('has_boards', '=', 1)
      .executeTakeFirst();
  },

  /** Every region with boards: names to find a place in an address. */
  regionsWithBoards(db: Db) {
    return db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'parent_code'])
      .where('has_boards', '=', 1)
      .execute();
  },

  /** The region's board for a post: the head of government by default. */
  boardFor(db: Db, regionCode: string, post: string) {
    return db
      .selectFrom('boards')
      .select(['id', 'post'])
      .where('region_code', '=', regionCode)
      .where('active', '=', 1)
      .where('post', '=', post)
      .executeTakeFirst();
  },

  anyBoard(db: Db, regionCode: string) {
    return db
      .selectFrom('boards')
      .select(['id', 'post'])
      .where('region_code', '=', regionCode)
      .where('active', '=', 1)
      .orderBy('sort_order')
      .executeTakeFirst();
  },

  requestsByIds(db: Db, ids: number[]): Promise<RequestRow[]> {
    return requestQuery(db)
      .where('messages.id', 'in', ids.length > 0 ? ids : [-1])
      .orderBy('messages.id', 'desc')
      .execute();
  },

  /** Public, published messages matching the filters, newest first. */
  async searchRequests(
    db: Db,
    filter: {
      regionPrefix: string | null;
      regionExact: boolean;
      domains: string[] | null;
      statuses: string[];
      from: string;
      to: string;
      limit: number;
    },
  ): Promise<RequestRow[]> {
    let query = requestQuery(db)
      .where('messages.visibility', '=', 'public')
      .where('messages.status', 'in', filter.statuses)
      .where('messages.submitted_at', '>=', filter.from)
      .where('messages.submitted_at', '<=', filter.to);
    if (filter.regionPrefix !== null) {
      query = filter.regionExact
        ? query.where('messages.region_code', '=', filter.regionPrefix)
        : query.where(
            sql<boolean>`substr(messages.region_code, 1, ${filter.regionPrefix.length}) = ${filter.regionPrefix}`,
          );
    }
    if (filter.domains) query = query.where('messages.domain', 'in', filter.domains);
    return query.orderBy('messages.id', 'desc').limit(filter.limit).execute();
  },

  latestReply(db: Db, messageId: number) {
    return db
      .selectFrom('replies')
      .select(['body', 'published_at'])
      .where('message_id', '=', messageId)
      .where('status', '=', 'published')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  },

  firstPublicAttachment(db: Db, messageId: number) {
    return db
      .selectFrom('message_attachments')
      .select('id')
      .where('message_id', '=', messageId)
      .where('is_public', '=', 1)
      .orderBy('position')
      .executeTakeFirst();
  },

  requestByToken(db: Db, token: string) {
    return db
      .selectFrom('messages')
      .innerJoin('open311_requests', 'open311_requests.message_id', 'messages.id')
      .select(['messages.id', 'messages.status', 'messages.reject_reason', 'messages.tracking_code'])
      .where('messages.tracking_code', '=', token)
      .executeTakeFirst();
  },
};
