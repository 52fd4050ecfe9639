// Public message lists: filters, full-text search and keyset paging, shared by search, the list API and pages.
import { localized, type MessageKey, type TranslateParams } from '../i18n/i18n.ts';
import { isCalendarCovered } from '../deadlines/working-days.ts';
import { sql } from 'kysely';
import Type from 'typebox';
import { Value } from 'typebox/value';
import { Id } from '../api/schemas.ts';
import { idFromText } from '../db/ids.ts';
import type { Db } from '../db/kysely.ts';
import {
  isCommonTerm,
  matchesAllTokens,
  newestTokenMatches,
  tokenMatchReadsSearchRow,
  tokensDriveQuery,
} from '../db/dialect.ts';
import {
  DOMAINS,
  type Domain,
  MESSAGE_TYPES,
  type MessageStatus,
  type MessageType,
  STATUSES,
} from '../messages/message-kinds.ts';
import { normaliseText } from '../messages/text-normalise.ts';
import { referenceData } from '../reference/reference-cache.ts';
import { AppError } from '../web/app-error.ts';
import { regionPrefix } from '../workflow/workbench.service.ts';
import { QUERY_MAX, queryTokens, tokensDecide } from './tokenize.ts';

export const PAGE_SIZE = 20;
/**
 * How many index candidates to read per round when searching newest first. Most terms fill a page from the first
 * round; a term that is rare under narrow filters falls back to one query over what is left after the last round.
 */
const CANDIDATE_ROUNDS = [64, 512, 4096];
/** How many candidates a count asks for in each round, as a multiple of the matches it still needs. */
const COUNT_ROUNDS = [1, 2, 8];
const PUBLIC_STATUSES: MessageStatus[] = ['pending', 'assigned', 'replied', 'closed'];
/** The messages any list may show, as a condition on `messages`. */
export const publicListing = sql<boolean>`messages.visibility = ${'public'} and messages.status in (${sql.join(
  PUBLIC_STATUSES,
)})`;

export interface ListQuery {
  q?: string;
  region?: string;
  board?: string;
  type?: string;
  domain?: string;
  status?: string;
  overdue?: string;
  from?: string;
  to?: string;
  signed?: string;
  sort?: string;
  cursor?: string;
  limit?: number;
}

export interface ListItem {
  id: number;
  title: string;
  snippet: string;
  type: { key: string; label: string };
  domain: { key: string; label: string };
  status: { key: string; label: string };
  boardId: number;
  regionCode: string;
  approvedAt: string | null;
  repliedAt: string | null;
  /** The board and the place it was written to, for lists that mix boards. */
  boardTitle: string;
  regionName: string;
  /** For an open message, the deadline now running (to accept, or to handle) and whether it has passed. */
  deadline: { kind: 'accept' | 'handle'; dueAt: string; overdue: boolean; provisional: boolean } | null;
}

export interface ListPage {
  items: ListItem[];
  next: string | null;
  /** The normalised search terms, for highlighting. */
  terms: string[];
}

const bad = (field: string, key: MessageKey, params?: TranslateParams) =>
  new AppError('VALIDATION', { detail: localized(key, params) }, field);

