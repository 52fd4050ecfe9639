// What a bulk load (demo/bulk-messages.ts) does differently on each engine, beside db/dialect.ts: rows encoded for the
// engine's fastest way in (prepared multi-row INSERTs on SQLite, COPY on PostgreSQL), settings for the load and back,
// secondary indexes and constraints set aside while an empty set of messages is filled and built again after, id
// ranges reserved, planner statistics refreshed.
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Engine } from '../config.ts';
import {
  BULK_TABLES,
  type BulkPayload,
  ID_TABLES,
  type IdTable,
  POSTGRES_COLUMNS,
  SQLITE_ORDER,
  SQLITE_TARGETS,
} from './bulk-rows.ts';
import { createDerivedColumn, dropDerivedColumn, engineOf } from './dialect.ts';
import { type Db, driverHandle } from './kysely.ts';
import { fillInboxFlags, INBOX_FLAGS } from './migrations/0021-inbox-flags.ts';

// ── Writing ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Settings key of a load whose indexes are set aside: what to build again if the load never finished. */
const SET_ASIDE_KEY = 'bulk.set_aside';

interface SetAside {
  /** Statements that put back what was set aside, in order. */
  restore: { name: string; sql: string }[];
  /** SQLite: the FTS5 index's merge settings are put back too. */
  fts?: boolean;
}

/** The FTS5 settings of a load, and the defaults they go back to (automerge 4, a 1 MB pending-token buffer). */
const FTS_LOAD = { automerge: 0, hashsize: 256 * 1024 * 1024 };
const FTS_DEFAULT = { automerge: 4, hashsize: 1024 * 1024 };

export interface BulkWriter {
  readonly engine: Engine;
  /**
   * Before the first batch: settings for a load, ids reserved, and with `setAside` (an empty set of messages) the
   * secondary indexes and constraints of the loaded tables dropped, to be built once at the end.
   */
  begin(options: { setAside: boolean; reserve: Record<IdTable, number> }): Promise<Record<IdTable, number>>;
  write(payload: BulkPayload): Promise<void>;
  /** After the last batch: indexes and constraints built again, the search index merged, statistics refreshed. */
  finish(): Promise<void>;
  /** Settings back and connections returned, whether the load finished or not (after finish, or on failure). */
  close(): Promise<void>;
}

const LOADED = ['messages', 'replies', 'supervisions', 'case_events', 'ratings', 'message_search', 'message_facts'];
/** The loaded tables PostgreSQL reads through index-only scans, vacuumed after a load (a few seconds at a million). */
const INDEX_ONLY_READ = ['messages', 'replies', 'supervisions', 'ratings', 'message_facts'];

async function readSetAside(db: Db): Promise<SetAside | null> {
  const { rows } = await sql<{ value: string }>`select value from settings where key = ${SET_ASIDE_KEY}`.execute(db);
  return rows[0] ? (JSON.parse(rows[0].value) as SetAside) : null;
}

async function writeSetAside(db: Db, value: SetAside | null): Promise<void> {
  await sql`delete from settings where key = ${SET_ASIDE_KEY}`.execute(db);
  if (value) {
    await sql`insert into settings (key, value, updated_at)
      values (${SET_ASIDE_KEY}, ${JSON.stringify(value)}, ${new Date().toISOString()})`.execute(db);
  }
}

/** Settings key of a load that dropped the triggers keeping the inbox's columns on messages (migration 0021). */
const FLAGS_ASIDE_KEY = 'bulk.inbox_flags_aside';

/**
 * Before a load, of any size: the row triggers that keep messages.supervised and messages.waiting_reply are dropped
 * (fired for each reply and supervision notice loaded, they would look each message up again), and a note says so.
 */
