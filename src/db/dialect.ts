// The one place that knows which database engine is in use; everything else asks here.
import {
  type ColumnDataType,
  CompiledQuery,
  type CreateTableBuilder,
  type Expression,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  type SelectQueryBuilder,
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
 * loop, so it is short; the driver (db/kysely.ts) waits longer in sleeps that let other requests run. `synchronous`
 * follows the configuration (DATABASE_SYNCHRONOUS, set in db/kysely.ts). A new database gets 8 KB pages (before WAL
 * mode writes its header; an existing one keeps its own): rows of 0.5–1 KB, as messages are, waste less of them.
 */
export const SQLITE_PRAGMAS = ['page_size = 8192', 'journal_mode = WAL', 'foreign_keys = ON', 'busy_timeout = 200'];

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

/**
 * Writes a message's search entry, replacing the one it had: the normalised text in `message_search` and its tokens in
 * the engine's index (call in the transaction that changes the message). PostgreSQL keeps the tokens in
 * `message_search.tokens`, under its GIN expression index; SQLite in the FTS5 table alone (migration 0019).
 */
export async function writeSearchEntry(
  db: Kysely<any>,
  entry: { messageId: number; text: string; tokens: string },
): Promise<void> {
  const { messageId, text, tokens } = entry;
  if (engineOf(db) === 'postgres') {
    await sql`insert into message_search (message_id, tokens, text) values (${messageId}, ${tokens}, ${text})
      on conflict (message_id) do update set tokens = excluded.tokens, text = excluded.text`.execute(db);
    return;
  }
  await sql`insert into message_search (message_id, text) values (${messageId}, ${text})
    on conflict (message_id) do update set text = excluded.text`.execute(db);
  await sql`delete from message_fts where rowid = ${messageId}`.execute(db);
  await sql`insert into message_fts (rowid, tokens) values (${messageId}, ${tokens})`.execute(db);
}

/**
 * A condition matching messages whose tokens contain every query token. On PostgreSQL it reads the joined search row
 * (message_search.tokens); on SQLite the full-text index by `id`, the message's id column in the query (so that a
 * query on messages need not join its search row: see tokenMatchReadsSearchRow).
 */
export function matchesAllTokens(
  db: Kysely<any>,
  tokens: string[],
  id: 'messages.id' | 'message_search.message_id' = 'message_search.message_id',
): RawBuilder<boolean> {
  if (engineOf(db) === 'postgres') {
    // Tokens are letters and digits only (see search/tokenize.ts); quoting keeps them literal lexemes.
    const tsquery = tokens.map((t) => `'${t.replace(/'/g, "''")}'`).join(' & ');
    return sql<boolean>`to_tsvector('simple', message_search.tokens) @@ to_tsquery('simple', ${tsquery})`;
  }
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
  return sql<boolean>`${sql.ref(id)} in (select rowid from message_fts where message_fts match ${match})`;
}

/**
 * Whether matchesAllTokens reads the message's search row (joined as message_search): PostgreSQL's condition is on its
 * tokens; SQLite's on the full-text index alone, where joining the row as well makes a common term cost four times
 * as much.
 */
export function tokenMatchReadsSearchRow(db: Kysely<any>): boolean {
  return engineOf(db) === 'postgres';
}

/**
 * Messages from the token index, in its order, where that is the cheap way to a LIMIT: SQLite's FTS5 walks its
 * doclist, CROSS JOIN keeping it the outer loop, so counting the first thousand matches stops after them (路 at a
 * million: 39 → 1.4 ms), where `id in (select rowid …)` collects every match first. Null on PostgreSQL, whose token
 * condition is on the search row (matchesAllTokens, and isCommonTerm for counting).
 */
export function tokensDriveQuery(db: Kysely<any>, tokens: string[]): SelectQueryBuilder<any, any, object> | null {
  if (engineOf(db) === 'postgres' || tokens.length === 0) return null;
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
  return db
    .selectFrom(sql`message_fts`.as('message_fts'))
    .crossJoin('messages')
    .where(sql<boolean>`message_fts match ${match}`)
    .where(sql<boolean>`messages.id = message_fts.rowid`);
}

/** How many of the newest search entries isCommonTerm looks at. */
const COMMON_PROBE = 500;
/** The number of matches, estimated, from which PostgreSQL's index is the slow way to count a term. */
const COMMON_MATCHES = 50_000;

/**
 * Whether a term is so common that counting its matches through the search index costs more than walking its newest
 * matches. On PostgreSQL the GIN bitmap of such a term outgrows work_mem and turns lossy, and every lossy page
 * computes to_tsvector of each entry on it (路, in a sixth of a million messages: 1.2 s for the first thousand; 补贴,
 * in 3 %, 66 ms); the newest COMMON_PROBE search entries, checked by string search in their stored tokens, tell how
 * dense it is. SQLite's FTS5 counts any term from its doclist: never.
 */
export async function isCommonTerm(db: Kysely<any>, tokens: string[]): Promise<boolean> {
  if (engineOf(db) !== 'postgres' || tokens.length === 0) return false;
  const hasAll = sql.join(
    tokens.map((t) => sql`(' ' || s.tokens || ' ') like ${`% ${t} %`}`),
    sql` and `,
  );
  const { rows } = await sql<{ top: number | null; hits: number | string }>`
    select max(s.message_id) as top, count(*) filter (where ${hasAll}) as hits
    from (select message_id, tokens from message_search order by message_id desc limit ${COMMON_PROBE}) s`.execute(db);
  const { top, hits } = rows[0] ?? { top: null, hits: 0 };
  return top !== null && (Number(hits) / COMMON_PROBE) * top >= COMMON_MATCHES;
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

// ── Compact storage (migration 0019) ───────────────────────────────────────────────────────────────────────────────

/** The engine's search index as from migration 0019 (SQLite; PostgreSQL's GIN index is unchanged). */
export async function createCompactSearchIndex(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  // Contentless: the tokens are not stored a second time (nothing reads them back). No positions (detail = none):
  // search ANDs single tokens and never asks for a phrase. contentless_delete lets an entry be replaced.
  await sql`create virtual table message_fts using fts5(tokens, content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
}

/** Runs `work` in one transaction on SQLite, where the migrator opens none; PostgreSQL's migrator already did. */
async function inOneTransaction(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  if (engineOf(db) === 'postgres' || db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

/**
 * SQLite: the tokens move from `message_search` into a contentless FTS5 index (see createCompactSearchIndex);
 * `message_search` keeps the normalised text for the substring check. PostgreSQL keeps `message_search.tokens`, which
 * its GIN expression index is built over.
 */
export async function compactSearchStorage(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  await inOneTransaction(db, async (trx) => {
    await sql`drop table message_fts`.execute(trx);
    await createCompactSearchIndex(trx);
    await sql`insert into message_fts (rowid, tokens) select message_id, tokens from message_search`.execute(trx);
    await sql`alter table message_search drop column tokens`.execute(trx);
  });
}

/** The reverse of compactSearchStorage: `tokensOf` turns a stored (normalised) text into its tokens. */
export async function restoreSearchStorage(db: Kysely<any>, tokensOf: (text: string) => string): Promise<void> {
  if (engineOf(db) === 'postgres') return;
  await inOneTransaction(db, async (trx) => {
    await trx.schema
      .createTable('message_search_restored')
      .addColumn('message_id', 'integer', (c) => c.primaryKey().references('messages.id'))
      .addColumn('tokens', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    for (let after = -1; ;) {
      const { rows } = await sql<{ message_id: number; text: string }>`select message_id, text from message_search
        where message_id > ${after} order by message_id limit 1000`.execute(trx);
      if (rows.length === 0) break;
      for (const r of rows) {
        await sql`insert into message_search_restored (message_id, tokens, text)
          values (${r.message_id}, ${tokensOf(r.text)}, ${r.text})`.execute(trx);
      }
      after = rows[rows.length - 1]!.message_id;
    }
    await sql`drop table message_search`.execute(trx);
    await sql`alter table message_search_restored rename to message_search`.execute(trx);
    await sql`drop table message_fts`.execute(trx);
    await createSearchIndex(trx);
    await sql`insert into message_fts (rowid, tokens) select message_id, tokens from message_search`.execute(trx);
  });
}

const GENESIS_HEX = '0'.repeat(64);

/** The columns of case_events other than the hashes, in table order. */
const EVENT_COLUMNS = sql.raw(
  'id, message_id, seq, kind, actor_id, actor_unit_id, from_status, to_status, note, data, created_at',
);

/** SQLite cannot change a column's type: the table is copied into a new one with `hashColumns`, then renamed. */
async function rebuildCaseEvents(trx: Kysely<any>, hashColumns: string, hashValues: string): Promise<void> {
  const { rows } = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'case_events'`.execute(trx);
  await sql`create table case_events_rebuilt ("id" integer primary key autoincrement,
    "message_id" integer not null references "messages" ("id"), "seq" integer not null, "kind" varchar(32) not null,
    "actor_id" integer references "users" ("id"), "actor_unit_id" integer references "handling_units" ("id"),
    "from_status" varchar(16), "to_status" varchar(16), "note" text not null, "data" text not null,
    "created_at" text not null, ${sql.raw(hashColumns)},
    constraint "case_events_message_seq_key" unique ("message_id", "seq"))`.execute(trx);
  await sql`insert into case_events_rebuilt select ${EVENT_COLUMNS}, ${sql.raw(hashValues)}
    from case_events order by id`.execute(trx);
  await sql`drop table case_events`.execute(trx);
  await sql`alter table case_events_rebuilt rename to case_events`.execute(trx);
  // Ids are never reused: the counter goes on from where it was, even past events since deleted.
  const seq = rows[0]?.seq;
  if (seq !== undefined) {
    await sql`delete from sqlite_sequence where name = 'case_events'`.execute(trx);
    await sql`insert into sqlite_sequence (name, seq) values ('case_events', ${seq})`.execute(trx);
  }
}

/**
 * Each case event's hash as its 32 bytes instead of 64 hex characters, and no copy of the previous event's hash: the
 * chain is checked against the previous event's own hash (audit/case-events.ts).
 */
export async function binaryEventHashes(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql`alter table case_events drop column prev_hash`.execute(db);
    await sql`alter table case_events alter column hash type bytea using decode(hash, 'hex')`.execute(db);
    return;
  }
  await inOneTransaction(db, (trx) => rebuildCaseEvents(trx, '"hash" blob not null', 'unhex(hash)'));
}

/** The reverse of binaryEventHashes: hex hashes again, with each event's previous hash beside its own. */
export async function hexEventHashes(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql`alter table case_events alter column hash type varchar(64) using encode(hash, 'hex')`.execute(db);
    await sql`alter table case_events add column prev_hash varchar(64)`.execute(db);
    await sql`update case_events as e set prev_hash = coalesce((select p.hash from case_events as p
      where p.message_id = e.message_id and p.seq = e.seq - 1), ${GENESIS_HEX})`.execute(db);
    await sql`alter table case_events alter column prev_hash set not null`.execute(db);
    return;
  }
  await inOneTransaction(db, (trx) =>
    rebuildCaseEvents(
      trx,
      '"prev_hash" varchar(64) not null, "hash" varchar(64) not null',
      `coalesce(lag(lower(hex(hash))) over (partition by message_id order by seq), '${GENESIS_HEX}'), lower(hex(hash))`,
    ),
  );
}

