// The one place that knows which database engine is in use; everything else asks here.
import {
  type ColumnDataType,
  type CreateTableBuilder,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  sql,
} from 'kysely';
import type { Engine } from '../config.ts';

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column type for a moment in time: timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function timestampType(db: Kysely<any>): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'timestamptz' : 'text';
}

/** Default value for a creation timestamp, producing the same ISO-8601 form on both engines. */
export function nowDefault(db: Kysely<any>): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}

/** Default value `false` for a boolean column, as each engine writes it. */
export function falseDefault(db: Kysely<any>): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql`false` : sql`0`;
}

export function booleanType(db: Kysely<any>): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'boolean' : 'integer';
}

/** Parsers for the pg driver so both engines hand back the same JavaScript values. */
export const POSTGRES_TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  20: (v) => Number(v), // int8 (count(*))
  1700: (v) => Number(v), // numeric
  1184: (v) => new Date(v).toISOString(), // timestamptz
  1114: (v) => new Date(`${v}Z`).toISOString(), // timestamp
  1082: (v) => v, // date stays YYYY-MM-DD
};

/**
 * SQLite pragmas for durability with concurrent readers. SQLite's own wait for another process's lock blocks the event
 * loop, so it is short; the driver (db/kysely.ts) waits longer in sleeps that let other requests run.
 */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'foreign_keys = ON', 'busy_timeout = 200', 'synchronous = NORMAL'];

/** Largest number of bound parameters one statement may carry, minus headroom. */
export function maxParameters(db: Kysely<any>): number {
  return engineOf(db) === 'postgres' ? 60000 : 30000;
}

/**
 * Booleans are written as 1/0: better-sqlite3 cannot bind `true`, and PostgreSQL accepts '1'/'0'
 * for boolean columns. Reads come back as 0/1 or false/true; use `Boolean()` on them.
 */
export const dbBool = (value: boolean): number => (value ? 1 : 0);

/** Indexes of every user table as `table: [name(columns), …]`, for the schema canary. */
export async function listIndexes(db: Kysely<any>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ tablename: string; indexname: string; indexdef: string }>`
      select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() order by indexname`.execute(
      db,
    );
    for (const r of rows) {
      const columns = /\((.*)\)/.exec(r.indexdef)?.[1] ?? '';
      const unique = r.indexdef.startsWith('CREATE UNIQUE') ? 'unique ' : '';
      (out[r.tablename] ??= []).push(`${unique}(${columns})`);
    }
  } else {
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of tables.rows) {
      const list = await sql<{
        name: string;
        unique: number;
      }>`select name, "unique" from pragma_index_list(${name})`.execute(db);
      for (const index of list.rows) {
        const cols = await sql<{
          name: string;
        }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
        (out[name] ??= []).push(`${index.unique ? 'unique ' : ''}(${cols.rows.map((c) => c.name).join(', ')})`);
      }
    }
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** Adds an auto-incrementing integer primary key `id`, the way each engine spells it. */
export function withAutoId(db: Kysely<any>, table: CreateTableBuilder<any, any>): CreateTableBuilder<any, any> {
  return engineOf(db) === 'postgres'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * Whether rows can be claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL). SQLite has one writer at a
 * time, so a conditional UPDATE already claims a row for exactly one process there.
 */
export function supportsSkipLocked(db: Kysely<any>): boolean {
  return engineOf(db) === 'postgres';
}

/**
 * Runs a write transaction again when SQLite reports the database busy inside it (a deferred transaction that reads
 * and then writes can lose the race for the write lock; transactions begin immediate, so this is rare). The work must
 * be safe to repeat (the callers' inserts are idempotent). A lock that stayed taken for the driver's whole wait is not
 * waited for again. PostgreSQL waits on locks instead.
 */