export async function setAsideInboxFlags(db: Db): Promise<void> {
  await sql`delete from settings where key = ${FLAGS_ASIDE_KEY}`.execute(db);
  await sql`insert into settings (key, value, updated_at) values (${FLAGS_ASIDE_KEY}, '1', ${new Date().toISOString()})`.execute(
    db,
  );
  for (const flag of INBOX_FLAGS) await dropDerivedColumn(db, flag);
}

/**
 * After a load, or at the next start if it never finished: both columns set from the tables, set-based, for every
 * message (so that also what a server changed meanwhile is right), and the triggers back. False when none were aside.
 */
export async function restoreInboxFlags(db: Db): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from settings where key = ${FLAGS_ASIDE_KEY}`.execute(
    db,
  );
  if (Number(rows[0]?.n ?? 0) === 0) return false;
  await fillInboxFlags(db);
  for (const flag of INBOX_FLAGS) {
    await dropDerivedColumn(db, flag);
    await createDerivedColumn(db, flag);
  }
  await sql`delete from settings where key = ${FLAGS_ASIDE_KEY}`.execute(db);
  return true;
}

/**
 * Builds again what a bulk load set aside and never put back (the process was killed): indexes, constraints, the
 * search index's settings, the inbox columns' triggers. Returns how many statements ran; 0 when nothing was pending.
 */
export async function restoreSetAside(db: Db, onStatement?: (name: string) => void): Promise<number> {
  const pending = await readSetAside(db);
  if (!pending) return (await restoreInboxFlags(db)) ? 1 : 0;
  let ran = 0;
  for (const { name, sql: text } of pending.restore) {
    if (await objectExists(db, name)) continue;
    onStatement?.(name);
    await sql.raw(text).execute(db);
    ran += 1;
  }
  if (pending.fts) await ftsSettings(db, FTS_DEFAULT);
  await writeSetAside(db, null);
  if (await restoreInboxFlags(db)) ran += 1;
  return ran;
}

async function objectExists(db: Db, name: string): Promise<boolean> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_class
      where relname = ${name} and relnamespace = current_schema()::regnamespace
      union all select count(*)::int from pg_constraint where conname = ${name}`.execute(db);
    return rows.some((r) => r.n > 0);
  }
  const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = ${name}`.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}

async function ftsSettings(db: Db, settings: { automerge: number; hashsize: number }): Promise<void> {
  // FTS5 takes a setting's value as an integer only, so it goes in as a literal (both are numbers of ours).
  for (const [key, value] of Object.entries(settings)) {
    await sql`insert into message_fts (message_fts, rank) values (${key}, ${sql.raw(String(Math.floor(value)))})`.execute(
      db,
    );
  }
}

export function openBulkWriter(db: Db): BulkWriter {
  const handle = driverHandle(db);
  if (!handle) throw new Error('bulk: the database was not opened with openDatabase');
  return handle.engine === 'postgres' ? new PostgresWriter(db, handle.pool) : new SqliteWriter(db, handle.database);
}

// SQLite: the same connection as Kysely's (there is one), used directly so that each statement is prepared once.
type SqliteDatabase = Extract<ReturnType<typeof driverHandle>, { engine: 'sqlite' }>['database'];
type Statement = ReturnType<SqliteDatabase['prepare']>;

/** Parameters per statement: SQLite allows 32,766. */
const SQLITE_PARAMETERS = 32_000;
/** Batches per transaction: fewer commits, and fewer, larger segments in the FTS5 index. */
const SQLITE_BATCHES_PER_TRANSACTION = 10;

class SqliteWriter implements BulkWriter {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private saved: Record<string, unknown> = {};
  private setAside: SetAside | null = null;
  private reserved: Record<string, number> = {};
  private inTransaction = 0;

  constructor(
    private readonly db: Db,
    private readonly database: SqliteDatabase,
  ) {}

  async begin({ setAside, reserve }: { setAside: boolean; reserve: Record<IdTable, number> }) {
    const d = this.database;
    // For the load only: no flush to disk at commits (a crash of the process loses nothing committed in WAL mode; a
    // power loss may lose the load, which is run again), a large page cache, the sorter on two threads for the index
    // builds, and no foreign-key lookups for rows made consistent by the generator. All put back by close().
    for (const name of ['synchronous', 'cache_size', 'foreign_keys', 'threads', 'busy_timeout']) {
      this.saved[name] = d.pragma(name, { simple: true });
    }
    d.pragma('synchronous = OFF');
    d.pragma('cache_size = -524288');
    d.pragma('foreign_keys = OFF');
    d.pragma('threads = 2');
    d.pragma('busy_timeout = 10000');

    const first = {} as Record<IdTable, number>;
    d.transaction(() => {
      for (const table of ID_TABLES) {
        // AUTOINCREMENT keeps the highest id ever given in sqlite_sequence: the range after it is reserved there, so
        // that anything written meanwhile takes ids after the range.
        const seq = d.prepare('select seq from sqlite_sequence where name = ?').pluck().get(table) as
          number | undefined;
        const max = d.prepare(`select max(id) from ${table}`).pluck().get() as number | null;
        const last = Math.max(seq ?? 0, max ?? 0);
        first[table] = last + 1;
        this.reserved[table] = last;
        if (seq === undefined) d.prepare('insert into sqlite_sequence (name, seq) values (?, ?)').run(table, last);
        d.prepare('update sqlite_sequence set seq = ? where name = ?').run(last + reserve[table], table);
      }
    })();

    if (setAside) {
      const indexes = d
        .prepare(
          `select name, sql from sqlite_master where type = 'index' and sql is not null
           and tbl_name in (${LOADED.map(() => '?').join(', ')}) order by name`,
        )
        .all(...LOADED) as { name: string; sql: string }[];
      this.setAside = { restore: indexes, fts: true };
      await writeSetAside(this.db, this.setAside);
      for (const { name } of indexes) d.exec(`drop index "${name}"`);
      await ftsSettings(this.db, FTS_LOAD);
    }
    return first;
  }

  private statement(table: string, rows: number): Statement {
    const key = `${table}:${rows}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      const target = SQLITE_TARGETS[table]!;
      const row = `(${(target.placeholders ?? target.columns.map(() => '?')).join(', ')})`;
      stmt = this.database.prepare(
        `insert into ${table} (${target.columns.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`,
      );
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  async write(payload: BulkPayload): Promise<void> {
    const d = this.database;
    if (this.inTransaction === 0) d.exec('begin immediate');
    for (const table of SQLITE_ORDER) {
      const values = payload.data[table] as unknown[] | undefined;
      if (!values || values.length === 0) continue;
      const width = SQLITE_TARGETS[table]!.columns.length;
      const perStatement = Math.floor(SQLITE_PARAMETERS / width);
      const full = this.statement(table, perStatement);
      let i = 0;
      for (; i + perStatement * width <= values.length; i += perStatement * width) {
        full.run(values.slice(i, i + perStatement * width));
      }
      if (i < values.length) this.statement(table, (values.length - i) / width).run(values.slice(i));
    }
    this.inTransaction += 1;
    if (this.inTransaction >= SQLITE_BATCHES_PER_TRANSACTION) this.commit();
  }

  private commit() {
    if (this.inTransaction > 0) this.database.exec('commit');
    this.inTransaction = 0;
  }

  async finish(): Promise<void> {
    this.commit();
    const d = this.database;
    this.settleIds();
    if (this.setAside) {
      // Skipping any that a server started meanwhile already built (prepareDatabase restores what it finds set aside).
      const exists = d.prepare('select count(*) from sqlite_master where name = ?').pluck();
      for (const { name, sql: text } of this.setAside.restore) if (!exists.get(name)) d.exec(text);
      // One merge of the segments the load left (it merged none as it went): what queries read is one b-tree.
      d.exec(`insert into message_fts (message_fts) values ('optimize')`);
      await ftsSettings(this.db, FTS_DEFAULT);
      await writeSetAside(this.db, null);
      this.setAside = null;
    }
    // Planner statistics, sampled: without them SQLite may pick an index by guess (a join over replies once went
    // through every published reply for each page of the open-data dump).
    d.pragma('analysis_limit = 1000');
    d.exec('analyze');
    d.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Each reserved range shrinks to what was used: the counter goes back to the highest id there is. */
  private settleIds() {
    const d = this.database;
    for (const table of ID_TABLES) {
      const before = this.reserved[table];
      if (before === undefined) continue;
      const max = (d.prepare(`select max(id) from ${table}`).pluck().get() as number | null) ?? 0;
      d.prepare('update sqlite_sequence set seq = ? where name = ?').run(Math.max(before, max), table);
    }
    this.reserved = {};
  }

  async close(): Promise<void> {
    const d = this.database;
    if (d.inTransaction) d.exec('rollback');
    this.inTransaction = 0;
    if (Object.keys(this.reserved).length > 0) this.settleIds();
    if (this.setAside) {
      // The load failed: what it set aside is built again over what it wrote.
      await restoreSetAside(this.db);
      this.setAside = null;
    }
    for (const [name, value] of Object.entries(this.saved)) d.pragma(`${name} = ${String(value)}`);
    this.saved = {};
  }
}

