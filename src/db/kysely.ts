// Opens the database named by the configuration with the right Kysely dialect, made to survive the database's faults:
// a PostgreSQL restart or hang, another process holding SQLite's write lock, a full or read-only disk.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type PostgresPool,
  type PostgresPoolClient,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { type Config, DEFAULT_DATABASE_TIMEOUTS, type SqliteSynchronous } from '../config.ts';
import { POSTGRES_TYPE_PARSERS, SQLITE_PRAGMAS } from './dialect.ts';
import {
  type BackgroundCheckpoints,
  FALLBACK_AUTOCHECKPOINT_PAGES,
  startBackgroundCheckpoints,
} from './checkpoints.ts';
import { databaseFault, type FaultLogger, faultLog, fileSystemCause } from './faults.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseSettings = Pick<Config, 'engine' | 'databaseUrl' | 'sqliteFile'> &
  Partial<Pick<Config, 'databaseTimeouts' | 'sqliteSynchronous'>>;

export interface OpenOptions {
  /**
   * For commands that only read: SQLite opens the file read-only (it must exist; a copy on read-only media works),
   * PostgreSQL sessions refuse writes.
   */
  readOnly?: boolean;
  /** Operator commands that may run long statements (a migration, a recomputation): no statement timeout. */
  longRunning?: boolean;
  /**
   * SQLite, for a server: checkpoint the write-ahead log from a worker thread (db/checkpoints.ts), so that no request
   * waits for a checkpoint's copy and disk flushes.
   */
  backgroundCheckpoints?: boolean;
  /** Where connection faults are logged (default: process warnings on stderr). */
  log?: FaultLogger;
}

/** The database could not be opened; the message names the file or directory and the cause, in Chinese. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

/** A reply that never comes is given up a little after the server's own statement_timeout would have fired. */
const QUERY_TIMEOUT_MARGIN_MS = 2000;
/** A session left idle inside a transaction (a bug, a crashed caller) is ended by the server after this long. */
const IDLE_IN_TRANSACTION_MS = 60_000;

const processWarnings: FaultLogger = {
  warn: (_obj, msg) => process.emitWarning(msg ?? 'database fault', 'DatabaseWarning'),
  info: (_obj, msg) => process.emitWarning(msg ?? 'database recovered', 'DatabaseWarning'),
};

export function openDatabase(config: DatabaseSettings, options: OpenOptions = {}): Db {
  const timeouts = config.databaseTimeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  if (config.engine === 'postgres') {
    const statementMs = options.longRunning ? 0 : timeouts.statementMs;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      connectionTimeoutMillis: timeouts.connectMs,
      idleTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
      ...(statementMs > 0
        ? { statement_timeout: statementMs, query_timeout: statementMs + QUERY_TIMEOUT_MARGIN_MS }
        : {}),
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          POSTGRES_TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // A connection can be cut by the server at any time (restart, failover, an administrator): an idle one is reported
    // by the pool, a checked-out one by its client. Unheard, either 'error' event would end the process.
    const faults = faultLog(options.log ?? processWarnings, 'PostgreSQL 连接');
    pool.on('error', (err) => faults.failed(err, 'PostgreSQL 空闲连接出错'));
    pool.on('connect', (client) => {
      faults.ok();
      client.on('error', (err) => faults.failed(err, 'PostgreSQL 连接出错'));
    });
    return withHandle(
      new Kysely<Database>({ dialect: new ResilientPostgresDialect({ pool: discardingBroken(pool) }) }),
      {
        engine: 'postgres',
        pool,
      },
    );
  }
  const file = config.sqliteFile ?? ':memory:';
  const synchronous = config.sqliteSynchronous ?? 'NORMAL';
  const database = options.readOnly ? openSqliteReadOnly(file) : openSqlite(file, synchronous);
  let checkpoints: BackgroundCheckpoints | undefined;
  if (options.backgroundCheckpoints && !options.readOnly && file !== ':memory:') {
    database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpoints = startBackgroundCheckpoints(file, synchronous);
  }
  const db = new Kysely<Database>({
    dialect: new LockingSqliteDialect(database, {
      readOnly: Boolean(options.readOnly),
      waitMs: timeouts.statementMs > 0 ? timeouts.statementMs : Number.POSITIVE_INFINITY,
      afterClose: () => checkpoints?.stop(),
    }),
  });
  return withHandle(db, { engine: 'sqlite', database });
}

/** The driver's own handle behind a Kysely instance opened here, for what Kysely has no words for (bulk loads). */
export type DriverHandle = { engine: 'sqlite'; database: SQLite.Database } | { engine: 'postgres'; pool: pg.Pool };
const handles = new WeakMap<object, DriverHandle>();

export function driverHandle(db: Db): DriverHandle | undefined {
  return handles.get(db);
}