/**
 * Makes every change to `tables` add one to the row `name` of `change_counters`, whoever writes (an admin page, an
 * import, another process, a hand-typed UPDATE): processes that keep those tables in memory compare the counter to
 * know when to read them again. Per statement on PostgreSQL; per row on SQLite, which has no statement triggers.
 */
export async function createChangeCounter(db: Kysely<any>, name: string, tables: readonly string[]): Promise<void> {
  const bump = sql.raw(`update change_counters set version = version + 1 where name = '${name.replace(/'/g, "''")}'`);
  if (engineOf(db) === 'postgres') {
    await sql`create function ${sql.raw(`bump_${name}_counter`)}() returns trigger language plpgsql as $$
      begin ${bump}; return null; end $$`.execute(db);
    for (const table of tables) {
      await sql`create trigger ${sql.raw(`${table}_bump_${name}`)} after insert or update or delete or truncate
        on ${sql.table(table)} for each statement execute function ${sql.raw(`bump_${name}_counter`)}()`.execute(db);
    }
    return;
  }
  for (const table of tables) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_bump_${name}_${event}`)} after ${sql.raw(event)}
        on ${sql.table(table)} begin ${bump}; end`.execute(db);
    }
  }
}

export async function dropChangeCounter(db: Kysely<any>, name: string, tables: readonly string[]): Promise<void> {
  if (engineOf(db) === 'postgres') {
    for (const table of tables) {
      await sql`drop trigger ${sql.raw(`${table}_bump_${name}`)} on ${sql.table(table)}`.execute(db);
    }
    await sql`drop function ${sql.raw(`bump_${name}_counter`)}()`.execute(db);
    return;
  }
  for (const table of tables) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`drop trigger ${sql.raw(`${table}_bump_${name}_${event}`)}`.execute(db);
    }
  }
}