// PostgreSQL: COPY over a connection of Kysely's pool; the index builds after it, two at a time.

/** The constraint kinds set aside: unique (u) and foreign keys (f); primary keys stay. */
const SET_ASIDE_CONSTRAINTS = ['u', 'f'];

class PostgresWriter implements BulkWriter {
  readonly engine = 'postgres' as const;
  private client: PoolClient | null = null;
  private setAside: SetAside | null = null;
  private reserved: Record<string, number> = {};

  constructor(
    private readonly db: Db,
    private readonly pool: { connect(): Promise<PoolClient> },
  ) {}

  private async connection(): Promise<PoolClient> {
    if (!this.client) {
      this.client = await this.pool.connect();
      // For this session only: commits do not wait for the disk (a server crash may lose the last ones, never
      // corrupt anything), and index builds sort in memory.
      await this.client.query(`set synchronous_commit = off`);
      await this.client.query(`set maintenance_work_mem = '512MB'`);
      await this.client.query(`set statement_timeout = 0`);
    }
    return this.client;
  }

  async begin({ setAside, reserve }: { setAside: boolean; reserve: Record<IdTable, number> }) {
    const c = await this.connection();
    const first = {} as Record<IdTable, number>;
    for (const table of ID_TABLES) {
      // The identity's sequence jumps past the range, so that anything written meanwhile takes ids after it.
      const { rows } = await c.query<{ first: number }>(
        `select greatest(nextval(pg_get_serial_sequence($1, 'id')), coalesce((select max(id) from ${table}), 0) + 1)::int as first`,
        [table],
      );
      first[table] = rows[0]!.first;
      this.reserved[table] = first[table] - 1;
      await c.query(`select setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, first[table] + reserve[table]]);
    }
    if (setAside) {
      const { rows: constraints } = await c.query<{ name: string; table: string; def: string; type: string }>(
        `select conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as def, contype as type
         from pg_constraint where conrelid = any($1::regclass[]) and contype = any($2) order by contype desc, conname`,
        [LOADED, SET_ASIDE_CONSTRAINTS],
      );
      const { rows: indexes } = await c.query<{ name: string; def: string }>(
        `select i.indexname as name, i.indexdef as def from pg_indexes i
         where i.schemaname = current_schema() and i.tablename = any($1)
           and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
           and i.indexdef not like '% WHERE %'
         order by i.indexname`,
        [LOADED],
      );
      // Partial indexes stay (they hold few rows, and PostgreSQL would write their condition back in another form).
      // Put back: unique constraints, then the indexes, then the foreign keys (checked through the keys above).
      const unique = constraints.filter((k) => k.type === 'u');
      const foreign = constraints.filter((k) => k.type === 'f');
      this.setAside = {
        restore: [
          ...unique.map((k) => ({ name: k.name, sql: `alter table ${k.table} add constraint ${k.name} ${k.def}` })),
          ...indexes.map((i) => ({ name: i.name, sql: i.def })),
          ...foreign.map((k) => ({ name: k.name, sql: `alter table ${k.table} add constraint ${k.name} ${k.def}` })),
        ],
      };
      await writeSetAside(this.db, this.setAside);
      for (const k of constraints) await c.query(`alter table ${k.table} drop constraint ${k.name}`);
      for (const i of indexes) await c.query(`drop index ${i.name}`);
    }
    return first;
  }

  async write(payload: BulkPayload): Promise<void> {
    const c = await this.connection();
    for (const table of BULK_TABLES) {
      const text = payload.data[table] as string | undefined;
      if (!text) continue;
      const stream = c.query(copyFrom(`copy ${table} (${POSTGRES_COLUMNS[table].join(', ')}) from stdin`));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(text);
      });
    }
  }

  async finish(): Promise<void> {
    const c = await this.connection();
    await this.settleIds(c);
    if (this.setAside) {
      const missing: SetAside['restore'] = [];
      for (const s of this.setAside.restore) if (!(await objectExists(this.db, s.name))) missing.push(s);
      await this.rebuild(missing);
      await writeSetAside(this.db, null);
      this.setAside = null;
    }
    // Vacuumed as well where pages are read through index-only scans (the inbox counts, the statistics): until a
    // table is vacuumed every such scan visits the table for each row, and autovacuum may be off or far behind.
    await c.query(`vacuum (analyze) ${INDEX_ONLY_READ.join(', ')}`);
    await c.query(`analyze ${LOADED.filter((t) => !INDEX_ONLY_READ.includes(t)).join(', ')}, users`);
  }

  /**
   * Index builds on two connections at once (each is one process on the server), the longest (the GIN index) first;
   * foreign keys after them, checked against primary keys that were never dropped, message_search's last since its
   * check waits for the GIN build's lock on that table.
   */
  private async rebuild(statements: SetAside['restore']) {
    const foreign = (s: { sql: string }) => / foreign key /i.test(s.sql);
    const rank = (s: { name: string; sql: string }) =>
      / using gin /i.test(s.sql) ? 0 : !foreign(s) ? 1 : s.sql.includes('message_search') ? 3 : 2;
    const queue = [...statements].sort((a, b) => rank(a) - rank(b));
    const second = await this.pool.connect();
    try {
      for (const client of [this.client!, second]) {
        await client.query(`set maintenance_work_mem = '1GB'`);
        await client.query(`set statement_timeout = 0`);
      }
      const run = async (client: PoolClient) => {
        for (let next = queue.shift(); next; next = queue.shift()) await client.query(next.sql);
      };
      await Promise.all([run(this.client!), run(second)]);
    } finally {
      second.release();
    }
  }

  private async settleIds(c: PoolClient) {
    for (const table of ID_TABLES) {
      const before = this.reserved[table];
      if (before === undefined) continue;
      await c.query(
        `select setval(pg_get_serial_sequence($1, 'id'), greatest(v, 1), v > 0) from
         (select greatest($2::int, coalesce((select max(id) from ${table}), 0)) as v) as s`,
        [table, before],
      );
    }
    this.reserved = {};
  }

  async close(): Promise<void> {
    try {
      if (this.client && Object.keys(this.reserved).length > 0) await this.settleIds(this.client);
      if (this.setAside) {
        await restoreSetAside(this.db);
        this.setAside = null;
      }
    } finally {
      this.client?.release();
      this.client = null;
    }
  }
}