/** A day in China time as the ISO instant it starts. */
function dayStart(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00+08:00`))) {
    throw bad(field, 'search.error.date', { field });
  }
  return new Date(`${value}T00:00:00+08:00`).toISOString();
}

/** What a cursor holds for each order: the last message shown, and for `replied` when it was replied to. */
const CURSORS = {
  newest: Type.Object({ id: Id() }, { additionalProperties: false }),
  replied: Type.Object(
    { id: Id(), at: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' }) },
    { additionalProperties: false },
  ),
};
type Sort = keyof typeof CURSORS;

/** A time as the list writes it (toISOString), so the database reads it as that instant; null when there is none. */
function isInstant(at: string | null): boolean {
  if (at === null) return true;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at;
}

/** The cursor's position, if the list handed it out for this order; a clear error for anything else. */
function decodeCursor<S extends Sort>(cursor: string, sort: S): Type.Static<(typeof CURSORS)[S]> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (Value.Check(CURSORS[sort], value) && isInstant((value as { at?: string }).at ?? null)) return value;
  const other: Sort = sort === 'newest' ? 'replied' : 'newest';
  if (Value.Check(CURSORS[other], value)) {
    throw bad('cursor', 'search.error.cursorSort');
  }
  throw bad('cursor', 'search.error.cursor');
}

const encodeCursor = (value: { id: number; at?: string | null }) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** The cursor of the page after the message `id` in the newest-first order. */
export const cursorAfter = (id: number): string => encodeCursor({ id });

/** Splits a query into terms, each of which must appear in the message. */
export function searchTerms(q: string): string[] {
  const trimmed = q.trim();
  if (!trimmed) throw bad('q', 'search.error.empty');
  if ([...trimmed].length > QUERY_MAX) throw bad('q', 'search.error.long', { max: QUERY_MAX });
  const terms = normaliseText(trimmed).split(/\s+/).filter(Boolean);
  if (terms.every((t) => queryTokens(t).tokens.length === 0)) throw bad('q', 'search.error.noWords');
  return terms;
}

/**
 * The public messages a query asks for (every filter and the substring check), before ordering and paging.
 * `tokensDrive`: where the engine's token index can drive the query (tokensDriveQuery), the token match is made part
 * of it (`matched`), for a count that stops at its cap.
 */
function filteredQuery(db: Db, query: ListQuery, now: Date, { tokensDrive = false } = {}) {
  let terms: string[] = [];
  let tokens: string[] = [];
  if (query.q !== undefined) {
    terms = searchTerms(query.q);
    tokens = [...new Set(terms.flatMap((t) => queryTokens(t).tokens))];
  }
  const messages = () => db.selectFrom('messages');
  const driven = tokensDrive && tokens.length > 0 ? tokensDriveQuery(db, tokens) : null;
  const matched = driven !== null;
  let q = ((driven as ReturnType<typeof messages> | null) ?? messages())
    .select([
      'messages.id',
      'messages.title',
      'messages.body',
      'messages.type',
      'messages.domain',
      'messages.status',
      'messages.board_id',
      'messages.region_code',
      'messages.approved_at',
      'messages.replied_at',
      'messages.accept_due_at',
      'messages.handle_due_at',
    ])
    .where('messages.visibility', '=', 'public')
    .where('messages.status', 'in', PUBLIC_STATUSES);

  if (query.q !== undefined) {
    // The token match finds candidates; the substring check makes the result exactly what a substring search finds,
    // for the terms whose tokens alone do not (tokensDecide): a common two-character term skips reading every text.
    const checked = terms.filter((t) => !tokensDecide(t));
    if (checked.length > 0 || tokenMatchReadsSearchRow(db))
      q = q.innerJoin('message_search', 'message_search.message_id', 'messages.id') as unknown as typeof q;
    for (const term of checked) {
      // LIKE wildcards in the query are taken literally: '!' is the escape character on both engines.
      const pattern = `%${term.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      q = q.where(sql<boolean>`message_search.text like ${pattern} escape '!'`);
    }
  }
  if (query.region) {
    if (!/^\d{6}$/.test(query.region)) throw bad('region', 'search.error.region');
    q = q.where('messages.region_code', 'like', `${regionPrefix(query.region)}%`);
  }
  if (query.board) {
    const board = idFromText(query.board);
    if (board === null) throw bad('board', 'search.error.board');
    q = q.where('messages.board_id', '=', board);
  }
  if (query.type) {
    if (!Object.hasOwn(MESSAGE_TYPES, query.type))
      throw bad('type', 'search.error.type', { values: Object.keys(MESSAGE_TYPES).join(', ') });
    q = q.where('messages.type', '=', query.type);
  }
  if (query.domain) {
    if (!Object.hasOwn(DOMAINS, query.domain))
      throw bad('domain', 'search.error.domain', { values: Object.keys(DOMAINS).join(', ') });
    q = q.where('messages.domain', '=', query.domain);
  }
  if (query.status) {
    if (!PUBLIC_STATUSES.includes(query.status as MessageStatus))
      throw bad('status', 'search.error.status', { values: PUBLIC_STATUSES.join(', ') });
    q = q.where('messages.status', '=', query.status);
  }
  if (query.overdue === '1') {
    const at = now.toISOString();
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('messages.status', '=', 'pending'), eb('messages.accept_due_at', '<', at)]),
        eb.and([eb('messages.status', '=', 'assigned'), eb('messages.handle_due_at', '<', at)]),
      ]),
    );
  }
  if (query.from) q = q.where('messages.approved_at', '>=', dayStart(query.from, 'from'));
  if (query.to)
    q = q.where('messages.approved_at', '<', new Date(Date.parse(dayStart(query.to, 'to')) + 86400_000).toISOString());
  if (query.signed === '1') {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('replies')
          .select('replies.id')
          .whereRef('replies.message_id', '=', 'messages.id')
          .where('replies.status', '=', 'published')
          .where('replies.signer_id', 'is not', null),
      ),
    );
  }
  return { q, terms, tokens, matched };
}