/**
 * An index on `keys` that also holds the `include` columns, so that a query reading only those is answered from the
 * index: PostgreSQL needs them named (INCLUDE, and the columns an indexed expression is made of); SQLite keeps the row
 * id in every index and reads an indexed expression's value from the index itself.
 */
export async function createIndexWithIncluded(
  db: Kysely<any>,
  name: string,
  table: string,
  keys: RawBuilder<unknown>,
  include: readonly string[],
): Promise<void> {
  const extra =
    engineOf(db) === 'postgres' && include.length > 0
      ? sql` include (${sql.join(include.map((c) => sql.ref(c)))})`
      : sql``;
  await sql`create index ${sql.raw(name)} on ${sql.table(table)} (${keys})${extra}`.execute(db);
}

/**
 * Keeps a column of one table equal to what an expression computes from another table, by row triggers on that other
 * table: after each insert, delete, and update of `watch`, `target.column` is set to `value(key)` for the target row
 * whose `targetKey` equals the changed row's `sourceKey` (before and after an update). `value` is SQL text of a scalar
 * expression in `key`, valid on both engines.
 */
export interface DerivedColumn {
  name: string;
  source: string;
  sourceKey: string;
  watch: readonly string[];
  target: string;
  targetKey: string;
  column: string;
  value: (key: string) => string;
}

