// A normalised picture of the migrated schema, compared by the canary test with the committed snapshot.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { engineOf, listIndexes } from './dialect.ts';

export const SNAPSHOT_FILE = new URL('./schema-snapshot.json', import.meta.url);
export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface SchemaSnapshot {
  /** sha256 of each landed migration file: a landed migration must never change. */
  migrations: Record<string, string>;
  sqlite: Record<string, unknown>;
  postgres: Record<string, unknown>;
}

export async function describeSchema(db: Kysely<any>): Promise<Record<string, unknown>> {
  const tables = await db.introspection.getTables();
  const indexes = await listIndexes(db);
  const out: Record<string, unknown> = {};
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    if (table.name.startsWith('kysely_migration')) continue;
    out[table.name] = {
      columns: table.columns.map(
        (c) => `${c.name} ${c.dataType}${c.isNullable ? '' : ' not null'}${c.hasDefaultValue ? ' default' : ''}`,
      ),
      indexes: indexes[table.name] ?? [],
    };
  }
  return out;
}

export function migrationHash(name: string): string {
  const text = readFileSync(new URL(`${name}.ts`, MIGRATIONS_DIR), 'utf8');
  return createHash('sha256').update(text).digest('hex');
}

export function readSnapshot(): SchemaSnapshot {
  return JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as SchemaSnapshot;
}

export { engineOf };