function withHandle(db: Db, handle: DriverHandle): Db {
  handles.set(db, handle);
  return db;
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Kysely's clients from the pool, except that a client whose connection was lost, or whose reply never came, is
 * discarded on release: otherwise the next request would queue behind the hung query on the same connection.
 */
function discardingBroken(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      const query = (text: string, values: unknown[]) =>
        client.query(text, values).catch((err: unknown) => {
          if (databaseFault(err) === 'unavailable') broken = true;
          throw err;
        });
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: ((discard?: boolean) => client.release(discard || broken ? true : undefined)) as () => void,
      };
    },
    end: () => pool.end(),
  };
}

class ResilientPostgresDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ResilientPostgresDriver(this.settings);
  }
}

class ResilientPostgresDriver extends PostgresDriver {
  /**
   * A rollback on a lost connection fails too, and Kysely would then throw that failure instead of the error that
   * ended the transaction. The connection is discarded either way, and the server rolls back what it ends.
   */
  override async rollbackTransaction(connection: Parameters<PostgresDriver['rollbackTransaction']>[0]): Promise<void> {
    await super.rollbackTransaction(connection).catch(() => {});
  }
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Opens (creating if need be) the file for reading and writing; a directory or file it cannot write is named. In WAL
 * mode `synchronous = NORMAL` flushes the log at checkpoints only, so a commit survives the process's crash but not
 * always a power loss or an OS crash; FULL flushes the log at every commit (README, "What 201 guarantees").
 */
function openSqlite(file: string, synchronous: SqliteSynchronous): SQLite.Database {
  if (file !== ':memory:') checkWritable(file);
  let database: SQLite.Database | undefined;
  try {
    database = new SQLite(file);
    for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
    database.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    return database;
  } catch (err) {
    database?.close();
    throw new DatabaseOpenError(explainSqliteFailure(err, file));
  }
}

/**
 * Opens an existing file read-only. WAL mode needs a shared-memory file beside the database: in a read-only directory
 * where none exists, a database whose log is empty is read from a copy in memory instead.
 */
function openSqliteReadOnly(file: string): SQLite.Database {
  if (file === ':memory:') return new SQLite(file);
  if (!existsSync(file)) throw new DatabaseOpenError(`数据库文件 ${file} 不存在`);
  let database: SQLite.Database | undefined;
  try {
    database = new SQLite(file, { readonly: true, fileMustExist: true });
    database.pragma(SQLITE_PRAGMAS.find((p) => p.startsWith('busy_timeout'))!);
    database.prepare('select count(*) from sqlite_master').get();
    return database;
  } catch (err) {
    database?.close();
    const code = (err as { code?: string }).code ?? '';
    if (!/^SQLITE_(READONLY|CANTOPEN)/.test(code)) {
      throw new DatabaseOpenError(`无法只读打开数据库文件 ${file}：${(err as Error).message}`);
    }
    const wal = `${file}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new DatabaseOpenError(
        `数据库文件 ${file} 所在目录只读，且 ${wal} 中有尚未写回的内容：请把这两个文件一起复制到可写的目录后再运行`,
      );
    }
    const copy = readFileSync(file);
    // Bytes 18 and 19 say WAL (2); an in-memory copy cannot keep a WAL, so it reads the file as a rollback-journal one.
    if (copy.length > 19) copy[18] = copy[19] = 1;
    return new SQLite(copy, { readonly: true });
  }
}

/** What the file system lets the process do beside the database file; replaceable in tests. */
export interface FileProbe {
  /** undefined when writable, else the error code (EACCES, EROFS, ENOENT, …). */
  cannotWrite(path: string): string | undefined;
  /** Bytes free for an unprivileged user on the file system holding `path`, or undefined when unknown. */
  freeBytes(path: string): number | undefined;
}

export const REAL_FILES: FileProbe = {
  cannotWrite(path) {
    try {
      accessSync(path, constants.W_OK);
      return undefined;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? 'EACCES';
    }
  },
  freeBytes(path) {
    try {
      const s = statfsSync(path);
      return s.bavail * s.bsize;
    } catch {
      return undefined;
    }
  },
};

/** Below this many free bytes a failure to open or write the database is put down to a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;
const HINT = '请检查该目录的所有者和权限、磁盘空间，以及是否以只读方式挂载（DATA_DIR、DATABASE_URL）';

/** Fails before SQLite does, with the directory or file and the cause, instead of "unable to open database file". */
function checkWritable(file: string, probe: FileProbe = REAL_FILES): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatabaseOpenError(`无法创建数据库目录 ${dir}：${fileSystemCause(code)}。${HINT}`);
  }
  const dirProblem = probe.cannotWrite(dir);
  if (dirProblem) {
    throw new DatabaseOpenError(
      `数据库目录 ${dir} 不可写：${fileSystemCause(dirProblem)}（SQLite 要在其中创建日志文件）。${HINT}`,
    );
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    const problem = existsSync(path) ? probe.cannotWrite(path) : undefined;
    if (problem) throw new DatabaseOpenError(`数据库文件 ${path} 不可写：${fileSystemCause(problem)}。${HINT}`);
  }
}

/** The cause of an SQLite failure to open or write `file`, as a sentence naming the directory or file. */
export function explainSqliteFailure(err: unknown, file: string, probe: FileProbe = REAL_FILES): string {
  const dir = dirname(file);
  const free = probe.freeBytes(dir);
  const fault = databaseFault(err);
  if (fault === 'full' || (free !== undefined && free < NEARLY_FULL_BYTES)) {
    const left = free === undefined ? '' : `（剩余 ${Math.max(0, Math.floor(free / 1024))} KB）`;
    return `数据库目录 ${dir} 所在磁盘已满${left}，无法写入数据库文件 ${file}。请清理磁盘空间后重试`;
  }
  const dirProblem = probe.cannotWrite(dir);
  if (dirProblem) return `数据库目录 ${dir} 不可写：${fileSystemCause(dirProblem)}。${HINT}`;
  const fileProblem = existsSync(file) ? probe.cannotWrite(file) : undefined;
  if (fileProblem) return `数据库文件 ${file} 不可写：${fileSystemCause(fileProblem)}。${HINT}`;
  if (fault === 'read-only') return `数据库文件 ${file} 只能读取，不能写入。${HINT}`;
  return `无法打开数据库文件 ${file}：${(err as Error).message ?? String(err)}`;
}

/** Statements kept prepared; a longer SQL text (a bulk insert's) is prepared each time rather than kept. */
const STATEMENT_CACHE_SIZE = 256;
const STATEMENT_CACHE_MAX_SQL = 10_000;

/**
 * The database as Kysely's driver sees it, with each statement prepared once and kept (least recently used out first):
 * the driver prepares every query it runs, and preparing costs more than running most of them. A kept statement that is
 * busy (a stream still reading from it) is not shared: the query gets a statement of its own.
 */
function keepingStatements(database: SQLite.Database, afterClose?: () => void): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      kept.clear();
      database.close();
      afterClose?.();
    },
    prepare(text: string) {
      const statement = kept.get(text);
      if (statement && !statement.busy) {
        kept.delete(text);
        kept.set(text, statement);
        return statement;
      }
      const fresh = database.prepare(text);
      if (!statement && text.length <= STATEMENT_CACHE_MAX_SQL) {
        if (kept.size >= STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value!);
        kept.set(text, fresh);
      }
      return fresh;
    },
  };
}

interface SqliteLocking {
  readOnly: boolean;
  waitMs: number;
  /** Runs once the connection is closed (Kysely's destroy). */
  afterClose?: () => void;
}

class LockingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SQLite.Database,
    private readonly locking: SqliteLocking,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new LockingSqliteDriver(this.database, this.locking);
  }
}

/**
 * Takes the write lock when a transaction begins (`BEGIN IMMEDIATE`): a transaction that read first and then wanted
 * to write would fail at once if another process wrote in between. A statement refused because another process holds
 * the lock is tried again, sleeping between tries, for up to `waitMs`.
 */
class LockingSqliteDriver extends SqliteDriver {
  #connection: DatabaseConnection | undefined;

  constructor(
    private readonly database: SQLite.Database,
    private readonly locking: SqliteLocking,
  ) {
    super({ database: keepingStatements(database, locking.afterClose) });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.#connection ??= new LockWaitingConnection(connection, this.database, this.locking.waitMs, (ms) =>
      this.#standAside(ms),
    );
    return this.#connection;
  }

  /**
   * Lets others use the one connection while a statement waits for another process's lock: reads (which WAL never
   * blocks) go on, and whoever takes the connection meanwhile gives it back with no transaction open.
   */
  async #standAside(ms: number): Promise<void> {
    await super.releaseConnection();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await super.acquireConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(this.locking.readOnly ? 'begin' : 'begin immediate'));
  }

  /**
   * After SQLITE_FULL, an I/O error or some busy errors SQLite has already rolled back; a second rollback would fail
   * with "cannot rollback - no transaction is active" and hide the error that matters.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.database.inTransaction) await super.rollbackTransaction(connection);
  }
}

class LockWaitingConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly database: SQLite.Database,
    private readonly waitMs: number,
    /** Gives the connection up for `ms` and takes it back. */
    private readonly standAside: (ms: number) => Promise<void>,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (err) {
        // Only a statement outside a transaction, or the BEGIN itself, failed whole and can be run again as it is.
        const busy = String((err as { code?: string }).code).startsWith('SQLITE_BUSY');
        if (!busy || this.database.inTransaction) throw err;
        if (Date.now() >= deadline) throw Object.assign(err as Error, { lockWaitExpired: true });
        await this.standAside(Math.min(20 * attempt, 250) * (0.5 + Math.random()));
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