function derivedUpdate(d: DerivedColumn, row: 'NEW' | 'OLD'): string {
  const key = `${row}.${d.sourceKey}`;
  return `update ${d.target} set ${d.column} = ${d.value(key)} where ${d.targetKey} = ${key}`;
}

export async function createDerivedColumn(db: Kysely<any>, d: DerivedColumn): Promise<void> {
  const watched = d.watch.join(', ');
  if (engineOf(db) === 'postgres') {
    await sql`create function ${sql.raw(d.name)}() returns trigger language plpgsql as $$ begin
      if TG_OP in ('INSERT', 'UPDATE') then ${sql.raw(derivedUpdate(d, 'NEW'))}; end if;
      if TG_OP = 'DELETE' or (TG_OP = 'UPDATE' and OLD.${sql.raw(d.sourceKey)} is distinct from NEW.${sql.raw(
        d.sourceKey,
      )}) then ${sql.raw(derivedUpdate(d, 'OLD'))}; end if;
      return null; end $$`.execute(db);
    await sql`create trigger ${sql.raw(d.name)} after insert or delete or update of ${sql.raw(watched)}
      on ${sql.table(d.source)} for each row execute function ${sql.raw(d.name)}()`.execute(db);
    return;
  }
  await sql`create trigger ${sql.raw(`${d.name}_insert`)} after insert on ${sql.table(d.source)}
    begin ${sql.raw(derivedUpdate(d, 'NEW'))}; end`.execute(db);
  await sql`create trigger ${sql.raw(`${d.name}_delete`)} after delete on ${sql.table(d.source)}
    begin ${sql.raw(derivedUpdate(d, 'OLD'))}; end`.execute(db);
  await sql`create trigger ${sql.raw(`${d.name}_update`)} after update of ${sql.raw(watched)} on ${sql.table(d.source)}
    begin ${sql.raw(derivedUpdate(d, 'NEW'))}; ${sql.raw(derivedUpdate(d, 'OLD'))}; end`.execute(db);
}

export async function dropDerivedColumn(db: Kysely<any>, d: Pick<DerivedColumn, 'name' | 'source'>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql`drop trigger if exists ${sql.raw(d.name)} on ${sql.table(d.source)}`.execute(db);
    await sql`drop function if exists ${sql.raw(d.name)}()`.execute(db);
    return;
  }
  for (const event of ['insert', 'delete', 'update'])
    await sql`drop trigger if exists ${sql.raw(`${d.name}_${event}`)}`.execute(db);
}

/**
 * Inserts many rows into `table`, replacing the row that has the same `conflict` value (every other column is set from
 * the new row), as SQL written out here rather than built by the query builder, whose per-value work dominates at
 * hundreds of thousands of rows. `columns` names each column with its PostgreSQL type, in the order written; table and
 * column names are trusted identifiers. PostgreSQL: one array per column, unnested, 5,000 rows a statement (a
 * statement with tens of thousands of parameters is slow to bind and plan there). SQLite: many rows of `?` per
 * statement, up to half of maxParameters.
 */
