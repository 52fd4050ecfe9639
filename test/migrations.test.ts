import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { engineOf } from '../src/db/dialect.ts';
import { migrateDown, migrateUp, migrationStatus } from '../src/db/migrate.ts';
import { MIGRATIONS } from '../src/db/migrations/index.ts';
import { describeSchema, migrationHash, readSnapshot } from '../src/db/schema-snapshot.ts';
import { seedReference } from '../src/reference/seed-reference.ts';
import { createEmptyDatabase, TEST_ENGINE } from './helpers.ts';

describe(`migrations on ${TEST_ENGINE}`, () => {
  test('up → down → up leaves the same schema, and status reports each step', async () => {
    const t = await createEmptyDatabase();
    try {
      const names = Object.keys(MIGRATIONS);
      assert.deepEqual(await migrateUp(t.db), names);
      const first = await describeSchema(t.db);
      assert.ok((await migrationStatus(t.db)).every((m) => m.executedAt));

      for (let i = names.length - 1; i >= 0; i--) assert.deepEqual(await migrateDown(t.db), [names[i]]);
      assert.deepEqual(await describeSchema(t.db), {}, 'down removes every table');
      assert.ok((await migrationStatus(t.db)).every((m) => !m.executedAt));

      assert.deepEqual(await migrateUp(t.db), names);
      assert.deepEqual(await describeSchema(t.db), first);
      assert.deepEqual(await migrateUp(t.db), [], 'a second up has nothing to do');
      const report = await seedReference(t.db);
      assert.ok(report.boards.inserted > 0, 'the re-created schema takes the reference data');
    } finally {
      await t.close();
    }
  });

  test('schema canary: the migrated schema matches the committed snapshot', async () => {
    const t = await createEmptyDatabase();
    try {
      await migrateUp(t.db);
      const snapshot = readSnapshot();
      const hint = 'the schema changed: add a migration, then run `npm run schema:snapshot` (needs PostgreSQL)';
      assert.deepEqual(await describeSchema(t.db), snapshot[engineOf(t.db)], hint);
    } finally {
      await t.close();
    }
  });

  test('schema canary: a landed migration is frozen and every migration is in the snapshot', () => {
    const snapshot = readSnapshot();
    assert.deepEqual(Object.keys(MIGRATIONS), Object.keys(snapshot.migrations), 'run `npm run schema:snapshot`');
    for (const name of Object.keys(MIGRATIONS)) {
      assert.equal(
        migrationHash(name),
        snapshot.migrations[name],
        `${name} was edited after it landed: write a new migration`,
      );
    }
  });

  test('SQLite runs in WAL mode with foreign keys on; PostgreSQL enforces foreign keys too', async () => {
    const t = await createEmptyDatabase();
    try {
      await migrateUp(t.db);
      if (TEST_ENGINE === 'sqlite') {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.db);
        assert.equal(mode.rows[0]?.journal_mode, 'wal');
        const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db);
        assert.equal(fk.rows[0]?.foreign_keys, 1);
      }
      await assert.rejects(
        t.db
          .insertInto('boards')
          .values({ id: 1, region_code: '999999', post: 'party', title: 'x', unit_id: 1, active: 1, sort_order: 1 })
          .execute(),
      );
    } finally {
      await t.close();
    }
  });
});
