// Opens the database named by the configuration with the right Kysely dialect.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { POSTGRES_TYPE_PARSERS, SQLITE_PRAGMAS } from './dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export function openDatabase(config: Pick<Config, 'engine' | 'databaseUrl' | 'sqliteFile'>): Db {
  if (config.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          POSTGRES_TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection can be cut by the server (restart, failover): the pool replaces it; it must not crash the process.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL 空闲连接出错：${err.message}`));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const file = config.sqliteFile ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
