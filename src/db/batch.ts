// Inserts many rows in statements small enough for either engine's parameter limit.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { maxParameters } from './dialect.ts';

export async function insertInChunks<T extends keyof Database>(
  db: Kysely<Database> | Transaction<Database>,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] ?? {}).length || 1;
  const size = Math.max(1, Math.floor(maxParameters(db) / columns / 4));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}