/**
 * How many public messages match, counted up to `cap` (a larger result says "more than cap"). `common` decides
 * whether the term is common enough to count from its newest matches (isCommonTerm), in `rounds`; tests set both.
 */
export async function countMessages(
  db: Db,
  query: ListQuery,
  cap = 1000,
  now = new Date(),
  {
    common = (tokens: string[]) => isCommonTerm(db, tokens),
    rounds = COUNT_ROUNDS,
  }: { common?: (tokens: string[]) => Promise<boolean>; rounds?: readonly number[] } = {},
): Promise<number> {
  const { q, tokens, matched } = filteredQuery(db, { ...query, cursor: undefined }, now, { tokensDrive: true });
  const ids = q.clearSelect().select('messages.id');
  if (tokens.length === 0 || matched) return (await ids.limit(cap + 1).execute()).length;
  if (!(await common(tokens))) {
    return (
      await ids
        .where(matchesAllTokens(db, tokens, 'messages.id'))
        .limit(cap + 1)
        .execute()
    ).length;
  }
  // Candidates newest first, as the list reads them, until more than `cap` pass the filters.
  let count = 0;
  let below: number | undefined;
  for (const factor of rounds) {
    const wanted = cap + 1 - count;
    const found = await newestTokenMatches(db, tokens, publicListing, below, wanted * factor);
    if (found.ids.length > 0) {
      count += (await ids.where('messages.id', 'in', found.ids).limit(wanted).execute()).length;
    }
    if (count > cap || found.next === null) return count;
    below = found.next;
  }
  // The filters keep few of the term's newest matches: the index for the rest.
  const rest = await ids
    .where(matchesAllTokens(db, tokens, 'messages.id'))
    .where('messages.id', '<', below!)
    .limit(cap + 1 - count)
    .execute();
  return count + rest.length;
}

