// The one place that knows which database engine is in use; everything else asks here.
import { type ColumnDataType, type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Engine } from '../config.ts';

export function engineOf(db: Kysely<unknown>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column type for a moment in time: timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function timestampType(db: Kysely<unknown>): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'timestamptz' : 'text';
}

/** Default value for a creation timestamp, producing the same ISO-8601 form on both engines. */
export function nowDefault(db: Kysely<unknown>): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}

export function booleanType(db: Kysely<unknown>): ColumnDataType {
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

/** SQLite pragmas for durability with concurrent readers. */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'foreign_keys = ON', 'busy_timeout = 5000', 'synchronous = NORMAL'];

/** Largest number of bound parameters one statement may carry, minus headroom. */
export function maxParameters(db: Kysely<unknown>): number {
  return engineOf(db) === 'postgres' ? 60000 : 30000;
}

/**
 * Booleans are written as 1/0: better-sqlite3 cannot bind `true`, and PostgreSQL accepts '1'/'0'
 * for boolean columns. Reads come back as 0/1 or false/true; use `Boolean()` on them.
 */
export const dbBool = (value: boolean): number => (value ? 1 : 0);
