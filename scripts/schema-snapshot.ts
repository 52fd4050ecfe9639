// Rewrites src/db/schema-snapshot.json after a new migration: run with PostgreSQL reachable.
// Usage: TEST_DATABASE_URL=postgres://127.0.0.1:5432/postgres npx tsx scripts/schema-snapshot.ts
import { writeFileSync } from 'node:fs';
import { migrateUp } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { describeSchema, migrationHash, SNAPSHOT_FILE, type SchemaSnapshot } from '../src/db/schema-snapshot.ts';
import { createEmptyDatabase } from '../test/helpers.ts';

async function describeEngine(serverUrl: string): Promise<Record<string, unknown>> {
  const database = await createEmptyDatabase(serverUrl);
  try {
    await migrateUp(database.db);
    return await describeSchema(database.db);
  } finally {
    await database.close();
  }
}

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl?.startsWith('postgres')) {
  console.error('请设置 TEST_DATABASE_URL=postgres://… 以便同时生成 PostgreSQL 的快照');
  process.exit(1);
}
const snapshot: SchemaSnapshot = {
  migrations: Object.fromEntries(Object.keys(MIGRATIONS).map((name) => [name, migrationHash(name)])),
  sqlite: await describeEngine(''),
  postgres: await describeEngine(postgresUrl),
};
writeFileSync(SNAPSHOT_FILE, JSON.stringify(snapshot, null, 2) + '\n');
console.log(`已写入 ${SNAPSHOT_FILE.pathname}`);