export async function listMessages(
  db: Db,
  query: ListQuery,
  now = new Date(),
  candidateRounds = CANDIDATE_ROUNDS,
): Promise<ListPage> {
  const limit = Math.min(Math.max(query.limit ?? PAGE_SIZE, 1), 100);
  const sort = query.sort === 'replied' ? 'replied' : 'newest';
  const { q: filtered, terms, tokens } = filteredQuery(db, query, now);
  let q = filtered;
  let rows: Awaited<ReturnType<typeof q.execute>>;
  if (sort === 'replied') {
    if (tokens.length > 0) q = q.where(matchesAllTokens(db, tokens, 'messages.id'));
    q = q
      .where('messages.replied_at', 'is not', null)
      .orderBy('messages.replied_at', 'desc')
      .orderBy('messages.id', 'desc');
    if (query.cursor) {
      const c = decodeCursor(query.cursor, 'replied');
      q = q.where((eb) =>
        eb.or([
          eb('messages.replied_at', '<', c.at),
          eb.and([eb('messages.replied_at', '=', c.at), eb('messages.id', '<', c.id)]),
        ]),
      );
    }
    rows = await q.limit(limit + 1).execute();
  } else {
    const before = query.cursor ? decodeCursor(query.cursor, 'newest').id : undefined;
    if (tokens.length === 0) {
      if (before !== undefined) q = q.where('messages.id', '<', before);
      rows = await q
        .orderBy('messages.id', 'desc')
        .limit(limit + 1)
        .execute();
    } else {
      // Candidates come from the index newest first, and only as many as the page needs are checked against the
      // filters and the substring: a common term no longer makes the database join and sort all of its matches.
      rows = [];
      let below = before;
      let exhausted = false;
      for (const size of candidateRounds) {
        const { ids, next } = await newestTokenMatches(db, tokens, publicListing, below, size);
        if (ids.length > 0) {
          const found = await q
            .where('messages.id', 'in', ids)
            .orderBy('messages.id', 'desc')
            .limit(limit + 1 - rows.length)
            .execute();
          rows.push(...found);
        }
        exhausted = next === null;
        if (next !== null) below = next;
        if (exhausted || rows.length > limit) break;
      }
      if (!exhausted && rows.length <= limit) {
        const rest = await q
          .where(matchesAllTokens(db, tokens, 'messages.id'))
          .where('messages.id', '<', below ?? 2147483647)
          .orderBy('messages.id', 'desc')
          .limit(limit + 1 - rows.length)
          .execute();
        rows.push(...rest);
      }
    }
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const names = await boardNames(db, [...new Set(page.map((m) => m.board_id))]);
  return {
    items: page.map((m) => ({
      id: m.id,
      title: m.title,
      snippet: snippet(m.body, terms),
      type: { key: m.type, label: MESSAGE_TYPES[m.type as MessageType] ?? m.type },
      domain: { key: m.domain, label: DOMAINS[m.domain as Domain]?.label ?? m.domain },
      status: { key: m.status, label: STATUSES[m.status as MessageStatus] ?? m.status },
      boardId: m.board_id,
      regionCode: m.region_code,
      approvedAt: m.approved_at,
      repliedAt: m.replied_at,
      boardTitle: names.get(m.board_id)?.title ?? '',
      regionName: names.get(m.board_id)?.region ?? '',
      deadline: deadlineOf(m.status, m.accept_due_at, m.handle_due_at, now),
    })),
    next:
      rows.length > limit && last
        ? encodeCursor(sort === 'replied' ? { id: last.id, at: last.replied_at } : { id: last.id })
        : null,
    terms,
  };
}

/** The board titles and region names of a page's messages, in one query. */
async function boardNames(db: Db, ids: number[]): Promise<Map<number, { title: string; region: string }>> {
  if (ids.length === 0) return new Map();
  const reference = await referenceData(db);
  if (reference) {
    return new Map(
      ids.flatMap((id) => {
        const board = reference.board(id);
        const region = board && reference.region(board.region_code);
        return board && region ? [[id, { title: board.title, region: region.name }] as const] : [];
      }),
    );
  }
  const rows = await db
    .selectFrom('boards')
    .innerJoin('regions', 'regions.code', 'boards.region_code')
    .select(['boards.id', 'boards.title', 'regions.name'])
    .where('boards.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { title: r.title, region: r.name }]));
}

function deadlineOf(
  status: string,
  acceptDue: string | null,
  handleDue: string | null,
  now: Date,
): ListItem['deadline'] {
  const kind = status === 'pending' ? 'accept' : status === 'assigned' ? 'handle' : null;
  const dueAt = kind === 'accept' ? acceptDue : kind === 'handle' ? handleDue : null;
  if (!kind || !dueAt) return null;
  return { kind, dueAt, overdue: Date.parse(dueAt) < now.getTime(), provisional: !isCalendarCovered(new Date(dueAt)) };
}

/** About 80 characters of the body around the first match (or its start). */
function snippet(body: string, terms: string[]): string {
  // Normalising costs more than the rest of a list item: only a search needs the matching place.
  const normalised = terms.length > 0 ? normaliseText(body) : '';
  const at = Math.min(...terms.map((t) => normalised.indexOf(t)).filter((i) => i >= 0), Number.MAX_SAFE_INTEGER);
  const start = at === Number.MAX_SAFE_INTEGER ? 0 : Math.max(0, at - 20);
  const text = body.slice(start, start + 80);
  return `${start > 0 ? '…' : ''}${text}${start + 80 < body.length ? '…' : ''}`;
}

export interface LatestReply {
  messageId: number;
  title: string;
  unit: string;
  /** The leader who signed the reply, if one did. */
  signer: string | null;
  publishedAt: string;
  boardId: number;
  boardTitle: string;
  regionName: string;
}

/** The newest published replies to public messages, for the home page. */
export async function latestReplies(db: Db, limit = 8): Promise<LatestReply[]> {
  const rows = await db
    .selectFrom('replies')
    .innerJoin('messages', 'messages.id', 'replies.message_id')
    .innerJoin('handling_units', 'handling_units.id', 'replies.unit_id')
    .select([
      'messages.id as message_id',
      'messages.title',
      'messages.board_id',
      'handling_units.name as unit_name',
      'replies.signer_name',
      'replies.published_at',
    ])
    .where('replies.status', '=', 'published')
    .where('messages.visibility', '=', 'public')
    .where('messages.status', 'in', PUBLIC_STATUSES)
    .orderBy('replies.published_at', 'desc')
    .orderBy('replies.id', 'desc')
    .limit(limit)
    .execute();
  const names = await boardNames(db, [...new Set(rows.map((r) => r.board_id))]);
  return rows.map((r) => ({
    messageId: r.message_id,
    title: r.title,
    unit: r.unit_name,
    signer: r.signer_name,
    publishedAt: r.published_at ?? '',
    boardId: r.board_id,
    boardTitle: names.get(r.board_id)?.title ?? '',
    regionName: names.get(r.board_id)?.region ?? '',
  }));
}