export async function retryWhenBusy<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const busy =
        (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') &&
        !(err as { lockWaitExpired?: boolean }).lockWaitExpired;
      if (!busy || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

/**
 * The full-text index over `message_search.tokens`: an FTS5 table on SQLite (unicode61 splits our
 * space-separated tokens), a GIN index over `to_tsvector('simple', tokens)` on PostgreSQL.
 */
export async function createSearchIndex(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql`create index message_search_tsv_idx on message_search using gin (to_tsvector('simple', tokens))`.execute(
      db,
    );
  } else {
    await sql`create virtual table message_fts using fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')`.execute(
      db,
    );
  }
}

export async function dropSearchIndex(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') await sql`drop index message_search_tsv_idx`.execute(db);
  else await sql`drop table message_fts`.execute(db);
}

/** Keeps the engine's index in step with `message_search` (call in the same transaction). */
export async function indexSearchTokens(db: Kysely<any>, messageId: number, tokens: string): Promise<void> {
  if (engineOf(db) === 'postgres') return; // the expression index follows the table by itself
  await sql`delete from message_fts where rowid = ${messageId}`.execute(db);
  await sql`insert into message_fts (rowid, tokens) values (${messageId}, ${tokens})`.execute(db);
}

/** A condition matching messages whose tokens contain every query token. */
export function matchesAllTokens(db: Kysely<any>, tokens: string[]): RawBuilder<boolean> {
  if (engineOf(db) === 'postgres') {
    // Tokens are letters and digits only (see search/tokenize.ts); quoting keeps them literal lexemes.
    const tsquery = tokens.map((t) => `'${t.replace(/'/g, "''")}'`).join(' & ');
    return sql<boolean>`to_tsvector('simple', message_search.tokens) @@ to_tsquery('simple', ${tsquery})`;
  }
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
  return sql<boolean>`message_search.message_id in (select rowid from message_fts where message_fts match ${match})`;
}

/** How many of the newest ids PostgreSQL searches by index and id range together before the index alone. */
const PG_SEARCH_RANGE = 100_000;

/** Token matches newest first, and where to go on from: `next` is null when nothing older can match. */
export interface TokenMatches {
  ids: number[];
  next: number | null;
}

/**
 * Messages whose tokens contain every query token and that pass `listed` (a condition on `messages`), below
 * `beforeId`, newest first: about `size` of them, read in id order so that a common term costs as much as a page
 * needs, not as much as all of its matches. `listed` goes in here rather than after, because the newest messages
 * are the ones still waiting for review.
 */
export async function newestTokenMatches(
  db: Kysely<any>,
  tokens: string[],
  listed: RawBuilder<boolean>,
  beforeId: number | undefined,
  size: number,
  range = PG_SEARCH_RANGE,
): Promise<TokenMatches> {
  const below = beforeId === undefined ? sql`` : sql`and messages.id < ${beforeId}`;
  if (engineOf(db) === 'postgres') {
    // A GIN index gives its matches in no order, and each match costs a visit to the table for its id; the planner's
    // other choice, walking the primary key and computing to_tsvector on every row, costs a tenth of a millisecond
    // a row. So: the newest rows are checked by plain string search in the stored tokens (a common term such as
    // one character fills a page from them); then the index, combined with a range of the newest ids (a few
    // thousand matches at most to visit); then the index alone below that range, where a term must be rare.
    const window = 4 * size;
    // Two steps, so the planner cannot walk message_search alongside messages past the newest, unlisted ones.
    const { rows: newest } = await sql<{ id: number }>`
      select messages.id from messages where ${listed} ${below} order by messages.id desc limit ${window}`.execute(db);
    if (newest.length === 0) return { ids: [], next: null };
    const hasAll = sql.join(
      tokens.map((t) => sql`(' ' || tokens || ' ') like ${`% ${t} %`}`),
      sql` and `,
    );
    const { rows: checked } = await sql<{ id: number }>`
      select message_id as id from message_search
      where message_id in (${sql.join(newest.map((r) => r.id))}) and ${hasAll}`.execute(db);
    const hits = checked.map((r) => r.id).sort((a, b) => b - a);
    if (newest.length < window) return { ids: hits, next: null };
    const low = newest[newest.length - 1]!.id;
    if (hits.length * 4 >= size) return { ids: hits, next: low };
    const found = [...hits];
    let floor = low;
    // The newest rows tell how dense the term is, so the first range is about as wide as the page needs.
    const first =
      hits.length === 0 ? range : Math.min(range, Math.max(1000, Math.ceil((2 * size * window) / hits.length)));
    for (let span = first; ; span *= 4) {
      const top = floor;
      floor = Math.max(top - span, 0);
      // "+ 0" keeps the planner off the primary key's order, which would mean to_tsvector on every row it walks.
      const { rows } = await sql<{ id: number }>`
        select messages.id from message_search join messages on messages.id = message_search.message_id
        where ${matchesAllTokens(db, tokens)} and message_search.message_id >= ${floor}
          and message_search.message_id < ${top} and ${listed}
        order by messages.id + 0 desc limit ${size - found.length}`.execute(db);
      found.push(...rows.map((r) => r.id));
      if (found.length >= size) return { ids: found, next: found[found.length - 1]! };
      if (floor === 0) return { ids: found, next: null };
      // Few matches so far means few below too: then the index alone visits less than more ranges would.
      const expectedBelow = ((found.length - hits.length) / (low - floor)) * floor;
      if (expectedBelow < 8 * size) break;
    }
    const { rows: older } = await sql<{ id: number }>`
      select messages.id from message_search join messages on messages.id = message_search.message_id
      where ${matchesAllTokens(db, tokens)} and message_search.message_id + 0 < ${floor} and ${listed}
      order by messages.id + 0 desc limit ${size - found.length}`.execute(db);
    const ids = [...found, ...older.map((r) => r.id)];
    return { ids, next: ids.length < size ? null : ids[ids.length - 1]! };
  }
  // FTS5 walks its doclists in rowid order, so the LIMIT stops the scan early; CROSS JOIN keeps it the outer loop,
  // and the bound on messages.id becomes a bound on its rowid.
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
  const { rows } = await sql<{ id: number }>`
    select message_fts.rowid as id from message_fts cross join messages on messages.id = message_fts.rowid
    where message_fts match ${match} ${beforeId === undefined ? sql`` : sql`and message_fts.rowid < ${beforeId}`}
      and ${listed}
    order by message_fts.rowid desc limit ${size}`.execute(db);
  const ids = rows.map((r) => r.id);
  return { ids, next: ids.length < size ? null : ids[ids.length - 1]! };
}

/**
 * The bulk form of `indexSearchTokens`, for messages that have no index entry yet (the bulk generator):
 * multi-row inserts into the FTS5 table on SQLite, within the parameter limit; nothing on PostgreSQL, whose
 * expression index follows `message_search` by itself. Call in the transaction that writes `message_search`.
 */
export async function indexNewSearchTokens(
  db: Kysely<any>,
  rows: { messageId: number; tokens: string }[],
): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  const size = Math.floor(maxParameters(db) / 2);
  for (let i = 0; i < rows.length; i += size) {
    const values = rows.slice(i, i + size).map((r) => sql`(${r.messageId}, ${r.tokens})`);
    await sql`insert into message_fts (rowid, tokens) values ${sql.join(values)}`.execute(db);
  }
}