export async function upsertRows<K extends string>(
  db: Kysely<any>,
  table: string,
  columns: Readonly<Record<K, string>>,
  conflict: K,
  rows: readonly Readonly<Record<K, unknown>>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns) as K[];
  const head = `insert into ${table} (${names.map((c) => `"${c}"`).join(', ')}) `;
  const tail = ` on conflict (${conflict}) do update set ${names
    .filter((c) => c !== conflict)
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ')}`;
  if (engineOf(db) === 'postgres') {
    const arrays = names.map((c, i) => `$${i + 1}::${columns[c]}[]`).join(', ');
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const params = names.map((c) => chunk.map((row) => row[c]));
      await db.executeQuery(CompiledQuery.raw(`${head}select * from unnest(${arrays})${tail}`, params));
    }
    return;
  }
  const size = Math.floor(maxParameters(db) / names.length / 2);
  const tuple = `(${names.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const params = chunk.flatMap((row) => names.map((c) => row[c]));
    await db.executeQuery(CompiledQuery.raw(`${head}values ${chunk.map(() => tuple).join(', ')}${tail}`, params));
  }
}

/**
 * The one-character string of code point `n`, written into the SQL as a literal: chr(n) on PostgreSQL, char(n) on
 * SQLite.
 */
export function charCode(db: Kysely<any>, n: number): RawBuilder<string> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a code point: ${n}`);
  return engineOf(db) === 'postgres' ? sql<string>`chr(${sql.lit(n)})` : sql<string>`char(${sql.lit(n)})`;
}

/**
 * A moment as the ISO-8601 text SQLite stores (UTC, milliseconds: 2026-06-01T08:00:00.000Z): to_char of the timestamptz
 * at time zone UTC on PostgreSQL; the stored text itself (cast as text) on SQLite.
 */
export function timestampText(db: Kysely<any>, ref: Expression<unknown>): RawBuilder<string> {
  return engineOf(db) === 'postgres'
    ? sql<string>`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql<string>`cast(${ref} as text)`;
}

/**
 * Holds the rows of `table` with these `id`s until the transaction ends. PostgreSQL: SELECT … FOR UPDATE, in id order
 * so that transactions locking overlapping sets cannot deadlock. SQLite: nothing, a write transaction's lock already
 * keeps every other writer out.
 */
export async function lockRowsForUpdate(trx: Kysely<any>, table: string, ids: readonly number[]): Promise<void> {
  if (engineOf(trx) !== 'postgres' || ids.length === 0) return;
  const sorted = [...ids].sort((a, b) => a - b);
  await trx.selectFrom(table).select('id').where('id', 'in', sorted).orderBy('id').forUpdate().execute();
}

/**
 * Takes a transaction-level advisory lock (classId, key) for each distinct key, in ascending order so that
 * transactions taking overlapping sets cannot deadlock, held until the transaction ends. PostgreSQL:
 * pg_advisory_xact_lock_shared (shared) or pg_advisory_xact_lock (exclusive). SQLite: nothing, a write transaction's
 * lock already keeps every other writer out.
 */
export async function advisoryXactLocks(
  trx: Kysely<any>,
  classId: number,
  keys: Iterable<number>,
  mode: 'shared' | 'exclusive',
): Promise<void> {
  if (engineOf(trx) !== 'postgres') return;
  const sorted = [...new Set(keys)].sort((a, b) => a - b);
  const fn = mode === 'shared' ? sql.raw('pg_advisory_xact_lock_shared') : sql.raw('pg_advisory_xact_lock');
  for (const key of sorted) await sql`select ${fn}(${classId}, ${key})`.execute(trx);
}

/**
 * Runs `work` with a large page cache. SQLite: cache_size of at least 256 MB on the connection for the duration, put
 * back after (for work that touches many pages again and again, such as indexes written batch after batch). PostgreSQL:
 * runs `work` as it is; its buffers are the server's.
 */
export async function withLargeSqliteCache<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') return work();
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const before = Number(rows[0]?.cache_size ?? -2000);
  await sql.raw(`pragma cache_size = ${Math.min(before, -262_144)}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Math.trunc(before)}`).execute(db);
  }
}
